package admin_test

import (
	"encoding/base64"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func TestNew(t *testing.T) {
	t.Parallel()
	svc, rm, posts := &cms.Service{}, &readmodel.ReadModel{}, &readmodel.PostIndex{}
	secret := []byte(testSecret)
	for name, cfg := range map[string]admin.Config{
		"NoService":   {ReadModel: rm, Posts: posts, Secret: secret},
		"NoReadModel": {Service: svc, Posts: posts, Secret: secret},
		"NoPosts":     {Service: svc, ReadModel: rm, Secret: secret},
		"ShortSecret": {Service: svc, ReadModel: rm, Posts: posts, Secret: secret[:31]},
		"LongTTL":     {Service: svc, ReadModel: rm, Posts: posts, Secret: secret, TokenTTL: 13 * time.Hour},
		"NegativeTTL": {Service: svc, ReadModel: rm, Posts: posts, Secret: secret, TokenTTL: -time.Hour},
		"NegTimeout":  {Service: svc, ReadModel: rm, Posts: posts, Secret: secret, Timeout: -time.Second},
	} {
		if _, err := admin.New(cfg); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
	if _, err := admin.New(admin.Config{Service: svc, ReadModel: rm, Posts: posts, Secret: secret}); err != nil {
		t.Errorf("New with defaults: %v, want nil", err)
	}
}

func TestSetup(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	setup := func(body any) *Resp { return e.Do(t, Req{Method: "POST", Path: api + "/setup", Body: body}) }

	t.Run("ErrInvalid", func(t *testing.T) {
		setup(map[string]string{"email": "nope", "name": "", "password": "short"}).MustProblem(t, 400, "email", "name", "password")
		setup(map[string]any{"email": ownerEmail, "name": "O", "password": ownerPassword, "role": "editor"}).MustProblem(t, 400, "role")
	})
	t.Run("OK", func(t *testing.T) {
		var u cms.User
		setup(map[string]string{"email": " Owner@Example.com ", "name": "Olivia", "password": ownerPassword}).MustStatus(t, 201).Data(t, &u)
		MustEqual(t, "user.email", u.Email, ownerEmail)
		MustEqual(t, "user.role", u.Role, cms.RoleOwner)
	})
	t.Run("ErrAlreadySetUp", func(t *testing.T) {
		p := setup(map[string]string{"email": "other@example.com", "name": "Other", "password": ownerPassword}).MustProblem(t, 409)
		MustEqual(t, "type", p.Type, "urn:lullaby:problem:conflict")
	})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t) // one login
	claims := MustClaims(t, s.Token)
	MustEqual(t, "sub", claims["sub"], any(s.User.ID))
	MustEqual(t, "iss", claims["iss"], any("lullaby"))
	MustEqual(t, "aud", claims["aud"], any([]any{"lullaby-admin"}))
	MustEqual(t, "tv", claims["tv"], any(float64(0)))
	if claims["jti"] == "" || claims["iat"] == nil {
		t.Errorf("claims = %v, want jti and iat", claims)
	}
	if ttl := time.Until(s.ExpiresAt); ttl > 12*time.Hour || ttl < 11*time.Hour {
		t.Errorf("expiresAt in %v, want about 12h", ttl)
	}
	login := func(body any) *Resp { return e.Do(t, Req{Method: "POST", Path: api + "/session", Body: body}) }
	for _, tc := range []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"ErrWrongPassword", map[string]string{"email": ownerEmail, "password": "wrong password"}, 401, nil},
		{"ErrUnknownEmail", map[string]string{"email": "who@example.com", "password": ownerPassword}, 401, nil},
		{"ErrMissing", map[string]string{}, 400, []string{"email", "password"}},
		{"ErrWrongType", `{"email": {"$ne": null}, "password": "x"}`, 400, []string{"email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := login(tc.body)
			p := r.MustProblem(t, tc.status, tc.fields...)
			if tc.status == 401 {
				MustEqual(t, "detail", p.Detail, "The email or password is incorrect.")
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate = %q, want Bearer", r.Header.Get("WWW-Authenticate"))
				}
			}
		})
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	e.MustSetup(t)
	for i := range cms.MaxLoginFailures {
		e.Do(t, Req{Method: "POST", Path: api + "/session",
			Body: map[string]string{"email": ownerEmail, "password": "wrong password " + strconv.Itoa(i)}}).MustProblem(t, 401)
	}
	// Locked now, even with the right password.
	p := e.Do(t, Req{Method: "POST", Path: api + "/session",
		Body: map[string]string{"email": ownerEmail, "password": ownerPassword}}).MustProblem(t, 429)
	MustEqual(t, "type", p.Type, "urn:lullaby:problem:rate_limited")
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	for range 10 {
		// Cheap attempts (no password to hash) count as well.
		e.Do(t, Req{Method: "POST", Path: api + "/session", Body: `{}`}).MustProblem(t, 400, "email", "password")
	}
	r := e.Do(t, Req{Method: "POST", Path: api + "/session", Body: map[string]string{"email": ownerEmail, "password": ownerPassword}})
	r.MustProblem(t, 429)
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 300 {
		t.Errorf("Retry-After = %q, want 1..300 seconds", r.Header.Get("Retry-After"))
	}
}

