package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// logIn logs in through the panel's form.
func (b *browser) logIn(tb testing.TB, email, password, next string) {
	tb.Helper()
	b.Do(tb, "log in",
		navigate(b.base+"/admin/login?next="+next),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("email")),
		waitJS(`!location.pathname.startsWith('/admin/login')`),
	)
}

// TestBrowserExpiredSessionKeepsText: the session ends while she writes;
// autosave says so, and after logging in again her unsaved text is offered
// back.
func TestBrowserExpiredSessionKeepsText(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin/api/v1"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/posts/new")

	b.Do(t, "write and autosave",
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), "Kept text"),
		setEditorBody("The first paragraph."),
		waitJS(`location.pathname !== '/admin/posts/new'`),
		waitText("#save-status", "Saved"),
	)
	postPath := Get(t, b, "post path", chromedp.Evaluate[string](`location.pathname`))

	// Every session of hers is revoked (e.g. "log out everywhere" on her phone).
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": creds["email"], "password": creds["password"]}, &session)
	MustCall(t, 204, "DELETE", admin+"/sessions", session.Token, nil, nil)

	b.Do(t, "keep writing after the session ended",
		setEditorBody("The first paragraph.\n\nWords written after the session ended."),
		chromedp.WaitVisible(chromedp.ID("session-banner")),
	)
	b.logIn(t, creds["email"], creds["password"], postPath)
	b.Do(t, "the unsaved text is offered back",
		chromedp.WaitVisible(chromedp.ID("restore-banner")),
		chromedp.Click(chromedp.ID("restore-local")),
	)
	body := Get(t, b, "body", chromedp.Evaluate[string](`document.querySelector('.CodeMirror').CodeMirror.getValue()`))
	if !strings.Contains(body, "Words written after the session ended.") {
		t.Fatalf("after restoring, the body is %q", body)
	}
}
