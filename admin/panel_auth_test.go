package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPanelFirstRun(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.NewBrowser()

	t.Run("RedirectsToSetup", func(t *testing.T) {
		b.Get(t, "/admin").MustRedirect(t, "/admin/setup")
		b.Get(t, "/admin/login").MustRedirect(t, "/admin/setup")
		b.Get(t, "/admin/posts").MustRedirect(t, "/admin/setup")
		b.Get(t, "/admin/setup").MustStatus(t, 200).
			MustContain(t, `action="/admin/setup"`, `<label for="email">`, "lullaby user create")
	})
	t.Run("ErrInvalidKeepsInput", func(t *testing.T) {
		p := b.Post(t, "/admin/setup", url.Values{"email": {"not an email"}, "name": {"Olivia <b>Owner</b>"},
			"password": {"short"}, "repeatPassword": {"short"}}).MustStatus(t, 422)
		p.MustContain(t, `value="not an email"`, `value="Olivia &lt;b&gt;Owner&lt;/b&gt;"`,
			"Must be an email address", "at least 10 characters", `aria-invalid="true"`)
	})
	t.Run("ErrPasswordsDiffer", func(t *testing.T) {
		b.Post(t, "/admin/setup", url.Values{"email": {ownerEmail}, "name": {"Olivia"},
			"password": {ownerPassword}, "repeatPassword": {ownerPassword + "x"}}).
			MustStatus(t, 422).MustContain(t, "not the same", `value="`+ownerEmail+`"`)
		if empty, _ := e.Svc.NeedsSetup(t.Context()); !empty {
			t.Fatal("a user was created although the passwords differed")
		}
	})
	t.Run("ErrEveryProblemAtOnce", func(t *testing.T) {
		// A short password that the repeat does not match, and no name:
		// all three are reported by one submission.
		p := b.Post(t, "/admin/setup", url.Values{"email": {ownerEmail}, "name": {""},
			"password": {"short"}, "repeatPassword": {"shorter"}}).MustStatus(t, 422)
		p.MustContain(t, `id="password-error"`, "at least 10 characters", `id="repeatPassword-error"`, "not the same",
			`id="name-error"`, "A name is required")
		if empty, _ := e.Svc.NeedsSetup(t.Context()); !empty {
			t.Fatal("a user was created from an invalid form")
		}
	})
	t.Run("ErrCrossSite", func(t *testing.T) {
		b.Post(t, "/admin/setup", url.Values{"email": {ownerEmail}, "name": {"Olivia"},
			"password": {ownerPassword}, "repeatPassword": {ownerPassword}}, "Origin", "https://evil.example").
			MustStatus(t, 403)
		if empty, _ := e.Svc.NeedsSetup(t.Context()); !empty {
			t.Fatal("a cross-site set-up form created a user")
		}
	})
	t.Run("OK", func(t *testing.T) {
		b.Post(t, "/admin/setup", url.Values{"email": {ownerEmail}, "name": {"Olivia Owner"},
			"password": {ownerPassword}, "repeatPassword": {ownerPassword}}).MustRedirect(t, "/admin/login")
		b.Get(t, "/admin/login").MustStatus(t, 200).MustContain(t, "Your owner account is ready")
		// The flash is shown once.
		b.Get(t, "/admin/login").MustStatus(t, 200).MustNotContain(t, "Your owner account is ready")
	})
	t.Run("OnlyOnce", func(t *testing.T) {
		b.Get(t, "/admin/setup").MustRedirect(t, "/admin/login")
		b.Post(t, "/admin/setup", url.Values{"email": {"other@example.com"}, "name": {"Mallory"},
			"password": {ownerPassword}, "repeatPassword": {ownerPassword}}).MustRedirect(t, "/admin/login")
		b.Get(t, "/admin/login").MustContain(t, "already set up")
		b.Get(t, "/admin").MustRedirect(t, "/admin/login")
	})
}

