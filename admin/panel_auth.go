package admin

import (
	"crypto/hmac"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The panel keeps the same JWT as the JSON API in the HttpOnly, SameSite=
// Strict session cookie (Secure over HTTPS), scoped to /admin so that the
// API also accepts it from the panel's scripts. Every unsafe request
// carries the session's CSRF token, in the _csrf form field or the
// X-CSRF-Token header (htmx and fetch).

// panelAuth requires a logged-in panel session: it verifies the session
// cookie exactly as the JSON API verifies a token, loads the user and
// checks that the token was not revoked, then stores the session for
// actor(c) and newPage. An owner who must set up two-factor sign-in is
// sent to do that (enrolFirst). Without one, a page request is sent to the login
// form (or to the set-up form while there are no users), htmx gets
// HX-Redirect and a script's fetch gets 401.
func (a *Admin) panelAuth(c *fiber.Ctx) error { return a.panelAuthWith(c, true) }

// panelAuthEnrolling is panelAuth for the pages that an owner who must
// set up two-factor sign-in first may see: setting it up, logging out.
func (a *Admin) panelAuthEnrolling(c *fiber.Ctx) error { return a.panelAuthWith(c, false) }

func (a *Admin) panelAuthWith(c *fiber.Ctx, enforce bool) error {
	if tok := c.Cookies(SessionCookie); tok != "" {
		cl, err := a.parseToken(tok)
		if err == nil {
			s, err := a.loadSession(c.UserContext(), cl)
			if err == nil {
				c.Locals(sessionKey{}, s)
				if enforce {
					if required, err := a.svc.RequireTwoFactor(c.UserContext(), s.user); err != nil || required {
						if err != nil {
							return err
						}
						return a.enrolFirst(c)
					}
				}
				return c.Next()
			}
			if !cms.IsKind(err, cms.KindUnauthenticated) {
				return err
			}
		}
		a.clearCookie(c, SessionCookie)
	}
	return a.toLogin(c)
}

// toLogin sends a caller without a session to the login form, remembering
// where it was going.
func (a *Admin) toLogin(c *fiber.Ctx) error {
	next := ""
	switch {
	case isHTMX(c):
		if u, err := url.Parse(c.Get("HX-Current-URL")); err == nil {
			next = u.RequestURI()
		}
	case safeMethod(c.Method()):
		next = c.OriginalURL()
	}
	to := loginPath
	if next = localNext(next); next != panelPrefix {
		to += "?next=" + url.QueryEscape(next)
	}
	if wantsJSON(c) {
		return &sessionEnded{login: to}
	}
	if !isHTMX(c) && safeMethod(c.Method()) {
		if empty, err := a.svc.NeedsSetup(c.UserContext()); err == nil && empty {
			to = setupPath
		}
	}
	return redirect(c, to)
}

// sessionEnded is the 401 of a panel script whose session ended: its
// problem names the login page to go to.
type sessionEnded struct{ login string }

func (e *sessionEnded) Error() string       { return errSessionEnded.Error() }
func (e *sessionEnded) Unwrap() error       { return errSessionEnded }
func (e *sessionEnded) addTo(p *apiProblem) { p.Login = e.login }

var errSessionEnded = cms.Errorf(cms.KindUnauthenticated, opAuth, "Your session has ended; log in again.")

// panelCSRF refuses an unsafe request that a browser says comes from
// another site (crossSite), or whose CSRF token (form field _csrf or
// header X-CSRF-Token) is not the session's: 403, and nothing is written.
// It runs after panelAuth.
func (a *Admin) panelCSRF(c *fiber.Ctx) error {
	if safeMethod(c.Method()) {
		return c.Next()
	}
	if a.crossSite(c) {
		return errCrossSite()
	}
	s := c.Locals(sessionKey{}).(*session)
	got := c.Get(CSRFHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	if !hmac.Equal([]byte(got), []byte(a.CSRFToken(s.claims.ID))) {
		return cms.Errorf(cms.KindForbidden, opAuth, "The form's security token is missing or out of date, so nothing was changed. Go back, reload the page and try again.")
	}
	return c.Next()
}

// startSession issues a token for u and sets it as the session cookie,
// which expires with the token.
func (a *Admin) startSession(c *fiber.Ctx, u *cms.User) error {
	token, exp, err := a.issueToken(u)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: token, Path: panelPrefix, Expires: exp,
		HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode,
	})
	return nil
}

// currentSession returns the valid session of the request's cookie, or nil;
// for the pages outside panelAuth (login, set-up).
func (a *Admin) currentSession(c *fiber.Ctx) *session {
	tok := c.Cookies(SessionCookie)
	if tok == "" {
		return nil
	}
	cl, err := a.parseToken(tok)
	if err != nil {
		return nil
	}
	s, err := a.loadSession(c.UserContext(), cl)
	if err != nil {
		return nil
	}
	return s
}

// loginPage is the data of views/login.html.
type loginPage struct {
	page
	Email   string
	Next    string
	Error   string            // why the last attempt failed, shown above the form
	Errors  map[string]string // per field
	Locked  bool              // the account or this address is locked out for now
	Expired bool              // the session ended (next is set)
}

// handleLoginPage shows the login form; with no users yet it sends to the
// set-up form, and an already logged-in user goes straight on.
func (a *Admin) handleLoginPage(c *fiber.Ctx) error {
	empty, err := a.svc.NeedsSetup(c.UserContext())
	if err != nil {
		return err
	}
	if empty {
		return redirect(c, setupPath)
	}
	next := localNext(c.Query("next"))
	if a.currentSession(c) != nil {
		return redirect(c, next)
	}
	p := loginPage{page: a.newPage(c, "Log in", ""), Next: next}
	if next == panelPrefix {
		p.Next = ""
	}
	return a.render(c, fiber.StatusOK, views.Login, p)
}

