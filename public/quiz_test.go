package public_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/problem"
	"github.com/lullabycms/lullaby/public"
	"github.com/valyala/fasthttp"
)

// quizFixture is the public API with a quiz counter allowing rate answers
// per client and minute, behind a trusted proxy (tests pick the client
// address with X-Forwarded-For).
type quizFixture struct {
	*fixture
	counter *cms.QuizCounter
}

func MustQuizFixture(tb testing.TB, rate int) *quizFixture {
	tb.Helper()
	cf := cmstest.MustService(tb)
	db, rm, svc := cf.DB, cf.Read, cf.Svc
	counter, err := cms.NewQuizCounter(cms.QuizCounterConfig{Store: db, Logger: cmstest.Logger(), RatePerMinute: rate})
	if err != nil {
		tb.Fatal(err)
	}
	api, err := public.New(public.Config{Content: rm, Logger: cmstest.Logger(), Quizzes: counter})
	if err != nil {
		tb.Fatal(err)
	}
	app := fiber.New(fiber.Config{EnableTrustedProxyCheck: true, TrustedProxies: []string{"0.0.0.0", "127.0.0.1"}, ProxyHeader: fiber.HeaderXForwardedFor})
	api.Routes(app.Group("/api/v1"))
	if err := rm.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &quizFixture{fixture: &fixture{svc: svc, app: app, owner: &cms.User{ID: cms.NewID(), Name: "Owner", Role: cms.RoleOwner}}, counter: counter}
}

// Answer posts body as the answers of quiz slug from the client at ip.
func (f *quizFixture) Answer(tb testing.TB, slug, ip, body string) response {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/quizzes/"+slug+"/answers", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	return f.Do(tb, req)
}

const toddlerAnswers = `{"ageValue": 2, "ageUnit": "years", "bedtime": "19:00", "wakeTime": "07:00", "naps": 1, "napMinutes": 90, "nightWakings": 1}`

func TestQuizDefinition(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 100)
	r := f.Get(t, "/api/v1/quizzes/nap-quiz")
	MustStatus(t, r, http.StatusOK)
	if r.header.Get("ETag") == "" || r.header.Get("Cache-Control") == "" {
		t.Errorf("headers = %v, want ETag and Cache-Control", r.header)
	}
	MustGolden(t, "quiz-nap", r.body)

	req := httptest.NewRequest(http.MethodGet, "/api/v1/quizzes/nap-quiz", nil)
	req.Header.Set("If-None-Match", r.header.Get("ETag"))
	MustStatus(t, f.Do(t, req), http.StatusNotModified)

	r = f.Get(t, "/api/v1/quizzes/no-such-quiz")
	MustStatus(t, r, http.StatusNotFound)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}
}