func TestPanelLogin(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	e.MustPanelSetup(t)

	t.Run("NextAndCookie", func(t *testing.T) {
		b := e.NewBrowser()
		b.Get(t, "/admin/posts?status=draft").MustRedirect(t, "/admin/login?next=%2Fadmin%2Fposts%3Fstatus%3Ddraft")
		b.Get(t, "/admin/login?next=%2Fadmin%2Fposts%3Fstatus%3Ddraft").MustStatus(t, 200).
			MustContain(t, `name="next" value="/admin/posts?status=draft"`)
		p := b.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword},
			"next": {"/admin/posts?status=draft"}}).MustRedirect(t, "/admin/posts?status=draft")
		var cookie string
		for _, h := range p.Header.Values("Set-Cookie") {
			if strings.HasPrefix(h, "lullaby_session=") {
				cookie = h
			}
		}
		for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/admin", "expires="} {
			if !strings.Contains(strings.ToLower(cookie), strings.ToLower(want)) {
				t.Errorf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(strings.ToLower(cookie), "secure") {
			t.Errorf("Set-Cookie %q is Secure over plain HTTP", cookie)
		}
		b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Olivia Owner")
		// Logged in, the login page moves on.
		b.Get(t, "/admin/login").MustRedirect(t, "/admin")
	})
	t.Run("SecureOverHTTPS", func(t *testing.T) {
		b := e.NewBrowser()
		req := url.Values{"email": {ownerEmail}, "password": {ownerPassword}}
		p := b.Post(t, "/admin/login", req, "X-Forwarded-Proto", "https").MustRedirect(t, "/admin")
		if c := b.Cookie("lullaby_session"); c == nil || !c.Secure {
			t.Fatalf("session cookie over HTTPS = %+v, want Secure; headers %v", c, p.Header)
		}
	})
	t.Run("NextOnlyLocal", func(t *testing.T) {
		for _, next := range []string{"https://evil.example/admin", "//evil.example/admin", "/\\evil.example", "/api/v1/posts", "/admin/../x"} {
			b := e.NewBrowser()
			b.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}, "next": {next}}).
				MustRedirect(t, "/admin")
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		b := e.NewBrowser()
		b.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {"wrong password"}}).
			MustStatus(t, 401).MustContain(t, "The email or password is incorrect.", `value="`+ownerEmail+`"`)
		if b.Cookie("lullaby_session") != nil {
			t.Fatal("a session cookie was set for a wrong password")
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		e.NewBrowser().Post(t, "/admin/login", url.Values{}).MustStatus(t, 422).
			MustContain(t, "Enter your email address.", "Enter your password.")
	})
	t.Run("ErrForgedCookie", func(t *testing.T) {
		b := e.NewBrowser()
		b.jar["lullaby_session"] = &http.Cookie{Name: "lullaby_session", Value: "forged.token.value"}
		b.Get(t, "/admin").MustRedirect(t, "/admin/login")
		if b.Cookie("lullaby_session") != nil {
			t.Fatal("the forged cookie was not cleared")
		}
	})
	t.Run("HTMXAndFetch", func(t *testing.T) {
		b := e.NewBrowser()
		p := b.Get(t, "/admin/posts", "HX-Request", "true", "HX-Current-URL", "http://example.com/admin/categories").MustStatus(t, 200)
		if got := p.Header.Get("HX-Redirect"); got != "/admin/login?next=%2Fadmin%2Fcategories" {
			t.Fatalf("HX-Redirect = %q", got)
		}
		b.Post(t, "/admin/categories", url.Values{"name": {"x"}}, "Accept", "application/json").
			MustStatus(t, 401).MustContain(t, `"login":"/admin/login"`)
	})
}

func TestPanelLockout(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	e.MustPanelSetup(t)
	b := e.NewBrowser()
	for i := 0; i < 5; i++ {
		b.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {"wrong password"}}).MustStatus(t, 401)
	}
	// Locked now, even with the right password.
	b.Post(t, "/admin/login", url.Values{"email": {ownerEmail}, "password": {ownerPassword}}).
		MustStatus(t, 429).MustContain(t, "this account is locked", "Try again in 15 minutes", `role="alert"`)
	if b.Cookie("lullaby_session") != nil {
		t.Fatal("a locked account got a session")
	}
	// The per-address limit answers the same way, before any password check.
	for i := 0; i < 10; i++ {
		b.Post(t, "/admin/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password"}})
	}
	b.Post(t, "/admin/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password"}}).
		MustStatus(t, 429).MustContain(t, "Too many attempts")
}

