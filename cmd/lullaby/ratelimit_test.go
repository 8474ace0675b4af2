package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// mustRetryAfter checks that r is a 429 whose Retry-After is a whole
// number of seconds from lo to hi.
func mustRetryAfter(tb testing.TB, what string, r appResponse, lo, hi int) {
	tb.Helper()
	if r.status != 429 {
		tb.Fatalf("%s: status %d: %s, want 429", what, r.status, r.body)
	}
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || secs < lo || secs > hi {
		tb.Errorf("%s: Retry-After %q, want %d to %d seconds", what, r.header.Get("Retry-After"), lo, hi)
	}
}

// TestEveryTooManyRequestsHasRetryAfter drives every path that answers
// 429 — the locked account and the attempt limiter, on the admin API and
// the panel's login form, and the quiz's per-client limit — and checks
// Retry-After on each. TestTooManyRequestsPathsAreKnown makes sure that
// a new path is added here.
func TestEveryTooManyRequestsHasRetryAfter(t *testing.T) {
	t.Parallel()
	form := func(s *server, email, password string) appResponse {
		return s.do(t, "POST", "/admin/login", "", url.Values{"email": {email}, "password": {password}}.Encode(),
			"Content-Type", "application/x-www-form-urlencoded")
	}
	login := func(s *server, email, password string) appResponse {
		return s.do(t, "POST", "/admin/api/v1/session", "", `{"email":"`+email+`","password":"`+password+`"}`)
	}
	t.Run("LockedAccount", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t)
		MustOwnerToken(t, s)
		for i := range 5 {
			if r := login(s, "owner@example.com", "wrong password "+strconv.Itoa(i)); r.status != 401 {
				t.Fatalf("wrong password %d: %d %s", i, r.status, r.body)
			}
		}
		mustRetryAfter(t, "admin API, locked account", login(s, "owner@example.com", "correct horse battery"), 14*60, 15*60)
		mustRetryAfter(t, "login form, locked account", form(s, "owner@example.com", "correct horse battery"), 14*60, 15*60)
	})
	t.Run("AttemptLimiter", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t)
		for i := range 10 {
			if r := login(s, "nobody@example.com", "wrong password"); r.status != 401 {
				t.Fatalf("attempt %d: %d %s", i, r.status, r.body)
			}
		}
		mustRetryAfter(t, "admin API, attempt limiter", login(s, "nobody@example.com", "wrong password"), 1, 5*60)
		mustRetryAfter(t, "login form, attempt limiter", form(s, "nobody@example.com", "wrong password"), 1, 5*60)
	})
	t.Run("AttemptLimiterBehindProxy", func(t *testing.T) {
		t.Parallel()
		// app.Test's peer is 0.0.0.0: the proxy. A client that makes up
		// a new X-Forwarded-For entry for each attempt is still counted
		// by the address the proxy appended.
		s := MustServerEnv(t, map[string]string{"LULLABY_TRUSTED_PROXIES": "0.0.0.0"})
		attempt := func(i int, path, body, ctype string) appResponse {
			return s.do(t, "POST", path, "", body, "Content-Type", ctype, "X-Forwarded-For", "192.0.2."+strconv.Itoa(i)+", 203.0.113.9")
		}
		for i := range 10 {
			if r := attempt(i, "/admin/api/v1/session", `{"email":"nobody@example.com","password":"wrong password"}`, "application/json"); r.status != 401 {
				t.Fatalf("attempt %d: %d %s", i, r.status, r.body)
			}
		}
		mustRetryAfter(t, "admin API behind a proxy", attempt(10, "/admin/api/v1/session", `{"email":"nobody@example.com","password":"wrong password"}`, "application/json"), 1, 5*60)
		mustRetryAfter(t, "login form behind a proxy", attempt(11, "/admin/login", "email=nobody%40example.com&password=wrong", "application/x-www-form-urlencoded"), 1, 5*60)
		// Another client behind the same proxy is not locked out.
		r := s.do(t, "POST", "/admin/api/v1/session", "", `{"email":"nobody@example.com","password":"wrong password"}`, "X-Forwarded-For", "203.0.113.10")
		if r.status != 401 {
			t.Errorf("another client: %d %s, want 401", r.status, r.body)
		}
	})
	t.Run("ContentKeyLimit", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t)
		token := MustOwnerToken(t, s)
		k := mustContentKey(t, s, token, `{"name":"App","rateLimit":3}`)
		other := mustContentKey(t, s, token, `{"name":"Web"}`)
		mustSettings(t, s, token, `"requireContentKey":true`)
		for i := range 3 {
			if r := s.do(t, "GET", "/api/v1/posts", "", "", "X-Lullaby-Key", k.Secret); r.status != 200 {
				t.Fatalf("request %d: %d %s", i, r.status, r.body)
			}
		}
		// 3 a minute: the next token comes in 20 s.
		mustRetryAfter(t, "content key, our API", s.do(t, "GET", "/api/v1/posts", "", "", "X-Lullaby-Key", k.Secret), 1, 20)
		mustRetryAfter(t, "content key, Ghost", s.do(t, "GET", "/ghost/api/content/posts/?key="+k.Secret, "", ""), 1, 20)
		if r := s.do(t, "GET", "/api/v1/posts", "", "", "X-Lullaby-Key", other.Secret); r.status != 200 {
			t.Errorf("another key: %d %s", r.status, r.body)
		}
	})
	t.Run("QuizLimiter", func(t *testing.T) {
		t.Parallel()
		s := MustServer(t)
		// Bad answers count towards the allowance too.
		for i := range 30 {
			if r := s.do(t, "POST", "/api/v1/quizzes/nap-quiz/answers", "", `{"ageValue":"two"}`); r.status != 400 {
				t.Fatalf("answer %d: %d %s", i, r.status, r.body)
			}
		}
		good := `{"ageValue": 2, "ageUnit": "years", "bedtime": "19:00", "wakeTime": "07:00", "naps": 1, "napMinutes": 90, "nightWakings": 1}`
		mustRetryAfter(t, "quiz answers", s.do(t, "POST", "/api/v1/quizzes/nap-quiz/answers", "", good), 1, 60)
		if n := s.quizzes.Pending(); n != 0 {
			t.Errorf("%d results counted", n)
		}
	})
}

