package admin_test

import (
	"net/url"
	"testing"

	"github.com/lullabycms/lullaby/admin"
)

// A forged cross-site form carries the victim's cookie (SameSite=Strict
// stops that in current browsers, not in every one) and, if the token
// leaked, even the CSRF token: the browser's Origin or Sec-Fetch-Site
// still gives it away, and nothing is written.
func TestPanelCrossSite(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t, func(c *admin.Config) { c.PublicURL = "https://blog.example/" })
	b := e.MustPanelSetup(t)
	categories := func(t *testing.T) int {
		t.Helper()
		cats, err := e.Svc.ListCategories(t.Context())
		if err != nil {
			t.Fatalf("list categories: %v", err)
		}
		return len(cats)
	}
	for _, tc := range []struct {
		name   string
		header []string
	}{
		{"ErrOrigin", []string{"Origin", "https://evil.example"}},
		{"ErrOriginNull", []string{"Origin", "null"}},
		{"ErrOriginOtherPort", []string{"Origin", "http://example.com:8081"}},
		{"ErrSecFetchCrossSite", []string{"Sec-Fetch-Site", "cross-site"}},
		{"ErrSecFetchSameSite", []string{"Sec-Fetch-Site", "same-site", "Origin", "http://example.com"}},
		{"ErrHTMX", []string{"Origin", "https://evil.example", "HX-Request", "true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.PostCSRF(t, "/admin/categories", url.Values{"name": {"Forged " + tc.name}}, tc.header...).
				MustStatus(t, 403).MustContain(t, "came from another site")
			if n := categories(t); n != 0 {
				t.Fatalf("%d categories after a cross-site form, want 0", n)
			}
		})
	}
	// The logout form too: a forged one must not end her session.
	b.PostCSRF(t, "/admin/logout", nil, "Origin", "https://evil.example").MustStatus(t, 403)
	b.Get(t, "/admin").MustStatus(t, 200)

	n := 0
	for _, tc := range []struct {
		name   string
		header []string
	}{
		{"SameOrigin", []string{"Origin", "http://example.com", "Sec-Fetch-Site", "same-origin"}},
		{"PublicURL", []string{"Origin", "https://blog.example"}},
		{"NoHeaders", nil}, // curl with the cookie: the CSRF token decides
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.PostCSRF(t, "/admin/categories", url.Values{"name": {"Kept " + tc.name}}, tc.header...).
				MustRedirect(t, "/admin/categories")
			n++
			if got := categories(t); got != n {
				t.Fatalf("%d categories, want %d", got, n)
			}
		})
	}
}

func TestAPICrossSite(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	jti, _ := MustClaims(t, s.Token)["jti"].(string)
	cookie := admin.SessionCookie + "=" + s.Token
	csrf := e.Admin.CSRFToken(jti)
	posts := func(t *testing.T) int {
		t.Helper()
		var list []map[string]any
		e.Do(t, Req{Method: "GET", Path: api + "/posts", Token: s.Token}).MustStatus(t, 200).Data(t, &list)
		return len(list)
	}
	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
	}{
		{"ErrCookieCrossOrigin", map[string]string{"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": "https://evil.example"}, 403},
		{"ErrCookieSecFetch", map[string]string{"Cookie": cookie, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"}, 403},
		{"CookieSameOrigin", map[string]string{"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": "http://example.com"}, 201},
		// A bearer token is no ambient credential: no Origin rule.
		{"BearerAnyOrigin", map[string]string{"Authorization": "Bearer " + s.Token, "Origin": "https://app.example"}, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := posts(t)
			r := e.Do(t, Req{Method: "POST", Path: api + "/posts", Header: tc.header, Body: map[string]any{"title": "Forged?"}})
			if tc.status >= 400 {
				p := r.MustProblem(t, tc.status)
				MustEqual(t, "detail", p.Detail, "This request came from another site, so nothing was changed. Use the Lullaby panel itself.")
				if got := posts(t); got != before {
					t.Fatalf("%d posts after a refused request, want %d", got, before)
				}
				return
			}
			r.MustStatus(t, tc.status)
		})
	}
	// Reading is not state-changing: a GET with the cookie from anywhere
	// is answered (the browser's same-origin policy keeps the answer from
	// the other site).
	e.Do(t, Req{Method: "GET", Path: api + "/me", Header: map[string]string{"Cookie": cookie, "Origin": "https://evil.example"}}).MustStatus(t, 200)
}
