package public_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/public"
)

func TestAPIDocsPage(t *testing.T) {
	t.Parallel()
	cf := cmstest.MustService(t)
	api, err := public.New(public.Config{Content: cf.Read, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	api.DocsRoutes(app.Group("/api/docs"),
		public.APIDoc{Name: "public", Title: "Content API", URL: "/api/v1/openapi.json"},
		public.APIDoc{Name: "admin", Title: "Admin API", URL: "/admin/api/v1/openapi.json"})
	get := func(target string) *http.Response {
		t.Helper()
		r, err := app.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for target, want := range map[string]string{
		"/api/docs":           `data-spec-url="/api/v1/openapi.json"`,
		"/api/docs?doc=admin": `data-spec-url="/admin/api/v1/openapi.json"`,
	} {
		r := get(target)
		body := readAll(t, r)
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, want) {
			t.Errorf("%s: %d %s, want a page with %s:\n%s", target, r.StatusCode, r.Header.Get("Content-Type"), want, body)
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: Content-Security-Policy %q lacks %s", target, csp, d)
			}
		}
		if !strings.Contains(body, `href="/api/docs?doc=admin"`) || !strings.Contains(body, `href="/api/docs?doc=public"`) {
			t.Errorf("%s: no link to each document", target)
		}
	}
	for target, ctype := range map[string]string{
		"/api/docs/redoc.standalone.js": "text/javascript",
		"/api/docs/api-docs.js":         "text/javascript",
		"/api/docs/api-docs.css":        "text/css",
	} {
		r := get(target)
		if body := readAll(t, r); r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), ctype) || len(body) < 100 || r.Header.Get("ETag") == "" {
			t.Errorf("%s: %d %q, %d bytes, ETag %q", target, r.StatusCode, r.Header.Get("Content-Type"), len(body), r.Header.Get("ETag"))
		}
	}
	for _, target := range []string{"/api/docs?doc=nope", "/api/docs/nope.js", "/api/docs/..%2fgo.mod"} {
		r := get(target)
		if body := readAll(t, r); r.StatusCode != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %q %s, want a 404 problem", target, r.StatusCode, r.Header.Get("Content-Type"), body)
		}
	}
}

func readAll(t *testing.T, r *http.Response) string {
	t.Helper()
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
