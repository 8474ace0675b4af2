package admin_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

const (
	api            = "/admin/api/v1"
	testSecret     = "test-secret-0123456789abcdef-0123456789abcdef"
	ownerEmail     = "owner@example.com"
	ownerPassword  = "correct horse battery"
	editorEmail    = "editor@example.com"
	editorPassword = "editor password 1"
)

// Env is one composed app on a fresh database.
type Env struct {
	App   *fiber.App
	Admin *admin.Admin
	*cmstest.Fixture
}

// MustNewEnv builds the app the way cmd/lullaby does, on a fresh database.
// The app's own ErrorHandler answers 599, so a test sees at once any error
// that escaped the admin group's problem middleware.
func MustNewEnv(tb testing.TB, opts ...func(*admin.Config)) *Env {
	tb.Helper()
	return MustNewEnvFor(tb, cmstest.MustService(tb), opts...)
}

// MustNewEnvFor builds another app over an existing service and its read
// model, with a post index of its own (as another instance would have).
func MustNewEnvFor(tb testing.TB, f *cmstest.Fixture, opts ...func(*admin.Config)) *Env {
	tb.Helper()
	cfg := admin.Config{Service: f.Svc, ReadModel: f.Read, Posts: readmodel.NewPostIndex(f.DB), Secret: []byte(testSecret), Logger: cmstest.Logger(),
		Dumper: f.DB, Version: "test", ImportDir: tb.TempDir()}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := admin.New(cfg)
	if err != nil {
		tb.Fatalf("admin.New: %v", err)
	}
	tb.Cleanup(a.Close) // before the database goes: an import may be running
	app := fiber.New(fiber.Config{
		BodyLimit: 4 << 20,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return c.Status(599).SendString("app error handler reached: " + err.Error())
		},
	})
	app.Use(requestid.New())
	a.Routes(app.Group("/admin"))
	return &Env{App: app, Admin: a, Fixture: f}
}

// Resp is a recorded response.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// Req describes a request; Body is sent as is when it is a string or
// []byte, else marshalled to JSON.
type Req struct {
	Method, Path string
	Token        string
	Body         any
	Header       map[string]string
}

// Do sends r through the app and checks the response against the API's
// OpenAPI document (MustMatchOpenAPI).
func (e *Env) Do(tb testing.TB, r Req) *Resp {
	tb.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("marshal request body: %v", err)
		}
		body = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(r.Method, r.Path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	res, err := e.App.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", r.Method, r.Path, err)
	}
	out := &Resp{Status: res.StatusCode, Header: res.Header, Body: raw}
	MustMatchOpenAPI(tb, req, out)
	if got := res.Header.Get("Cache-Control"); got != "no-store" && r.Path != api+"/openapi.json" {
		tb.Errorf("%s %s: Cache-Control = %q, want no-store", r.Method, r.Path, got)
	}
	if out.Status >= 400 {
		if got := res.Header.Get("Content-Type"); got != "application/problem+json" {
			tb.Errorf("%s %s: status %d with Content-Type %q, want application/problem+json; body %s", r.Method, r.Path, out.Status, got, raw)
		}
	}
	return out
}

// MustStatus fails unless the response has status want.
func (r *Resp) MustStatus(tb testing.TB, want int) *Resp {
	tb.Helper()
	if r.Status != want {
		tb.Fatalf("status = %d, want %d; body: %s", r.Status, want, r.Body)
	}
	return r
}

// Data decodes {"data": ...} into v.
func (r *Resp) Data(tb testing.TB, v any) {
	tb.Helper()
	env := struct{ Data json.RawMessage }{}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		tb.Fatalf("decode response %s: %v", r.Body, err)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		tb.Fatalf("decode data %s: %v", env.Data, err)
	}
}

// Problem is a decoded problem+json body.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Instance  string            `json:"instance"`
	RequestID string            `json:"requestId"`
	Errors    map[string]string `json:"errors"`
}

// MustProblem checks the status and that the problem names exactly the
// fields in fields (which may be empty), and returns it.
func (r *Resp) MustProblem(tb testing.TB, status int, fields ...string) Problem {
	tb.Helper()
	r.MustStatus(tb, status)
	var p Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		tb.Fatalf("decode problem %s: %v", r.Body, err)
	}
	if p.Status != status || p.Title == "" || p.Detail == "" || !strings.HasPrefix(p.Type, "urn:lullaby:problem:") ||
		!strings.HasPrefix(p.Instance, api) || p.RequestID == "" {
		tb.Errorf("problem = %+v, want status %d and every member set", p, status)
	}
	got := make([]string, 0, len(p.Errors))
	for f := range p.Errors {
		got = append(got, f)
	}
	if !sameSet(got, fields) {
		tb.Fatalf("problem fields = %v, want %v; body: %s", p.Errors, fields, r.Body)
	}
	return p
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// Session is what login returns.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      cms.User  `json:"user"`
}

// MustSetup creates the owner through the API and logs her in.
func (e *Env) MustSetup(tb testing.TB) Session {
	tb.Helper()
	e.Do(tb, Req{Method: "POST", Path: api + "/setup",
		Body: map[string]string{"email": ownerEmail, "name": "Olivia Owner", "password": ownerPassword}}).MustStatus(tb, 201)
	return e.MustLogin(tb, ownerEmail, ownerPassword)
}

// MustLogin logs in and returns the session.
func (e *Env) MustLogin(tb testing.TB, email, password string) Session {
	tb.Helper()
	var s Session
	e.Do(tb, Req{Method: "POST", Path: api + "/session",
		Body: map[string]string{"email": email, "password": password}}).MustStatus(tb, 200).Data(tb, &s)
	if s.Token == "" || s.User.Email != email {
		tb.Fatalf("login = %+v, want a token for %s", s, email)
	}
	return s
}

// MustEditor creates an editor (as owner) and logs in as her.
func (e *Env) MustEditor(tb testing.TB, owner Session) Session {
	tb.Helper()
	e.Do(tb, Req{Method: "POST", Path: api + "/users", Token: owner.Token, Body: map[string]string{
		"email": editorEmail, "name": "Edith Editor", "role": "editor", "password": editorPassword}}).MustStatus(tb, 201)
	return e.MustLogin(tb, editorEmail, editorPassword)
}

// MustPost creates a post and returns it.
func (e *Env) MustPost(tb testing.TB, token string, in map[string]any) cms.Post {
	tb.Helper()
	var p cms.Post
	e.Do(tb, Req{Method: "POST", Path: api + "/posts", Token: token, Body: in}).MustStatus(tb, 201).Data(tb, &p)
	return p
}

// MustGetPost reads a post.
func (e *Env) MustGetPost(tb testing.TB, token, id string) cms.Post {
	tb.Helper()
	var p cms.Post
	e.Do(tb, Req{Method: "GET", Path: api + "/posts/" + id, Token: token}).MustStatus(tb, 200).Data(tb, &p)
	return p
}

// MustClaims decodes a JWT's payload without verifying it.
func MustClaims(tb testing.TB, token string) map[string]any {
	tb.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		tb.Fatalf("token %q has %d parts, want 3", token, len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatalf("decode token payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatalf("decode token claims: %v", err)
	}
	return m
}

// MustEqual fails when got != want.
func MustEqual[T any](tb testing.TB, what string, got, want T) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("%s = %#v, want %#v", what, got, want)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
