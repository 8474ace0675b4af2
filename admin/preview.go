package admin

import "github.com/gofiber/fiber/v2"

// handlePreviewToken mints a draft preview token for post :id (POST
// /admin/api/v1/posts/:id/preview-token, no body): the token, when it
// expires, and her frontend's preview URL with it filled in ("" while
// the settings have no preview URL template). The editor's "Preview on
// site" calls it with the session cookie and the CSRF header.
func (a *Admin) handlePreviewToken(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	t, err := a.svc.PreviewToken(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return ok(c, t)
}
