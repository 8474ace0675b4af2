package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

func (a *API) handleLists(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().Lists())
}

// handleList serves a curated list, or the popular list at
// /lists/popular.
func (a *API) handleList(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.List", "No list has this slug.")
	}
	body, err := a.content.Snapshot().List(slug)
	if err != nil {
		return err
	}
	return a.send(c, body)
}