func TestQuizAnswers(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 1000)
	t.Run("OK", func(t *testing.T) {
		r := f.Answer(t, "nap-quiz", "203.0.113.1", toddlerAnswers)
		MustStatus(t, r, http.StatusOK)
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", r.header.Get("Cache-Control"))
		}
		MustGolden(t, "quiz-answer", r.body)
	})
	t.Run("AcrossMidnightWithAwakeTime", func(t *testing.T) {
		r := f.Answer(t, "nap-quiz", "203.0.113.1", `{"ageValue": 14, "ageUnit": "years", "bedtime": "23:30", "wakeTime": "07:15", "naps": 0, "nightWakings": 2, "nightAwakeMinutes": 15}`)
		MustStatus(t, r, http.StatusOK)
		var res struct {
			Data struct {
				Result       string `json:"result"`
				TotalMinutes int    `json:"totalMinutes"`
				Band         struct {
					Key string `json:"key"`
				} `json:"band"`
			} `json:"data"`
		}
		MustJSON(t, r.body, &res)
		if res.Data.TotalMinutes != 450 || res.Data.Result != "below" || res.Data.Band.Key != "156-216" {
			t.Errorf("got %+v, want 450 min, below, 156-216", res.Data)
		}
	})
	bad := []struct {
		name, body, field string
		status            int
	}{
		{"ErrMissingAnswers", `{"ageUnit": "months"}`, "ageValue", 400},
		{"ErrMissingBedtime", `{"ageValue": 8, "ageUnit": "months", "wakeTime": "06:00", "naps": 2, "napMinutes": 120, "nightWakings": 1}`, "bedtime", 400},
		{"ErrUnknownField", `{"ageValue": 8, "ageUnit": "months", "childName": "Ada"}`, "childName", 400},
		{"ErrAgeOver18Years", `{"ageValue": 19, "ageUnit": "years", "bedtime": "20:00", "wakeTime": "06:00", "naps": 0, "nightWakings": 0}`, "ageValue", 400},
		{"ErrNegativeAge", `{"ageValue": -2, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "06:00", "naps": 0, "nightWakings": 0}`, "ageValue", 400},
		{"ErrTimeNotATime", `{"ageValue": 8, "ageUnit": "months", "bedtime": "half past seven", "wakeTime": "06:00", "naps": 0, "nightWakings": 0}`, "bedtime", 400},
		{"ErrNapsLongerThanADay", `{"ageValue": 8, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "06:00", "naps": 3, "napMinutes": 1500, "nightWakings": 0}`, "napMinutes", 400},
		{"ErrNightPlusNapsOver24h", `{"ageValue": 1, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "08:00", "naps": 5, "napMinutes": 800, "nightWakings": 0}`, "napMinutes", 400},
		{"ErrWrongType", `{"ageValue": "eight", "ageUnit": "months"}`, "ageValue", 400},
		{"Err10KBString", `{"ageValue": 8, "ageUnit": "months", "bedtime": "` + strings.Repeat("9", 10<<10) + `", "wakeTime": "06:00", "naps": 0, "nightWakings": 0}`, "bedtime", 400},
		{"Err10KBUnknownField", `{"` + strings.Repeat("x", 10<<10) + `": 1}`, "", 400},
		{"ErrNotJSON", `ageValue=8`, "body", 400},
		{"ErrEmpty", ``, "body", 400},
		{"ErrArray", `[1, 2]`, "body", 400},
		{"ErrTwoObjects", toddlerAnswers + toddlerAnswers, "body", 400},
		{"ErrPaddedOver4KB", `{"ageValue": 8, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "06:00", "naps": 0, "nightWakings": 0}` + strings.Repeat(" ", 5000), "body", 400},
		{"ErrHuge", `{"bedtime": "` + strings.Repeat("9", 100<<10) + `"}`, "body", 413},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := f.Answer(t, "nap-quiz", "203.0.113.2", tt.body)
			MustStatus(t, r, tt.status)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p problem.Problem
			MustJSON(t, r.body, &p)
			if tt.field != "" && p.Errors[tt.field] == "" {
				t.Errorf("errors = %v, want one for %s", p.Errors, tt.field)
			}
			if len(p.Errors) == 0 {
				t.Errorf("no field named: %s", r.body)
			}
		})
	}
	t.Run("ErrUnknownQuiz", func(t *testing.T) {
		MustStatus(t, f.Answer(t, "no-such-quiz", "203.0.113.3", toddlerAnswers), http.StatusNotFound)
	})
}

func TestQuizAnswersRateLimitedAndCounted(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 3)
	for i := range 3 {
		if r := f.Answer(t, "nap-quiz", "198.51.100.7", toddlerAnswers); r.status != http.StatusOK {
			t.Fatalf("answer %d: status %d: %s", i+1, r.status, r.body)
		}
	}
	r := f.Answer(t, "nap-quiz", "198.51.100.7", toddlerAnswers)
	MustStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	MustStatus(t, f.Answer(t, "nap-quiz", "198.51.100.8", `{"ageValue": 2, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "06:00", "naps": 3, "napMinutes": 120, "nightWakings": 2}`), http.StatusOK)
	// Bad answers are charged (see TestEveryTooManyRequestsHasRetryAfter) but not counted.
	MustStatus(t, f.Answer(t, "nap-quiz", "198.51.100.8", `{}`), http.StatusBadRequest)

	if err := f.counter.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	stats, err := f.svc.QuizStats(context.Background(), cms.NapQuizSlug, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(stats[0].Counts)
	if want := "[{0-3 below 1} {12-35 within 3}]"; stats[0].Total != 4 || got != want {
		t.Errorf("counts = %s (total %d), want %s (4)", got, stats[0].Total, want)
	}
}

