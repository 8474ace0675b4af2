package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// mustServerLogging is MustServer with every log record, debug included,
// kept in the returned buffer.
func mustServerLogging(tb testing.TB) (*server, *cmstest.SyncBuffer) {
	tb.Helper()
	logs := &cmstest.SyncBuffer{}
	return mustServerOn(tb, cmstest.New(tb), nil, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), logs
}

// createdKey is the admin API's answer to a new content key.
type createdKey struct {
	ID, Name, Prefix, Secret string
	Origins                  []string
	RateLimit                int
}

// mustContentKey makes a content key through the admin API.
func mustContentKey(tb testing.TB, s *server, token, body string) createdKey {
	tb.Helper()
	r := s.do(tb, "POST", "/admin/api/v1/content-keys", token, body)
	var env struct{ Data createdKey }
	if r.status != 201 || json.Unmarshal(r.body, &env) != nil {
		tb.Fatalf("create key %s: %d %s", body, r.status, r.body)
	}
	if !regexp.MustCompile(`^[0-9a-f]{26}$`).MatchString(env.Data.Secret) || env.Data.Prefix != env.Data.Secret[:4] {
		tb.Fatalf("key %q prefix %q: want 26 lowercase hex digits and their first four", env.Data.Secret, env.Data.Prefix)
	}
	return env.Data
}

