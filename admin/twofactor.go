package admin

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"

	"github.com/lullabycms/lullaby/cms"
)

// Two-factor sign-in (the rules and the codes are cms.TwoFactorService's).
// After the right password, a user with two-factor sign-in gets no
// session but a "pending two-factor" token: signed like a session, but of
// another audience, so it opens nothing; it lives stepTTL and names the
// user and her token version. The second step trades it and a code for a
// session. A trusted device holds a token of a third audience for
// DeviceTTL that skips the second step while the user's token version
// (bumped by logging out everywhere and by a password change) and her
// enrolment (TwoFactor.EnabledAt: turning two-factor off and on again) are
// the ones it was issued under.

// Tokens and cookies of two-factor sign-in.
const (
	audience2FA    = "lullaby-2fa"
	audienceDevice = "lullaby-device"
	stepTTL        = 5 * time.Minute
	DeviceTTL      = 30 * 24 * time.Hour // "trust this device"
	DeviceCookie   = "lullaby_device"    // the panel's trusted-device token
	stepCookie     = "lullaby_2fa"       // the panel's pending two-factor token
)

// issueChallenge returns the pending two-factor token of u, who gave the
// right password; next is the panel page to go to afterwards.
func (a *Admin) issueChallenge(u *cms.User, next string) (string, time.Time, error) {
	return a.sign(u, audience2FA, stepTTL, func(cl *claims) { cl.Next = next })
}

// parseChallenge verifies a pending two-factor token.
func (a *Admin) parseChallenge(tok string) (*claims, error) {
	cl, err := a.parse(tok, audience2FA, stepTTL)
	if err != nil {
		return nil, cms.Errorf(cms.KindUnauthenticated, opAuth, "This sign-in has expired; log in again with your password.")
	}
	return cl, nil
}

// secondStep checks code for the pending sign-in cl and returns the user.
func (a *Admin) secondStep(ctx context.Context, cl *claims, code string) (*cms.User, error) {
	u, err := a.tfa.Verify(ctx, cl.Subject, code)
	if err != nil {
		return nil, err
	}
	if u.TokenVersion != *cl.TokenVersion {
		return nil, cms.Errorf(cms.KindUnauthenticated, opAuth, "This sign-in has expired; log in again with your password.")
	}
	return u, nil
}

// issueDevice returns a trusted-device token for u.
func (a *Admin) issueDevice(u *cms.User) (string, time.Time, error) {
	return a.sign(u, audienceDevice, DeviceTTL, func(cl *claims) { cl.TwoFactorAt = u.TwoFactor.EnabledAt.UnixMilli() })
}

// trustedDevice reports whether tok is a trusted-device token of u that
// is still good: same user, token version and enrolment.
func (a *Admin) trustedDevice(tok string, u *cms.User) bool {
	if tok == "" || u.TwoFactor == nil {
		return false
	}
	cl, err := a.parse(tok, audienceDevice, DeviceTTL)
	return err == nil && cl.Subject == u.ID && *cl.TokenVersion == u.TokenVersion &&
		cl.TwoFactorAt == u.TwoFactor.EnabledAt.UnixMilli()
}

// challengeError is the 401 of a login whose password was right but which
// needs a code: the problem carries twoFactorRequired and the challenge.
type challengeError struct {
	err       error
	challenge string
	expires   time.Time
}

func (e *challengeError) Error() string { return e.err.Error() }
func (e *challengeError) Unwrap() error { return e.err }

func (e *challengeError) addTo(p *apiProblem) {
	p.TwoFactorRequired, p.Challenge, p.ChallengeExpiresAt = true, e.challenge, &e.expires
}

func (a *Admin) challenge(u *cms.User) error {
	tok, exp, err := a.issueChallenge(u, "")
	if err != nil {
		return err
	}
	return &challengeError{
		err:       cms.Errorf(cms.KindUnauthenticated, "admin.login", "Two-factor sign-in is on: send a code from the app, or a recovery code, with this challenge to POST /admin/api/v1/session/2fa."),
		challenge: tok, expires: exp,
	}
}

