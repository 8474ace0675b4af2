package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// TestBrowserSaveAndPublishFeatured: she edits a draft, checks
// "Featured" and presses Publish. That is one save: the revisions panel
// shows one new version, the post is public with her text, and it is on
// the featured list, in the editor and in the public API.
func TestBrowserSaveAndPublishFeatured(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin")
	title, body := "Early waking", "A first draft."
	p, err := r.srv.svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}

	// Edit, check the box and press Publish in one go (one script run,
	// so the draft's autosave cannot save the edit first): the form
	// carries all three.
	b.Do(t, "edit, feature and publish the draft",
		navigate(r.base+"/admin/posts/"+p.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(`document.querySelectorAll('#revisions li.revision').length === 1`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('.CodeMirror').CodeMirror.setValue("Early waking is common before six months.");
			document.getElementById('featured').click();
			document.getElementById('publish').click();`),
		waitText(".flash", "Published. Readers can see it now. Added to the featured list."),
		waitText("#status-badge", "Published"),
	)
	labels := Get(t, b, "the revisions panel", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#revisions li.revision .revision-meta')).map(function (e) { return e.textContent.split(' · ')[0].trim(); })`))
	if !slices.Equal(labels, []string{"Edited and published", "Created"}) {
		t.Errorf("revisions panel = %q, want one new version, edited and published", labels)
	}
	if !Get(t, b, "the Featured box", chromedp.Evaluate[bool](`document.getElementById('featured').checked`)) {
		t.Error("the Featured box is not checked after the save")
	}
	b.Screenshot(t, "editor-save-publish-featured")

	got, err := r.srv.svc.GetPost(t.Context(), p.ID)
	if err != nil || got.Version != p.Version+1 || len(got.Revisions) != 2 || got.Status != cms.StatusPublished || got.Body != "Early waking is common before six months." {
		t.Fatalf("stored post: %+v, %v", got, err)
	}
	_, _, raw := call(t, "GET", r.base+"/api/v1/lists/featured", "", nil)
	var featured struct {
		Data struct {
			Posts []struct{ Slug string }
		}
	}
	if err := json.Unmarshal(raw, &featured); err != nil || len(featured.Data.Posts) != 1 || featured.Data.Posts[0].Slug != got.Slug {
		t.Errorf("public featured list: %s (%v)", raw, err)
	}
}
