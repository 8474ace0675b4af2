package admin_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// clock is a settable clock for the service and the admin surface, so
// that tests can move from one 30-second TOTP step to the next.
type clock struct{ *cmstest.Clock }

// Step moves the clock to the next TOTP step.
func (c clock) Step() { c.Add(30 * time.Second) }

// MustNewClockEnv is MustNewEnv with both clocks on clk.
func MustNewClockEnv(tb testing.TB) (*Env, *clock) {
	tb.Helper()
	clk := &clock{cmstest.NewClock(time.Now().UTC().Truncate(30 * time.Second).Add(5 * time.Second))}
	f := cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.Now = clk.Now })
	return MustNewEnvFor(tb, f, func(c *admin.Config) { c.Now = clk.Now }), clk
}

// twoFactorSetup is the answer of POST /me/2fa/setup.
type twoFactorSetup struct {
	Secret, OtpauthURL, QRCode, Enrolment string
}

// MustCode computes the app's code for secret at the clock's time.
func MustCode(tb testing.TB, secret string, at time.Time) string {
	tb.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		tb.Fatalf("totp.GenerateCode: %v", err)
	}
	return code
}

// MustEnrol turns two-factor sign-in on for the session's user and
// returns the secret and the recovery codes.
func (e *Env) MustEnrol(tb testing.TB, clk *clock, token string) (string, []string) {
	tb.Helper()
	var s twoFactorSetup
	e.Do(tb, Req{Method: "POST", Path: api + "/me/2fa/setup", Token: token}).MustStatus(tb, 200).Data(tb, &s)
	if !strings.HasPrefix(s.QRCode, "data:image/png;base64,") || !strings.HasPrefix(s.OtpauthURL, "otpauth://totp/") ||
		!strings.Contains(s.OtpauthURL, "secret="+s.Secret) {
		tb.Fatalf("setup = %+v", s)
	}
	var rc struct{ RecoveryCodes []string }
	e.Do(tb, Req{Method: "POST", Path: api + "/me/2fa", Token: token,
		Body: map[string]string{"enrolment": s.Enrolment, "code": MustCode(tb, s.Secret, clk.Now())}}).MustStatus(tb, 200).Data(tb, &rc)
	if len(rc.RecoveryCodes) != 10 {
		tb.Fatalf("%d recovery codes, want 10", len(rc.RecoveryCodes))
	}
	return s.Secret, rc.RecoveryCodes
}

// challengeProblem is the 401 of a login that needs a code.
type challengeProblem struct {
	Problem
	TwoFactorRequired bool
	Challenge         string
}

// MustChallenge logs in with the password and returns the challenge.
func (e *Env) MustChallenge(tb testing.TB, body map[string]string) string {
	tb.Helper()
	r := e.Do(tb, Req{Method: "POST", Path: api + "/session", Body: body})
	r.MustProblem(tb, 401)
	var p challengeProblem
	if err := jsonUnmarshal(r.Body, &p); err != nil || !p.TwoFactorRequired || p.Challenge == "" {
		tb.Fatalf("login answered %s, want a two-factor challenge", r.Body)
	}
	return p.Challenge
}

func ownerLogin() map[string]string {
	return map[string]string{"email": ownerEmail, "password": ownerPassword}
}

// secondStep sends the challenge and a code.
func (e *Env) secondStep(tb testing.TB, challenge, code string, trust bool) *Resp {
	tb.Helper()
	return e.Do(tb, Req{Method: "POST", Path: api + "/session/2fa", Body: map[string]any{"challenge": challenge, "code": code, "trustDevice": trust}})
}

