package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// TestBrowserTwoFactor: she sets up two-factor sign-in on the account
// page, reading the key off the page as she would type it into an app,
// confirms it with a code, keeps the recovery codes, then logs in with a
// code from the app and, later, with a recovery code.
func TestBrowserTwoFactor(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	api := r.base + "/admin/api/v1"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo", "password": "a long enough password"}
	MustCall(t, 201, "POST", api+"/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/account")

	b.Do(t, "open the set-up",
		chromedp.WaitVisible(chromedp.ID("two-factor-setup")),
		chromedp.Click(chromedp.ID("two-factor-setup")),
		chromedp.WaitVisible(chromedp.ID("totp-secret")),
	)
	if ok := Get(t, b, "QR code drawn", chromedp.Evaluate[bool](`(function(){var i=document.querySelector('img[alt^="QR code"]');return !!i && i.complete && i.naturalWidth > 100})()`)); !ok {
		t.Error("the QR code image did not load")
	}
	shown := Get(t, b, "secret", chromedp.Evaluate[string](`document.getElementById('totp-secret').textContent`))
	secret := strings.ReplaceAll(shown, " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("the key shown (%q) is not a TOTP key: %v", shown, err)
	}
	b.Do(t, "confirm with the first code",
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.Submit(chromedp.ID("code")),
		chromedp.WaitVisible(chromedp.ID("recovery-codes")),
	)
	codes := Get(t, b, "recovery codes", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#recovery-codes code')).map(function(c){return c.textContent})`))
	if len(codes) != 10 {
		t.Fatalf("recovery codes shown = %q, want 10", codes)
	}
	b.Do(t, "back to the account page",
		navigate(r.base+"/admin/account"),
		waitText("#two-factor-status", "Recovery codes left: 10"),
	)

	logOut := func(what string) {
		b.Do(t, what, chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)),
			waitJS(`location.pathname === '/admin/login'`), chromedp.WaitVisible(chromedp.ID("email")))
	}
	secondStep := func(what, code string) {
		b.Do(t, what,
			navigate(r.base+"/admin/login"),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), creds["email"]),
			chromedp.SendKeys(chromedp.ID("password"), creds["password"]),
			chromedp.Submit(chromedp.ID("email")),
			waitJS(`location.pathname === '/admin/login/2fa'`),
			chromedp.WaitVisible(chromedp.ID("code")),
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.Submit(chromedp.ID("code")),
			waitJS(`location.pathname === '/admin'`),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/logout"]`)),
		)
	}

	logOut("log out")
	// The first code's step is used: the app's next code (the server
	// accepts one step either side of now) is a fresh one.
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	secondStep("log in with a code from the app", next)
	logOut("log out again")
	secondStep("log in with a recovery code", codes[3])
	b.Do(t, "one recovery code fewer",
		navigate(r.base+"/admin/account"),
		waitText("#two-factor-status", "Recovery codes left: 9"),
	)
}
