package main

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lullabycms/lullaby/cms"
)

// mustEditorSession starts Lullaby, creates the owner and logs the browser
// in at next.
func mustEditorSession(t *testing.T, next string) (*running, *browser, *cms.User) {
	t.Helper()
	return mustEditorSessionWith(t, next, nil)
}

// mustEditorSessionWith is mustEditorSession with more of the
// environment set (env's entries win).
func mustEditorSessionWith(t *testing.T, next string, env map[string]string) (*running, *browser, *cms.User) {
	t.Helper()
	all := map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"}
	maps.Copy(all, env)
	r := MustStart(t, all)
	b := MustBrowser(t, r.base)
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", r.base+"/admin/api/v1/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], next)
	owner, err := r.srv.svc.Authenticate(t.Context(), creds["email"], creds["password"])
	if err != nil {
		t.Fatal(err)
	}
	return r, b, owner
}

// publicPost reads the published post slug from the public API: its
// status and data.html.
func publicPost(t *testing.T, base, slug string) (int, string) {
	t.Helper()
	status, _, raw := call(t, "GET", base+"/api/v1/posts/"+slug, "", nil)
	var pub struct {
		Data struct {
			HTML string `json:"html"`
		} `json:"data"`
	}
	_ = json.Unmarshal(raw, &pub)
	return status, pub.Data.HTML
}

// TestBrowserUnresolvedCitation: she cites a work before adding it to the
// library. The draft autosaves all the same; the warning under the body,
// the "Unresolved citations" note and the preview's marked citation say
// which key is missing; publishing is refused naming it. Once the
// reference is in the library the warning goes and publishing works.
func TestBrowserUnresolvedCitation(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin/posts/new")
	admin := r.base + "/admin"

	b.Do(t, "write a draft citing an unknown key",
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), "Night waking"),
		setEditorBody("Most babies wake at night [@smith2020]."),
		waitJS(`location.pathname !== '/admin/posts/new'`),
		waitText("#save-status", "Saved"),
		waitJS(`!document.getElementById('body-warning').hidden`),
		waitText("#body-warning", "@smith2020"),
		waitJS(`!document.getElementById('unresolved-note').hidden`),
		waitText("#unresolved-list", "@smith2020"),
		waitText("#preview mark.citation-unresolved", "@smith2020?"),
	)
	postID := strings.TrimPrefix(Get(t, b, "post path", chromedp.Evaluate[string](`location.pathname`)), "/admin/posts/")
	waitFor(t, "the draft on the server", 10*time.Second, func() bool {
		p, err := r.srv.svc.GetPost(t.Context(), postID)
		return err == nil && p.Body == "Most babies wake at night [@smith2020]." && p.Status == cms.StatusDraft
	})
	b.Screenshot(t, "editor-unresolved-citation")

	b.Do(t, "publishing is refused, naming the key",
		chromedp.Click(chromedp.ID("publish")),
		waitText("#body-error", "Unresolved citations: @smith2020"),
		waitText("#form-problem", "Not published"),
	)
	if p, err := r.srv.svc.GetPost(t.Context(), postID); err != nil || p.Status != cms.StatusDraft {
		t.Fatalf("after the refused publish: %v, %v", p, err)
	}

	if _, err := r.srv.svc.CreateCitation(t.Context(), owner, cms.Citation{Key: "smith2020", Type: cms.CiteArticle,
		Title: "Night waking in infancy", Year: 2020, Container: "Sleep", Authors: []cms.Name{{Family: "Smith", Given: "Ann"}}}); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "with the reference in the library the warning goes",
		navigate(admin+"/posts/"+postID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(`document.getElementById('body-warning').hidden && document.getElementById('unresolved-note').hidden`),
		waitText("#preview", "(Smith, 2020)"),
		chromedp.Click(chromedp.ID("publish")),
		waitText("#status-badge", "Published"),
	)
	slug := Get(t, b, "slug", chromedp.Value(chromedp.ID("slug")))
	status, html := publicPost(t, r.base, slug)
	if status != 200 || !strings.Contains(html, `<a href="#ref-smith2020">Smith, 2020</a>`) || strings.Contains(html, "unresolved") {
		t.Errorf("public post: %d\n%s", status, html)
	}
}