func TestTwoFactorAPI(t *testing.T) {
	t.Parallel()
	e, clk := MustNewClockEnv(t)
	s := e.MustSetup(t)
	var st struct {
		Enabled           bool
		RecoveryCodesLeft int
	}
	e.Do(t, Req{Method: "GET", Path: api + "/me/2fa", Token: s.Token}).MustStatus(t, 200).Data(t, &st)
	MustEqual(t, "enabled before", st.Enabled, false)

	t.Run("ErrWrongFirstCode", func(t *testing.T) {
		var setup twoFactorSetup
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/setup", Token: s.Token}).MustStatus(t, 200).Data(t, &setup)
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa", Token: s.Token,
			Body: map[string]string{"enrolment": setup.Enrolment, "code": "000000"}}).MustProblem(t, 400, "code")
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa", Token: s.Token,
			Body: map[string]string{"enrolment": setup.Enrolment + "x", "code": MustCode(t, setup.Secret, clk.Now())}}).MustProblem(t, 400, "enrolment")
		e.Do(t, Req{Method: "GET", Path: api + "/me/2fa", Token: s.Token}).MustStatus(t, 200).Data(t, &st)
		MustEqual(t, "enabled after wrong codes", st.Enabled, false)
	})

	secret, codes := e.MustEnrol(t, clk, s.Token)
	e.Do(t, Req{Method: "GET", Path: api + "/me/2fa", Token: s.Token}).MustStatus(t, 200).Data(t, &st)
	MustEqual(t, "status", st, struct {
		Enabled           bool
		RecoveryCodesLeft int
	}{true, 10})
	// The secret is stored sealed: the database holds neither it nor the
	// recovery codes.
	u, err := e.Svc.GetUser(t.Context(), s.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(u.TwoFactor.Secret, secret) || strings.Contains(strings.Join(u.TwoFactor.RecoveryCodes, " "), strings.ReplaceAll(codes[0], "-", "")) {
		t.Fatalf("stored two-factor = %+v holds the secret or a code in clear", u.TwoFactor)
	}

	var used string
	t.Run("LoginWithCode", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		ch := e.MustChallenge(t, ownerLogin())
		// A challenge is no session.
		e.Do(t, Req{Method: "GET", Path: api + "/me", Token: ch}).MustProblem(t, 401)
		clk.Step()
		used = MustCode(t, secret, clk.Now())
		var got Session
		e.secondStep(t, ch, used, false).MustStatus(t, 200).Data(t, &got)
		e.Do(t, Req{Method: "GET", Path: api + "/me", Token: got.Token}).MustStatus(t, 200)
	})
	t.Run("ErrReplayedCode", func(t *testing.T) {
		ch := e.MustChallenge(t, ownerLogin())
		p := e.secondStep(t, ch, used, false).MustProblem(t, 401)
		if !strings.Contains(p.Detail, "used already") {
			t.Fatalf("detail = %q", p.Detail)
		}
		// An older step's code is refused too, even inside the window.
		e.secondStep(t, ch, MustCode(t, secret, clk.Now().Add(-30*time.Second)), false).MustProblem(t, 401)
	})
	t.Run("RecoveryCodeOnce", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		ch := e.MustChallenge(t, ownerLogin())
		e.secondStep(t, ch, strings.ToUpper(codes[0]), false).MustStatus(t, 200)
		ch = e.MustChallenge(t, ownerLogin())
		e.secondStep(t, ch, codes[0], false).MustProblem(t, 401)
		e.secondStep(t, ch, codes[1], false).MustStatus(t, 200)
		e.Do(t, Req{Method: "GET", Path: api + "/me/2fa", Token: s.Token}).MustStatus(t, 200).Data(t, &st)
		MustEqual(t, "recovery codes left", st.RecoveryCodesLeft, 8)
	})
	t.Run("ConcurrentSameCode", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		clk.Step()
		code := MustCode(t, secret, clk.Now())
		chs := []string{e.MustChallenge(t, ownerLogin()), e.MustChallenge(t, ownerLogin()), e.MustChallenge(t, ownerLogin())}
		other := MustNewEnvFor(t, e.Fixture, func(c *admin.Config) { c.Now = clk.Now }) // a second instance
		statuses := make([]int, len(chs))
		var wg sync.WaitGroup
		for i, ch := range chs {
			env := e
			if i%2 == 1 {
				env = other
			}
			wg.Go(func() { statuses[i] = env.secondStep(t, ch, code, false).Status })
		}
		wg.Wait()
		ok := 0
		for _, st := range statuses {
			if st == 200 {
				ok++
			}
		}
		if ok != 1 {
			t.Fatalf("statuses %v: the same code was accepted %d times, want once", statuses, ok)
		}
	})
	t.Run("TrustedDevice", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		clk.Step()
		var first Session
		var raw struct {
			DeviceToken string
		}
		r := e.secondStep(t, e.MustChallenge(t, ownerLogin()), MustCode(t, secret, clk.Now()), true).MustStatus(t, 200)
		r.Data(t, &first)
		r.Data(t, &raw)
		if raw.DeviceToken == "" {
			t.Fatal("no device token")
		}
		login := ownerLogin()
		login["deviceToken"] = raw.DeviceToken
		// The trusted device skips the second step; a wrong password still fails.
		var again Session
		e.Do(t, Req{Method: "POST", Path: api + "/session", Body: login}).MustStatus(t, 200).Data(t, &again)
		e.Do(t, Req{Method: "POST", Path: api + "/session", Body: map[string]string{"email": ownerEmail, "password": "wrong password", "deviceToken": raw.DeviceToken}}).MustProblem(t, 401)
		// A device token is no session.
		e.Do(t, Req{Method: "GET", Path: api + "/me", Token: raw.DeviceToken}).MustProblem(t, 401)
		// Logging out everywhere forgets trusted devices.
		e.Do(t, Req{Method: "DELETE", Path: api + "/sessions", Token: again.Token}).MustStatus(t, 204)
		e.MustChallenge(t, login)
	})
	t.Run("Lockout", func(t *testing.T) {
		clk.Add(addressWindow)         // a fresh per-address attempt budget
		e.MustLogin2FA(t, clk, secret) // resets the failures of the subtests before
		clk.Add(addressWindow)
		// Wrong codes count with wrong passwords: a right password in
		// between does not reset the count.
		for i := range cms.MaxLoginFailures {
			ch := e.MustChallenge(t, ownerLogin())
			e.secondStep(t, ch, "000000", false).MustProblem(t, 401)
			_ = i
		}
		clk.Add(addressWindow)
		p := e.Do(t, Req{Method: "POST", Path: api + "/session", Body: ownerLogin()}).MustProblem(t, 429)
		if !strings.Contains(p.Detail, "this account is locked") {
			t.Fatalf("detail = %q, want the account lockout", p.Detail)
		}
		clk.Add(cms.LoginLockout)
		ch := e.MustChallenge(t, ownerLogin())
		e.secondStep(t, ch, MustCode(t, secret, clk.Now()), false).MustStatus(t, 200)
	})
	t.Run("ErrExpiredChallenge", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		ch := e.MustChallenge(t, ownerLogin())
		clk.Add(6 * time.Minute)
		p := e.secondStep(t, ch, MustCode(t, secret, clk.Now()), false).MustProblem(t, 401)
		MustEqual(t, "detail", p.Detail, "This sign-in has expired; log in again with your password.")
	})
	t.Run("RegenerateAndDisable", func(t *testing.T) {
		clk.Add(addressWindow) // a fresh per-address attempt budget
		s := e.MustLogin2FA(t, clk, secret)
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/recovery-codes", Token: s.Token, Body: map[string]string{"password": "wrong password"}}).MustProblem(t, 400, "password")
		var rc struct{ RecoveryCodes []string }
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/recovery-codes", Token: s.Token, Body: map[string]string{"password": ownerPassword}}).MustStatus(t, 200).Data(t, &rc)
		if len(rc.RecoveryCodes) != 10 || rc.RecoveryCodes[0] == codes[2] {
			t.Fatalf("new codes = %v", rc.RecoveryCodes)
		}
		// The old codes are gone.
		e.secondStep(t, e.MustChallenge(t, ownerLogin()), codes[2], false).MustProblem(t, 401)
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/disable", Token: s.Token, Body: map[string]string{}}).MustProblem(t, 400, "password")
		e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/disable", Token: s.Token, Body: map[string]string{"code": rc.RecoveryCodes[0]}}).MustStatus(t, 204)
		e.MustLogin(t, ownerEmail, ownerPassword) // no second step any more
	})
}

