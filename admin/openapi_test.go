package admin_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// openAPI is the admin API's OpenAPI document: every response that
// Env.Do sees under /admin/api/v1 must be one it allows for the request
// (status, content type and body), so the document cannot drift from the
// handlers. cmd/lullaby's TestAdminOpenAPIRoutes checks that it names
// every route of the composed app, and no other.
var openAPI = cmstest.MustOpenAPI("openapi.json", "application/gzip")

// MustMatchOpenAPI fails unless the response is one the admin API's
// OpenAPI document allows for the request: a documented status, its
// content type and a body of its schema. Paths outside the API, and 404s
// of paths the API does not serve, are not checked.
func MustMatchOpenAPI(tb testing.TB, req *http.Request, r *Resp) {
	tb.Helper()
	if !strings.HasPrefix(req.URL.Path, api+"/") || r.Header.Get("Content-Encoding") != "" {
		return
	}
	openAPI.MustMatch(tb, req, r.Status, r.Header, r.Body)
}

// TestOpenAPIDocument reads the document as a client would: without a
// session, the file itself, revalidated by its ETag, gzip'd on request.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	r := e.Do(t, Req{Method: "GET", Path: api + "/openapi.json"}).MustStatus(t, http.StatusOK)
	etag := r.Header.Get("ETag")
	if !bytes.Equal(r.Body, want) || r.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(etag, `"`) ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json: headers %v, %d bytes (want %d)", r.Header, len(r.Body), len(want))
	}
	e.Do(t, Req{Method: "GET", Path: api + "/openapi.json", Header: map[string]string{"If-None-Match": etag}}).MustStatus(t, http.StatusNotModified)
	gz := e.Do(t, Req{Method: "GET", Path: api + "/openapi.json", Header: map[string]string{"Accept-Encoding": "gzip"}}).MustStatus(t, http.StatusOK)
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag || len(gz.Body) >= len(want)/4 {
		t.Errorf("gzip: headers %v, %d bytes", gz.Header, len(gz.Body))
	}
	e.Do(t, Req{Method: "GET", Path: api + "/openapi.json", Header: map[string]string{"If-None-Match": `W/` + gz.Header.Get("ETag"), "Accept-Encoding": "gzip"}}).
		MustStatus(t, http.StatusNotModified)
}
