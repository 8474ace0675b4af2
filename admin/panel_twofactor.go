package admin

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The panel's two-factor sign-in: the second step of the login form
// (/admin/login/2fa, behind the short-lived pending cookie stepCookie),
// and setting it up, regenerating recovery codes and turning it off on
// the account page (/admin/account/2fa...). See twofactor.go.

const (
	twoFactorPath = loginPath + "/2fa"
	enrolPath     = panelPrefix + "/account/2fa"
)

// loginCodePage is the data of views/login_2fa.html.
type loginCodePage struct {
	page
	Error  string
	Locked bool
}

// startSecondStep sets the pending two-factor cookie for u and sends the
// browser to the code form.
func (a *Admin) startSecondStep(c *fiber.Ctx, u *cms.User, next string) error {
	tok, exp, err := a.issueChallenge(u, next)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: stepCookie, Value: tok, Path: loginPath, Expires: exp,
		HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode,
	})
	return redirect(c, twoFactorPath)
}

// handleLoginCodePage asks for the code, while the pending cookie is good.
func (a *Admin) handleLoginCodePage(c *fiber.Ctx) error {
	if _, err := a.parseChallenge(c.Cookies(stepCookie)); err != nil {
		return a.flashRedirect(c, loginPath, cms.ErrorMessage(err))
	}
	return a.render(c, fiber.StatusOK, views.LoginCode, loginCodePage{page: a.newPage(c, "Two-factor sign-in", "")})
}

// handleLoginCodeForm checks the code: a wrong one re-renders the form at
// 401 (and counts towards the lockout), a lockout at 429; the right one
// starts the session, trusts this browser if asked, and goes on to "next".
func (a *Admin) handleLoginCodeForm(c *fiber.Ctx) error {
	p := loginCodePage{page: a.newPage(c, "Two-factor sign-in", "")}
	cl, err := a.parseChallenge(c.Cookies(stepCookie))
	if err != nil {
		a.clearCookieAt(c, stepCookie, loginPath)
		return a.flashRedirect(c, loginPath, cms.ErrorMessage(err))
	}
	var u *cms.User
	if err = a.limitAttempts(c, "login", a.clientIP(c)); err == nil {
		u, err = a.secondStep(c.UserContext(), cl, c.FormValue("code"))
	}
	if err != nil {
		switch cms.ErrorKind(err) {
		case cms.KindRateLimited:
			p.Error, p.Locked = cms.ErrorMessage(err), true
		case cms.KindUnauthenticated:
			p.Error = cms.ErrorMessage(err)
		default:
			return err
		}
		return a.render(c, formStatus(c, err), views.LoginCode, p)
	}
	a.clearCookieAt(c, stepCookie, loginPath)
	if err := a.startSession(c, u); err != nil {
		return err
	}
	if c.FormValue("trustDevice") != "" {
		tok, exp, err := a.issueDevice(u)
		if err != nil {
			return err
		}
		c.Cookie(&fiber.Cookie{
			Name: DeviceCookie, Value: tok, Path: panelPrefix, Expires: exp,
			HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode,
		})
	}
	return redirect(c, localNext(cl.Next))
}

// twoFactorPage is the data of views/two_factor.html: setting it up (QR
// code, secret, first code), or the recovery codes shown once.
type twoFactorPage struct {
	page
	Setup    *twoFactorSetup
	Codes    []string // recovery codes, shown this once
	Required bool     // the site requires it of her: nothing else until it is on
	Errors   map[string]string
}

// handleTwoFactorPage starts setting up two-factor sign-in: the QR code
// and the secret, and a field for the first code. When it is on already
// it sends her to the account page.
func (a *Admin) handleTwoFactorPage(c *fiber.Ctx) error {
	u := actor(c)
	if u.TwoFactor != nil {
		return redirect(c, panelPrefix+"/account")
	}
	s, err := a.newSetup(u, "")
	if err != nil {
		return err
	}
	required, err := a.svc.RequireTwoFactor(c.UserContext(), u)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.TwoFactor, twoFactorPage{page: a.newPage(c, "Set up two-factor sign-in", "account"), Setup: s, Required: required})
}

