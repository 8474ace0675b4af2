package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// TestBrowserEditorRedirects: the editor of a published post lists its
// old addresses; Remove, with the editor's scripts running, takes one off
// and the public API stops answering it.
func TestBrowserEditorRedirects(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin/posts")
	ctx := t.Context()
	post := mustPublished(t, r, owner, "Early waking", "Five is not morning.")
	post, err := r.srv.svc.UpdatePost(ctx, owner, post.ID, cms.PostInput{Slug: ptrTo("toddler-early-waking"),
		Redirects: &[]string{"/2024/03/early-waking/"}, Version: &post.Version})
	if err != nil {
		t.Fatal(err)
	}
	b.Do(t, "the editor lists the old addresses; Remove takes the old slug off",
		navigate(r.base+"/admin/posts/"+post.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitText("#redirect-list", "/2024/03/early-waking/"),
		waitText("#redirect-list", "early-waking"),
		chromedp.ScrollIntoView(chromedp.CSS(`#redirect-list button[value="early-waking"]`)),
		chromedp.Click(chromedp.CSS(`#redirect-list button[value="early-waking"]`)),
		waitText(".flash", "Removed early-waking"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitText("#redirect-list", "/2024/03/early-waking/"),
		waitJS(`!document.querySelector('#redirect-list button[value="early-waking"]')`),
	)
	b.Screenshot(t, "editor-old-addresses")
	got, err := r.srv.svc.GetPost(ctx, post.ID)
	if err != nil || len(got.Redirects) != 1 || got.Redirects[0].From != "/2024/03/early-waking/" || got.Body != post.Body {
		t.Fatalf("after Remove: %+v, %v", got, err)
	}
	MustCall(t, 404, "GET", r.base+"/api/v1/posts/early-waking", "", nil, nil)
}
