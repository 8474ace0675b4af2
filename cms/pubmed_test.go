package cms_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// lookupTimeout bounds each lookup in these tests: well under
// cmstest.Slow, so the slow answers time out.
const lookupTimeout = 800 * time.Millisecond

// mustCatalogService is a service looking works up at a stand-in
// catalogue, with an API key, logging into the returned buffer.
func mustCatalogService(tb testing.TB, key string) (*cms.Service, *cmstest.Catalog, *cmstest.SyncBuffer) {
	tb.Helper()
	cat := cmstest.NewCatalog(tb)
	logs := &cmstest.SyncBuffer{}
	svc := cmstest.MustService(tb, cat.Configure(lookupTimeout), func(c *cms.ServiceConfig) {
		c.NCBIAPIKey, c.NCBIEmail = key, "editor@example.org"
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}).Svc
	return svc, cat, logs
}

// TestLookupCatalog looks every recorded work up (testdata/catalog) and
// checks the reference field by field.
func TestLookupCatalog(t *testing.T) {
	t.Parallel()
	const apiKey = "k3y-not-for-logs"
	svc, cat, logs := mustCatalogService(t, apiKey)
	ctx := context.Background()
	keys := cmstest.CatalogKeys(t)
	if n := len(keys); n < 14 {
		t.Fatalf("%d recorded works, want at least 6 PMIDs, 2 PMCIDs and 6 ISBNs", n)
	}
	for _, k := range keys {
		kind, v, _ := strings.Cut(k, ":")
		var c *cms.Citation
		var err error
		if kind == "isbn" {
			c, err = svc.LookupISBN(ctx, v)
		} else {
			id, ierr := cms.IdentifyWork(v)
			if ierr != nil {
				t.Fatalf("%s: %v", k, ierr)
			}
			c, err = svc.LookupPubMed(ctx, id)
		}
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if c.Key != "" || c.ID != "" {
			t.Errorf("%s: key %q, id %q, want none (unsaved)", k, c.Key, c.ID)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: does not validate: %v", k, cms.ErrorFields(err))
		}
		cmstest.MustMatchCatalog(t, k, c)
	}
	for _, u := range cat.Requests() {
		q := u.Query()
		switch u.Path {
		case "/eutils/efetch.fcgi":
			if q.Get("tool") != "lullaby" || q.Get("email") != "editor@example.org" || q.Get("api_key") != apiKey {
				t.Errorf("efetch query %s lacks tool, email or api_key", u.RawQuery)
			}
		case "/idconv/":
			if q.Get("tool") != "lullaby" || q.Get("email") != "editor@example.org" || q.Has("api_key") {
				t.Errorf("idconv query %s: want tool and email, no api_key", u.RawQuery)
			}
		}
	}
	if strings.Contains(logs.String(), apiKey) {
		t.Errorf("the API key is in the log:\n%s", logs)
	}
}

