package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestEditorPending: the editor offers a published post's pending edit,
// shows it with ?pending=1, and the form's Update publishes it and drops
// it; "Discard changes" drops another one. All without scripts.
func TestEditorPending(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	ctx := t.Context()
	p, err := e.Svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Naps"), Body: ptr("Published text.")})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = e.Svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	path := "/admin/posts/" + p.ID
	b.Get(t, path).MustStatus(t, 200).MustNotContain(t, `id="pending-banner"`).
		MustContain(t, `name="pendingVersion" id="pending-version" value="0"`, `id="pending-discard" class="button button-quiet" formaction="`+path+`/pending/discard" formnovalidate hidden`)

	if _, err := e.Svc.SavePending(ctx, owner, p.ID, cms.PostInput{Body: ptr("Pending text."), Version: &p.Version}, 0); err != nil {
		t.Fatal(err)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, `id="pending-banner"`, "You have unpublished changes from", `href="`+path+`?pending=1"`,
		"Published text.").MustNotContain(t, "Pending text.")
	b.Get(t, path+"?pending=1").MustStatus(t, 200).MustNotContain(t, `id="pending-banner"`).
		MustContain(t, "Pending text.", `name="pendingVersion" id="pending-version" value="1"`, `id="pending-meta">`)

	// Update with the form publishes it and drops the pending edit.
	form := url.Values{"title": {"Naps"}, "slug": {p.Slug}, "body": {"Pending text, finished."}, "version": {itoa(p.Version)},
		"pendingVersion": {"1"}, "action": {"publish"}}
	b.PostCSRF(t, path, form).MustRedirect(t, path)
	got := e.MustStored(t, p.ID)
	if got.Body != "Pending text, finished." || got.Status != cms.StatusPublished {
		t.Errorf("after Update: %q %s", got.Body, got.Status)
	}
	if _, err := e.Svc.GetPending(ctx, p.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending after Update: %v", err)
	}

	// Update refused (an unresolved citation): the form comes back.
	form.Set("version", itoa(got.Version))
	form.Set("body", "Cites [@nobody1999].")
	form.Set("pendingVersion", "0")
	b.PostCSRF(t, path, form).MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, "Not updated", "Unresolved citations: @nobody1999")

	// Discard changes.
	if _, err := e.Svc.SavePending(ctx, owner, p.ID, cms.PostInput{Body: ptr("Throw away."), Version: &got.Version}, 0); err != nil {
		t.Fatal(err)
	}
	b.PostCSRF(t, path+"/pending/discard", url.Values{"pendingVersion": {"2"}}).MustRedirect(t, path)
	b.Get(t, path).MustContain(t, "Nothing was discarded", `id="pending-banner"`)
	b.PostCSRF(t, path+"/pending/discard", url.Values{"pendingVersion": {"1"}}).MustRedirect(t, path)
	b.Get(t, path).MustContain(t, "Unpublished changes discarded").MustNotContain(t, `id="pending-banner"`)
	if after := e.MustStored(t, p.ID); after.Body != "Pending text, finished." || after.Version != got.Version {
		t.Errorf("discard changed the post: %q v%d", after.Body, after.Version)
	}
}