// addressWindow is more than two windows of the per-address login limit:
// the attempts of the window before the current one count too.
const addressWindow = 10*time.Minute + time.Second

// MustLogin2FA logs the owner in with the password and a code of the next
// step.
func (e *Env) MustLogin2FA(tb testing.TB, clk *clock, secret string) Session {
	tb.Helper()
	ch := e.MustChallenge(tb, ownerLogin())
	clk.Step()
	var s Session
	e.secondStep(tb, ch, MustCode(tb, secret, clk.Now()), false).MustStatus(tb, 200).Data(tb, &s)
	return s
}

func TestTwoFactorRequiredForOwners(t *testing.T) {
	t.Parallel()
	e, clk := MustNewClockEnv(t)
	s := e.MustSetup(t)
	editor := e.MustEditor(t, s)
	e.Do(t, Req{Method: "PUT", Path: api + "/settings", Token: s.Token, Body: map[string]any{"version": 0, "requireOwnerTwoFactor": true}}).MustStatus(t, 200)

	// The owner without it can do nothing but enrol (and log out).
	p := e.Do(t, Req{Method: "GET", Path: api + "/posts", Token: s.Token}).MustProblem(t, 403)
	if !strings.Contains(p.Detail, "requires two-factor sign-in") {
		t.Fatalf("detail = %q", p.Detail)
	}
	e.Do(t, Req{Method: "GET", Path: api + "/me", Token: s.Token}).MustStatus(t, 200)
	var st struct{ Required bool }
	e.Do(t, Req{Method: "GET", Path: api + "/me/2fa", Token: s.Token}).MustStatus(t, 200).Data(t, &st)
	MustEqual(t, "required", st.Required, true)
	// Editors are not concerned.
	e.Do(t, Req{Method: "GET", Path: api + "/posts", Token: editor.Token}).MustStatus(t, 200)

	secret, _ := e.MustEnrol(t, clk, s.Token)
	e.Do(t, Req{Method: "GET", Path: api + "/posts", Token: s.Token}).MustStatus(t, 200)
	// While required, it cannot be turned off.
	clk.Step()
	e.Do(t, Req{Method: "POST", Path: api + "/me/2fa/disable", Token: s.Token, Body: map[string]string{"password": ownerPassword}}).MustProblem(t, 409)
	_ = secret
}