// TestLookupCatalogErrors: unknown identifiers are NotFound with words
// for her; the catalogue's 429, 500, slowness and nonsense are
// Upstream; bad ISBNs are Invalid naming "isbn"; nothing is an internal
// error, and the API key never reaches the log.
func TestLookupCatalogErrors(t *testing.T) {
	t.Parallel()
	const apiKey = "another-k3y"
	svc, _, logs := mustCatalogService(t, apiKey)
	ctx := context.Background()
	pm := func(s string) func() error {
		return func() error {
			id, err := cms.IdentifyWork(s)
			if err != nil {
				return err
			}
			_, err = svc.LookupPubMed(ctx, id)
			return err
		}
	}
	isbn := func(s string) func() error {
		return func() error { _, err := svc.LookupISBN(ctx, s); return err }
	}
	for _, tc := range []struct {
		name string
		do   func() error
		kind cms.Kind
		msg  string
	}{
		{"UnknownPMID", pm("PMID: 99999999"), cms.KindNotFound, "No PubMed record 99999999."},
		{"UnknownPMCID", pm("PMC99999999"), cms.KindNotFound, "No PubMed Central record PMC99999999."},
		{"UnknownISBN", isbn("978-3-16-148410-0"), cms.KindNotFound, "Open Library has no book with the ISBN 9783161484100."},
		{"PubMed429", pm("429"), cms.KindUpstream, "PubMed is limiting requests"},
		{"PubMed500", pm("500"), cms.KindUpstream, "PubMed could not answer just now"},
		{"PubMedSlow", pm("777"), cms.KindUpstream, "PubMed did not answer in time"},
		{"PubMedMalformed", pm("888"), cms.KindUpstream, "PubMed's answer could not be read"},
		{"IDConvMalformed", pm("PMC888"), cms.KindUpstream, "PubMed Central's answer could not be read"},
		{"OpenLibrary429", isbn("9780306406157"), cms.KindUpstream, "Open Library is limiting requests"},
		{"OpenLibrary500", isbn("9781861972712"), cms.KindUpstream, "Open Library could not answer just now"},
		{"OpenLibrarySlow", isbn("9780140449136"), cms.KindUpstream, "Open Library did not answer in time"},
		{"OpenLibraryMalformed", isbn("9780262033848"), cms.KindUpstream, "Open Library's answer could not be read"},
		{"WrongCheckDigit", isbn("978-0-7432-0161-3"), cms.KindInvalid, "wrong check digit"},
		{"NotAnISBN", isbn("12345"), cms.KindInvalid, "An ISBN has 10 or 13 digits"},
		{"NotPubMed", func() error {
			_, err := svc.LookupPubMed(ctx, cms.WorkID{Kind: cms.WorkISBN, Value: "9780743201612"})
			return err
		},
			cms.KindInvalid, "Give a PMID or a PMCID."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if !cms.IsKind(err, tc.kind) || !strings.Contains(cms.ErrorMessage(err), tc.msg) {
				t.Fatalf("err = %v (%s), want %s saying %q", err, cms.ErrorKind(err), tc.kind, tc.msg)
			}
			if tc.kind == cms.KindInvalid && strings.Contains(tc.name, "ISBN") || tc.name == "WrongCheckDigit" {
				if cms.ErrorFields(err)["isbn"] == "" {
					t.Errorf("fields = %v, want isbn named", cms.ErrorFields(err))
				}
			}
		})
	}
	if strings.Contains(logs.String(), apiKey) {
		t.Errorf("the API key is in the log:\n%s", logs)
	}
}

// TestLookupOff: with no base URL nothing is fetched and lookups say
// they are off.
func TestLookupOff(t *testing.T) {
	t.Parallel()
	cat := cmstest.NewCatalog(t)
	svc := cmstest.MustService(t).Svc
	if svc.PubMedEnabled() || svc.ISBNLookupEnabled() {
		t.Fatal("lookups on without a base URL")
	}
	if _, err := svc.LookupPubMed(context.Background(), cms.WorkID{Kind: cms.WorkPMID, Value: "22966034"}); !cms.IsKind(err, cms.KindUnavailable) {
		t.Errorf("PubMed off: %v, want unavailable", err)
	}
	if _, err := svc.LookupISBN(context.Background(), "9780743201612"); !cms.IsKind(err, cms.KindUnavailable) {
		t.Errorf("ISBN off: %v, want unavailable", err)
	}
	if n := len(cat.Requests()); n != 0 {
		t.Errorf("%d requests with lookups off", n)
	}
}

// TestLookupPubMedRate: without an API key NCBI gets at most 3 requests
// a second, however many lookups run at once.
func TestLookupPubMedRate(t *testing.T) {
	t.Parallel()
	svc, cat, _ := mustCatalogService(t, "")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.LookupPubMed(ctx, cms.WorkID{Kind: cms.WorkPMID, Value: "22966034"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("4 lookups took %s, want at least 1s at 3 a second", d)
	}
	if n := len(cat.Requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	for _, u := range cat.Requests() {
		if u.Query().Has("api_key") || !u.Query().Has("email") {
			t.Errorf("query %s: want email and no api_key", u.RawQuery)
		}
	}
	// A turn further off than the caller can wait is refused at once.
	_, _ = svc.LookupPubMed(ctx, cms.WorkID{Kind: cms.WorkPMID, Value: "22966034"})
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	_, err := svc.LookupPubMed(short, cms.WorkID{Kind: cms.WorkPMID, Value: "22966034"})
	var ce *cms.Error
	if !cms.IsKind(err, cms.KindRateLimited) || !errors.As(err, &ce) || ce.RetryAfter <= 0 {
		t.Errorf("a lookup over the rate with 10ms to spare: %v, want rate limited with RetryAfter", err)
	}
}
