package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// running is one program started on a free port.
type running struct {
	base string
	srv  *server
	out  *cmstest.SyncBuffer
	stop func() error
}

// MustStart runs the server the way `lullaby serve` does, with env as its
// environment and args as its flags, on 127.0.0.1:0.
func MustStart(tb testing.TB, env map[string]string, args ...string) *running {
	tb.Helper()
	getenv := func(k string) string { return env[k] }
	out := &cmstest.SyncBuffer{}
	cfg, err := loadConfig("serve", append([]string{"--addr", "127.0.0.1:0"}, args...), getenv, out)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := newServer(context.Background(), cfg, out)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		tb.Fatal(err)
	}
	s.announce(context.Background(), ln.Addr(), out)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, ln) }()
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	tb.Cleanup(func() { _ = stop() })
	return &running{base: "http://" + ln.Addr().String(), srv: s, out: out, stop: stop}
}

// call is one JSON request; it returns the status, headers and body.
func call(tb testing.TB, method, url, token string, body any) (int, http.Header, []byte) {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 20 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// MustCall is call that fails the test unless the status is want, and
// decodes the body's "data" into out (when not nil).
func MustCall(tb testing.TB, want int, method, url, token string, body, out any) []byte {
	tb.Helper()
	status, _, b := call(tb, method, url, token, body)
	if status != want {
		tb.Fatalf("%s %s = %d, want %d; body: %s", method, url, status, want, b)
	}
	if out != nil {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(b, &env); err != nil {
			tb.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			tb.Fatalf("%s %s: data: %v: %s", method, url, err, b)
		}
	}
	return b
}

type postJSON struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	HTML    string `json:"html"`
	Status  string `json:"status"`
	Version int    `json:"version"`
}

