package cmstest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OpenAPI is an OpenAPI document (the public API's, the admin API's)
// loaded to check the responses of a surface's tests against it, so that
// the document cannot drift from the handlers.
type OpenAPI struct {
	Doc    *openapi3.T
	path   string
	router routers.Router
}

// MustOpenAPI loads the document at path and validates it: one server,
// the root, for every path (a client generated from the document with
// one base URL reaches every operation). Response bodies of the media
// types in files are read as files (images, archives). It panics on
// failure, as it is meant for a test package's init.
func MustOpenAPI(path string, files ...string) *OpenAPI {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		panic(path + ": " + err.Error())
	}
	if err := doc.Validate(context.Background()); err != nil {
		panic(path + ": " + err.Error())
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		panic(path + ": want one server, the root")
	}
	for p, item := range doc.Paths.Map() {
		if len(item.Servers) > 0 {
			panic(path + ": " + p + " has servers of its own")
		}
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	for _, ct := range files {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		panic(path + ": " + err.Error())
	}
	return &OpenAPI{Doc: doc, path: path, router: router}
}

// MustMatch fails unless the response is one the document allows for the
// request: a documented status, its content type and a body of its
// schema. A 404 for a path the document does not have (a surface's
// catch-all) is not checked; compressed bodies are the caller's to skip.
func (o *OpenAPI) MustMatch(tb testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	vreq := req.Clone(context.Background())
	vreq.URL = &u
	route, params, err := o.router.FindRoute(vreq)
	if err != nil {
		if status == http.StatusNotFound {
			return
		}
		tb.Fatalf("%s %s: not in %s: %v", req.Method, req.URL, o.path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true}},
		Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		tb.Fatalf("%s %s: response %d does not match %s: %v\nbody: %.2000s", req.Method, req.URL, status, o.path, err, body)
	}
}
