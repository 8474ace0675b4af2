package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// handleSettingsGet returns the site settings (any logged-in user).
func (a *Admin) handleSettingsGet(c *fiber.Ctx) error {
	s, err := a.svc.GetSettings(c.UserContext())
	if err != nil {
		return err
	}
	return ok(c, s)
}

// handleSettingsUpdate replaces the sections sent; owners only (the
// service answers Forbidden to editors), "version" required.
func (a *Admin) handleSettingsUpdate(c *fiber.Ctx) error {
	var in cms.SettingsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	s, err := a.svc.UpdateSettings(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return ok(c, s)
}