// waitFor polls fn until it returns true or the limit passes.
func waitFor(tb testing.TB, what string, limit time.Duration, fn func() bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for !fn() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not after %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWalkingSkeleton is the whole life of a post over real HTTP: first
// owner, login, category, post, publish, stale edit, slug change, a
// scheduled post that goes live by itself, trash; then a restart keeps
// content and sessions, a second instance sees writes, and an outage of
// the database leaves the public API serving.
func TestWalkingSkeleton(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"LULLABY_DATA_DIR": dataDir, "LULLABY_SCHEDULER_INTERVAL": "100ms", "LULLABY_SYNC_INTERVAL": "100ms", "LULLABY_LOG_LEVEL": "warn"}
	r := MustStart(t, env)
	if out := r.out.String(); !strings.Contains(out, "user create --data-dir "+dataDir+" --email") || !strings.Contains(out, r.base+"/admin") {
		t.Errorf("start-up output does not say where to log in and how to create the first owner:\n%s", out)
	}
	api, admin := r.base+"/api/v1", r.base+"/admin/api/v1"

	MustCall(t, 201, "POST", admin+"/setup", "", map[string]string{"email": "Owner@Example.com", "name": "Sam Owner", "password": "correct horse battery"}, nil)
	MustCall(t, 409, "POST", admin+"/setup", "", map[string]string{"email": "other@example.com", "name": "Other", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": "owner@example.com", "password": "correct horse battery"}, &session)
	tok := session.Token

	var cat struct{ ID, Slug string }
	MustCall(t, 201, "POST", admin+"/categories", tok, map[string]any{"name": "Newborn sleep"}, &cat)
	var post postJSON
	MustCall(t, 201, "POST", admin+"/posts", tok, map[string]any{
		"title": "Why newborns wake at night", "body": "## Short cycles\n\nNewborn sleep cycles last about *50 minutes*.",
		"categoryIds": []string{cat.ID}, "tags": []string{"newborn"},
	}, &post)
	if post.Slug != "why-newborns-wake-at-night" || post.Status != "draft" {
		t.Fatalf("created post = %+v", post)
	}
	MustCall(t, 404, "GET", api+"/posts/"+post.Slug, "", nil, nil)
	MustCall(t, 200, "POST", admin+"/posts/"+post.ID+"/publish", tok, map[string]any{"version": post.Version}, &post)

	var list []postJSON
	MustCall(t, 200, "GET", api+"/posts", "", nil, &list)
	if len(list) != 1 || list[0].Slug != post.Slug {
		t.Fatalf("public list = %+v, want the published post", list)
	}
	var pub postJSON
	MustCall(t, 200, "GET", api+"/posts/"+post.Slug, "", nil, &pub)
	if !strings.Contains(pub.HTML, `<h2 id="short-cycles">Short cycles</h2>`) || !strings.Contains(pub.HTML, "<em>50 minutes</em>") {
		t.Errorf("public HTML = %q", pub.HTML)
	}

	stale := post.Version - 1
	MustCall(t, 409, "PATCH", admin+"/posts/"+post.ID, tok, map[string]any{"title": "Overwritten?", "version": stale}, nil)
	MustCall(t, 200, "GET", api+"/posts/"+post.Slug, "", nil, &pub)
	if pub.Title != "Why newborns wake at night" {
		t.Fatalf("a stale edit changed the title to %q", pub.Title)
	}

	MustCall(t, 200, "PATCH", admin+"/posts/"+post.ID, tok, map[string]any{"slug": "newborn-night-waking", "version": post.Version}, &post)
	status, h, _ := call(t, "GET", api+"/posts/why-newborns-wake-at-night", "", nil)
	if status != 301 || h.Get("Location") != "/api/v1/posts/newborn-night-waking" {
		t.Fatalf("old slug: %d Location %q, want 301 to /api/v1/posts/newborn-night-waking", status, h.Get("Location"))
	}
	MustCall(t, 200, "GET", api+"/posts/newborn-night-waking", "", nil, nil)

	var later postJSON
	MustCall(t, 201, "POST", admin+"/posts", tok, map[string]any{"title": "The four-month regression", "body": "It passes."}, &later)
	at := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	MustCall(t, 200, "POST", admin+"/posts/"+later.ID+"/schedule", tok, map[string]any{"version": later.Version, "publishAt": at}, &later)
	MustCall(t, 404, "GET", api+"/posts/"+later.Slug, "", nil, nil)
	waitFor(t, "the scheduled post goes live", 15*time.Second, func() bool {
		status, _, _ := call(t, "GET", api+"/posts/"+later.Slug, "", nil)
		return status == 200
	})
	MustCall(t, 200, "GET", admin+"/posts/"+later.ID, tok, nil, &later)
	if later.Status != "published" {
		t.Fatalf("scheduled post status = %q, want published", later.Status)
	}
	MustCall(t, 200, "POST", admin+"/posts/"+later.ID+"/trash", tok, map[string]any{"version": later.Version}, &later)
	MustCall(t, 404, "GET", api+"/posts/"+later.Slug, "", nil, nil)
	MustCall(t, 200, "GET", api+"/posts", "", nil, &list)
	if len(list) != 1 {
		t.Fatalf("after trashing: %d public posts, want 1", len(list))
	}

	// A second instance on the same database sees this instance's writes
	// within its sync interval.
	second := MustStart(t, map[string]string{"LULLABY_MONGODB_URI": r.srv.db.URI(), "LULLABY_JWT_SECRET_FILE": filepath.Join(dataDir, "jwt.key"),
		"LULLABY_SYNC_INTERVAL": "100ms", "LULLABY_LOG_LEVEL": "warn"})
	MustCall(t, 200, "GET", second.base+"/api/v1/posts/newborn-night-waking", "", nil, nil)
	MustCall(t, 200, "POST", admin+"/posts/"+later.ID+"/restore", tok, map[string]any{"version": later.Version}, &later)
	waitFor(t, "the second instance sees the restored post", 10*time.Second, func() bool {
		status, _, _ := call(t, "GET", second.base+"/api/v1/posts/"+later.Slug, "", nil)
		return status == 200
	})
	MustCall(t, 200, "GET", second.base+"/admin/api/v1/me", tok, nil, nil) // the same secret everywhere
	if err := second.stop(); err != nil {
		t.Fatal(err)
	}

	// Restart: content and the session survive.
	if err := r.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	r = MustStart(t, env)
	api, admin = r.base+"/api/v1", r.base+"/admin/api/v1"
	MustCall(t, 200, "GET", api+"/posts/newborn-night-waking", "", nil, nil)
	var me struct{ Email string }
	MustCall(t, 200, "GET", admin+"/me", tok, nil, &me)
	if me.Email != "owner@example.com" {
		t.Errorf("me = %+v", me)
	}
	if strings.Contains(r.out.String(), "No users yet") {
		t.Errorf("start-up output offers first-user set-up although a user exists")
	}

	// The database goes away: the public API keeps serving the snapshot.
	var ready readyBody
	if err := json.Unmarshal(MustCall(t, 200, "GET", r.base+"/readyz", "", nil, nil), &ready); err != nil {
		t.Fatal(err)
	}
	if ready.Status != "ok" || ready.ContentVersion != r.srv.rm.Snapshot().Version() || ready.ContentVersion == 0 ||
		ready.BuiltAt == nil || ready.SyncedAt == nil || ready.AgeSeconds < 0 || ready.AgeSeconds > 5 {
		t.Errorf("readyz = %+v, want ok with the snapshot's version and a recent sync", ready)
	}
	hostport := strings.TrimPrefix(r.base, "http://")
	if err := run(context.Background(), []string{"healthcheck", hostport}, func(string) string { return "" }, nil, io.Discard, io.Discard); err != nil {
		t.Errorf("healthcheck on a ready server: %v", err)
	}
	r.srv.db.StopEmbedded()
	for _, path := range []string{"/posts", "/posts/newborn-night-waking", "/categories/" + cat.Slug, "/site"} {
		MustCall(t, 200, "GET", api+path, "", nil, nil)
	}
	status, _, body := call(t, "GET", r.base+"/readyz", "", nil)
	var down readyBody
	if err := json.Unmarshal(body, &down); status != 503 || err != nil || down.Database != "unreachable" || down.ContentVersion != ready.ContentVersion {
		t.Errorf("readyz with the database down = %d %s, want 503 naming the database, with version %d", status, body, ready.ContentVersion)
	}
	status, _, body = call(t, "GET", admin+"/posts", tok, nil)
	if status != 503 && status != 401 {
		t.Errorf("admin API with the database down = %d %s, want 503", status, body)
	}
	MustCall(t, 200, "GET", r.base+"/healthz", "", nil, nil)
	if err := run(context.Background(), []string{"healthcheck", hostport}, func(string) string { return "" }, nil, io.Discard, io.Discard); err == nil {
		t.Errorf("healthcheck passes with the database down")
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	run1 := func(args []string, env map[string]string, stdin string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &out)
		return out.String(), err
	}
	if out, err := run1([]string{"version"}, nil, ""); err != nil || !strings.HasPrefix(out, "lullaby ") {
		t.Errorf("version: %q, %v", out, err)
	}
	for _, args := range [][]string{{"serve", "--help"}, {"--help"}, {"help"}, {"serve", "-h"}} {
		out, err := run1(args, nil, "")
		if err != nil {
			t.Errorf("%v: %v, want success", args, err)
		}
		for _, v := range []string{"LULLABY_MONGODB_URI", "LULLABY_DATA_DIR", "LULLABY_SYNC_INTERVAL", "LULLABY_JWT_SECRET", "LULLABY_JWT_SECRET_FILE", "LULLABY_LOG_LEVEL", "LULLABY_CORS_ORIGINS", "LULLABY_PUBLIC_URL", "LULLABY_DB_DEBUG_ADDR"} {
			if !strings.Contains(out, v) {
				t.Errorf("%v does not list %s:\n%s", args, v, out)
			}
		}
	}
	if _, err := run1([]string{"serve"}, map[string]string{"LULLABY_SYNC_INTERVAL": "soon"}, ""); err == nil || !strings.Contains(err.Error(), "LULLABY_SYNC_INTERVAL") {
		t.Errorf("bad interval: err = %v, want one naming LULLABY_SYNC_INTERVAL", err)
	}
	if _, err := run1([]string{"serve"}, map[string]string{"LULLABY_JWT_SECRET": "short"}, ""); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Errorf("short secret: err = %v", err)
	}

	dir := t.TempDir()
	env := map[string]string{"LULLABY_DATA_DIR": dir}
	out, err := run1([]string{"user", "create", "--email", "Jo@Example.com", "--name", "Jo"}, env, "a long enough password\n")
	if err != nil || !strings.Contains(out, "Created owner Jo <jo@example.com>") {
		t.Fatalf("first user create: %q, %v", out, err)
	}
	out, err = run1([]string{"user", "create", "--email", "ed@example.com", "--name", "Ed"}, env, "another long password\n")
	if err != nil || !strings.Contains(out, "Created editor Ed") {
		t.Errorf("second user create: %q, %v", out, err)
	}
	if _, err := run1([]string{"user", "create", "--email", "jo@example.com", "--name", "Jo again"}, env, "a long enough password\n"); err == nil {
		t.Errorf("duplicate email accepted")
	}
	if _, err := run1([]string{"user", "create", "--email", "x@example.com", "--name", "X"}, env, "short\n"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password: %v", err)
	}
	out, err = run1([]string{"user", "reset-2fa", "--email", "JO@example.com"}, env, "")
	if err != nil || !strings.Contains(out, "Two-factor sign-in is off for Jo <jo@example.com>") {
		t.Errorf("user reset-2fa: %q, %v", out, err)
	}
	if _, err := run1([]string{"user", "reset-2fa", "--email", "nobody@example.com"}, env, ""); err == nil {
		t.Errorf("user reset-2fa of an unknown email: no error")
	}
	if out, err := run1([]string{"demo"}, env, ""); err != nil {
		t.Errorf("demo: %v %s", err, out)
	}
	if _, err := run1([]string{"frobnicate"}, nil, ""); err == nil {
		t.Errorf("unknown command accepted")
	}
}

func TestStartFailsClearly(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string {
		return map[string]string{"LULLABY_MONGODB_URI": "mongodb://127.0.0.1:1/?connectTimeoutMS=500&serverSelectionTimeoutMS=1000"}[k]
	}, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("unreachable MongoDB: err = %v, want one naming the server", err)
	}
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", "/dev/null/data"}, func(string) string { return "" }, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "/dev/null/data") {
		t.Errorf("unwritable data folder: err = %v, want one naming it", err)
	}
}
