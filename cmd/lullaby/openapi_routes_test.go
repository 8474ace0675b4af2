package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestAdminOpenAPIRoutes holds the admin API's OpenAPI document to the
// routes the composed app registers under /admin/api/v1: a route with no
// operation in the document, or an operation with no route, fails the
// test by name. (The admin tests check every response against it.) The
// document is read as the app serves it: without a session, with a strong
// ETag that answers 304.
func TestAdminOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	const prefix = "/admin/api/v1"
	res, err := s.app.Test(httptest.NewRequest(http.MethodGet, prefix+"/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	etag := res.Header.Get("ETag")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		res.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("GET openapi.json: %d, headers %v", res.StatusCode, res.Header)
	}
	req := httptest.NewRequest(http.MethodGet, prefix+"/openapi.json", nil)
	req.Header.Set("If-None-Match", etag)
	if res, err := s.app.Test(req, -1); err != nil || res.StatusCode != http.StatusNotModified {
		t.Fatalf("GET openapi.json with If-None-Match %s: %v, %v", etag, res.StatusCode, err)
	}

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, prefix+"/") {
			t.Errorf("the document's path %s is not under %s", path, prefix)
		}
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	registered := map[string]bool{}
	for _, r := range s.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, prefix+"/") || r.Method == http.MethodHead {
			continue // Fiber adds a HEAD for every GET
		}
		registered[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, stale []string
	for op := range registered {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !registered[op] {
			stale = append(stale, op)
		}
	}
	slices.Sort(missing)
	slices.Sort(stale)
	for _, op := range missing {
		t.Errorf("route %s has no operation in admin/openapi.json", op)
	}
	for _, op := range stale {
		t.Errorf("admin/openapi.json describes %s, which no route serves", op)
	}
	if len(registered) < 80 {
		t.Errorf("found %d admin API routes; the app registers more: is the prefix still %s?", len(registered), prefix)
	}
}