// TestTooManyRequestsPathsAreKnown lists the places in the surfaces and
// the domain that make a 429 (a RateLimited error or a page rendered with
// 429): a new one fails this test until TestEveryTooManyRequestsHasRetryAfter
// covers it and it is added here.
func TestTooManyRequestsPathsAreKnown(t *testing.T) {
	t.Parallel()
	// The panel's forms re-rendered for a RateLimited error (login, set-up,
	// password change, the code step of a two-factor login) take their
	// status from it through formStatus, which sends Retry-After: the
	// error is what makes the 429 and is counted where it is made.
	known := map[string]int{
		"admin/session.go":     1, // limitAttempts: logins, set-up, password changes
		"cms/user_service.go":  1, // a locked account
		"public/quiz.go":       1, // the quiz's per-client limit
		"public/contentkey.go": 1, // a content key's own limit
		// The catalogue lookups (PubMed, Open Library): more waiting than a
		// request may wait for is RateLimited with the wait as RetryAfter
		// (two places and a doc comment), named in pubmed.go's doc and
		// passed on with its RetryAfter by the citation parse handler.
		"cms/lookup.go":     3,
		"cms/pubmed.go":     1,
		"admin/citation.go": 1,
	}
	re := regexp.MustCompile(`KindRateLimited, |Kind: (cms\.)?KindRateLimited|StatusTooManyRequests, views\.`)
	got := map[string]int{}
	for _, dir := range []string{"admin", "public", "cms"} {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(re.FindAll(b, -1)); n > 0 {
				got[filepath.ToSlash(strings.TrimPrefix(f, filepath.Join("..", "..")+string(filepath.Separator)))] = n
			}
		}
	}
	for f, n := range got {
		if known[f] != n {
			t.Errorf("%s makes %d 429 answers, %d known: test the new path for Retry-After and update this list", f, n, known[f])
		}
	}
	for f, n := range known {
		if got[f] == 0 {
			t.Errorf("%s no longer makes a 429 (%d known): update this list", f, n)
		}
	}
}
