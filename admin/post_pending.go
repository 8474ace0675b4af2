package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The pending edit of a published post (cms/pending.go) in the admin JSON
// API: the editor's autosave of a published post saves here, Update
// publishes it, "Discard changes" drops it.

// pendingRequest is the body of PUT /posts/:id/pending: the post's fields
// as PATCH /posts/:id takes them, "version" (the post version the edit was
// made on, required) and "pendingVersion" (the pending edit's version it
// replaces; absent or 0 when there is none yet).
type pendingRequest struct {
	cms.PostInput
	PendingVersion *int `json:"pendingVersion"`
}

// pendingVersionBody is the optional body of POST /posts/:id/pending/publish.
type pendingVersionBody struct {
	PendingVersion *int `json:"pendingVersion"`
}

// handlePendingGet returns the pending edit of post :id: 200, 404 when
// there is none.
func (a *Admin) handlePendingGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	e, err := a.svc.GetPending(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, e)
}

// handlePendingPut saves the pending edit of published post :id: 200 with
// it, or 204 when the fields equal the published post (then there is no
// pending edit any more).
func (a *Admin) handlePendingPut(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var req pendingRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pv := 0
	if req.PendingVersion != nil {
		pv = *req.PendingVersion
	}
	e, err := a.svc.SavePending(c.UserContext(), actor(c), id, req.PostInput, pv)
	if err != nil {
		return err
	}
	if e == nil {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return ok(c, e)
}

// handlePendingPublish publishes the pending edit of post :id ("Update"):
// 200 with the post. An edit of the text or references whose post cites
// retracted works is a 409 (cms decides) unless the body says
// "confirmRetracted": true.
func (a *Admin) handlePendingPublish(c *fiber.Ctx) error {
	var body pendingPublishBody
	return a.applyPending(c, &body, &body.pendingVersionBody, func(ctx context.Context, u *cms.User, id string, pv int) (*cms.Post, error) {
		return a.svc.PublishPending(ctx, u, id, pv, cms.Confirmed{Retracted: body.ConfirmRetracted})
	})
}

// pendingPublishBody is the optional body of "Update".
type pendingPublishBody struct {
	pendingVersionBody
	ConfirmRetracted bool `json:"confirmRetracted"`
}

// handlePendingRestore saves the pending edit of post :id, no longer
// published, over the post ("Restore"): 200 with the post.
func (a *Admin) handlePendingRestore(c *fiber.Ctx) error {
	var body pendingVersionBody
	return a.applyPending(c, &body, &body, a.svc.RestorePending)
}

// applyPending applies the pending edit of post :id with apply, at the
// pendingVersion of the body (decoded into dst, whose version part is
// body) when given: 200 with the post.
func (a *Admin) applyPending(c *fiber.Ctx, dst any, body *pendingVersionBody,
	apply func(context.Context, *cms.User, string, int) (*cms.Post, error)) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := decodeOptionalJSON(c, dst); err != nil {
		return err
	}
	pv, err := pendingVersionOf(body.PendingVersion)
	if err != nil {
		return err
	}
	p, err := apply(c.UserContext(), actor(c), id, pv)
	if err != nil {
		return err
	}
	return ok(c, p)
}

// handlePendingDelete drops the pending edit of post :id ("Discard
// changes"), at ?pendingVersion= when given: 204.
func (a *Admin) handlePendingDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	q := newQuery(c)
	pv := q.positive("pendingVersion")
	if err := q.err(); err != nil {
		return err
	}
	if err := a.svc.DiscardPending(c.UserContext(), actor(c), id, pv); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func pendingVersionOf(v *int) (int, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 1 {
		return 0, invalid(opDecode, "pendingVersion", "Must be a positive integer.")
	}
	return *v, nil
}
