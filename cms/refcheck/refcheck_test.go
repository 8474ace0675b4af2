package refcheck_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/refcheck"
)

// clock is an injectable clock whose Sleep records the wait and moves
// time on, so tests read the waits instead of timing them.
type clock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *clock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// fakeNet is one local server answering as Crossref (/works/), doi.org's
// handle API (/api/handles/), the Wayback Machine (/wayback/available) and
// a few web pages (/pages/), with the documented JSON shapes.
type fakeNet struct {
	t        *testing.T
	srv      *httptest.Server
	other    *httptest.Server // another site, reached as "localhost"
	mu       sync.Mutex
	requests []*http.Request
	works    map[string]string // lower-case DOI -> fixture file
	unknown  map[string]bool   // DOIs the handle API does not know
	archive  map[string]string // page path -> snapshot timestamp
	etag     string            // Crossref's ETag; a matching If-None-Match gets 304
	limited  int               // answer this many Crossref requests with 429
	busyAt   time.Time         // if set, Crossref answers 503 with Retry-After at this date, once
}

func newFakeNet(t *testing.T) *fakeNet {
	f := &fakeNet{
		t: t,
		works: map[string]string{
			"10.1016/s0140-6736(97)11096-0": "wakefield-1998.json",
			"10.1126/science.1112286":       "hwang-2005.json",
			"10.2514/1.j053033":             "aiaa-corrected.json",
			"10.2514/1.j054256":             "aiaa-correction-notice.json",
			"10.1016/s0140-6736(20)31180-6": "mehra-2020-concern.json",
			"10.1038/nature14539":           "plain.json",
		},
		unknown: map[string]bool{"10.5555/no-such-work": true},
		archive: map[string]string{"/pages/gone": "20190101000000", "/pages/moved": "20200315120000"},
	}
	f.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		fmt.Fprint(w, "<html><head><title>Somewhere else</title></head><body>Buy this domain</body></html>")
	}))
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.other.Close)
	return f
}

func (f *fakeNet) record(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Clone(context.Background()))
}

func (f *fakeNet) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeNet) last(prefix string) *http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if strings.HasPrefix(f.requests[i].URL.Path, prefix) {
			return f.requests[i]
		}
	}
	return nil
}