func TestPanelLogout(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)

	t.Run("ErrNoCSRF", func(t *testing.T) {
		b.Post(t, "/admin/logout", nil).MustStatus(t, 403)
		b.Get(t, "/admin").MustStatus(t, 200)
	})
	t.Run("ThisBrowser", func(t *testing.T) {
		phone := e.NewBrowser()
		phone.MustLogin(t, ownerEmail, ownerPassword)
		old := *b.Cookie("lullaby_session")
		p := b.PostCSRF(t, "/admin/logout", nil).MustRedirect(t, "/admin/login")
		if !strings.Contains(strings.Join(p.Header.Values("Set-Cookie"), "\n"), "lullaby_session=;") {
			t.Fatalf("logout did not clear the cookie: %v", p.Header.Values("Set-Cookie"))
		}
		if b.Cookie("lullaby_session") != nil {
			t.Fatal("the session cookie is still in the jar")
		}
		b.Get(t, "/admin").MustRedirect(t, "/admin/login")
		b.Get(t, "/admin/login").MustContain(t, "You are logged out.")
		// The session ended on the server: a copy of the old cookie (kept
		// by an attacker, or another tab) no longer opens the panel, and
		// the JSON API refuses it too.
		stolen := e.NewBrowser()
		stolen.jar["lullaby_session"] = &old
		stolen.Get(t, "/admin").MustRedirect(t, "/admin/login")
		e.Do(t, Req{Method: "GET", Path: api + "/me", Token: old.Value}).MustProblem(t, 401)
		// Her other sessions go on.
		phone.Get(t, "/admin").MustStatus(t, 200)
	})
	t.Run("Everywhere", func(t *testing.T) {
		b.MustLogin(t, ownerEmail, ownerPassword)
		phone := e.NewBrowser()
		phone.MustLogin(t, ownerEmail, ownerPassword)
		old := *b.Cookie("lullaby_session")
		b.PostCSRF(t, "/admin/logout-everywhere", nil).MustRedirect(t, "/admin/login")
		b.Get(t, "/admin/login").MustContain(t, "logged out on every device")
		phone.Get(t, "/admin/posts").MustRedirect(t, "/admin/login?next=%2Fadmin%2Fposts")
		stale := e.NewBrowser()
		stale.jar["lullaby_session"] = &old
		stale.Get(t, "/admin").MustRedirect(t, "/admin/login")
	})
}

func TestPanelAccount(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	phone := e.NewBrowser()
	phone.MustLogin(t, ownerEmail, ownerPassword)
	const newPassword = "a brand new passphrase"

	t.Run("ErrWrongCurrent", func(t *testing.T) {
		b.PostCSRF(t, "/admin/account", url.Values{"currentPassword": {"wrong password"},
			"newPassword": {newPassword}, "repeatPassword": {newPassword}}).
			MustStatus(t, 422).MustContain(t, "The current password is incorrect.")
	})
	t.Run("ErrRepeat", func(t *testing.T) {
		b.PostCSRF(t, "/admin/account", url.Values{"currentPassword": {ownerPassword},
			"newPassword": {newPassword}, "repeatPassword": {"something else"}}).
			MustStatus(t, 422).MustContain(t, "not the same")
	})
	t.Run("ErrTooShort", func(t *testing.T) {
		b.PostCSRF(t, "/admin/account", url.Values{"currentPassword": {ownerPassword},
			"newPassword": {"short"}, "repeatPassword": {"short"}}).
			MustStatus(t, 422).MustContain(t, "at least 10 characters")
	})
	t.Run("OK", func(t *testing.T) {
		before := b.Cookie("lullaby_session").Value
		b.PostCSRF(t, "/admin/account", url.Values{"currentPassword": {ownerPassword},
			"newPassword": {newPassword}, "repeatPassword": {newPassword}}).MustRedirect(t, "/admin/account")
		if c := b.Cookie("lullaby_session"); c == nil || c.Value == before {
			t.Fatal("the session cookie was not re-issued")
		}
		b.Get(t, "/admin/account").MustStatus(t, 200).MustContain(t, "Password changed")
		phone.Get(t, "/admin").MustRedirect(t, "/admin/login")
		if _, err := e.Svc.Authenticate(t.Context(), ownerEmail, newPassword); err != nil {
			t.Fatalf("the new password does not work: %v", err)
		}
	})
}
