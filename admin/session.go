package admin

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// sessionData is the body of a successful login or password change.
type sessionData struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      *cms.User `json:"user"`
	// DeviceToken, when asked for with trustDevice, skips the second step
	// of later logins for DeviceTTL (send it as deviceToken).
	DeviceToken string `json:"deviceToken,omitempty"`
}

type setupRequest struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Password *string `json:"password"`
}

type loginRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DeviceToken string `json:"deviceToken"` // of a trusted device: no second step
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// handleSetup creates the first owner: 201, or 409 once any user exists.
func (a *Admin) handleSetup(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "setup", a.clientIP(c)); err != nil {
		return err
	}
	var req setupRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := a.svc.Setup(c.UserContext(), cms.UserInput{Email: req.Email, Name: req.Name, Password: req.Password})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(envelope{Data: u})
}

// handleSessionCreate logs in with email and password and returns a token.
func (a *Admin) handleSessionCreate(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "login", a.clientIP(c)); err != nil {
		return err
	}
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr := cms.Problems{}
	if strings.TrimSpace(req.Email) == "" {
		pr.Add("email", "An email address is required.")
	}
	if req.Password == "" {
		pr.Add("password", "A password is required.")
	}
	if err := pr.Err("admin.login"); err != nil {
		return err
	}
	u, err := a.svc.Authenticate(c.UserContext(), req.Email, req.Password)
	if err != nil {
		return err
	}
	if u.TwoFactor != nil && !a.trustedDevice(req.DeviceToken, u) {
		return a.challenge(u)
	}
	return a.sendSession(c, u, false)
}

// handleSessionDelete logs out: the token of the request is revoked, on
// every instance; the user's other sessions go on.
func (a *Admin) handleSessionDelete(c *fiber.Ctx) error {
	if err := a.endSession(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleSessionsDelete logs out everywhere: every token of the user is
// revoked.
func (a *Admin) handleSessionsDelete(c *fiber.Ctx) error {
	if err := a.svc.RevokeSessions(c.UserContext(), actor(c).ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// endSession revokes the session of the request (behind authenticate or
// panelAuth).
func (a *Admin) endSession(c *fiber.Ctx) error {
	s := c.Locals(sessionKey{}).(*session)
	return a.svc.RevokeSession(c.UserContext(), s.user.ID, s.claims.ID, s.claims.ExpiresAt.Time)
}

// handleMe returns the logged-in user.
func (a *Admin) handleMe(c *fiber.Ctx) error { return ok(c, actor(c)) }

// handleMePassword changes the caller's password, which revokes every
// token, and returns a fresh one. Attempts are limited per user, since a
// wrong current password does not count towards the account lockout.
func (a *Admin) handleMePassword(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "password", actor(c).ID); err != nil {
		return err
	}
	var req passwordChangeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := a.svc.ChangePassword(c.UserContext(), actor(c), req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	return a.sendSession(c, u, false)
}

func (a *Admin) sendSession(c *fiber.Ctx, u *cms.User, trustDevice bool) error {
	token, exp, err := a.issueToken(u)
	if err != nil {
		return err
	}
	d := sessionData{Token: token, ExpiresAt: exp, User: u}
	if trustDevice && u.TwoFactor != nil {
		if d.DeviceToken, _, err = a.issueDevice(u); err != nil {
			return err
		}
	}
	return ok(c, d)
}

// limitAttempts counts an attempt of action by who (the client's IP, or a
// user id) and refuses it with 429 and Retry-After past the limit. The
// count is kept in the database, shared by every instance; while the
// database is away this instance's own count stands in.
func (a *Admin) limitAttempts(c *fiber.Ctx, action, who string) error {
	var allowed bool
	var wait time.Duration
	n, ends, err := a.svc.CountAttempt(c.UserContext(), action, who, loginWindow)
	if err == nil {
		allowed, wait = n <= loginAttempts, time.Until(ends)
	} else {
		allowed, wait = a.logins.allow(action+" "+strings.Clone(who), a.now())
	}
	if allowed {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(secs, 1)))
	return cms.Errorf(cms.KindRateLimited, "admin."+action, "Too many attempts; try again in %d minutes.", (secs+59)/60)
}
