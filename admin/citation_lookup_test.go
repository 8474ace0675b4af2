package admin_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// mustCatalogEnv is an admin app whose service looks PMIDs, PMCIDs and
// ISBNs up at a stand-in catalogue serving the recorded answers.
func mustCatalogEnv(tb testing.TB) (*Env, *cmstest.Catalog) {
	tb.Helper()
	cat := cmstest.NewCatalog(tb)
	return MustNewEnvFor(tb, cmstest.MustService(tb, cat.Configure(800*time.Millisecond), func(c *cms.ServiceConfig) {
		c.NCBIAPIKey = "test-key" // 10 a second: the test does not wait on the rate
	})), cat
}

// pasted is what she pastes for a recorded work: the spellings differ
// from work to work so that each form is exercised end to end.
func pasted(key string, i int) string {
	kind, v, _ := strings.Cut(key, ":")
	switch kind {
	case "pmid":
		return []string{"PMID: " + v, "https://pubmed.ncbi.nlm.nih.gov/" + v + "/", v, "pmid " + v + "."}[i%4]
	case "pmcid":
		return []string{v, "https://pmc.ncbi.nlm.nih.gov/articles/" + v + "/", "https://www.ncbi.nlm.nih.gov/pmc/articles/" + v + "/"}[i%3]
	}
	hy := v[:3] + "-" + v[3:4] + "-" + v[4:8] + "-" + v[8:12] + "-" + v[12:] // not the real grouping: any hyphens pass
	return []string{"ISBN " + v, hy, "ISBN-13: " + hy}[i%3]
}

// TestCitationParseCatalog pastes every recorded work into the admin
// API's parse and checks the reference field by field; then the errors:
// unknown identifiers, a wrong check digit, a failing catalogue.
func TestCitationParseCatalog(t *testing.T) {
	t.Parallel()
	e, _ := mustCatalogEnv(t)
	tok := e.MustSetup(t).Token
	parse := func(text string) *Resp {
		return e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": text}})
	}
	for i, k := range cmstest.CatalogKeys(t) {
		text := pasted(k, i)
		r := parse(text).MustStatus(t, http.StatusOK)
		var out struct {
			Data       []json.RawMessage
			Duplicates map[string]json.RawMessage
			Problems   map[string]map[string]string
			Meta       struct{ Format, Lookup, Notice string }
		}
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		format := map[bool]string{true: "isbn", false: "pubmed"}[strings.HasPrefix(k, "isbn:")]
		if len(out.Data) != 1 || out.Meta.Format != format || out.Meta.Lookup != "found" || len(out.Duplicates) != 0 || len(out.Problems) != 0 {
			t.Fatalf("%q: %s", text, r.Body)
		}
		cmstest.MustMatchCatalog(t, k, out.Data[0])
	}

	for _, tc := range []struct {
		name, text string
		status     int
		detail     string
	}{
		{"UnknownPMID", "PMID: 99999999", 404, "No PubMed record 99999999."},
		{"UnknownPMCID", "PMC99999999", 404, "No PubMed Central record PMC99999999."},
		{"UnknownISBN", "978-3-16-148410-0", 404, "Open Library has no book with the ISBN 9783161484100."},
		{"WrongCheckDigit", "ISBN 978-0-7432-0161-3", 400, "wrong check digit"},
		{"PubMed429", "PMID 429", 502, "PubMed is limiting requests"},
		{"PubMed500", "PMID 500", 502, "PubMed could not answer just now"},
		{"PubMedSlow", "PMID 777", 502, "PubMed did not answer in time"},
		{"PubMedMalformed", "PMID 888", 502, "PubMed's answer could not be read"},
		{"OpenLibrary429", "ISBN 978-0-306-40615-7", 502, "Open Library is limiting requests"},
		{"OpenLibrary500", "ISBN 1-86197-271-7", 502, "Open Library could not answer just now"},
		{"OpenLibraryMalformed", "ISBN 9780262033848", 502, "Open Library's answer could not be read"},
		{"Junk", "sleep training study", 400, "This is not a DOI, a PMID, a PMCID, a PubMed link, an ISBN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(tc.text).MustProblem(t, tc.status, "text")
			if !strings.Contains(p.Detail, tc.detail) || !strings.Contains(p.Errors["text"], tc.detail) {
				t.Errorf("problem = %+v, want %q", p, tc.detail)
			}
		})
	}
}

