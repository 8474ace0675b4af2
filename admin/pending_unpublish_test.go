package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestPendingUnpublishAPI: unpublishing a published post takes its
// autosaved pending edit into the draft (one save); when the unpublishing
// save has fields of its own, the pending edit is kept, and
// POST .../pending/restore saves it over the draft and drops it.
func TestPendingUnpublishAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token
	published := func(title string) cms.Post {
		t.Helper()
		p := e.MustPost(t, tok, map[string]any{"title": title, "body": "Published text."})
		var pub cms.Post
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + p.ID + "/publish", Token: tok}).MustStatus(t, 200).Data(t, &pub)
		e.Do(t, Req{Method: http.MethodPut, Path: api + "/posts/" + p.ID + "/pending", Token: tok,
			Body: map[string]any{"body": "Autosaved words.", "version": pub.Version}}).MustStatus(t, 200)
		return pub
	}

	folded := published("Folded")
	var got cms.Post
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + folded.ID + "/unpublish", Token: tok, Body: map[string]any{"version": folded.Version}}).
		MustStatus(t, 200).Data(t, &got)
	if got.Status != cms.StatusDraft || got.Body != "Autosaved words." || got.Version != folded.Version+1 {
		t.Errorf("unpublished: %s %q v%d, want the draft to hold the autosaved words in one save", got.Status, got.Body, got.Version)
	}
	var revs []cms.RevisionRef
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/posts/" + folded.ID + "/revisions", Token: tok}).MustStatus(t, 200).Data(t, &revs)
	if len(revs) == 0 || revs[0].Note != "edited and unpublished" || revs[0].Version != got.Version {
		t.Errorf("revisions %+v, want the newest \"edited and unpublished\"", revs)
	}
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/posts/" + folded.ID + "/pending", Token: tok}).MustProblem(t, 404)
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + folded.ID + "/pending/restore", Token: tok}).MustProblem(t, 404)

	kept := published("Kept")
	e.Do(t, Req{Method: http.MethodPatch, Path: api + "/posts/" + kept.ID, Token: tok,
		Body: map[string]any{"title": "Kept, renamed", "status": "draft", "version": kept.Version}}).MustStatus(t, 200).Data(t, &got)
	if got.Body != "Published text." {
		t.Errorf("a save with its own fields took the pending edit: %q", got.Body)
	}
	var pend cms.PendingEdit
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/posts/" + kept.ID + "/pending", Token: tok}).MustStatus(t, 200).Data(t, &pend)
	if pend.Input.Body == nil || *pend.Input.Body != "Autosaved words." || !pend.Stale {
		t.Errorf("kept pending = %+v", pend)
	}
	restore := api + "/posts/" + kept.ID + "/pending/restore"
	e.Do(t, Req{Method: http.MethodPost, Path: restore, Token: tok, Body: map[string]any{"pendingVersion": 0}}).MustProblem(t, 400, "pendingVersion")
	e.Do(t, Req{Method: http.MethodPost, Path: restore, Token: tok, Body: map[string]any{"pendingVersion": 4}}).MustProblem(t, 409, "pendingVersion")
	e.Do(t, Req{Method: http.MethodPost, Path: restore, Token: tok, Body: map[string]any{"pendingVersion": 1}}).MustStatus(t, 200).Data(t, &got)
	if got.Body != "Autosaved words." || got.Title != "Kept, renamed" || got.Status != cms.StatusDraft {
		t.Errorf("restored: %q %q %s", got.Title, got.Body, got.Status)
	}
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/posts/" + kept.ID + "/pending", Token: tok}).MustProblem(t, 404)

	public := published("Public")
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + public.ID + "/pending/restore", Token: tok}).MustProblem(t, 409)
}

// TestEditorPendingUnpublish: in the panel, Unpublish of a published post
// with an autosaved pending edit leaves a draft holding it (the bare
// action, or the form showing the pending edit); a pending
// edit kept (the post changed since it was made) is offered by the
// draft's editor, whose Restore saves it.
func TestEditorPendingUnpublish(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	ctx := t.Context()
	published := func(title string) *cms.Post {
		t.Helper()
		p, err := e.Svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: ptr("Published text.")})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = e.Svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Svc.SavePending(ctx, owner, p.ID, cms.PostInput{Body: ptr("Autosaved words."), Version: &p.Version}, 0); err != nil {
			t.Fatal(err)
		}
		return p
	}

	p := published("Naps")
	path := "/admin/posts/" + p.ID
	b.PostCSRF(t, path+"/unpublish", url.Values{"version": {itoa(p.Version)}}).MustRedirect(t, path)
	if got := e.MustStored(t, p.ID); got.Status != cms.StatusDraft || got.Body != "Autosaved words." || got.Version != p.Version+1 {
		t.Errorf("after Unpublish: %s %q v%d", got.Status, got.Body, got.Version)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, "Autosaved words.").MustNotContain(t, `id="pending-banner"`)

	// Unpublish from a form showing the pending edit saves the form, which
	// holds it: nothing is left pending.
	o := published("Naps again")
	opath := "/admin/posts/" + o.ID
	form := url.Values{"title": {"Naps again"}, "slug": {o.Slug}, "body": {"Autosaved words, and more."}, "version": {itoa(o.Version)},
		"pendingVersion": {"1"}, "action": {"unpublish"}}
	b.PostCSRF(t, opath, form).MustRedirect(t, opath)
	if got := e.MustStored(t, o.ID); got.Status != cms.StatusDraft || got.Body != "Autosaved words, and more." {
		t.Errorf("after Unpublish of the form: %s %q", got.Status, got.Body)
	}
	if _, err := e.Svc.GetPending(ctx, o.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending after Unpublish of the form showing it: %v, want none", err)
	}

	q := published("Sleep")
	qpath := "/admin/posts/" + q.ID
	newer, err := e.Svc.UpdatePost(ctx, owner, q.ID, cms.PostInput{Excerpt: ptr("Changed since."), Version: &q.Version})
	if err != nil {
		t.Fatal(err)
	}
	b.PostCSRF(t, qpath+"/unpublish", url.Values{"version": {itoa(newer.Version)}}).MustRedirect(t, qpath)
	b.Get(t, qpath).MustStatus(t, 200).MustContain(t, `id="pending-banner"`, "You have unpublished changes from", `id="pending-restore"`, "Published text.").
		MustNotContain(t, "Autosaved words.", `id="pending-continue"`)
	b.PostCSRF(t, qpath+"/pending/restore", url.Values{"pendingVersion": {"1"}}).MustRedirect(t, qpath)
	b.Get(t, qpath).MustStatus(t, 200).MustContain(t, "Unpublished changes restored", "Autosaved words.").MustNotContain(t, `id="pending-banner"`)
	if got := e.MustStored(t, q.ID); got.Body != "Autosaved words." || got.Excerpt != "Changed since." || got.Status != cms.StatusDraft {
		t.Errorf("after Restore: %q %q %s", got.Body, got.Excerpt, got.Status)
	}
}
