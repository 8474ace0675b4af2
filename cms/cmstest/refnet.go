package cmstest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/refcheck"
)

// RefNet is one local server standing in for everything the reference
// checker visits: Crossref's /works/{doi}, doi.org's handle API
// (/api/handles/{doi}), the Wayback Machine's availability API
// (/wayback/available) and web pages under /pages/. It answers with the
// documented JSON shapes, from the hand-written fixtures of
// cms/refcheck/testdata/crossref; tests change what it says (Retract,
// KillPage, Limit) and read what it was asked (Requests).
type RefNet struct {
	URL string // the server's base URL
	tb  testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	works    map[string]string // lower-case DOI -> fixture file
	dead     map[string]bool   // page paths answering 404
	archive  map[string]string // page path -> snapshot timestamp
	limited  int               // Crossref requests still to answer 429
	reqs     []*http.Request
	agents   []string
	retryFor string // Retry-After of the 429s
}

// RefWorkDOI is a work the fake Crossref knows as untouched until
// Retract is called; RefRetractionDOI is the retraction notice then
// given for it.
const (
	RefWorkDOI       = "10.1038/nature14539"
	RefRetractionDOI = "10.1038/nature99999"
)

// NewRefNet starts the stand-in, closed when tb ends. Every page under
// /pages/ answers 200 with an article until KillPage; /pages/gone-*
// pages have an archived copy from 2019-01-01.
func NewRefNet(tb testing.TB) *RefNet {
	tb.Helper()
	n := &RefNet{tb: tb, works: map[string]string{
		strings.ToLower(RefWorkDOI):     "plain.json",
		"10.1016/s0140-6736(97)11096-0": "wakefield-1998.json",
	}, dead: map[string]bool{}, archive: map[string]string{}, retryFor: "2"}
	n.srv = httptest.NewServer(http.HandlerFunc(n.serve))
	tb.Cleanup(n.srv.Close)
	n.URL = n.srv.URL
	return n
}

// Engine is a refcheck configuration pointing every source at the
// stand-in, web pages checked, with requests to one host spaced by
// interval.
func (n *RefNet) Engine(interval time.Duration) refcheck.Config {
	return refcheck.Config{CrossrefBase: n.URL, DOIBase: n.URL, WaybackBase: n.URL, CheckLinks: true, Interval: interval, Timeout: 5 * time.Second}
}

// Configure sets the service's reference checker to the stand-in.
func (n *RefNet) Configure(interval time.Duration) func(*cms.ServiceConfig) {
	return func(c *cms.ServiceConfig) { c.ReferenceChecks.Engine = n.Engine(interval) }
}

// Retract makes Crossref answer for RefWorkDOI with an "updated-by"
// retraction dated 2025-03-02.
func (n *RefNet) Retract() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.works[strings.ToLower(RefWorkDOI)] = "retracted"
}

// KillPage makes /pages/<name> answer 404; an archived copy exists when
// name starts with "gone".
func (n *RefNet) KillPage(name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dead["/pages/"+name] = true
	if strings.HasPrefix(name, "gone") {
		n.archive["/pages/"+name] = "20190101000000"
	}
}

// Limit makes Crossref answer the next count requests with 429 and
// Retry-After: seconds.
func (n *RefNet) Limit(count int, seconds string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.limited, n.retryFor = count, seconds
}

// Requests returns the paths asked for so far (with their query).
func (n *RefNet) Requests() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, len(n.reqs))
	for i, r := range n.reqs {
		out[i] = r.URL.RequestURI()
	}
	return out
}

// UserAgents returns the User-Agent of every request so far.
func (n *RefNet) UserAgents() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.agents...)
}

// refFixtures is the folder of cms/refcheck's Crossref fixtures.
func refFixtures() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "refcheck", "testdata", "crossref")
}

func (n *RefNet) serve(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	n.reqs = append(n.reqs, r.Clone(context.Background()))
	n.agents = append(n.agents, r.Header.Get("User-Agent"))
	p := r.URL.Path
	limited := strings.HasPrefix(p, "/works/") && n.limited > 0
	if limited {
		n.limited--
	}
	file, known := n.works[strings.ToLower(strings.TrimPrefix(p, "/works/"))]
	dead, retry := n.dead[p], n.retryFor
	n.mu.Unlock()
	switch {
	case limited:
		w.Header().Set("Retry-After", retry)
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	case strings.HasPrefix(p, "/works/") && !known:
		http.Error(w, "Resource not found.", http.StatusNotFound)
	case strings.HasPrefix(p, "/works/") && file == "retracted":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"ok","message-type":"work","message-version":"1.0.0","message":{"DOI":%q,"type":"journal-article","title":["Deep learning"],`+
			`"updated-by":[{"updated":{"date-parts":[[2025,3,2]],"date-time":"2025-03-02T00:00:00Z","timestamp":1740873600000},"DOI":%q,"type":"retraction","source":"retraction-watch","label":"Retraction"}]}}`,
			RefWorkDOI, RefRetractionDOI)
	case strings.HasPrefix(p, "/works/"):
		b, err := os.ReadFile(filepath.Join(refFixtures(), file))
		if err != nil {
			n.tb.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case strings.HasPrefix(p, "/api/handles/"):
		doi := strings.TrimPrefix(p, "/api/handles/")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"responseCode":1,"handle":%q,"values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.org/article"},"ttl":86400,"timestamp":"2019-05-01T10:00:00Z"}]}`, doi)
	case p == "/wayback/available":
		u := r.URL.Query().Get("url")
		w.Header().Set("Content-Type", "application/json")
		n.mu.Lock()
		var ts string
		for path, t := range n.archive {
			if strings.HasSuffix(u, path) {
				ts = t
			}
		}
		n.mu.Unlock()
		if ts == "" {
			fmt.Fprintf(w, `{"url":%q,"archived_snapshots":{}}`, u)
			return
		}
		fmt.Fprintf(w, `{"url":%q,"archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/%s/%s","timestamp":%q}}}`, u, ts, u, ts)
	case strings.HasPrefix(p, "/pages/") && dead:
		http.NotFound(w, r)
	case strings.HasPrefix(p, "/pages/"):
		fmt.Fprint(w, "<html><head><title>Sleep in infancy</title></head><body><article>Babies sleep.</article></body></html>")
	default:
		http.NotFound(w, r)
	}
}

// RefCheckerOff is a server that fails the test when anything asks it
// for anything: point a configuration at it to prove nothing is fetched.
func RefCheckerOff(tb testing.TB) string {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tb.Errorf("nothing should be fetched, but %s %s was", r.Method, r.URL)
		http.Error(w, "no", http.StatusTeapot)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}