// TestCitationParseCatalogDuplicates: a PMID, PMCID or book ISBN already
// in the library is flagged by the parse and refused (but the ISBN) by a
// save.
func TestCitationParseCatalogDuplicates(t *testing.T) {
	t.Parallel()
	e, _ := mustCatalogEnv(t)
	tok := e.MustSetup(t).Token
	// In the library: the task force's report without its DOI, Hiscock's
	// trial by its PMCID alone, and Ferber's book.
	mustCitation(t, e, tok, map[string]any{"type": "article-journal", "title": "SIDS and other sleep-related infant deaths", "pmid": "27940804", "year": 2016})
	mustCitation(t, e, tok, map[string]any{"type": "article-journal", "title": "Randomised controlled trial", "pmcid": "pmc104332"})
	ferber := mustCitation(t, e, tok, map[string]any{"type": "book", "title": "Solve your child's sleep problems", "isbn": "0-7432-0161-2",
		"authors": []map[string]string{{"family": "Ferber", "given": "Richard"}}, "year": 2006})
	if ferber.ISBN != "9780743201612" {
		t.Fatalf("isbn stored as %q, want the ISBN-13", ferber.ISBN)
	}
	for _, tc := range []struct{ text, dupKey, field, wantKey string }{
		{"https://pubmed.ncbi.nlm.nih.gov/27940804/", "pmid:27940804", "pmid", "sids2016"},
		{"PMID: 11991909", "pmcid:PMC104332", "pmcid", "randomised"},
		{"ISBN 0-7432-0161-2", "isbn:9780743201612", "isbn", "ferber2006"},
	} {
		var out parseResp
		r := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": tc.text}}).MustStatus(t, 200)
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		d, ok := out.Duplicates[tc.dupKey]
		if !ok || !strings.Contains(d.Key, tc.wantKey) || !strings.Contains(out.Problems["0"][tc.field], "already in the library as @"+d.Key) {
			t.Errorf("%s: duplicates %v, problems %v; want %s flagged", tc.text, out.Duplicates, out.Problems, tc.dupKey)
		}
	}
	// Saving the same PMID again is refused; a chapter of the same book is not.
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok,
		Body: map[string]any{"type": "article-journal", "title": "Again", "pmid": "27940804"}}).MustProblem(t, http.StatusConflict, "pmid")
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok,
		Body: map[string]any{"type": "chapter", "title": "Colic", "isbn": "9780743201612", "container": "Solve your child's sleep problems"}}).MustStatus(t, http.StatusCreated)
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok,
		Body: map[string]any{"type": "book", "title": "Bad", "isbn": "978-0-7432-0161-3"}}).MustProblem(t, http.StatusBadRequest, "isbn")
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok,
		Body: map[string]any{"type": "article-journal", "title": "Bad", "pmcid": "PMC12x"}}).MustProblem(t, http.StatusBadRequest, "pmcid")
}

// TestCitationParseCatalogOff: with no catalogue configured the
// identifier alone fills the form, and nothing is fetched.
func TestCitationParseCatalogOff(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token
	for _, tc := range []struct{ text, format, field, value string }{
		{"PMID: 22966034", "pubmed", "pmid", "22966034"},
		{"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC104332/", "pubmed", "pmcid", "PMC104332"},
		{"ISBN 0-7432-0161-2", "isbn", "isbn", "9780743201612"},
	} {
		r := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": tc.text}}).MustStatus(t, 200)
		var out struct {
			Data []map[string]any
			Meta struct{ Format, Lookup, Notice string }
		}
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Data) != 1 || out.Data[0][tc.field] != tc.value || out.Meta.Format != tc.format || out.Meta.Lookup != "off" ||
			!strings.Contains(out.Meta.Notice, "turned off") {
			t.Errorf("%s: %s", tc.text, r.Body)
		}
	}
}

// TestPanelCitationImportCatalog goes through the import box: a PMID
// fills the form to check, an ISBN a book; once saved, pasting it again
// flags it; an unknown PMID or a failing catalogue brings the box back
// with the reason.
func TestPanelCitationImportCatalog(t *testing.T) {
	t.Parallel()
	e, _ := mustCatalogEnv(t)
	b := e.MustPanelSetup(t)
	imp := func(text string) *Page { return b.PostCSRF(t, "/admin/citations/import", url.Values{"text": {text}}) }

	imp("PMID: 22966034").MustStatus(t, 200).MustContain(t, `id="citation-form"`,
		`value="Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial"`,
		`value="Price"`, `value="Anna M H"`, `value="Hiscock"`, `value="Pediatrics"`, `value="130"`, `value="643-651"`,
		`value="10.1542/peds.2011-3467"`, `value="22966034"`, "Filled in from what you pasted").
		MustNotContain(t, `id="duplicate-notice"`, `aria-invalid="true"`)
	imp("https://pmc.ncbi.nlm.nih.gov/articles/PMC3657259/").MustStatus(t, 200).MustContain(t,
		`value="BMJ Open"`, `value="e002299"`, `value="PMC3657259"`, `value="23793691"`, `value="McGarvey"`)
	imp("ISBN 978-0-553-80794-3").MustStatus(t, 200).MustContain(t, `<option value="book" selected`,
		`value="The Whole-Brain Child: 12 Revolutionary Strategies to Nurture Your Child&#39;s Developing Mind"`,
		`value="Siegel"`, `value="Daniel J."`, `value="Bryson"`, `value="Tina Payne"`, `value="Delacorte Press"`, `value="2011"`, `value="9780553807943"`)

	// Saved from the form as imported, then pasted again: flagged.
	form := url.Values{"type": {"book"}, "title": {"The Whole-Brain Child"}, "authors[0].family": {"Siegel"}, "authors[0].given": {"Daniel J."},
		"year": {"2011"}, "publisher": {"Delacorte Press"}, "isbn": {"9780553807943"}}
	b.PostCSRF(t, "/admin/citations", form).MustStatus(t, http.StatusSeeOther)
	imp("0553807943").MustStatus(t, 200).MustContain(t, `id="duplicate-notice"`, "This ISBN is already in your library as", "@siegel2011")

	imp("PMID: 99999999").MustStatus(t, http.StatusNotFound).MustContain(t, `id="import-text-error"`, `id="citations-alert"`, "No PubMed record 99999999.")
	imp("PMID 500").MustStatus(t, http.StatusBadGateway).MustContain(t, `id="import-text-error"`, "PubMed could not answer just now")
	imp("ISBN 978-0-7432-0161-3").MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, `id="import-text-error"`, "wrong check digit")
}
