package admin_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// Browser drives the HTML panel through app.Test like a browser: it keeps
// the cookies the server sets and sends them back, and follows nothing by
// itself (tests look at each redirect).
type Browser struct {
	env *Env
	jar map[string]*http.Cookie
}

// NewBrowser returns a browser with no cookies.
func (e *Env) NewBrowser() *Browser { return &Browser{env: e, jar: map[string]*http.Cookie{}} }

// Page is a recorded panel response.
type Page struct {
	Status int
	Header http.Header
	Body   string
}

// Get requests path.
func (b *Browser) Get(tb testing.TB, path string, header ...string) *Page {
	tb.Helper()
	return b.do(tb, httptest.NewRequest("GET", path, nil), header...)
}

// Post sends form, URL-encoded, to path.
func (b *Browser) Post(tb testing.TB, path string, form url.Values, header ...string) *Page {
	tb.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(tb, req, header...)
}

// PostCSRF is Post with the session's CSRF token in the _csrf field.
func (b *Browser) PostCSRF(tb testing.TB, path string, form url.Values, header ...string) *Page {
	tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.CSRF(tb))
	return b.Post(tb, path, form, header...)
}

// do sends req with the jar's cookies and header (name, value pairs), and
// stores the cookies of the answer.
func (b *Browser) do(tb testing.TB, req *http.Request, header ...string) *Page {
	tb.Helper()
	for _, c := range b.jar {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.env.App.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
			continue
		}
		b.jar[c.Name] = c
	}
	p := &Page{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
	if res.StatusCode >= 400 && strings.HasPrefix(req.URL.Path, "/admin") && !strings.HasPrefix(req.URL.Path, "/admin/api/") &&
		!strings.HasPrefix(req.URL.Path, "/admin/assets/") {
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") && ct != "application/problem+json" {
			tb.Errorf("%s %s: status %d with Content-Type %q, want an HTML page or problem+json", req.Method, req.URL, res.StatusCode, ct)
		}
	}
	return p
}

// Cookie returns the jar's cookie name, or nil.
func (b *Browser) Cookie(name string) *http.Cookie { return b.jar[name] }

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// CSRF returns the session's CSRF token, read from a page as a script
// would.
func (b *Browser) CSRF(tb testing.TB) string {
	tb.Helper()
	return b.CSRFFrom(tb, "/admin/account")
}

// CSRFFrom returns the session's CSRF token, read from page path.
func (b *Browser) CSRFFrom(tb testing.TB, path string) string {
	tb.Helper()
	p := b.Get(tb, path).MustStatus(tb, 200)
	m := csrfMeta.FindStringSubmatch(p.Body)
	if m == nil {
		tb.Fatalf("no csrf-token meta tag in %s:\n%s", path, p.Body)
	}
	return html.UnescapeString(m[1])
}

// MustStatus fails unless the page has status want.
func (p *Page) MustStatus(tb testing.TB, want int) *Page {
	tb.Helper()
	if p.Status != want {
		tb.Fatalf("status = %d, want %d; Location %q; body:\n%s", p.Status, want, p.Header.Get("Location"), p.Body)
	}
	return p
}

// MustRedirect fails unless the page is a 303 to location.
func (p *Page) MustRedirect(tb testing.TB, location string) *Page {
	tb.Helper()
	p.MustStatus(tb, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != location {
		tb.Fatalf("Location = %q, want %q", got, location)
	}
	return p
}

// MustContain fails unless the body contains every string in want.
func (p *Page) MustContain(tb testing.TB, want ...string) *Page {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			tb.Fatalf("body does not contain %q:\n%s", w, p.Body)
		}
	}
	return p
}

// MustNotContain fails if the body contains any string in bad.
func (p *Page) MustNotContain(tb testing.TB, bad ...string) *Page {
	tb.Helper()
	for _, w := range bad {
		if strings.Contains(p.Body, w) {
			tb.Fatalf("body contains %q:\n%s", w, p.Body)
		}
	}
	return p
}

// MustPanelSetup creates the owner through the set-up form and logs her in
// through the login form; the browser then holds her session cookie.
func (e *Env) MustPanelSetup(tb testing.TB) *Browser {
	tb.Helper()
	b := e.NewBrowser()
	b.Post(tb, "/admin/setup", url.Values{"email": {ownerEmail}, "name": {"Olivia Owner"},
		"password": {ownerPassword}, "repeatPassword": {ownerPassword}}).MustRedirect(tb, "/admin/login")
	b.MustLogin(tb, ownerEmail, ownerPassword)
	return b
}

// MustLogin logs in through the form.
func (b *Browser) MustLogin(tb testing.TB, email, password string) {
	tb.Helper()
	b.Post(tb, "/admin/login", url.Values{"email": {email}, "password": {password}}).MustRedirect(tb, "/admin")
	if b.Cookie("lullaby_session") == nil {
		tb.Fatal("no session cookie after logging in")
	}
}

// MustPanelEditor adds an editor through the service and returns a browser
// logged in as her.
func (e *Env) MustPanelEditor(tb testing.TB) *Browser {
	tb.Helper()
	role, email, name, pw := cms.RoleEditor, editorEmail, "Edith Editor", editorPassword
	e.MustUser(tb, cms.UserInput{Email: &email, Name: &name, Role: &role, Password: &pw})
	b := e.NewBrowser()
	b.MustLogin(tb, editorEmail, editorPassword)
	return b
}

// MustOwner returns the owner user.
func (e *Env) MustOwner(tb testing.TB) *cms.User {
	tb.Helper()
	u, err := e.Svc.Authenticate(tb.Context(), ownerEmail, ownerPassword)
	if err != nil {
		tb.Fatalf("authenticate owner: %v", err)
	}
	return u
}