func TestTwoFactorReset(t *testing.T) {
	t.Parallel()
	e, clk := MustNewClockEnv(t)
	s := e.MustSetup(t)
	editor := e.MustEditor(t, s)
	secret, _ := e.MustEnrol(t, clk, editor.Token)
	ch := e.MustChallenge(t, map[string]string{"email": editorEmail, "password": editorPassword})
	clk.Step()
	var trusted struct{ Token, DeviceToken string }
	e.secondStep(t, ch, MustCode(t, secret, clk.Now()), true).MustStatus(t, 200).Data(t, &trusted)
	// A new password forgets trusted devices too.
	const newPassword = "a new editor password"
	var changed Session
	e.Do(t, Req{Method: "PUT", Path: api + "/me/password", Token: trusted.Token,
		Body: map[string]string{"currentPassword": editorPassword, "newPassword": newPassword}}).MustStatus(t, 200).Data(t, &changed)
	e.MustChallenge(t, map[string]string{"email": editorEmail, "password": newPassword, "deviceToken": trusted.DeviceToken})
	editor.Token = changed.Token
	path := api + "/users/" + editor.User.ID + "/2fa"
	// Only owners, and not for themselves.
	e.Do(t, Req{Method: "DELETE", Path: path, Token: editor.Token}).MustProblem(t, 403)
	e.Do(t, Req{Method: "DELETE", Path: api + "/users/" + s.User.ID + "/2fa", Token: s.Token}).MustProblem(t, 403)
	e.Do(t, Req{Method: "DELETE", Path: path, Token: s.Token}).MustStatus(t, 204)
	// She logs in with her password alone again.
	e.MustLogin(t, editorEmail, newPassword)
}

var secretAttr = regexp.MustCompile(`data-secret="([A-Z2-7]+)"`)
var enrolmentField = regexp.MustCompile(`name="enrolment" value="([^"]+)"`)
var codeItem = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)