func (f *fakeNet) serve(w http.ResponseWriter, r *http.Request) {
	f.record(r)
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/works/"):
		f.mu.Lock()
		limited := f.limited > 0
		if limited {
			f.limited--
		}
		etag, busyAt := f.etag, f.busyAt
		f.busyAt = time.Time{}
		f.mu.Unlock()
		if !busyAt.IsZero() {
			w.Header().Set("Retry-After", busyAt.UTC().Format(http.TimeFormat))
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		if limited {
			w.Header().Set("Retry-After", "7")
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			return
		}
		file, ok := f.works[strings.ToLower(strings.TrimPrefix(p, "/works/"))]
		if !ok {
			http.Error(w, "Resource not found.", http.StatusNotFound)
			return
		}
		if etag != "" {
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		}
		b, err := os.ReadFile("testdata/crossref/" + file)
		if err != nil {
			f.t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case strings.HasPrefix(p, "/api/handles/"):
		doi := strings.TrimPrefix(p, "/api/handles/")
		w.Header().Set("Content-Type", "application/json")
		if f.unknown[strings.ToLower(doi)] {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"responseCode":100,"handle":%q}`, doi)
			return
		}
		fmt.Fprintf(w, `{"responseCode":1,"handle":%q,"values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.org/article"},"ttl":86400,"timestamp":"2019-05-01T10:00:00Z"}]}`, doi)
	case p == "/wayback/available":
		u := r.URL.Query().Get("url")
		w.Header().Set("Content-Type", "application/json")
		for path, ts := range f.archive {
			if strings.HasSuffix(u, path) {
				fmt.Fprintf(w, `{"url":%q,"archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/%s/%s","timestamp":%q}}}`, u, ts, u, ts)
				return
			}
		}
		fmt.Fprintf(w, `{"url":%q,"archived_snapshots":{}}`, u)
	case p == "/pages/fine":
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "<html><head><title>Sleep in infancy</title></head><body><article>Babies sleep.</article></body></html>")
	case p == "/pages/gone", p == "/pages/lost":
		http.NotFound(w, r)
	case p == "/pages/error":
		http.Error(w, "oops", http.StatusInternalServerError)
	case p == "/pages/soft":
		fmt.Fprint(w, "<html><head><title>Page Not Found | Example Health</title></head><body>Sorry.</body></html>")
	case p == "/pages/soft-body":
		fmt.Fprint(w, "<html><head><title>Example Health</title></head><body><h1>Oops!</h1><p>The page you requested could not be found.</p></body></html>")
	case p == "/pages/to-home":
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	case p == "/":
		fmt.Fprint(w, "<html><head><title>Example Health</title></head><body>Welcome</body></html>")
	case p == "/pages/moved":
		http.Redirect(w, r, strings.Replace(f.other.URL, "127.0.0.1", "localhost", 1)+"/landing", http.StatusFound)
	case p == "/pages/renamed":
		http.Redirect(w, r, "/pages/fine", http.StatusMovedPermanently)
	default:
		http.NotFound(w, r)
	}
}

// checker is a Checker on the fake services with an injectable clock.
func (f *fakeNet) checker() (*refcheck.Checker, *clock) {
	clk := &clock{t: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)}
	c := refcheck.New(refcheck.Config{
		CrossrefBase: f.srv.URL,
		DOIBase:      f.srv.URL,
		WaybackBase:  f.srv.URL,
		CheckLinks:   true,
		Contact:      "editor@example.org",
		Version:      "test",
		Now:          clk.Now,
		Sleep:        clk.Sleep,
	})
	return c, clk
}

func TestCheckDOI(t *testing.T) {
	f := newFakeNet(t)
	c, _ := f.checker()
	cases := []struct {
		name, doi string
		status    refcheck.Status
		notice    string
		date      string
		link      refcheck.Link
		detail    string
	}{
		{"retracted Wakefield 1998", "10.1016/S0140-6736(97)11096-0", refcheck.StatusRetracted,
			"Retracted on 2010-02-02, see doi:10.1016/S0140-6736(10)60175-4", "2010-02-02", "", ""},
		{"retracted Hwang 2005", "10.1126/science.1112286", refcheck.StatusRetracted,
			"Retracted on 2006-01-20, see doi:10.1126/science.1124926", "2006-01-20", "", ""},
		{"corrected", "10.2514/1.J053033", refcheck.StatusCorrected,
			"Corrected on 2015-04-20, see doi:10.2514/1.j054256", "2015-04-20", "", ""},
		{"expression of concern", "10.1016/S0140-6736(20)31180-6", refcheck.StatusConcern,
			"Expression of concern on 2020-06-03, see doi:10.1016/S0140-6736(20)31290-3", "2020-06-03", "", ""},
		{"a correction notice itself", "10.2514/1.j054256", refcheck.StatusOK, "", "", "", "correction notice for doi:10.2514/1.j053033"},
		{"untouched work", "10.1038/nature14539", refcheck.StatusOK, "", "", "", ""},
		{"not in Crossref but registered", "10.5061/dryad.8515", refcheck.StatusOK, "", "", "", ""},
		{"DOI that does not resolve", "10.5555/no-such-work", refcheck.StatusBroken, "", "", "", "not registered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Check(context.Background(), refcheck.Reference{DOI: tc.doi})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status || r.Notice != tc.notice || r.NoticeDate != tc.date || r.Link != tc.link || r.TryLater {
				t.Fatalf("got %+v, want status %q notice %q date %q link %q", r, tc.status, tc.notice, tc.date, tc.link)
			}
			if !strings.Contains(r.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", r.Detail, tc.detail)
			}
			if r.DOIUnregistered != (tc.detail == "not registered") {
				t.Errorf("doiUnregistered %v", r.DOIUnregistered)
			}
			if r.CheckedAt.IsZero() {
				t.Error("checkedAt not set")
			}
			if h := f.last("/api/handles/"); h == nil || !strings.EqualFold(strings.TrimPrefix(h.URL.Path, "/api/handles/"), tc.doi) {
				t.Errorf("the DOI's resolution was not asked: %v", h)
			}
			ua := f.last("/works/").Header.Get("User-Agent")
			if !strings.HasPrefix(ua, "Lullaby/test ") || !strings.Contains(ua, "mailto:editor@example.org") {
				t.Errorf("User-Agent %q", ua)
			}
		})
	}
}

// A work under an expression of concern that gets retracted is marked
// retracted at the next check, and a conditional request keeps the status.
func TestRetractionArrivesWithinOneCycle(t *testing.T) {
	f := newFakeNet(t)
	f.etag = `"w1"`
	c, _ := f.checker()
	ref := refcheck.Reference{DOI: "10.1016/S0140-6736(20)31180-6"}
	first, err := c.Check(context.Background(), ref)
	if err != nil || first.Status != refcheck.StatusConcern || first.Crossref.ETag != `"w1"` {
		t.Fatalf("first check: %+v, %v", first, err)
	}

	ref.Previous = &first
	same, err := c.Check(context.Background(), ref)
	if err != nil || same.Status != refcheck.StatusConcern || same.Notice != first.Notice {
		t.Fatalf("unchanged work (304): %+v, %v", same, err)
	}
	if got := f.last("/works/").Header.Get("If-None-Match"); got != `"w1"` {
		t.Errorf("If-None-Match %q, want the previous ETag", got)
	}

	f.mu.Lock()
	f.works["10.1016/s0140-6736(20)31180-6"] = "mehra-2020-retracted.json"
	f.etag = `"w2"`
	f.mu.Unlock()
	ref.Previous = &same
	next, err := c.Check(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if next.Status != refcheck.StatusRetracted || next.NoticeDOI != "10.1016/S0140-6736(20)31324-6" ||
		next.Notice != "Retracted on 2020-06-05, see doi:10.1016/S0140-6736(20)31324-6" || next.Crossref.ETag != `"w2"` {
		t.Fatalf("after the retraction: %+v", next)
	}
}

func TestCheckURL(t *testing.T) {
	f := newFakeNet(t)
	c, _ := f.checker()
	refused := refusedURL(t)
	cases := []struct {
		name, path  string
		status      refcheck.Status
		link        refcheck.Link
		detail      string
		archiveDate string
	}{
		{"ok", "/pages/fine", refcheck.StatusOK, refcheck.LinkOK, "", ""},
		{"redirect within the site", "/pages/renamed", refcheck.StatusOK, refcheck.LinkOK, "", ""},
		{"dead link with an archived copy", "/pages/gone", refcheck.StatusArchived, refcheck.LinkBroken, "HTTP 404", "2019-01-01"},
		{"dead link without one", "/pages/lost", refcheck.StatusBroken, refcheck.LinkBroken, "HTTP 404", ""},
		{"server error", "/pages/error", refcheck.StatusBroken, refcheck.LinkBroken, "HTTP 500", ""},
		{"soft 404 by its title", "/pages/soft", refcheck.StatusBroken, refcheck.LinkSoft404, "not found", ""},
		{"soft 404 by its text", "/pages/soft-body", refcheck.StatusBroken, refcheck.LinkSoft404, "not found", ""},
		{"soft 404 by a redirect home", "/pages/to-home", refcheck.StatusBroken, refcheck.LinkSoft404, "home page", ""},
		{"moved to another site", "/pages/moved", refcheck.StatusArchived, refcheck.LinkMoved, "redirected to localhost", "2020-03-15"},
		{"connection refused", refused, refcheck.StatusBroken, refcheck.LinkBroken, "unreachable", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.path
			if strings.HasPrefix(u, "/") {
				u = f.srv.URL + u
			}
			accessed := time.Date(2019, 1, 2, 0, 0, 0, 0, time.UTC)
			before := f.count()
			r, err := c.Check(context.Background(), refcheck.Reference{URL: u, Accessed: accessed})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tc.status || r.Link != tc.link || r.ArchiveDate != tc.archiveDate || !strings.Contains(r.Detail, tc.detail) {
				t.Fatalf("got %+v, want %s/%s %q archived %q", r, tc.status, tc.link, tc.detail, tc.archiveDate)
			}
			wb := f.last("/wayback/available")
			asked := wb != nil && wb.URL.Query().Get("url") == u
			if asked != (tc.link != refcheck.LinkOK) {
				t.Errorf("Wayback asked: %v, want it asked only for a link that is not ok", asked)
			}
			if asked && wb.URL.Query().Get("timestamp") != "20190102" {
				t.Errorf("Wayback timestamp %q, want the access date", wb.URL.Query().Get("timestamp"))
			}
			if tc.archiveDate != "" && !strings.HasPrefix(r.ArchiveURL, "http://web.archive.org/web/") {
				t.Errorf("archive URL %q", r.ArchiveURL)
			}
			if tc.link == refcheck.LinkOK && f.count()-before > 2 {
				t.Errorf("%d requests for a page that is ok", f.count()-before)
			}
		})
	}
}

// A page that sent an ETag is asked conditionally next time, and a 304
// keeps it ok.
func TestCheckURLConditional(t *testing.T) {
	f := newFakeNet(t)
	c, _ := f.checker()
	ref := refcheck.Reference{URL: f.srv.URL + "/pages/fine"}
	first, err := c.Check(context.Background(), ref)
	if err != nil || first.Page.ETag != `"v1"` {
		t.Fatalf("first: %+v, %v", first, err)
	}
	ref.Previous = &first
	second, err := c.Check(context.Background(), ref)
	if err != nil || second.Status != refcheck.StatusOK || second.Link != refcheck.LinkOK {
		t.Fatalf("second: %+v, %v", second, err)
	}
	if got := f.last("/pages/fine").Header.Get("If-None-Match"); got != `"v1"` {
		t.Errorf("If-None-Match %q", got)
	}
}

// A 429 with Retry-After gives a try-later outcome that keeps the previous
// result, and holds the host back for the time asked before the next
// request, which then goes at half speed.
func TestTooManyRequestsSlowsDown(t *testing.T) {
	f := newFakeNet(t)
	f.limited = 1
	c, clk := f.checker()
	prev := refcheck.Result{Status: refcheck.StatusCorrected, Notice: "Corrected on 2015-04-20, see doi:10.2514/1.j054256"}
	ref := refcheck.Reference{DOI: "10.1016/S0140-6736(97)11096-0", Previous: &prev}

	r, err := c.Check(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if !r.TryLater || r.RetryAfter != 7*time.Second || r.Status != prev.Status || r.Notice != prev.Notice {
		t.Fatalf("after 429: %+v, want try later in 7s with the previous result", r)
	}
	if w := clk.waits(); len(w) != 0 {
		t.Fatalf("waited before the first request: %v", w)
	}

	r, err = c.Check(context.Background(), ref)
	if err != nil || r.Status != refcheck.StatusRetracted {
		t.Fatalf("after waiting: %+v, %v", r, err)
	}
	// The Crossref request waits out Retry-After; the handle request to the
	// same host then waits the doubled interval (2 s instead of 1 s).
	want := []time.Duration{7 * time.Second, 2 * time.Second}
	if got := clk.waits(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
}

// A 503 whose Retry-After is a date holds the host back until then.
func TestServiceUnavailableUntilADate(t *testing.T) {
	f := newFakeNet(t)
	c, clk := f.checker()
	f.busyAt = clk.Now().Add(20 * time.Second)
	r, err := c.Check(context.Background(), refcheck.Reference{DOI: "10.2514/1.j053033"})
	if err != nil || !r.TryLater || r.RetryAfter != 20*time.Second || !r.CheckedAt.IsZero() {
		t.Fatalf("after 503: %+v, %v", r, err)
	}
	r, err = c.Check(context.Background(), refcheck.Reference{DOI: "10.2514/1.j053033"})
	if err != nil || r.Status != refcheck.StatusCorrected {
		t.Fatalf("after waiting: %+v, %v", r, err)
	}
	if w := clk.waits(); len(w) == 0 || w[0] != 20*time.Second {
		t.Fatalf("waits %v, want 20s first", w)
	}
}

// A retracted work whose web page is gone is retracted, with the page's
// archived copy too; 4 requests in all.
func TestDOIAndURLTogether(t *testing.T) {
	f := newFakeNet(t)
	c, _ := f.checker()
	r, err := c.Check(context.Background(), refcheck.Reference{DOI: "10.1126/science.1112286", URL: f.srv.URL + "/pages/gone"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != refcheck.StatusRetracted || r.Link != refcheck.LinkBroken || r.ArchiveURL == "" || r.ArchiveDate != "2019-01-01" {
		t.Fatalf("got %+v", r)
	}
	if n := f.count(); n != 4 {
		t.Fatalf("%d requests, want 4 (Crossref, handle, page, Wayback)", n)
	}
}

// Requests to one host are spaced by the configured interval.
func TestRateLimitPerHost(t *testing.T) {
	f := newFakeNet(t)
	clk := &clock{t: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)}
	c := refcheck.New(refcheck.Config{
		CrossrefBase: f.srv.URL,
		PerHost:      map[string]time.Duration{"127.0.0.1": 3 * time.Second},
		Now:          clk.Now,
		Sleep:        clk.Sleep,
	})
	for range 3 {
		if _, err := c.Check(context.Background(), refcheck.Reference{DOI: "10.1038/nature14539"}); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{3 * time.Second, 3 * time.Second}
	if got := clk.waits(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	if f.count() != 3 {
		t.Fatalf("%d requests, want 3 (Crossref only: the other bases are empty)", f.count())
	}
}

func TestNoNetworkFetchesNothing(t *testing.T) {
	f := newFakeNet(t)
	c := refcheck.New(refcheck.Config{})
	if c.Enabled() {
		t.Fatal("the zero Config says it is enabled")
	}
	prev := refcheck.Result{Status: refcheck.StatusArchived, ArchiveURL: "http://web.archive.org/web/2019/x"}
	refs := []refcheck.Reference{
		{DOI: "10.1016/S0140-6736(97)11096-0"},
		{URL: f.srv.URL + "/pages/gone", Previous: &prev},
		{DOI: "10.5555/no-such-work", URL: f.srv.URL + "/pages/soft"},
	}
	for _, ref := range refs {
		r, err := c.Check(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if ref.Previous != nil && (r.Status != prev.Status || r.ArchiveURL != prev.ArchiveURL) {
			t.Errorf("previous result not kept: %+v", r)
		}
	}
	if n := f.count(); n != 0 {
		t.Fatalf("%d requests with no network configured", n)
	}
}

func TestCancelledContext(t *testing.T) {
	f := newFakeNet(t)
	c, _ := f.checker()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Check(ctx, refcheck.Reference{DOI: "10.1038/nature14539", URL: f.srv.URL + "/pages/fine"}); err == nil {
		t.Fatal("no error from a cancelled context")
	}
}

// refusedURL is a URL on a port nothing listens on.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/article"
}