// qrDataURI draws the otpauth URL as a QR code, a PNG data: URI for an
// <img> (the panel's CSP allows data: images; nothing leaves the page).
func qrDataURI(otpauth string) (string, error) {
	key, err := otp.NewKeyFromURL(otpauth)
	if err != nil {
		return "", err
	}
	img, err := key.Image(232, 232)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// enrolmentRequired refuses, with 403, a user who must set up two-factor
// sign-in first (cms.Service.RequireTwoFactor).
func (a *Admin) enrolmentRequired(ctx context.Context, u *cms.User) error {
	required, err := a.svc.RequireTwoFactor(ctx, u)
	if err != nil || !required {
		return err
	}
	return errEnrolFirst
}

var errEnrolFirst = cms.Errorf(cms.KindForbidden, opAuth,
	"This site requires two-factor sign-in of owners: set it up first (in the panel under Your account, or POST /admin/api/v1/me/2fa/setup).")

// The JSON API of two-factor sign-in.

type twoFactorLoginRequest struct {
	Challenge   string `json:"challenge"`
	Code        string `json:"code"`
	TrustDevice bool   `json:"trustDevice"`
}

// handleSessionTwoFactor is the second step of a login: the challenge of
// POST /session and a code give the session (and, asked for, a trusted
// device token). Attempts count like passwords, per address and per
// account.
func (a *Admin) handleSessionTwoFactor(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "login", a.clientIP(c)); err != nil {
		return err
	}
	var req twoFactorLoginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr := cms.Problems{}
	if req.Challenge == "" {
		pr.Add("challenge", "The challenge of POST /session is required.")
	}
	if strings.TrimSpace(req.Code) == "" {
		pr.Add("code", "A code from the app, or a recovery code, is required.")
	}
	if err := pr.Err("admin.login"); err != nil {
		return err
	}
	cl, err := a.parseChallenge(req.Challenge)
	if err != nil {
		return err
	}
	u, err := a.secondStep(c.UserContext(), cl, req.Code)
	if err != nil {
		return err
	}
	return a.sendSession(c, u, req.TrustDevice)
}

// twoFactorStatus is the answer of GET /me/2fa.
type twoFactorStatus struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabledAt,omitempty"`
	RecoveryCodesLeft int        `json:"recoveryCodesLeft"`
	Required          bool       `json:"required"` // the site requires it of her
}

func (a *Admin) twoFactorStatus(ctx context.Context, u *cms.User) (twoFactorStatus, error) {
	st := twoFactorStatus{Enabled: u.TwoFactor != nil}
	if u.TwoFactor != nil {
		at := u.TwoFactor.EnabledAt
		st.EnabledAt, st.RecoveryCodesLeft = &at, len(u.TwoFactor.RecoveryCodes)
	}
	var err error
	st.Required, err = a.svc.RequireTwoFactor(ctx, u)
	return st, err
}

func (a *Admin) handleTwoFactorGet(c *fiber.Ctx) error {
	st, err := a.twoFactorStatus(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return ok(c, st)
}

// twoFactorSetup is the answer of POST /me/2fa/setup.
type twoFactorSetup struct {
	Secret     string `json:"secret"`     // base32, to type into the app
	OtpauthURL string `json:"otpauthUrl"` // what the QR code says
	QRCode     string `json:"qrCode"`     // a PNG data: URI
	Enrolment  string `json:"enrolment"`  // send back with the first code
}

func (a *Admin) newSetup(u *cms.User, token string) (*twoFactorSetup, error) {
	var e *cms.Enrolment
	var err error
	if token == "" {
		e, err = a.tfa.Begin(u)
	} else {
		e, err = a.tfa.Resume(u, token)
	}
	if err != nil {
		return nil, err
	}
	qr, err := qrDataURI(e.URL)
	if err != nil {
		return nil, err
	}
	return &twoFactorSetup{Secret: e.Secret, OtpauthURL: e.URL, QRCode: qr, Enrolment: e.Token}, nil
}

func (a *Admin) handleTwoFactorSetup(c *fiber.Ctx) error {
	s, err := a.newSetup(actor(c), "")
	if err != nil {
		return err
	}
	return ok(c, s)
}

type twoFactorConfirmRequest struct {
	Enrolment string `json:"enrolment"`
	Code      string `json:"code"`
}

type recoveryCodes struct {
	RecoveryCodes []string `json:"recoveryCodes"`
}

// handleTwoFactorConfirm turns two-factor sign-in on with the first code
// and answers the recovery codes, shown this once.
func (a *Admin) handleTwoFactorConfirm(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "2fa", actor(c).ID); err != nil {
		return err
	}
	var req twoFactorConfirmRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	codes, err := a.tfa.Confirm(c.UserContext(), actor(c), req.Enrolment, req.Code)
	if err != nil {
		return err
	}
	return ok(c, recoveryCodes{codes})
}

type twoFactorProofRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

func (a *Admin) handleTwoFactorDisable(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "2fa", actor(c).ID); err != nil {
		return err
	}
	var req twoFactorProofRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.tfa.Disable(c.UserContext(), actor(c), req.Password, req.Code); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *Admin) handleRecoveryCodes(c *fiber.Ctx) error {
	if err := a.limitAttempts(c, "2fa", actor(c).ID); err != nil {
		return err
	}
	var req twoFactorProofRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	codes, err := a.tfa.RegenerateCodes(c.UserContext(), actor(c), req.Password, req.Code)
	if err != nil {
		return err
	}
	return ok(c, recoveryCodes{codes})
}

// handleUserTwoFactorReset turns another user's two-factor sign-in off
// (owners), for someone who lost her phone and her recovery codes.
func (a *Admin) handleUserTwoFactorReset(c *fiber.Ctx) error {
	if err := a.svc.ResetTwoFactor(c.UserContext(), actor(c), strings.Clone(c.Params("id"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
