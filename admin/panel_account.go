package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// accountPage is the data of views/account.html.
type accountPage struct {
	page
	Errors    map[string]string // currentPassword, newPassword, repeatPassword
	Alert     string
	ExpiresAt time.Time // when this browser's session ends
	// The two-factor section's errors (password, code) or message.
	TwoFactorErrors map[string]string
	TwoFactorAlert  string
}

// handleAccountPage shows the change-password form and "log out
// everywhere".
func (a *Admin) handleAccountPage(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, views.Account, accountPage{page: a.newPage(c, "Your account", "account"), ExpiresAt: sessionExpiry(c)})
}

// handleAccountForm changes her password. That revokes every session, so
// this browser gets a fresh session cookie at once; her other devices must
// log in again. Attempts are limited per user, as a wrong current password
// does not count towards the account lockout.
func (a *Admin) handleAccountForm(c *fiber.Ctx) error {
	p := accountPage{page: a.newPage(c, "Your account", "account"), ExpiresAt: sessionExpiry(c)}
	fail := func(err error) error {
		if fields := cms.ErrorFields(err); fields != nil {
			p.Errors = fields
			return a.render(c, formStatus(c, err), views.Account, p)
		}
		if cms.IsKind(err, cms.KindRateLimited) {
			p.Alert = cms.ErrorMessage(err)
			return a.render(c, formStatus(c, err), views.Account, p)
		}
		return err
	}
	if err := a.limitAttempts(c, "password", actor(c).ID); err != nil {
		return fail(err)
	}
	current, next := c.FormValue("currentPassword"), c.FormValue("newPassword")
	if next != c.FormValue("repeatPassword") {
		return fail(cms.Problems{"repeatPassword": "The two new passwords are not the same."}.Err("admin.account"))
	}
	u, err := a.svc.ChangePassword(c.UserContext(), actor(c), current, next)
	if err != nil {
		return fail(err)
	}
	if err := a.startSession(c, u); err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/account", "Password changed. You stay logged in here; other devices must log in again.")
}