// signed returns a token signed with the test secret with claims changed by
// edit.
func signed(t *testing.T, s Session, method jwt.SigningMethod, edit func(jwt.MapClaims)) string {
	t.Helper()
	now := time.Now()
	c := jwt.MapClaims{"sub": s.User.ID, "iss": "lullaby", "aud": []string{"lullaby-admin"}, "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "jti": "crafted", "tv": 0}
	edit(c)
	tok, err := jwt.NewWithClaims(method, c).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tok
}

func TestToken(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	// A token issued 13 hours ago by an instance whose clock says so.
	past := MustNewEnvFor(t, e.Fixture, func(c *admin.Config) {
		c.Now = func() time.Time { return time.Now().Add(-13 * time.Hour) }
	})
	expired := past.MustLogin(t, ownerEmail, ownerPassword).Token

	parts := strings.Split(s.Token, ".")
	sig := []byte(parts[2])
	sig[10] ^= 'A' ^ 'B'
	if sig[10] == parts[2][10] {
		t.Fatal("signature unchanged")
	}
	tampered := parts[0] + "." + parts[1] + "." + string(sig)
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	keep := func(jwt.MapClaims) {}

	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
		detail string
	}{
		{"OK", map[string]string{"Authorization": "Bearer " + s.Token}, 200, ""},
		{"OKCrafted", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256, keep)}, 200, ""},
		{"ErrMissing", nil, 401, "Authentication is required: log in and send the token as Authorization: Bearer <token>."},
		{"ErrNotBearer", map[string]string{"Authorization": "Basic " + s.Token}, 401, "Send the token as: Authorization: Bearer <token>."},
		{"ErrGarbage", map[string]string{"Authorization": "Bearer not-a-jwt"}, 401, "The token is not valid."},
		{"ErrTampered", map[string]string{"Authorization": "Bearer " + tampered}, 401, "The token is not valid."},
		{"ErrAlgNone", map[string]string{"Authorization": "Bearer " + none}, 401, "The token is not valid."},
		{"ErrHS512", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS512, keep)}, 401, "The token is not valid."},
		{"ErrExpired", map[string]string{"Authorization": "Bearer " + expired}, 401, "The token has expired."},
		{"ErrAudience", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { c["aud"] = "lullaby-public" })}, 401, "The token is not valid."},
		{"ErrIssuer", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { c["iss"] = "someone-else" })}, 401, "The token is not valid."},
		{"ErrNoExpiry", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { delete(c, "exp") })}, 401, "The token is not valid."},
		{"ErrTooLong", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { c["exp"] = time.Now().Add(24 * time.Hour).Unix() })}, 401, "The token is not valid."},
		{"ErrNoTokenVersion", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { delete(c, "tv") })}, 401, "The token is not valid."},
		{"ErrOldTokenVersion", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { c["tv"] = -1 })}, 401, "The token has been revoked; log in again."},
		{"ErrUnknownUser", map[string]string{"Authorization": "Bearer " + signed(t, s, jwt.SigningMethodHS256,
			func(c jwt.MapClaims) { c["sub"] = cms.NewID() })}, 401, "The token is no longer valid; log in again."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Do(t, Req{Method: "GET", Path: api + "/me", Header: tc.header})
			if tc.status == 200 {
				var u cms.User
				r.MustStatus(t, 200).Data(t, &u)
				MustEqual(t, "user.id", u.ID, s.User.ID)
				return
			}
			p := r.MustProblem(t, tc.status)
			MustEqual(t, "detail", p.Detail, tc.detail)
			if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer realm="lullaby-admin"`) {
				t.Errorf("WWW-Authenticate = %q, want Bearer realm", got)
			}
		})
	}
}

func TestCookieCSRF(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	jti, _ := MustClaims(t, s.Token)["jti"].(string)
	cookie := admin.SessionCookie + "=" + s.Token
	post := map[string]any{"title": "From the panel"}
	for _, tc := range []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
	}{
		{"GetWithoutCSRF", "GET", api + "/me", map[string]string{"Cookie": cookie}, 200},
		{"ErrPostWithoutCSRF", "POST", api + "/posts", map[string]string{"Cookie": cookie}, 403},
		{"ErrPostWrongCSRF", "POST", api + "/posts", map[string]string{"Cookie": cookie, "X-CSRF-Token": e.Admin.CSRFToken("other")}, 403},
		{"PostWithCSRF", "POST", api + "/posts", map[string]string{"Cookie": cookie, "X-CSRF-Token": e.Admin.CSRFToken(jti)}, 201},
		{"BearerNeedsNoCSRF", "POST", api + "/posts", map[string]string{"Authorization": "Bearer " + s.Token}, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == "POST" {
				body = post
			}
			r := e.Do(t, Req{Method: tc.method, Path: tc.path, Header: tc.header, Body: body})
			if tc.status >= 400 {
				r.MustProblem(t, tc.status)
				return
			}
			r.MustStatus(t, tc.status)
		})
	}
}

func TestLogoutRevokes(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	phone := e.MustLogin(t, ownerEmail, ownerPassword)
	// Another instance on the same database sees every revocation.
	other := MustNewEnvFor(t, e.Fixture)

	t.Run("ThisSession", func(t *testing.T) {
		e.Do(t, Req{Method: "GET", Path: api + "/me", Token: s.Token}).MustStatus(t, 200)
		e.Do(t, Req{Method: "DELETE", Path: api + "/session", Token: s.Token}).MustStatus(t, 204)
		for _, env := range []*Env{e, other} {
			p := env.Do(t, Req{Method: "GET", Path: api + "/me", Token: s.Token}).MustProblem(t, 401)
			MustEqual(t, "detail", p.Detail, "The token has been revoked; log in again.")
		}
		e.Do(t, Req{Method: "DELETE", Path: api + "/session", Token: s.Token}).MustProblem(t, 401)
		// The same user's other session goes on.
		other.Do(t, Req{Method: "GET", Path: api + "/me", Token: phone.Token}).MustStatus(t, 200)
	})
	t.Run("Everywhere", func(t *testing.T) {
		laptop := e.MustLogin(t, ownerEmail, ownerPassword)
		e.Do(t, Req{Method: "DELETE", Path: api + "/sessions", Token: laptop.Token}).MustStatus(t, 204)
		for _, tok := range []string{laptop.Token, phone.Token} {
			other.Do(t, Req{Method: "GET", Path: api + "/me", Token: tok}).MustProblem(t, 401)
		}
		// A new login works.
		fresh := e.MustLogin(t, ownerEmail, ownerPassword)
		other.Do(t, Req{Method: "GET", Path: api + "/me", Token: fresh.Token}).MustStatus(t, 200)
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	change := func(token string, body any) *Resp {
		return e.Do(t, Req{Method: "PUT", Path: api + "/me/password", Token: token, Body: body})
	}
	change(s.Token, map[string]string{"currentPassword": "wrong password", "newPassword": "a new password"}).MustProblem(t, 400, "currentPassword")
	change(s.Token, map[string]string{"currentPassword": ownerPassword, "newPassword": "short"}).MustProblem(t, 400, "newPassword")
	change(s.Token, map[string]any{"currentPassword": ownerPassword, "newPassword": 12345678901}).MustProblem(t, 400, "newPassword")

	var fresh Session
	change(s.Token, map[string]string{"currentPassword": ownerPassword, "newPassword": "a new password"}).MustStatus(t, 200).Data(t, &fresh)
	if fresh.Token == "" || fresh.Token == s.Token {
		t.Fatalf("new token = %q, want a fresh one", fresh.Token)
	}
	e.Do(t, Req{Method: "GET", Path: api + "/me", Token: s.Token}).MustProblem(t, 401)
	e.Do(t, Req{Method: "GET", Path: api + "/me", Token: fresh.Token}).MustStatus(t, 200)
	e.MustLogin(t, ownerEmail, "a new password")
}

// TestTimeout checks that cms calls run under the per-request timeout and
// that a database that does not answer in time is a 503 problem, logged
// with the request id.
func TestTimeout(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	var logs cmstest.SyncBuffer
	slow := MustNewEnvFor(t, e.Fixture, func(c *admin.Config) {
		c.Timeout = time.Nanosecond
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	p := slow.Do(t, Req{Method: "GET", Path: api + "/settings", Token: s.Token}).MustProblem(t, 503)
	MustEqual(t, "type", p.Type, "urn:lullaby:problem:unavailable")
	if !strings.Contains(logs.String(), p.RequestID) {
		t.Errorf("log = %q, want it to mention request id %s", logs.String(), p.RequestID)
	}
}

func TestChangePasswordRateLimit(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	for range 10 {
		e.Do(t, Req{Method: "PUT", Path: api + "/me/password", Token: s.Token, Body: `{`}).MustProblem(t, 400, "body")
	}
	r := e.Do(t, Req{Method: "PUT", Path: api + "/me/password", Token: s.Token,
		Body: map[string]string{"currentPassword": ownerPassword, "newPassword": "a new password"}})
	r.MustProblem(t, 429)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("Retry-After is missing")
	}
}