// handleLoginForm checks the email and password. Wrong ones re-render the
// form at 401, a lockout (of the account, by cms, or of this address, by
// the attempt limiter) at 429 with the waiting time; success sets the
// session cookie and goes to "next" if it is a panel page.
func (a *Admin) handleLoginForm(c *fiber.Ctx) error {
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	p := loginPage{page: a.newPage(c, "Log in", ""), Email: email, Next: c.FormValue("next"), Errors: map[string]string{}}
	if p.Next != "" && localNext(p.Next) == panelPrefix {
		p.Next = ""
	}
	fail := func(err error) error {
		switch cms.ErrorKind(err) {
		case cms.KindRateLimited:
			p.Error, p.Locked = cms.ErrorMessage(err), true
		case cms.KindUnauthenticated:
			p.Error = cms.ErrorMessage(err)
		case cms.KindInvalid:
			p.Error, p.Errors = "Please fill in both fields.", cms.ErrorFields(err)
		default:
			return err
		}
		return a.render(c, formStatus(c, err), views.Login, p)
	}
	if err := a.limitAttempts(c, "login", a.clientIP(c)); err != nil {
		return fail(err)
	}
	pr := cms.Problems{}
	if email == "" {
		pr.Add("email", "Enter your email address.")
	}
	if password == "" {
		pr.Add("password", "Enter your password.")
	}
	if err := pr.Err("admin.login"); err != nil {
		return fail(err)
	}
	u, err := a.svc.Authenticate(c.UserContext(), email, password)
	if err != nil {
		return fail(err)
	}
	if u.TwoFactor != nil && !a.trustedDevice(c.Cookies(DeviceCookie), u) {
		return a.startSecondStep(c, u, p.Next)
	}
	if err := a.startSession(c, u); err != nil {
		return err
	}
	return redirect(c, localNext(p.Next))
}

// setupPage is the data of views/setup.html.
type setupPage struct {
	page
	Email, Name string
	Errors      map[string]string
}

// handleSetupPage shows the one-time form that creates the owner; once
// anyone exists it sends to the login form.
func (a *Admin) handleSetupPage(c *fiber.Ctx) error {
	empty, err := a.svc.NeedsSetup(c.UserContext())
	if err != nil {
		return err
	}
	if !empty {
		return redirect(c, loginPath)
	}
	return a.render(c, fiber.StatusOK, views.Setup, setupPage{page: a.newPage(c, "Welcome to Lullaby", "")})
}

// handleSetupForm creates the owner, then sends her to log in.
func (a *Admin) handleSetupForm(c *fiber.Ctx) error {
	p := setupPage{page: a.newPage(c, "Welcome to Lullaby", ""),
		Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name"))}
	if err := a.limitAttempts(c, "setup", a.clientIP(c)); err != nil {
		p.Errors = map[string]string{"": cms.ErrorMessage(err)}
		return a.render(c, formStatus(c, err), views.Setup, p)
	}
	password, repeat := c.FormValue("password"), c.FormValue("repeatPassword")
	in := cms.UserInput{Email: &p.Email, Name: &p.Name, Password: &password}
	if password != repeat {
		// Every problem at once, not the mismatch first and the rest later.
		owner := cms.RoleOwner
		in.Role = &owner
		p.Errors = map[string]string(cms.NewUserProblems(in))
		p.Errors["repeatPassword"] = "The two passwords are not the same."
		return a.render(c, fiber.StatusUnprocessableEntity, views.Setup, p)
	}
	_, err := a.svc.Setup(c.UserContext(), in)
	switch {
	case cms.IsKind(err, cms.KindInvalid):
		p.Errors = cms.ErrorFields(err)
		return a.render(c, formStatus(c, err), views.Setup, p)
	case cms.IsKind(err, cms.KindConflict):
		return a.flashRedirect(c, loginPath, cms.ErrorMessage(err))
	case err != nil:
		return err
	}
	return a.flashRedirect(c, loginPath, "Your owner account is ready. Log in with the email and password you just chose.")
}

// handleLogout logs this browser out: its session is revoked on the
// server (a copy of the cookie no longer opens the panel) and the cookie
// cleared; her other devices stay logged in ("Log out everywhere",
// handleLogoutEverywhere, ends those too).
func (a *Admin) handleLogout(c *fiber.Ctx) error {
	if err := a.endSession(c); err != nil {
		return err
	}
	a.clearCookie(c, SessionCookie)
	return a.flashRedirect(c, loginPath, "You are logged out.")
}

// handleLogoutEverywhere revokes every session of the user, on every
// device, and clears this browser's cookie.
func (a *Admin) handleLogoutEverywhere(c *fiber.Ctx) error {
	if err := a.svc.RevokeSessions(c.UserContext(), actor(c).ID); err != nil {
		return err
	}
	a.clearCookie(c, SessionCookie)
	return a.flashRedirect(c, loginPath, "You are logged out on every device.")
}

// sessionExpiry returns when the session of the request ends.
func sessionExpiry(c *fiber.Ctx) time.Time {
	if s, ok := c.Locals(sessionKey{}).(*session); ok && s.claims.ExpiresAt != nil {
		return s.claims.ExpiresAt.Time
	}
	return time.Time{}
}
