package public_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/public"
)

// viewsFixture is the public API with a view counter, behind a trusted
// proxy (so that tests pick the client address with X-Forwarded-For), on
// a clock the test moves.
type viewsFixture struct {
	*fixture
	db    *mongodb.DB
	rm    *readmodel.ReadModel
	views *cms.ViewCounter
	mu    sync.Mutex
	now   time.Time
}

func (f *viewsFixture) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *viewsFixture) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func MustViewsFixture(tb testing.TB) *viewsFixture {
	tb.Helper()
	f := &viewsFixture{now: time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)}
	cf := cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.Now = f.Now })
	f.db, f.rm = cf.DB, cf.Read
	svc := cf.Svc
	f.rm.SetPublicURL(testPublicURL)
	f.rm.SetClock(f.Now)
	var err error
	if f.views, err = cms.NewViewCounter(cms.ViewCounterConfig{Store: f.db, Logger: cmstest.Logger(), Now: f.Now, RatePerMinute: 60}); err != nil {
		tb.Fatal(err)
	}
	api, err := public.New(public.Config{Content: f.rm, Logger: cmstest.Logger(), Views: f.views})
	if err != nil {
		tb.Fatal(err)
	}
	app := fiber.New(fiber.Config{EnableTrustedProxyCheck: true, TrustedProxies: []string{"0.0.0.0", "127.0.0.1", "10.0.0.0/8"}, ProxyHeader: fiber.HeaderXForwardedFor})
	api.Routes(app.Group("/api/v1"))
	if err := f.rm.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	f.fixture = &fixture{svc: svc, app: app, owner: &cms.User{ID: cms.NewID(), Name: "Owner", Role: cms.RoleOwner}}
	return f
}

const browserUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"

// Beacon posts a read of slug from the client at ip with user agent ua.
func (f *viewsFixture) Beacon(tb testing.TB, slug, ip, ua string) response {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/posts/"+slug+"/views", nil)
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", ua)
	return f.Do(tb, req)
}

// MustViews flushes the counter and returns the all-time views of post id.
func (f *viewsFixture) MustViews(tb testing.TB, id string) int64 {
	tb.Helper()
	if err := f.views.Flush(context.Background()); err != nil {
		tb.Fatal(err)
	}
	m, err := f.db.ViewTotals(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	return m[id]
}

func TestViewBeacon(t *testing.T) {
	t.Parallel()
	f := MustViewsFixture(t)
	p := f.MustPublished(t, "Wake windows", "Short naps.", f.Now().AddDate(0, 0, -1), nil)

	t.Run("OK", func(t *testing.T) {
		r := f.Beacon(t, p.Slug, "203.0.113.1", browserUA)
		MustStatus(t, r, http.StatusNoContent)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q", cc)
		}
		if f.views.Pending() != 1 {
			t.Errorf("pending = %d, want 1 (no database write per view)", f.views.Pending())
		}
	})
	t.Run("OnePerReaderPerDay", func(t *testing.T) {
		// A reader's beacon says nothing, counted or not (a repeat).
		if r := f.Beacon(t, p.Slug, "203.0.113.1", browserUA); r.status != http.StatusNoContent || r.header.Get("Lullaby-View") != "" {
			t.Errorf("a reader's repeat: %d, Lullaby-View %q; want 204 and none", r.status, r.header.Get("Lullaby-View"))
		}
		MustStatus(t, f.Beacon(t, p.Slug, "203.0.113.1", browserUA+" Edg/126"), http.StatusNoContent)
		if got := f.MustViews(t, p.ID); got != 2 {
			t.Fatalf("views = %d, want 2 (same reader once, another user agent once)", got)
		}
		f.Advance(24 * time.Hour)
		MustStatus(t, f.Beacon(t, p.Slug, "203.0.113.1", browserUA), http.StatusNoContent)
		if got := f.MustViews(t, p.ID); got != 3 {
			t.Fatalf("views = %d, want 3 (the next day counts again)", got)
		}
	})
	t.Run("BotsIgnored", func(t *testing.T) {
		for _, ua := range []string{"", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", "python-requests/2.32.3",
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36"} {
			r := f.Beacon(t, p.Slug, "198.51.100.77", ua)
			MustStatus(t, r, http.StatusNoContent)
			if got := r.header.Get("Lullaby-View"); got != "ignored; reason=bot" {
				t.Errorf("user agent %q: Lullaby-View = %q, want ignored; reason=bot", ua, got)
			}
		}
		if got := f.MustViews(t, p.ID); got != 3 {
			t.Fatalf("views = %d, want 3: bots counted", got)
		}

	})
	t.Run("FloodFromOneClient", func(t *testing.T) {
		for i := range 100 {
			// Rotating user agents from one address: the rate limit stops
			// it at 60 a minute, the rest are dropped with a 204.
			MustStatus(t, f.Beacon(t, p.Slug, "192.0.2.9", browserUA+" r/"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))), http.StatusNoContent)
		}
		if got := f.MustViews(t, p.ID); got != 3+60 {
			t.Fatalf("views = %d, want 63: one client may add at most 60 views a minute", got)
		}
	})
	t.Run("ForgedForwardedFor", func(t *testing.T) {
		// A client prepends made-up addresses; the trusted proxy (10.x)
		// appends the real one. Only the rightmost untrusted address counts.
		q := f.MustPublished(t, "Forged", "F.", f.Now().AddDate(0, 0, -1), nil)
		for i := range 20 {
			MustStatus(t, f.Beacon(t, q.Slug, "198.18.0."+strconv.Itoa(i)+", 192.0.2.200, 10.1.2.3", browserUA), http.StatusNoContent)
		}
		if got := f.MustViews(t, q.ID); got != 1 {
			t.Fatalf("views = %d, want 1: forged X-Forwarded-For entries made one client many readers", got)
		}
	})
	t.Run("ErrUnknownSlug", func(t *testing.T) {
		r := f.Beacon(t, "no-such-post", "203.0.113.1", browserUA)
		MustStatus(t, r, http.StatusNotFound)
		if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type = %q", ct)
		}
	})
	t.Run("ErrDraft", func(t *testing.T) {
		title, body := "A draft", "Not yet."
		d, err := f.svc.CreatePost(context.Background(), f.owner, cms.PostInput{Title: &title, Body: &body})
		if err != nil {
			t.Fatal(err)
		}
		MustStatus(t, f.Beacon(t, d.Slug, "203.0.113.1", browserUA), http.StatusNotFound)
	})
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/posts/"+p.Slug+"/views", strings.NewReader(strings.Repeat("x", 4096)))
		req.Header.Set("User-Agent", browserUA)
		r := f.Do(t, req)
		MustStatus(t, r, http.StatusRequestEntityTooLarge)
	})
	t.Run("CORS", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/posts/"+p.Slug+"/views", strings.NewReader("{}"))
		req.Header.Set("Origin", "https://sleep.example")
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Set("User-Agent", browserUA)
		r := f.Do(t, req)
		MustStatus(t, r, http.StatusNoContent)
		if got := r.header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin = %q", got)
		}
	})
}
