package admin

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The editor and a published post's pending edit (cms/pending.go). The
// script autosaves every change of a published post as its pending edit
// (PUT /admin/api/v1/posts/:id/pending); the form carries the version of
// the pending edit it shows ("pendingVersion"), so that Update publishes
// the form and drops that pending edit, and "Discard changes" drops it.
// Opening a published post that has a pending edit offers it: "Continue
// editing" (?pending=1: the form shows the pending edit) or discard it.
// A post no longer published (not in the trash) that kept one
// (cms/pending.go) offers it too: "Restore" saves it over the post.

// pendingView is what the editor shows of a pending edit.
type pendingView struct {
	Version int
	SavedAt time.Time
	Stale   bool // the post changed since the edit was made on it
	Editing bool // the form shows the pending edit; else it is offered
	Restore bool // the post is not published: the offer is to restore it
}

// pendingFor returns the pending edit of post for the editor showing
// form f, or nil when there is none or the post is in the trash.
func (a *Admin) pendingFor(ctx context.Context, post *cms.Post, f postForm) (*pendingView, error) {
	if post == nil || post.Trashed() {
		return nil, nil
	}
	e, err := a.svc.PendingOf(ctx, post)
	if err != nil || e == nil {
		return nil, err
	}
	public := post.Public()
	return &pendingView{Version: e.Version, SavedAt: e.SavedAt, Stale: e.Stale,
		Editing: public && f.PendingVersion == e.Version, Restore: !public}, nil
}

// pendingForm returns the editor form of post showing its pending edit
// (the ?pending=1 of "Continue editing"), or the post's own form when it
// has none.
func (a *Admin) pendingForm(ctx context.Context, post *cms.Post) (postForm, error) {
	if !post.Public() {
		return formFromPost(post), nil
	}
	e, err := a.svc.PendingOf(ctx, post)
	if err != nil || e == nil {
		return formFromPost(post), err
	}
	f := formFromPost(e.Preview(post))
	f.PendingVersion = e.Version
	return f, nil
}

// discardShown drops the pending edit the form showed, when Update
// found nothing to publish: the post is as she sees it.
func (a *Admin) discardShown(c *fiber.Ctx, post *cms.Post, f postForm) error {
	if f.PendingVersion == 0 {
		return nil
	}
	err := a.svc.DiscardPending(c.UserContext(), actor(c), post.ID, f.PendingVersion)
	if err != nil && !cms.IsKind(err, cms.KindNotFound) && !isPendingStale(err) {
		return err
	}
	return nil
}

// handlePendingDiscardForm drops the pending edit of post :id at the
// form's pendingVersion ("Discard changes") and shows the published post.
func (a *Admin) handlePendingDiscardForm(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	pv := formPendingVersion(c)
	msg := "Unpublished changes discarded: the editor shows the post as published."
	if !post.Public() {
		msg = "Unpublished changes discarded."
	}
	switch err := a.svc.DiscardPending(c.UserContext(), actor(c), post.ID, pv); {
	case cms.IsKind(err, cms.KindNotFound):
		msg = "There were no unpublished changes to discard."
	case isPendingStale(err):
		msg = "Nothing was discarded: the unpublished changes were saved again in another window. Here they are offered again."
	case err != nil:
		return err
	}
	return a.flashRedirect(c, editorPath(post.ID), msg)
}

// handlePendingRestoreForm saves the pending edit of post :id, no longer
// published, over the post at the form's pendingVersion ("Restore") and
// shows the post.
func (a *Admin) handlePendingRestoreForm(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	pv := formPendingVersion(c)
	msg := "Unpublished changes restored: they are saved in the post, and its previous text is in the revisions."
	switch _, err := a.svc.RestorePending(c.UserContext(), actor(c), post.ID, pv); {
	case cms.IsKind(err, cms.KindNotFound):
		msg = "There were no unpublished changes to restore."
	case isPendingStale(err):
		msg = "Nothing was restored: the unpublished changes were saved again in another window. Here they are offered again."
	case refused(err):
		msg = "Nothing was restored: " + cms.ErrorMessage(err)
	case err != nil:
		return err
	}
	return a.flashRedirect(c, editorPath(post.ID), msg)
}

// isPendingStale reports whether err says the pending edit changed.
func isPendingStale(err error) bool {
	return conflictOn(err, "pendingVersion")
}

// formPendingVersion is the form's pendingVersion: the pending edit the
// page showed, 0 (whichever is stored) when missing or malformed.
func formPendingVersion(c *fiber.Ctx) int {
	pv, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("pendingVersion")))
	return max(pv, 0)
}