// mustPublished stores a published post titled title with body.
func mustPublished(t *testing.T, r *running, owner *cms.User, title, body string) *cms.Post {
	t.Helper()
	p, err := r.srv.svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = r.srv.svc.PublishPost(t.Context(), owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	return p
}

// editorBody is the Markdown the editor shows.
const editorBody = `document.querySelector('.CodeMirror').CodeMirror.getValue()`

// TestBrowserPublishedEditsPending: an edit of a published post is
// autosaved as its pending edit; the tab is closed; reopening the editor
// offers the pending edit, which holds the edit, while the public API
// still serves the published text; Update publishes it. A later edit is
// thrown away with "Discard changes".
func TestBrowserPublishedEditsPending(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin/posts")
	post := mustPublished(t, r, owner, "Naps", "The published text about naps.")
	editor := r.base + "/admin/posts/" + post.ID
	const edited = "The published text about naps.\n\nA paragraph written after publishing."

	tctx, closeTab := chromedp.NewContext(b.ctx)
	tab := &browser{ctx: tctx, base: b.base, dialogs: acceptDialogs(tctx)}
	tab.Do(t, "edit the published post in another tab",
		navigate(editor),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		setEditorBody(edited),
		waitText("#save-status", "Changes saved"),
		waitJS(`!document.getElementById('pending-meta').hidden && !document.getElementById('pending-discard').hidden`),
	)
	e, err := r.srv.svc.GetPending(t.Context(), post.ID)
	if err != nil || e.Input.Body == nil || *e.Input.Body != edited {
		t.Fatalf("pending edit on the server: %+v, %v", e, err)
	}
	closeTab()

	if status, html := publicPost(t, r.base, post.Slug); status != 200 || strings.Contains(html, "written after publishing") {
		t.Fatalf("the public API serves the pending edit: %d %s", status, html)
	}
	b.Do(t, "reopen the editor: the pending edit is offered",
		navigate(editor),
		chromedp.WaitVisible(chromedp.ID("pending-banner")),
		waitText("#pending-banner", "You have unpublished changes from"),
		waitJS(editorBody+` === "The published text about naps."`),
	)
	b.Screenshot(t, "editor-pending-offer")
	b.Do(t, "continue editing shows the edit",
		chromedp.Click(chromedp.ID("pending-continue")),
		waitJS(`location.search === '?pending=1' && !!document.querySelector('.CodeMirror')`),
		waitJS(editorBody+`.includes("A paragraph written after publishing.")`),
		waitJS(`!document.getElementById('pending-meta').hidden && !document.getElementById('pending-banner')`),
	)
	if _, html := publicPost(t, r.base, post.Slug); strings.Contains(html, "written after publishing") {
		t.Fatal("continuing the pending edit published it")
	}
	b.Do(t, "Update publishes it",
		chromedp.Click(chromedp.ID("publish")),
		waitText(".flash", "Updated"),
		waitJS(`!location.search && document.getElementById('pending-meta').hidden`),
	)
	waitFor(t, "the edit in the public API", 10*time.Second, func() bool {
		_, html := publicPost(t, r.base, post.Slug)
		return strings.Contains(html, "A paragraph written after publishing.")
	})
	if _, err := r.srv.svc.GetPending(t.Context(), post.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending edit after Update: %v, want none", err)
	}

	b.Do(t, "an edit thrown away with Discard changes",
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		setEditorBody("Words to throw away."),
		waitText("#save-status", "Changes saved"),
		chromedp.Click(chromedp.ID("pending-discard")),
		waitText(".flash", "Unpublished changes discarded"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(editorBody+`.includes("A paragraph written after publishing.")`),
		waitJS(`!document.getElementById('pending-banner') && document.getElementById('restore-banner').hidden`),
	)
	if _, err := r.srv.svc.GetPending(t.Context(), post.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending edit after Discard: %v, want none", err)
	}
	if _, html := publicPost(t, r.base, post.Slug); strings.Contains(html, "throw away") {
		t.Error("the discarded edit is public")
	}
}

// TestBrowserCtrlS: Ctrl-S saves without publishing: a scheduled post
// (no autosave) through its Save button, a published post's change as its
// pending edit at once (pressed in the Markdown editor), without waiting
// for autosave.
func TestBrowserCtrlS(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin/posts")
	sched, err := r.srv.svc.CreatePost(t.Context(), owner, cms.PostInput{Title: ptrTo("Bedtime"), Body: ptrTo("Routine.")})
	if err != nil {
		t.Fatal(err)
	}
	if sched, err = r.srv.svc.SchedulePost(t.Context(), owner, sched.ID, sched.Version, time.Now().Add(48*time.Hour), cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	ctrlS := chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	b.Do(t, "Ctrl-S on a scheduled post",
		navigate(r.base+"/admin/posts/"+sched.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), kb.End+" routines"),
		ctrlS,
		waitText(".flash", "Saved."),
	)
	if p, err := r.srv.svc.GetPost(t.Context(), sched.ID); err != nil || p.Title != "Bedtime routines" || p.Status != cms.StatusScheduled {
		t.Fatalf("after Ctrl-S: %+v, %v", p, err)
	}

	pub := mustPublished(t, r, owner, "Naps", "Published.")
	b.Do(t, "Ctrl-S on a published post",
		navigate(r.base+"/admin/posts/"+pub.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), kb.End+" and nights"),
		// Typed in the Markdown editor, which has the focus for Ctrl-S.
		chromedp.Evaluate[chromedp.Void](`(function(){var cm=document.querySelector('.CodeMirror').CodeMirror;cm.focus();cm.setCursor(cm.lastLine(), cm.getLine(cm.lastLine()).length);})()`),
		chromedp.SendKeys(chromedp.CSS(".CodeMirror textarea"), " More."),
		waitJS(editorBody+` === "Published. More."`),
		chromedp.Evaluate[chromedp.Void](`window.typedAt = Date.now()`),
		ctrlS,
		waitText("#save-status", "Changes saved"),
	)
	// Autosave would wait 3 s after the last change.
	if ms := Get(t, b, "time to save", chromedp.Evaluate[float64](`Date.now() - window.typedAt`)); ms >= 2900 {
		t.Errorf("the pending edit was saved %.0f ms after Ctrl-S: autosave, not Ctrl-S", ms)
	}
	e, err := r.srv.svc.GetPending(t.Context(), pub.ID)
	if err != nil || e.Input.Title == nil || *e.Input.Title != "Naps and nights" || e.Input.Body == nil || *e.Input.Body != "Published. More." {
		t.Fatalf("pending after Ctrl-S: %+v, %v", e, err)
	}
	if p, _ := r.srv.svc.GetPost(t.Context(), pub.ID); p.Title != "Naps" {
		t.Errorf("Ctrl-S published the title: %q", p.Title)
	}
}

// TestBrowserLeaveAsks: following one of the panel's links away from
// unsaved changes asks first (a beforeunload dialog, accepted here), and
// the text is offered back on return; a page with nothing unsaved lets
// her go without asking.
func TestBrowserLeaveAsks(t *testing.T) {
	t.Parallel()
	r, b, _ := mustEditorSession(t, "/admin/posts/new")
	b.Do(t, "type and leave at once through the Posts link",
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), "Words not yet saved"),
		chromedp.Click(chromedp.CSS(`.editor-head .eyebrow a[href="/admin/posts"]`)),
		waitJS(`location.pathname === '/admin/posts'`),
	)
	if n := b.dialogs.Count(page.DialogTypeBeforeunload); n != 1 {
		t.Fatalf("beforeunload dialogs = %d, want 1", n)
	}
	b.Do(t, "the text is offered back",
		navigate(r.base+"/admin/posts/new"),
		chromedp.WaitVisible(chromedp.ID("restore-banner")),
		chromedp.Click(chromedp.ID("restore-local")),
		waitJS(`document.getElementById('title').value === 'Words not yet saved'`),
		// Saved: leaving no longer asks.
		waitJS(`location.pathname !== '/admin/posts/new'`),
		waitText("#save-status", "Saved"),
		chromedp.Click(chromedp.ID("title")),
		chromedp.Click(chromedp.CSS(`.editor-head .eyebrow a[href="/admin/posts"]`)),
		waitJS(`location.pathname === '/admin/posts'`),
	)
	if n := b.dialogs.Count(page.DialogTypeBeforeunload); n != 1 {
		t.Errorf("beforeunload dialogs after leaving a saved page = %d, want still 1", n)
	}
}
