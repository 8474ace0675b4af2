package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// problemBody is a problem+json body as a client decodes it, every member
// kept (extensions included) so that the two APIs can be compared whole.
type problemBody map[string]any

// errorCall is one request that should fail: sent to the composed app;
// with overLimit, sent to it listening, announcing a body over the
// server's limit; with err set, answered by err through the app's error
// handler (for a kind that API has no route to produce: the public API
// never answers 401 or 409, and neither API can be made to fail
// internally on purpose).
type errorCall struct {
	method, path, token, body string
	header                    []string
	overLimit                 bool
	err                       error
}

// TestErrorsAgreeAcrossAPIs walks the error cases on the public API and
// the admin API and checks that the same kind gives the same status, the
// same problem type and the same members on both, every member set, the
// fields named, Retry-After on a 429, and nothing of an internal error
// shown.
func TestErrorsAgreeAcrossAPIs(t *testing.T) {
	t.Parallel()
	// The server's body limit is 3 MiB: room for the admin API's own
	// limit of 2 MiB.
	s := MustServerEnv(t, map[string]string{"LULLABY_BODY_LIMIT_MB": "1", "LULLABY_MAX_UPLOAD_MB": "2"})
	token := MustOwnerToken(t, s)
	addr := MustListen(t, s)
	const public, admin = "/api/v1", "/admin/api/v1"
	const missingID = "0123456789abcdef01234567"
	rateLimited := &cms.Error{Kind: cms.KindRateLimited, Op: "test", Message: "Too many tries.", RetryAfter: 90 * time.Second}
	secret := errors.New("mongodb://admin:hunter2@db.internal: connection reset")

	cases := []struct {
		name, typ      string
		status         int
		fields         []string
		public, admin  errorCall
		sameText       bool   // both APIs say the same sentences (detail, field messages)
		wantRetryAfter string // "" when none is due
	}{
		{name: "InvalidField", typ: "invalid", status: 400, fields: []string{"page"},
			public: errorCall{method: "GET", path: public + "/posts?page=0"},
			admin:  errorCall{method: "GET", path: admin + "/posts?page=0", token: token}},
		{name: "InvalidBody", typ: "invalid", status: 400, fields: []string{"body"},
			public: errorCall{method: "POST", path: public + "/quizzes/nap-quiz/answers", body: "[1]"},
			admin:  errorCall{method: "POST", path: admin + "/posts", token: token, body: "[1]"}},
		{name: "NotFound", typ: "not_found", status: 404,
			public: errorCall{method: "GET", path: public + "/posts/no-such-post"},
			admin:  errorCall{method: "GET", path: admin + "/posts/" + missingID, token: token}},
		{name: "Conflict", typ: "conflict", status: 409,
			public: errorCall{path: public + "/posts", err: cms.Errorf(cms.KindConflict, "test", "Somebody else was first.")},
			admin:  errorCall{method: "POST", path: admin + "/setup", body: `{"email":"b@example.com","name":"B","password":"correct horse battery"}`}},
		{name: "TooLargeForTheHandler", typ: "too_large", status: 413, fields: []string{"body"},
			public: errorCall{method: "POST", path: public + "/posts/any/views", body: `{"referrer":"` + strings.Repeat("x", 2<<10) + `"}`},
			admin:  errorCall{method: "POST", path: admin + "/posts", token: token, body: `{"title":"` + strings.Repeat("x", 2<<20) + `"}`}},
		{name: "TooLargeForTheServer", typ: "too_large", status: 413,
			public: errorCall{method: "POST", path: public + "/posts/any/views", overLimit: true, header: []string{"Origin", "https://site.example"}},
			admin:  errorCall{method: "POST", path: admin + "/posts", token: token, overLimit: true}, sameText: true},
		{name: "Unauthenticated", typ: "unauthenticated", status: 401,
			public: errorCall{path: public + "/posts", err: cms.Errorf(cms.KindUnauthenticated, "test", "Log in first.")},
			admin:  errorCall{method: "GET", path: admin + "/posts"}},
		{name: "Forbidden", typ: "forbidden", status: 403,
			public: errorCall{path: public + "/posts", err: cms.Errorf(cms.KindForbidden, "test", "Not for you.")},
			admin: errorCall{method: "DELETE", path: admin + "/posts/" + missingID,
				header: []string{"Cookie", "lullaby_session=" + token, "Sec-Fetch-Site", "cross-site"}}},
		{name: "RateLimited", typ: "rate_limited", status: 429, wantRetryAfter: "90",
			public: errorCall{path: public + "/posts", err: rateLimited},
			admin:  errorCall{path: admin + "/posts", err: rateLimited}, sameText: true},
		{name: "UnknownRoute", typ: "not_found", status: 404,
			public: errorCall{method: "GET", path: public + "/no/such/route"},
			admin:  errorCall{method: "PATCH", path: admin + "/no/such/route", token: token}, sameText: true},
		{name: "Internal", typ: "internal", status: 500,
			public: errorCall{path: public + "/posts", err: secret},
			admin:  errorCall{path: admin + "/posts", err: secret}, sameText: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got [2]problemBody
			for i, call := range []errorCall{tc.public, tc.admin} {
				r := s.sendError(t, addr, call)
				got[i] = mustProblem(t, r, call.path, tc.status, tc.typ, tc.fields)
				if ra := r.header.Get("Retry-After"); tc.wantRetryAfter != "" && ra != tc.wantRetryAfter {
					t.Errorf("%s: Retry-After %q, want %q", call.path, ra, tc.wantRetryAfter)
				}
				if origin := header(call.header, "Origin"); origin != "" && r.header.Get("Access-Control-Allow-Origin") == "" {
					t.Errorf("%s: %s may not read the refusal", call.path, origin)
				}
				if strings.Contains(string(r.body), "hunter2") || strings.Contains(string(r.body), "mongodb") {
					t.Errorf("%s: the internal error shows: %s", call.path, r.body)
				}
			}
			for _, p := range got {
				delete(p, "instance") // the path, checked by mustProblem
				if _, ok := p["requestId"]; ok {
					p["requestId"] = "set"
				}
				if !tc.sameText {
					delete(p, "detail")
					for f := range p["errors"].(map[string]any) {
						p["errors"].(map[string]any)[f] = "a message"
					}
				}
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("the APIs disagree:\npublic %v\nadmin  %v", got[0], got[1])
			}
		})
	}
}

