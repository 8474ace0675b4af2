package cmstest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Catalog is a stand-in for NCBI (E-utilities efetch, the PMC ID
// Converter) and Open Library, answering with the recorded answers in
// testdata/catalog (see its README.md). Identifiers with no recording
// get each service's "no record" answer; a few are kept for failures:
//
//	PMID 429, ISBN 9780306406157:  429 Too Many Requests
//	PMID 500, ISBN 9781861972712:  500
//	PMID 777, ISBN 9780140449136:  an answer slower than any test's lookup timeout
//	PMID 888, ISBN 9780262033848:  200 with a malformed body
//	PMCID PMC888:                  200 with a malformed body
type Catalog struct {
	URL string // the server's base URL
	srv *httptest.Server

	mu   sync.Mutex
	reqs []url.URL
}

// Slow is how long the deliberately slow answers take.
const Slow = 3 * time.Second

// CatalogDir is the folder of the recorded answers.
func CatalogDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "catalog")
}

// NewCatalog starts the stand-in, closed when tb ends.
func NewCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	c := &Catalog{}
	dir := CatalogDir()
	serve := func(w http.ResponseWriter, r *http.Request, ctype, file, fallback string) {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if os.IsNotExist(err) {
			b, err = os.ReadFile(filepath.Join(dir, fallback))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(b)
	}
	fail := func(w http.ResponseWriter, r *http.Request, id string) bool {
		switch id {
		case "429", "9780306406157":
			w.Header().Set("Retry-After", "1")
			http.Error(w, `{"error":"API rate limit exceeded"}`, http.StatusTooManyRequests)
		case "500", "9781861972712":
			http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		case "777", "9780140449136":
			select {
			case <-time.After(Slow):
			case <-r.Context().Done():
			}
		case "888", "9780262033848", "PMC888":
			_, _ = w.Write([]byte(`<html><body>Service temporarily unavailable {`))
		default:
			return false
		}
		return true
	}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.reqs = append(c.reqs, *r.URL)
		c.mu.Unlock()
		q := r.URL.Query()
		switch r.URL.Path {
		case "/eutils/efetch.fcgi":
			id := q.Get("id")
			if q.Get("db") != "pubmed" || q.Get("retmode") != "xml" || !allDigits(id) {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			if !fail(w, r, id) {
				serve(w, r, "text/xml; charset=UTF-8", "pubmed/efetch-"+id+".xml", "pubmed/efetch-none.xml")
			}
		case "/idconv/":
			id := q.Get("ids")
			if q.Get("format") != "json" || !strings.HasPrefix(id, "PMC") || !allDigits(id[3:]) {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			if !fail(w, r, id) {
				serve(w, r, "application/json", "pubmed/idconv-"+id+".json", "pubmed/idconv-unknown.json")
			}
		case "/ol/api/books":
			isbn, ok := strings.CutPrefix(q.Get("bibkeys"), "ISBN:")
			if q.Get("format") != "json" || q.Get("jscmd") != "data" || !ok || !allDigits(isbn) {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			if !fail(w, r, isbn) {
				serve(w, r, "application/json", "openlibrary/books-"+isbn+".json", "openlibrary/books-none.json")
			}
		default:
			http.NotFound(w, r)
		}
	}))
	c.URL = c.srv.URL
	tb.Cleanup(c.srv.Close)
	return c
}

// Configure points a service at the stand-in, with lookups bounded by
// timeout (a fraction of Slow).
func (c *Catalog) Configure(timeout time.Duration) func(*cms.ServiceConfig) {
	return func(cfg *cms.ServiceConfig) {
		cfg.NCBIURL = c.URL + "/eutils"
		cfg.PMCIDConvURL = c.URL + "/idconv/"
		cfg.OpenLibraryURL = c.URL + "/ol"
		cfg.LookupTimeout = timeout
	}
}

// Requests returns the URLs asked for so far.
func (c *Catalog) Requests() []url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]url.URL(nil), c.reqs...)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CatalogKeys are the identifiers the recorded answers are for, as the
// keys of expected.json ("pmid:22966034", "pmcid:PMC104332",
// "isbn:9780743201612").
func CatalogKeys(tb testing.TB) []string {
	tb.Helper()
	var keys []string
	for k := range mustExpected(tb) {
		if !strings.HasPrefix(k, "_") {
			keys = append(keys, k)
		}
	}
	return keys
}

func mustExpected(tb testing.TB) map[string]json.RawMessage {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(CatalogDir(), "expected.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		tb.Fatalf("expected.json: %v", err)
	}
	return all
}

// MustMatchCatalog checks got against what the recorded answer for key
// must become (testdata/catalog/expected.json), field by field: every
// field of the citation's JSON but its id, key, version and timestamps.
func MustMatchCatalog(tb testing.TB, key string, got any) {
	tb.Helper()
	want, ok := mustExpected(tb)[key]
	if !ok {
		tb.Fatalf("expected.json has no %q", key)
	}
	raw, err := json.Marshal(got)
	if err != nil {
		tb.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(raw, &g); err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		tb.Fatal(err)
	}
	for _, f := range []string{"type", "authors", "editors", "year", "month", "day", "title", "container", "containerShort",
		"volume", "issue", "pages", "articleNumber", "edition", "publisher", "publisherPlace", "doi", "pmid", "pmcid", "isbn", "url", "accessed"} {
		gv, _ := json.Marshal(zeroNil(g[f]))
		wv, _ := json.Marshal(zeroNil(w[f]))
		if string(gv) != string(wv) {
			tb.Errorf("%s: %s = %s, want %s", key, f, gv, wv)
		}
	}
}

// zeroNil treats absent, "", 0 and [] alike.
func zeroNil(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case float64:
		if x == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}
