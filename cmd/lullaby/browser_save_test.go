package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// mustEditorSession starts Lullaby, creates the owner and logs the browser
// in at next.
func mustEditorSession(t *testing.T, next string) (*running, *browser, *cms.User) {
	t.Helper()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
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
