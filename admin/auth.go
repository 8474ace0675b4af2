package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"github.com/lullabycms/lullaby/cms"
)

// Token and cookie names.
const (
	audience      = "lullaby-admin"
	realm         = "lullaby-admin"
	SessionCookie = "lullaby_session" // HttpOnly cookie carrying the JWT for the HTML panel
	CSRFHeader    = "X-CSRF-Token"    // required with the cookie on unsafe methods
	maxTokenLen   = 4096
	clockLeeway   = 30 * time.Second
	opAuth        = "admin.auth"
)

// claims are the JWT claims Lullaby issues. TokenVersion must equal the
// user's current cms.User.TokenVersion: bumping it revokes the token.
//
// The same key signs two other kinds of token, told apart by their
// audience so that neither is ever a session: the "pending two-factor"
// step of a login (audience2FA, minutes) and a trusted device
// (audienceDevice, days), which also names the two-factor enrolment
// (TwoFactorAt) it was trusted under.
type claims struct {
	jwt.RegisteredClaims
	TokenVersion *int   `json:"tv"`
	Next         string `json:"next,omitempty"` // the panel page to go to after the second step
	TwoFactorAt  int64  `json:"tfa,omitempty"`  // a trusted device: TwoFactor.EnabledAt in ms
}

// session is the authenticated caller, stored in c.Locals.
type session struct {
	user   *cms.User
	claims *claims
}

type sessionKey struct{}

// issueToken signs a session token for u, valid for the configured TTL.
func (a *Admin) issueToken(u *cms.User) (string, time.Time, error) {
	return a.sign(u, audience, a.ttl, nil)
}

// sign signs a token of audience aud for u, valid for ttl; edit may add
// claims.
func (a *Admin) sign(u *cms.User, aud string, ttl time.Duration, edit func(*claims)) (string, time.Time, error) {
	now := a.now().UTC().Truncate(time.Second)
	exp := now.Add(ttl)
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, err
	}
	tv := u.TokenVersion
	cl := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   u.ID,
			Issuer:    a.issuer,
			Audience:  jwt.ClaimStrings{aud},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
		TokenVersion: &tv,
	}
	if edit != nil {
		edit(&cl)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, cl).SignedString(a.signKey)
	return s, exp, err
}

// parseToken verifies the session token s and returns its claims, or an
// Unauthenticated error saying in general terms what is wrong.
func (a *Admin) parseToken(s string) (*claims, error) { return a.parse(s, audience, MaxTokenTTL) }

