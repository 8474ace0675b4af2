package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// handleReviewerList lists every medical reviewer by name.
func (a *Admin) handleReviewerList(c *fiber.Ctx) error {
	rs, err := a.svc.ListReviewers(c.UserContext())
	if err != nil {
		return err
	}
	return ok(c, nonNil(rs))
}

// handleReviewerCreate adds a reviewer: 201 with Location.
func (a *Admin) handleReviewerCreate(c *fiber.Ctx) error {
	var in cms.ReviewerInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := a.svc.CreateReviewer(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, r.ID, r)
}

// handleReviewerGet returns one reviewer.
func (a *Admin) handleReviewerGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	r, err := a.svc.GetReviewer(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, r)
}

// handleReviewerUpdate applies a partial edit; "version" is required.
func (a *Admin) handleReviewerUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in cms.ReviewerInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := a.svc.UpdateReviewer(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, r)
}

// handleReviewerDelete removes a reviewer named on no post: 204; one
// named on posts is a 409 naming them.
func (a *Admin) handleReviewerDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteReviewer(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