// TestQuizEditShowsAtOnce: an edit of a band's range and of a result text
// through the service changes the public evaluation at once.
func TestQuizEditShowsAtOnce(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 100)
	ctx := context.Background()
	if r := f.Answer(t, "nap-quiz", "192.0.2.1", toddlerAnswers); !strings.Contains(string(r.body), `"result":"within"`) {
		t.Fatalf("before the edit: %s, want within (13.5 h in 11–14 h)", r.body)
	}
	q, err := f.svc.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil {
		t.Fatal(err)
	}
	v := q.Version
	q.Bands[2].MaxHours = 13
	q.Results.Above.Text = "A little more than most toddlers: lovely."
	if _, err := f.svc.UpdateQuiz(ctx, f.owner, cms.NapQuizSlug, cms.QuizInput{Title: q.Title, Intro: q.Intro, Questions: q.Questions, Bands: q.Bands, Results: q.Results, Version: &v}); err != nil {
		t.Fatal(err)
	}
	r := f.Answer(t, "nap-quiz", "192.0.2.1", toddlerAnswers)
	MustStatus(t, r, http.StatusOK)
	for _, want := range []string{`"result":"above"`, `"text":"A little more than most toddlers: lovely."`, `"maxHours":13,`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("after the edit: %s lacks %s", r.body, want)
		}
	}
	if r := f.Get(t, "/api/v1/quizzes/nap-quiz"); !strings.Contains(string(r.body), `"version":2`) {
		t.Errorf("definition not updated: %s", r.body)
	}
}

func TestQuizDefinitionCitesLibrary(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 100)
	if _, err := f.svc.CreateCitation(context.Background(), f.owner, cms.Citation{Key: "hirshkowitz2015", Type: "article-journal",
		Title: "National Sleep Foundation's sleep time duration recommendations", Year: 2015, DOI: "10.1016/j.sleh.2014.12.010"}); err != nil {
		t.Fatal(err)
	}
	r := f.Get(t, "/api/v1/quizzes/nap-quiz")
	MustStatus(t, r, http.StatusOK)
	var q struct {
		Data struct {
			Bands []struct {
				Sources []struct{ Key, DOI string } `json:"sources"`
			} `json:"bands"`
		} `json:"data"`
	}
	MustJSON(t, r.body, &q)
	if s := q.Data.Bands[0].Sources; len(s) != 1 || s[0].Key != "hirshkowitz2015" || s[0].DOI != "10.1016/j.sleh.2014.12.010" {
		t.Errorf("newborn band sources = %+v, want hirshkowitz2015", s)
	}
	if s := q.Data.Bands[1].Sources; len(s) != 0 {
		t.Errorf("band 2 sources = %+v, want none (paruthi2016 is not in the library)", s)
	}
}

// BenchmarkQuizAnswers measures POST /api/v1/quizzes/nap-quiz/answers
// through the whole handler chain, without the network.
func BenchmarkQuizAnswers(b *testing.B) {
	f := MustQuizFixture(b, 1<<30)
	h := f.app.Handler()
	var rc fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		rc.Request.Reset()
		rc.Response.Reset()
		rc.Request.Header.SetMethod(http.MethodPost)
		rc.Request.SetRequestURI("/api/v1/quizzes/nap-quiz/answers")
		rc.Request.Header.SetContentType("application/json")
		rc.Request.SetBodyString(toddlerAnswers)
		h(&rc)
		if rc.Response.StatusCode() != http.StatusOK {
			b.Fatalf("status %d: %s", rc.Response.StatusCode(), rc.Response.Body())
		}
	}
}

func TestQuizAnswersCORSPreflight(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 100)
	req := httptest.NewRequest(http.MethodOptions, "/api/v1/quizzes/nap-quiz/answers", nil)
	req.Header.Set("Origin", "https://sleep.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	r := f.Do(t, req)
	MustStatus(t, r, http.StatusNoContent)
	if m := r.header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") || r.header.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("preflight headers = %v", r.header)
	}
	req = httptest.NewRequest(http.MethodPost, "/api/v1/quizzes/nap-quiz/answers", strings.NewReader(toddlerAnswers))
	req.Header.Set("Origin", "https://sleep.example")
	r = f.Do(t, req)
	MustStatus(t, r, http.StatusOK)
	if r.header.Get("Access-Control-Allow-Origin") == "" {
		t.Error("answer not readable cross-origin")
	}
}