// parse verifies a token of audience aud, issued for at most maxTTL.
func (a *Admin) parse(s, aud string, maxTTL time.Duration) (*claims, error) {
	bad := cms.Errorf(cms.KindUnauthenticated, opAuth, "The token is not valid.")
	if len(s) > maxTokenLen {
		return nil, bad
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(a.issuer),
		jwt.WithAudience(aud),
		jwt.WithLeeway(clockLeeway),
		jwt.WithTimeFunc(a.now),
	)
	cl := &claims{}
	_, err := p.ParseWithClaims(s, cl, func(*jwt.Token) (any, error) { return a.signKey, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, cms.Errorf(cms.KindUnauthenticated, opAuth, "The token has expired.")
	case err != nil:
		bad.Err = err
		return nil, bad
	}
	// Signed by us, but refuse anything we would not have issued.
	if cl.Subject == "" || cl.ID == "" || cl.TokenVersion == nil || cl.IssuedAt == nil ||
		cl.ExpiresAt.Sub(cl.IssuedAt.Time) > maxTTL {
		return nil, bad
	}
	return cl, nil
}

// authenticate is the middleware of every route that needs a logged-in
// user. It takes the token from "Authorization: Bearer" or, failing that,
// from the session cookie; cookie-borne requests with unsafe methods must
// come from this site (crossSite) and carry the CSRF header. The user must still exist and the token must not
// have been revoked.
func (a *Admin) authenticate(c *fiber.Ctx) error { return a.authenticateWith(c, true) }

// authenticateEnrolling is authenticate for the routes that an owner who
// must set up two-factor sign-in first may use (enrolmentRequired).
func (a *Admin) authenticateEnrolling(c *fiber.Ctx) error { return a.authenticateWith(c, false) }

func (a *Admin) authenticateWith(c *fiber.Ctx, enforce bool) error {
	token, fromCookie, err := bearerToken(c)
	if err != nil {
		return a.unauthenticated(c, err, false)
	}
	cl, err := a.parseToken(token)
	if err != nil {
		return a.unauthenticated(c, err, true)
	}
	if fromCookie && !safeMethod(c.Method()) {
		if a.crossSite(c) {
			return errCrossSite()
		}
		if !hmac.Equal([]byte(c.Get(CSRFHeader)), []byte(a.CSRFToken(cl.ID))) {
			return cms.Errorf(cms.KindForbidden, opAuth, "The CSRF token is missing or wrong; reload the page and try again.")
		}
	}
	s, err := a.loadSession(c.UserContext(), cl)
	switch {
	case cms.IsKind(err, cms.KindUnauthenticated):
		return a.unauthenticated(c, err, true)
	case err != nil:
		return err
	}
	if enforce {
		if err := a.enrolmentRequired(c.UserContext(), s.user); err != nil {
			return err
		}
	}
	c.Locals(sessionKey{}, s)
	return c.Next()
}

// loadSession returns the session of the verified claims cl: its user must
// still exist and the token must not have been revoked, neither with all
// of the user's tokens (token version) nor alone (logged out: its "jti" is
// in the user's revoked sessions), else Unauthenticated. Both live in the
// user document, which is read anyway, so every instance sees a logout at
// no extra cost. The JSON API and the HTML panel share it.
func (a *Admin) loadSession(ctx context.Context, cl *claims) (*session, error) {
	u, err := a.svc.GetUser(ctx, cl.Subject)
	switch {
	case cms.IsKind(err, cms.KindNotFound) || cms.IsKind(err, cms.KindInvalid):
		return nil, cms.Errorf(cms.KindUnauthenticated, opAuth, "The token is no longer valid; log in again.")
	case err != nil:
		return nil, err
	case u.TokenVersion != *cl.TokenVersion || u.SessionRevoked(cl.ID):
		return nil, cms.Errorf(cms.KindUnauthenticated, opAuth, "The token has been revoked; log in again.")
	}
	return &session{user: u, claims: cl}, nil
}

// bearerToken finds the token of the request.
func bearerToken(c *fiber.Ctx) (token string, fromCookie bool, err error) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return "", false, cms.Errorf(cms.KindUnauthenticated, opAuth, "Send the token as: Authorization: Bearer <token>.")
		}
		return strings.TrimSpace(tok), false, nil
	}
	if tok := c.Cookies(SessionCookie); tok != "" {
		return tok, true, nil
	}
	return "", false, cms.Errorf(cms.KindUnauthenticated, opAuth, "Authentication is required: log in and send the token as Authorization: Bearer <token>.")
}

// unauthenticated sets WWW-Authenticate (RFC 6750) and returns err.
func (a *Admin) unauthenticated(c *fiber.Ctx, err error, tokenSent bool) error {
	h := `Bearer realm="` + realm + `"`
	if tokenSent {
		h += `, error="invalid_token"`
	}
	c.Set(fiber.HeaderWWWAuthenticate, h)
	return err
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// CSRFToken returns the CSRF token that goes with the session token whose
// "jti" claim is jti: the HTML panel puts it in its forms and scripts, and
// sends it back in the X-CSRF-Token header. It is stateless (an HMAC under
// a key derived from the secret), so every instance accepts it, and it
// dies with the session token.
func (a *Admin) CSRFToken(jti string) string {
	return base64.RawURLEncoding.EncodeToString(mac(a.csrfKey, "csrf:"+jti))
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// actor returns the logged-in user; only valid behind authenticate.
func actor(c *fiber.Ctx) *cms.User { return c.Locals(sessionKey{}).(*session).user }
