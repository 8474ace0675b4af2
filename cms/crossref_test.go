package cms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// crossrefWork is a Crossref /works/{doi} answer in the shape the real API
// gives (fields trimmed to what a citation uses, plus some it ignores).
const crossrefWork = `{"status":"ok","message-type":"work","message-version":"1.0.0","message":{
 "indexed":{"date-parts":[[2024,3,1]]},"publisher":"American Academy of Pediatrics (AAP)",
 "issue":"4","DOI":"10.1542/peds.2011-3467","type":"journal-article","page":"643-651",
 "source":"Crossref","is-referenced-by-count":180,
 "title":["Five-Year Follow-up of Harms and Benefits of Behavioral Infant Sleep Intervention: <i>Randomized</i> Trial"],
 "prefix":"10.1542","volume":"130",
 "author":[{"given":"Anna M.H.","family":"Price","sequence":"first","affiliation":[]},
  {"given":"Melissa","family":"Wake","sequence":"additional","affiliation":[]},
  {"given":"Obioha C.","family":"Ukoumunne","sequence":"additional","affiliation":[]},
  {"given":"Harriet","family":"Hiscock","sequence":"additional","affiliation":[]},
  {"name":"Kids Sleep Study Group","sequence":"additional","affiliation":[]}],
 "member":"1041","container-title":["Pediatrics"],"short-container-title":["Pediatrics"],
 "language":"en","URL":"http://dx.doi.org/10.1542/peds.2011-3467",
 "issued":{"date-parts":[[2012,10,1]]},"ISSN":["0031-4005","1098-4275"]}}`

func mustCrossrefService(tb testing.TB, base string) *cms.Service {
	tb.Helper()
	return cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.CrossrefURL = base }).Svc
}

func TestLookupDOI(t *testing.T) {
	t.Parallel()
	var gotPath, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotAccept = r.URL.EscapedPath(), r.Header.Get("Accept")
		switch r.URL.Path {
		case "/works/10.1542/peds.2011-3467":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(crossrefWork))
		case "/works/10.1000/slow":
			time.Sleep(cms.CrossrefTimeout + time.Second)
		case "/works/10.1000/garbage":
			_, _ = w.Write([]byte("<html>not json</html>"))
		case "/works/10.1000/broken":
			w.WriteHeader(http.StatusBadGateway)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	svc := mustCrossrefService(t, srv.URL+"/")
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		c, err := svc.LookupDOI(ctx, "https://doi.org/10.1542/peds.2011-3467")
		if err != nil {
			t.Fatal(err)
		}
		if gotPath != "/works/10.1542/peds.2011-3467" || gotAccept != "application/json" {
			t.Errorf("request path, accept = %q, %q", gotPath, gotAccept)
		}
		want := cms.Citation{Type: cms.CiteArticle,
			Title:     "Five-Year Follow-up of Harms and Benefits of Behavioral Infant Sleep Intervention: Randomized Trial",
			Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", Year: 2012,
			Publisher: "American Academy of Pediatrics (AAP)", DOI: "10.1542/peds.2011-3467"}
		if c.Type != want.Type || c.Title != want.Title || c.Container != want.Container || c.ContainerShort != "" ||
			c.Volume != want.Volume || c.Issue != want.Issue || c.Pages != want.Pages || c.Year != want.Year ||
			c.Month != 0 || c.Publisher != want.Publisher || c.DOI != want.DOI || c.URL != "" || c.Key != "" {
			t.Errorf("got %+v\nwant %+v", *c, want)
		}
		names := []cms.Name{{Family: "Price", Given: "Anna M.H."}, {Family: "Wake", Given: "Melissa"},
			{Family: "Ukoumunne", Given: "Obioha C."}, {Family: "Hiscock", Given: "Harriet"}, {Literal: "Kids Sleep Study Group"}}
		if len(c.Authors) != len(names) {
			t.Fatalf("authors = %+v, want %+v", c.Authors, names)
		}
		for i := range names {
			if c.Authors[i] != names[i] {
				t.Errorf("author %d = %+v, want %+v", i, c.Authors[i], names[i])
			}
		}
		if err := c.Validate(); err != nil {
			t.Errorf("the looked-up citation does not validate: %v", err)
		}
		if got := cms.FormatAPA(c).Text; !strings.HasPrefix(got, "Price, A. M. H., Wake, M., Ukoumunne, O. C., Hiscock, H., & Kids Sleep Study Group. (2012).") {
			t.Errorf("APA = %q", got)
		}
	})
	for _, tc := range []struct {
		name, doi string
		kind      cms.Kind
	}{
		{"ErrNotFound", "10.1000/unknown", cms.KindNotFound},
		{"ErrTimeout", "10.1000/slow", cms.KindUpstream},
		{"ErrGarbage", "10.1000/garbage", cms.KindUpstream},
		{"ErrServer", "10.1000/broken", cms.KindUpstream},
		{"ErrNotADOI", "11.1000/x", cms.KindInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := svc.LookupDOI(ctx, tc.doi)
			if !cms.IsKind(err, tc.kind) {
				t.Errorf("err = %v, want kind %v", err, tc.kind)
			}
			if d := time.Since(start); d > cms.CrossrefTimeout+time.Second {
				t.Errorf("took %s, more than the timeout", d)
			}
		})
	}
}

func TestLookupDOIOff(t *testing.T) {
	t.Parallel()
	svc := mustCrossrefService(t, "")
	if svc.CrossrefEnabled() {
		t.Error("enabled with no URL")
	}
	if _, err := svc.LookupDOI(context.Background(), "10.1542/peds.2011-3467"); !cms.IsKind(err, cms.KindUnavailable) {
		t.Errorf("err = %v, want Unavailable", err)
	}
	f := cmstest.MustService(t)
	if _, err := cms.NewService(cms.ServiceConfig{Store: f.DB, Publisher: f.Read, CrossrefURL: "ftp://x"}); err == nil {
		t.Error("an ftp CrossrefURL was accepted")
	}
}
