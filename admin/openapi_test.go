package admin_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The admin API's OpenAPI document, loaded once: every response that
// Env.Do sees under /admin/api/v1 must be one it allows for the request
// (status, content type and body), so the document cannot drift from the
// handlers. cmd/lullaby's TestAdminOpenAPIRoutes checks that it names
// every route of the composed app, and no other.
var (
	specRouter routers.Router
	spec       *openapi3.T
)

func init() {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		panic(err)
	}
	spec, err = openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		panic(err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		panic("openapi.json: " + err.Error())
	}
	if len(spec.Servers) != 1 || spec.Servers[0].URL != "/" {
		panic("openapi.json: want one server, the root")
	}
	spec.Servers = openapi3.Servers{{URL: "http://example.com"}}
	openapi3filter.RegisterBodyDecoder("application/gzip", openapi3filter.FileBodyDecoder)
	if specRouter, err = gorillamux.NewRouter(spec); err != nil {
		panic(err)
	}
}

// MustMatchOpenAPI fails unless the response is one the admin API's
// OpenAPI document allows for the request: a documented status, its
// content type and a body of its schema. Paths outside the API, and 404s
// of paths the API does not serve, are not checked.
func MustMatchOpenAPI(tb testing.TB, req *http.Request, r *Resp) {
	tb.Helper()
	if !strings.HasPrefix(req.URL.Path, api+"/") || r.Header.Get("Content-Encoding") != "" {
		return
	}
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	vreq := req.Clone(context.Background())
	vreq.URL = &u
	route, params, err := specRouter.FindRoute(vreq)
	if err != nil {
		if r.Status == http.StatusNotFound {
			return // no such route: the API's catch-all 404
		}
		tb.Fatalf("%s %s: not in admin/openapi.json: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true}},
		Status: r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		tb.Fatalf("%s %s: response %d does not match admin/openapi.json: %v\nbody: %.2000s", req.Method, req.URL.Path, r.Status, err, r.Body)
	}
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