// mustSettings applies a settings change through the admin API, from the
// stored version.
func mustSettings(tb testing.TB, s *server, token, fields string) {
	tb.Helper()
	cur, err := s.svc.GetSettings(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if r := s.do(tb, "PUT", "/admin/api/v1/settings", token, `{`+fields+`,"version":`+strconv.Itoa(cur.Version)+`}`); r.status != 200 {
		tb.Fatalf("settings %s: %d %s", fields, r.status, r.body)
	}
}

// mustKeyProblem checks a refusal of the content key: status, no-store,
// and the field named in our problem+json or Ghost's error.
func mustKeyProblem(tb testing.TB, what string, r appResponse, status int, ghost bool) {
	tb.Helper()
	if r.status != status || r.header.Get("Cache-Control") != "no-store" {
		tb.Fatalf("%s: %d (Cache-Control %q) %s, want %d no-store", what, r.status, r.header.Get("Cache-Control"), r.body, status)
	}
	if ghost {
		// Ghost's own answers: no key 403 "Authorization failed", an
		// unknown or revoked one 401 "Unknown Content API Key".
		var g struct {
			Errors []struct{ Type, Message string }
		}
		want := map[int][2]string{401: {"UnauthorizedError", "Unknown Content API Key"}, 403: {"NoPermissionError", "Authorization failed"}}[status]
		if json.Unmarshal(r.body, &g) != nil || len(g.Errors) != 1 || g.Errors[0].Type != want[0] || g.Errors[0].Message != want[1] {
			tb.Errorf("%s: body %s, want Ghost's %s %q", what, r.body, want[0], want[1])
		}
		return
	}
	var p struct{ Errors map[string]string }
	if r.header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(r.body, &p) != nil || p.Errors["key"] == "" {
		tb.Errorf("%s: %s %s, want problem+json naming key", what, r.header.Get("Content-Type"), r.body)
	}
}

// TestContentKeys drives content keys through the composed app on a real
// store: made in the admin API, required by the setting on our API and
// the Ghost dialect (not on the OpenAPI document, feeds, sitemap or
// robots.txt), their own CORS origins, revoked without a restart, and
// their secrets never listed nor logged.
func TestContentKeys(t *testing.T) {
	t.Parallel()
	s, logs := mustServerLogging(t)
	token := MustOwnerToken(t, s)
	owner := &cms.User{ID: cms.NewID(), Name: "Sam Owner", Role: cms.RoleOwner}
	title, body := "Why babies wake", "Night waking is normal."
	if _, err := s.svc.ImportPost(context.Background(), owner, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	get := func(path string, header ...string) appResponse { return s.do(t, "GET", path, "", "", header...) }

	if r := get("/api/v1/posts"); r.status != 200 {
		t.Fatalf("no key while none is required: %d %s", r.status, r.body)
	}
	web := mustContentKey(t, s, token, `{"name":"Website","origins":["https://Shop.example/"]}`)
	app := mustContentKey(t, s, token, `{"name":"App","rateLimit":600}`)
	if len(web.Origins) != 1 || web.Origins[0] != "https://shop.example" {
		t.Errorf("origins %q, want [https://shop.example]", web.Origins)
	}
	if r := get("/api/v1/posts?key=00000000000000000000000000"); r.status != 200 {
		t.Fatalf("an unknown key while none is required: %d %s", r.status, r.body)
	}
	mustSettings(t, s, token, `"requireContentKey":true,"corsOrigins":["https://www.example.com"]`)

	t.Run("Missing", func(t *testing.T) {
		r := get("/api/v1/posts")
		mustKeyProblem(t, "our API", r, 401, false)
		if !strings.Contains(r.header.Get("WWW-Authenticate"), "X-Lullaby-Key") {
			t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
		}
		mustKeyProblem(t, "Ghost", get("/ghost/api/content/posts/"), 403, true)
		mustKeyProblem(t, "Ghost, empty key", get("/ghost/api/content/settings/?key="), 403, true)
	})
	t.Run("Good", func(t *testing.T) {
		r := get("/api/v1/posts", "X-Lullaby-Key", web.Secret)
		if r.status != 200 || !strings.Contains(r.header.Get("Vary"), "X-Lullaby-Key") || !bytes.Contains(r.body, []byte(title)) {
			t.Errorf("header key: %d Vary %q %s", r.status, r.header.Get("Vary"), r.body)
		}
		for _, path := range []string{"/api/v1/posts?key=" + app.Secret, "/api/v1/site?key=" + web.Secret,
			"/ghost/api/content/posts/?key=" + web.Secret, "/ghost/api/content/settings/?key=" + app.Secret} {
			if r := get(path); r.status != 200 {
				t.Errorf("%s: %d %s", strings.ReplaceAll(path, web.Secret, "…"), r.status, r.body)
			}
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		mustKeyProblem(t, "our API", get("/api/v1/posts", "X-Lullaby-Key", "00000000000000000000000000"), 403, false)
		mustKeyProblem(t, "our API, short", get("/api/v1/posts?key=abc"), 403, false)
		mustKeyProblem(t, "Ghost", get("/ghost/api/content/posts/?key=00000000000000000000000000"), 401, true)
		// Which of two keys would be meant? Refused, as Ghost refuses it.
		mustKeyProblem(t, "our API, twice", get("/api/v1/posts?key="+app.Secret+"&key="+app.Secret), 400, false)
	})
	t.Run("StillOpen", func(t *testing.T) {
		for _, path := range []string{"/api/v1/openapi.json", "/feed.xml", "/feed.atom", "/feed.json", "/sitemap.xml", "/robots.txt"} {
			if r := get(path); r.status != 200 {
				t.Errorf("%s without a key: %d %s", path, r.status, r.body)
			}
		}
	})
	t.Run("CORS", func(t *testing.T) {
		acao := func(r appResponse) string { return r.header.Get("Access-Control-Allow-Origin") }
		if r := get("/api/v1/posts", "X-Lullaby-Key", web.Secret, "Origin", "https://shop.example"); r.status != 200 || acao(r) != "https://shop.example" {
			t.Errorf("its origin with its key: %d allow %q", r.status, acao(r))
		}
		if r := get("/ghost/api/content/posts/?key="+web.Secret, "Origin", "https://shop.example"); r.status != 200 || acao(r) != "https://shop.example" {
			t.Errorf("its origin with its key, Ghost: %d allow %q", r.status, acao(r))
		}
		if r := get("/api/v1/posts", "X-Lullaby-Key", app.Secret, "Origin", "https://shop.example"); r.status != 200 || acao(r) != "" {
			t.Errorf("its origin with another key: %d allow %q", r.status, acao(r))
		}
		if r := get("/api/v1/posts", "X-Lullaby-Key", web.Secret, "Origin", "https://www.example.com"); acao(r) != "https://www.example.com" {
			t.Errorf("the site's origin: allow %q", acao(r))
		}
		pre := s.do(t, "OPTIONS", "/api/v1/posts", "", "", "Origin", "https://shop.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-lullaby-key")
		if acao(pre) != "https://shop.example" || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "X-Lullaby-Key") {
			t.Errorf("preflight from a key's origin: %d allow %q headers %q", pre.status, acao(pre), pre.header.Get("Access-Control-Allow-Headers"))
		}
		if pre := s.do(t, "OPTIONS", "/api/v1/posts", "", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET"); acao(pre) != "" {
			t.Errorf("preflight from elsewhere: allow %q", acao(pre))
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		r := s.do(t, "DELETE", "/admin/api/v1/content-keys/"+web.ID, token, "")
		if r.status != 200 || !bytes.Contains(r.body, []byte(`"revokedAt":"`)) {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		mustKeyProblem(t, "our API", get("/api/v1/posts", "X-Lullaby-Key", web.Secret), 403, false)
		mustKeyProblem(t, "Ghost", get("/ghost/api/content/posts/?key="+web.Secret), 401, true)
		if r := get("/api/v1/posts", "X-Lullaby-Key", app.Secret); r.status != 200 {
			t.Errorf("the other key: %d %s", r.status, r.body)
		}
		if r := s.do(t, "DELETE", "/admin/api/v1/content-keys/"+web.ID, token, ""); r.status != 200 {
			t.Errorf("revoke again: %d %s", r.status, r.body)
		}
		if r := s.do(t, "DELETE", "/admin/api/v1/content-keys/"+cms.NewID(), token, ""); r.status != 404 {
			t.Errorf("revoke a key that does not exist: %d %s", r.status, r.body)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		for body, field := range map[string]string{
			`{"name":""}`:     "name",
			`{"name":"   "}`:  "name",
			`{"rateLimit":5}`: "name",
			`{"name":"` + strings.Repeat("x", 101) + `"}`:       "name",
			`{"name":"A","origins":["ftp://x.example"]}`:        "origins",
			`{"name":"A","origins":["https://x.example/path"]}`: "origins",
			`{"name":"A","rateLimit":-1}`:                       "rateLimit",
			`{"name":"A","rateLimit":100001}`:                   "rateLimit",
			`{"name":"A","rateLimit":"ten"}`:                    "rateLimit",
			`{"name":"A","secret":"0123"}`:                      "secret",
		} {
			r := s.do(t, "POST", "/admin/api/v1/content-keys", token, body)
			if got := problemFields(t, r); len(got) != 1 || got[0] != field {
				t.Errorf("%s: fields %q, want [%s]", body, got, field)
			}
		}
	})
	t.Run("NeverShownAgain", func(t *testing.T) {
		r := s.do(t, "GET", "/admin/api/v1/content-keys", token, "")
		var env struct{ Data []map[string]any }
		if r.status != 200 || json.Unmarshal(r.body, &env) != nil || len(env.Data) != 2 {
			t.Fatalf("list: %d %s, want the 2 keys (no partial write of bad input)", r.status, r.body)
		}
		for _, k := range env.Data {
			if _, ok := k["hash"]; ok {
				t.Errorf("the list shows a hash: %v", k)
			}
		}
		page := s.do(t, "GET", "/admin/settings", "", "", "Cookie", "lullaby_session="+token)
		for _, secret := range []string{web.Secret, app.Secret} {
			for what, b := range map[string]string{"list": string(r.body), "settings page": string(page.body), "logs": logs.String()} {
				if strings.Contains(b, secret) {
					t.Errorf("the %s shows a secret", what)
				}
			}
		}
		if page.status != 200 || !strings.Contains(string(page.body), web.Prefix+"…") {
			t.Errorf("settings page: %d, want the keys listed by prefix", page.status)
		}
	})
}
