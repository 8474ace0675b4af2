package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// handleCategoryList lists every category in display order.
func (a *Admin) handleCategoryList(c *fiber.Ctx) error {
	cats, err := a.svc.ListCategories(c.UserContext())
	if err != nil {
		return err
	}
	return ok(c, nonNil(cats))
}

// handleCategoryCreate creates a category: 201 with Location.
func (a *Admin) handleCategoryCreate(c *fiber.Ctx) error {
	var in cms.CategoryInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cat, err := a.svc.CreateCategory(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, cat.ID, cat)
}

// handleCategoryGet returns one category.
func (a *Admin) handleCategoryGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	cat, err := a.svc.GetCategory(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, cat)
}

// handleCategoryUpdate applies a partial edit; "version" is required.
func (a *Admin) handleCategoryUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in cms.CategoryInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cat, err := a.svc.UpdateCategory(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, cat)
}

// handleCategoryDelete removes a category: 204.
func (a *Admin) handleCategoryDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteCategory(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type categoryOrderRequest struct {
	IDs *[]string `json:"ids"`
}

// handleCategoryOrder sets the display order: {"ids": [every id, in order]}.
func (a *Admin) handleCategoryOrder(c *fiber.Ctx) error {
	var req categoryOrderRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.IDs == nil {
		return invalid("admin.orderCategories", "ids", "List every category id in the new order.")
	}
	cats, err := a.svc.ReorderCategories(c.UserContext(), actor(c), *req.IDs)
	if err != nil {
		return err
	}
	return ok(c, nonNil(cats))
}
