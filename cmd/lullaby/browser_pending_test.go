package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// TestBrowserPendingUnpublish: she edits a published post (autosaved as
// its pending edit) and presses Unpublish: the draft holds her words and
// nothing is left pending. A pending edit kept when a post was unpublished
// (the post had changed since it was made) is offered by the draft's
// editor, and Restore puts it in the post.
func TestBrowserPendingUnpublish(t *testing.T) {
	t.Parallel()
	r, b, owner := mustEditorSession(t, "/admin/posts")
	ctx := t.Context()
	post := mustPublished(t, r, owner, "Naps", "The published text about naps.")
	editor := r.base + "/admin/posts/" + post.ID
	const edited = "The published text about naps.\n\nWritten after publishing."

	b.Do(t, "edit the published post, then unpublish it",
		navigate(editor),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		setEditorBody(edited),
		waitText("#save-status", "Changes saved"),
		chromedp.Click(chromedp.ID("unpublish")),
		waitText(".flash", "Unpublished"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(editorBody+`.includes("Written after publishing.")`),
		waitJS(`!document.getElementById('pending-banner')`),
	)
	if p, err := r.srv.svc.GetPost(ctx, post.ID); err != nil || p.Status != cms.StatusDraft || p.Body != edited {
		t.Errorf("after Unpublish: %+v, %v", p, err)
	}
	if _, err := r.srv.svc.GetPending(ctx, post.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending edit after Unpublish: %v, want none", err)
	}

	kept := mustPublished(t, r, owner, "Sleep", "The published text about sleep.")
	if _, err := r.srv.svc.SavePending(ctx, owner, kept.ID, cms.PostInput{Body: ptrTo("Autosaved words about sleep."), Version: &kept.Version}, 0); err != nil {
		t.Fatal(err)
	}
	newer, err := r.srv.svc.UpdatePost(ctx, owner, kept.ID, cms.PostInput{Excerpt: ptrTo("Changed since."), Version: &kept.Version})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.svc.UnpublishPost(ctx, owner, kept.ID, newer.Version); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "the draft's editor offers the kept edit",
		navigate(r.base+"/admin/posts/"+kept.ID),
		chromedp.WaitVisible(chromedp.ID("pending-banner")),
		waitText("#pending-banner", "You have unpublished changes from"),
		waitJS(editorBody+` === "The published text about sleep."`))
	b.Screenshot(t, "editor-unpublished-offer")
	b.Do(t, "Restore puts the kept edit in the post",
		chromedp.Click(chromedp.ID("pending-restore")),
		waitText(".flash", "Unpublished changes restored"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(editorBody+` === "Autosaved words about sleep."`),
		waitJS(`!document.getElementById('pending-banner')`),
	)
	waitFor(t, "the restored edit on the server", 10*time.Second, func() bool {
		p, err := r.srv.svc.GetPost(ctx, kept.ID)
		return err == nil && p.Body == "Autosaved words about sleep." && p.Excerpt == "Changed since." && p.Status == cms.StatusDraft
	})
	if _, err := r.srv.svc.GetPending(ctx, kept.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending edit after Restore: %v, want none", err)
	}
}