// handleTwoFactorForm turns it on with the first code and shows the
// recovery codes; a wrong code shows the same QR code again at 422.
func (a *Admin) handleTwoFactorForm(c *fiber.Ctx) error {
	u := actor(c)
	p := twoFactorPage{page: a.newPage(c, "Set up two-factor sign-in", "account")}
	if err := a.limitAttempts(c, "2fa", u.ID); err != nil {
		return err
	}
	token := c.FormValue("enrolment")
	codes, err := a.tfa.Confirm(c.UserContext(), u, token, c.FormValue("code"))
	if fields := cms.ErrorFields(err); fields != nil {
		if fields["enrolment"] != "" {
			return a.flashRedirect(c, enrolPath, fields["enrolment"])
		}
		if p.Setup, err = a.newSetup(u, token); err != nil {
			return err
		}
		p.Errors = fields
		p.Required, _ = a.svc.RequireTwoFactor(c.UserContext(), u)
		return a.render(c, fiber.StatusUnprocessableEntity, views.TwoFactor, p)
	}
	if err != nil {
		return err
	}
	p.Title, p.Codes = "Your recovery codes", codes
	p.Flash = "Two-factor sign-in is on."
	return a.render(c, fiber.StatusOK, views.TwoFactor, p)
}

// handleRecoveryCodesForm replaces her recovery codes (password or code
// required) and shows the new ones.
func (a *Admin) handleRecoveryCodesForm(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "2fa", actor(c).ID); err != nil {
		return err
	}
	codes, err := a.tfa.RegenerateCodes(c.UserContext(), actor(c), c.FormValue("password"), c.FormValue("code"))
	if err != nil {
		return a.accountFail(c, err)
	}
	p := twoFactorPage{page: a.newPage(c, "Your recovery codes", "account"), Codes: codes}
	return a.render(c, fiber.StatusOK, views.TwoFactor, p)
}

// handleTwoFactorDisableForm turns two-factor sign-in off (password or
// code required); that also ends every trusted device.
func (a *Admin) handleTwoFactorDisableForm(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "2fa", actor(c).ID); err != nil {
		return err
	}
	if err := a.tfa.Disable(c.UserContext(), actor(c), c.FormValue("password"), c.FormValue("code")); err != nil {
		return a.accountFail(c, err)
	}
	return a.flashRedirect(c, panelPrefix+"/account", "Two-factor sign-in is off.")
}

// accountFail re-renders the account page with the two-factor form's
// error, or returns err.
func (a *Admin) accountFail(c *fiber.Ctx, err error) error {
	fields := cms.ErrorFields(err)
	if !refused(err) {
		return err
	}
	p := accountPage{page: a.newPage(c, "Your account", "account"), ExpiresAt: sessionExpiry(c), TwoFactorErrors: fields}
	if fields == nil {
		p.TwoFactorAlert = cms.ErrorMessage(err)
	}
	return a.render(c, formStatus(c, err), views.Account, p)
}

// enrolFirst sends an owner who must set up two-factor sign-in to the
// set-up page (panelAuth).
func (a *Admin) enrolFirst(c *fiber.Ctx) error {
	if wantsJSON(c) {
		return errEnrolFirst
	}
	return a.flashRedirect(c, enrolPath, "This site requires two-factor sign-in of owners. Set it up to go on.")
}

// clearCookieAt tells the browser to drop the cookie name of path.
func (a *Admin) clearCookieAt(c *fiber.Ctx, name, path string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: path, Expires: time.Unix(0, 0), MaxAge: -1,
		HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode,
	})
}

// pngSrc lets a PNG data: URI (the QR code, made here) through
// html/template, which would blank any other data: URI in src.
func pngSrc(s string) template.URL {
	if !strings.HasPrefix(s, "data:image/png;base64,") {
		return ""
	}
	return template.URL(s) //nolint:gosec // our own PNG, base64: no markup
}

// groupSecret shows a base32 secret in groups of four, easier to type.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
