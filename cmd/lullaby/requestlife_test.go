package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestAppIsImmutable: the one app copies every string it hands to
// handlers, so that nothing kept past a request (count keys, caches,
// limiters, errors, log attributes) can change under a later request.
func TestAppIsImmutable(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	if !s.app.Config().Immutable {
		t.Fatal("the app is built without Immutable: strings from requests alias fasthttp's reused buffers")
	}
}

// MustListen serves s's app on a free loopback port until the test ends
// and returns its base URL.
func MustListen(tb testing.TB, s *server) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = s.app.Listener(ln) }()
	tb.Cleanup(func() { _ = s.app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// TestInterleavedCountsKeepTheirKeys sends quiz answers and read beacons
// of different readers, with admin requests in between, over one
// keep-alive connection (so that the server reuses its request buffers),
// then reads the counts back: every count must land under its own key.
func TestInterleavedCountsKeepTheirKeys(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	ctx := context.Background()
	actor := &cms.User{Name: "Owner", Role: cms.RoleOwner}
	var posts []*cms.Post
	for _, title := range []string{"Short naps at four months", "Why toddlers resist bedtime and what helps"} {
		body := "Some text."
		p, err := s.svc.ImportPost(ctx, actor, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	s.svc.Refresh(ctx)
	base := MustListen(t, s)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}, Timeout: 10 * time.Second}
	send := func(method, path, ua, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("User-Agent", ua)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		return res.StatusCode
	}
	admin := func() {
		t.Helper()
		send("GET", "/admin/api/v1/quizzes/nap-quiz/stats?days=30&padding=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Mozilla/5.0 (Admin)", "")
		send("POST", "/admin/api/v1/session", "Mozilla/5.0 (Admin)", `{"email":"nobody-at-all@example.com","password":"not the password at all"}`)
	}
	const toddler = `{"ageValue": 2, "ageUnit": "years", "bedtime": "19:00", "wakeTime": "07:00", "naps": 1, "napMinutes": 90, "nightWakings": 1}`
	const baby = `{"ageValue": 2, "ageUnit": "months", "bedtime": "20:00", "wakeTime": "06:00", "naps": 3, "napMinutes": 120, "nightWakings": 2}`
	const rounds = 3
	for i := range rounds {
		if st := send("POST", "/api/v1/quizzes/nap-quiz/answers", "Mozilla/5.0 (Reader A)", toddler); st != 200 {
			t.Fatalf("toddler answer: %d", st)
		}
		admin()
		if st := send("POST", "/api/v1/quizzes/nap-quiz/answers", "Mozilla/5.0 (Reader B)", baby); st != 200 {
			t.Fatalf("baby answer: %d", st)
		}
		for j, p := range posts {
			if st := send("POST", "/api/v1/posts/"+p.Slug+"/views", fmt.Sprintf("Mozilla/5.0 (Reader %d-%d)", i, j), ""); st != 204 {
				t.Fatalf("beacon: %d", st)
			}
			admin()
		}
	}

	if err := s.quizzes.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	stats, err := s.svc.QuizStats(ctx, cms.NapQuizSlug, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[{0-3 below %d} {12-35 within %d}]", rounds, rounds)
	if got := fmt.Sprint(stats[0].Counts); got != want || stats[0].Total != 2*rounds {
		t.Errorf("quiz counts = %s (total %d), want %s (%d)", got, stats[0].Total, want, 2*rounds)
	}

	if err := s.views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		days, err := s.svc.PostViewsByDay(ctx, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 1 || days[0].Views != rounds {
			t.Errorf("views of %s = %+v, want %d today", p.Slug, days, rounds)
		}
	}
}