// TestPanelTwoFactor: setting it up on the account page, the second step
// of the login form, a trusted browser, and the owner-required setting.
func TestPanelTwoFactor(t *testing.T) {
	t.Parallel()
	e, clk := MustNewClockEnv(t)
	b := e.MustPanelSetup(t)
	b.Get(t, "/admin/account").MustStatus(t, 200).MustContain(t, `href="/admin/account/2fa"`)

	page := b.Get(t, "/admin/account/2fa").MustStatus(t, 200).MustContain(t, `src="data:image/png;base64,`)
	secret := secretAttr.FindStringSubmatch(page.Body)[1]
	enrolment := html.UnescapeString(enrolmentField.FindStringSubmatch(page.Body)[1])
	b.PostCSRF(t, "/admin/account/2fa", url.Values{"enrolment": {enrolment}, "code": {"123456"}}).
		MustStatus(t, 422).MustContain(t, "That code is not right", `data-secret="`+secret+`"`)
	done := b.PostCSRF(t, "/admin/account/2fa", url.Values{"enrolment": {enrolment}, "code": {MustCode(t, secret, clk.Now())}}).MustStatus(t, 200)
	codes := codeItem.FindAllStringSubmatch(done.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes on the page, want 10:\n%s", len(codes), done.Body)
	}
	b.Get(t, "/admin/account").MustContain(t, "Recovery codes left: 10")

	t.Run("SecondStep", func(t *testing.T) {
		clk.Add(addressWindow)
		other := e.NewBrowser()
		other.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "next": {"/admin/posts"}}).
			MustRedirect(t, "/admin/login/2fa")
		if other.Cookie("lullaby_session") != nil {
			t.Fatal("a session before the second step")
		}
		other.Get(t, "/admin").MustRedirect(t, "/admin/login")
		other.Get(t, "/admin/login/2fa").MustStatus(t, 200).MustContain(t, `name="code"`)
		other.Post(t, "/admin/login/2fa", url.Values{"code": {"000000"}}).MustStatus(t, 401).MustContain(t, "not right")
		other.Post(t, "/admin/login/2fa", url.Values{"code": {codes[0][1]}}, "Origin", "https://evil.example").MustStatus(t, 403)
		other.Post(t, "/admin/login/2fa", url.Values{"code": {codes[0][1]}, "trustDevice": {"1"}}).MustRedirect(t, "/admin/posts")
		other.Get(t, "/admin").MustStatus(t, 200)
		// Trusted: the next login skips the code, until she logs out everywhere.
		other.PostCSRF(t, "/admin/logout", nil).MustRedirect(t, "/admin/login")
		other.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}}).MustRedirect(t, "/admin")
		other.PostCSRF(t, "/admin/logout-everywhere", nil).MustRedirect(t, "/admin/login")
		other.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}}).MustRedirect(t, "/admin/login/2fa")
	})
	t.Run("OwnerRequired", func(t *testing.T) {
		clk.Add(addressWindow)
		role, email, name, pw := cms.RoleOwner, "second@example.com", "Second Owner", "second owner password"
		e.MustUser(t, cms.UserInput{Email: &email, Name: &name, Role: &role, Password: &pw})
		clk.Step()
		owner := e.NewBrowser()
		owner.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}}).MustRedirect(t, "/admin/login/2fa")
		owner.Post(t, "/admin/login/2fa", url.Values{"code": {MustCode(t, secret, clk.Now())}}).MustRedirect(t, "/admin")
		settings := owner.Get(t, "/admin/settings").MustStatus(t, 200)
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(settings.Body)[1]
		owner.PostCSRF(t, "/admin/settings", url.Values{"version": {version}, "site.title": {"Sleep"}, "citationStyle": {"apa"},
			"security": {"1"}, "requireOwnerTwoFactor": {"1"}}).MustRedirect(t, "/admin/settings")

		second := e.NewBrowser()
		second.Post(t, "/admin/login", url.Values{"email": {email}, "password": {pw}}).MustRedirect(t, "/admin")
		second.Get(t, "/admin").MustRedirect(t, "/admin/account/2fa")
		second.Get(t, "/admin/posts").MustRedirect(t, "/admin/account/2fa")
		second.Get(t, "/admin/account/2fa").MustStatus(t, 200).MustContain(t, "requires two-factor sign-in of owners")
		// Nothing else until enrolled, writes included.
		second.Post(t, "/admin/categories", url.Values{"name": {"x"}, "_csrf": {second.CSRFFrom(t, "/admin/account/2fa")}}).MustRedirect(t, "/admin/account/2fa")
		// The owner who has it goes on.
		owner.Get(t, "/admin/posts").MustStatus(t, 200)
	})
}