// TestPanelAnswersServerRefusalsWithAPage checks that a refusal made by
// the server rather than a route (a body over its limit) reaches the
// panel's own writer under /admin: the error page, with the panel's
// protections, not the APIs' problem+json.
func TestPanelAnswersServerRefusalsWithAPage(t *testing.T) {
	t.Parallel()
	s := MustServerEnv(t, map[string]string{"LULLABY_BODY_LIMIT_MB": "1", "LULLABY_MAX_UPLOAD_MB": "1"})
	r := sendOverLimit(t, MustListen(t, s), errorCall{method: "POST", path: "/admin/media",
		header: []string{"Content-Type", "multipart/form-data; boundary=x", "Accept", "text/html"}})
	if r.status != 413 || r.header.Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(string(r.body), "<h1>Too large</h1>") || !strings.Contains(string(r.body), "The request body is too large.") {
		t.Errorf("POST /admin/media over the limit = %d %s:\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if r.header.Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", r.header.Get("Cache-Control"))
	}
}

// sendError sends call (errorCall) to s, listening at addr.
func (s *server) sendError(tb testing.TB, addr string, call errorCall) appResponse {
	tb.Helper()
	switch {
	case call.overLimit:
		return sendOverLimit(tb, addr, call)
	case call.err == nil:
		return s.do(tb, call.method, call.path, call.token, call.body, call.header...)
	}
	app := fiber.New(fiber.Config{ErrorHandler: s.app.Config().ErrorHandler})
	app.Use(base(s.log))
	app.All("/*", func(*fiber.Ctx) error { return call.err })
	res, err := app.Test(httptest.NewRequest("GET", call.path, nil), -1)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return appResponse{res.StatusCode, res.Header, b}
}

// sendOverLimit sends the headers of call with a Content-Length past the
// server's body limit, and reads the answer that comes before the body.
func sendOverLimit(tb testing.TB, addr string, call errorCall) appResponse {
	tb.Helper()
	host := strings.TrimPrefix(addr, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	head := call.method + " " + call.path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + strconv.Itoa(4<<20) + "\r\n"
	header := append([]string{"Content-Type", "application/json"}, call.header...) // a later value wins
	if call.token != "" {
		header = append(header, "Authorization", "Bearer "+call.token)
	}
	values := map[string]string{}
	for i := 0; i+1 < len(header); i += 2 {
		values[header[i]] = header[i+1]
	}
	for k, v := range values {
		head += k + ": " + v + "\r\n"
	}
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		tb.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatalf("%s: no answer before the body: %v", call.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return appResponse{res.StatusCode, res.Header, b}
}

// header returns the value of name in pairs (name, value, ...), or "".
func header(pairs []string, name string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == name {
			return pairs[i+1]
		}
	}
	return ""
}

// mustProblem checks that r is a problem+json of status and type typ
// (urn:lullaby:problem:<typ>) for path, every member set and exactly the
// fields named, and returns it.
func mustProblem(tb testing.TB, r appResponse, path string, status int, typ string, fields []string) problemBody {
	tb.Helper()
	if r.status != status || r.header.Get("Content-Type") != "application/problem+json" {
		tb.Fatalf("%s: %d %s %s, want a %d problem", path, r.status, r.header.Get("Content-Type"), r.body, status)
	}
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatalf("%s: %v: %s", path, err, r.body)
	}
	want := problemBody{"type": "urn:lullaby:problem:" + typ, "title": http.StatusText(status), "status": float64(status),
		"instance": strings.Split(path, "?")[0]}
	for k, v := range want {
		if p[k] != v {
			tb.Errorf("%s: %s = %v, want %v", path, k, p[k], v)
		}
	}
	if d, _ := p["detail"].(string); d == "" {
		tb.Errorf("%s: no detail: %s", path, r.body)
	}
	if status == http.StatusInternalServerError && p["detail"] != "An internal error occurred." {
		tb.Errorf("%s: detail %q, want the generic one", path, p["detail"])
	}
	errs, _ := p["errors"].(map[string]any)
	var got []string
	for f, m := range errs {
		if msg, _ := m.(string); msg == "" {
			tb.Errorf("%s: field %s without a message", path, f)
		}
		got = append(got, f)
	}
	sort.Strings(got)
	if len(got) != len(fields) || (len(got) > 0 && !reflect.DeepEqual(got, fields)) {
		tb.Errorf("%s: fields %v, want %v: %s", path, got, fields, r.body)
	}
	if errs == nil {
		p["errors"] = map[string]any{}
	}
	return p
}
