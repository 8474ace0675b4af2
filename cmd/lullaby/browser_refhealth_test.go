package main

import (
	"errors"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestBrowserReferenceHealth: Crossref (a local stand-in) now reports a
// cited study as retracted. She presses "Check now" on the Reference
// health screen; the server's background checker finds the retraction
// and the screen shows it with its notice and the post citing it. The
// editor's reference list carries the badge (also once the reference is
// added again from the library), and Publish stops to name the retracted
// study until she presses "Publish anyway".
func TestBrowserReferenceHealth(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	env := refEnv(t, net)
	env["LULLABY_REFCHECK_POLL"] = "1h" // only "Check now" wakes the checker after its first round
	r, b, owner := mustEditorSessionWith(t, "/admin/citations/health", env)
	ctx := t.Context()
	svc := r.srv.svc
	ref, err := svc.CreateCitation(ctx, owner, cms.Citation{Key: "lecun2015", Type: cms.CiteArticle, Title: "Deep learning",
		Authors: []cms.Name{{Family: "LeCun", Given: "Yann"}, {Family: "Bengio", Given: "Yoshua"}}, Year: 2015, Container: "Nature",
		Volume: "521", Pages: "436-444", DOI: cmstest.RefWorkDOI})
	if err != nil {
		t.Fatal(err)
	}
	title, body := "How babies learn to sleep", "Sleep shapes learning, as one review argued [@lecun2015]."
	post, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	net.Retract()
	health := r.base + "/admin/citations/health"
	item := `#health-` + ref.ID

	b.Do(t, "the screen lists the reference, not checked yet",
		navigate(health),
		chromedp.WaitVisible(chromedp.CSS(item)),
		waitJS(`document.querySelector('`+item+`').dataset.status === 'unchecked'`),
	)
	b.Do(t, "Check now starts the check and says so",
		chromedp.Click(chromedp.ID("check-now")),
		waitText(".flash", "Checking started."),
	)
	deadline := time.Now().Add(20 * time.Second)
	for !Get(t, b, "read the status", chromedp.Evaluate[bool](`(function(){var e=document.querySelector('`+item+`');return !!e && e.dataset.status === 'retracted'})()`)) {
		if time.Now().After(deadline) {
			b.fail(t, "the retraction is shown", errors.New("not within 20 s"))
		}
		time.Sleep(200 * time.Millisecond)
		b.Do(t, "reload the screen", navigate(health), chromedp.WaitVisible(chromedp.CSS(item)))
	}
	b.Do(t, "the screen shows the notice, the post and the change",
		waitText(item+" .badge-health", "Retracted"),
		waitText(item+" .health-notice", "Retracted on 2025-03-02, see doi:"+cmstest.RefRetractionDOI),
		waitText(item+" .health-post-list", title),
		waitText(item, "Changed this week"),
		waitText("#health-attention", "1"),
	)
	b.Screenshot(t, "reference-health")

	b.Do(t, "the editor's reference list carries the badge",
		navigate(r.base+"/admin/posts/"+post.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitText(`.ref-item[data-key="lecun2015"] .badge-health-retracted`, "Retracted"),
		waitText(`.ref-item[data-key="lecun2015"] .health-notice`, "Retracted on 2025-03-02"),
	)
	b.Do(t, "taken out and added back from the library, it still carries the badge",
		chromedp.Click(chromedp.CSS(`.ref-item[data-key="lecun2015"] .ref-remove`)),
		waitJS(`!document.querySelector('.ref-item[data-key="lecun2015"]')`),
		chromedp.Click(chromedp.ID("refs-add")),
		chromedp.WaitVisible(chromedp.CSS(`#ref-picker-list .picker-ref[data-key="lecun2015"]`)),
		chromedp.Click(chromedp.CSS(`#ref-picker-list .picker-ref[data-key="lecun2015"]`)),
		waitText(`.ref-item[data-key="lecun2015"] .badge-health-retracted`, "Retracted"),
		waitText(`.ref-item[data-key="lecun2015"] .health-notice`, "Retracted on 2025-03-02"),
	)
	b.Do(t, "Publish stops to name the retracted study",
		chromedp.Click(chromedp.ID("publish")),
		chromedp.WaitVisible(chromedp.ID("retracted-warning")),
		waitText("#form-problem", "Not published yet: this post cites a retracted or withdrawn study (@lecun2015)."),
		waitText(`#retracted-warning .retracted-item[data-key="lecun2015"]`, "Retracted on 2025-03-02"),
		waitText("#publish-anyway", "Publish anyway"),
	)
	b.Screenshot(t, "editor-retracted-warning")
	if p, err := svc.GetPost(ctx, post.ID); err != nil || p.Status != cms.StatusDraft {
		t.Fatalf("after the warning the post is %v (%v), want a draft", p.Status, err)
	}
	b.Do(t, "Publish anyway publishes it",
		chromedp.Click(chromedp.ID("publish-anyway")),
		waitText(".flash", "Published."),
		waitJS(`document.getElementById('status-badge').dataset.status === 'published'`),
	)
	if p, err := svc.GetPost(ctx, post.ID); err != nil || p.Status != cms.StatusPublished {
		t.Fatalf("after Publish anyway the post is %v (%v), want published", p.Status, err)
	}
}
