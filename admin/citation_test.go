package admin_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// citationResp is a reference as the admin API shows it.
type citationResp struct {
	cms.Citation
	APA     cms.Formatted `json:"apa"`
	AMA     cms.Formatted `json:"ama"`
	CitedBy []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"citedBy"`
}

// parseResp is the answer of POST /citations/parse.
type parseResp struct {
	Data       []citationResp               `json:"data"`
	Duplicates map[string]citationResp      `json:"duplicates"`
	Problems   map[string]map[string]string `json:"problems"`
	Meta       struct {
		Format, Lookup, Notice string
	} `json:"meta"`
}

const priceBibTeX = `@article{Price2012,
  author  = {Price, Anna M. H. and Wake, Melissa and Ukoumunne, Obioha C. and Hiscock, Harriet},
  title   = {Five-year follow-up of harms and benefits of behavioral infant sleep intervention: {R}andomized trial},
  journal = {Pediatrics},
  year    = {2012},
  volume  = {130},
  number  = {4},
  pages   = {643--651},
  doi     = {10.1542/peds.2011-3467}
}`

const risRecord = "TY  - JOUR\nAU  - M{\"u}ller, Jana\nAU  - St-Onge, Marc\nTI  - Night waking in the first year\nT2  - Journal of Sleep Research\nPY  - 2019\nVL  - 28\nIS  - 2\nSP  - e12763\nDO  - 10.1111/jsr.12763\nER  - \n"

func mustCitation(tb testing.TB, e *Env, tok string, body map[string]any) citationResp {
	tb.Helper()
	var c citationResp
	e.Do(tb, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok, Body: body}).MustStatus(tb, http.StatusCreated).Data(tb, &c)
	return c
}

func TestCitationAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token

	price := mustCitation(t, e, tok, map[string]any{"type": "article-journal",
		"authors": []map[string]string{{"family": "Price", "given": "Anna M. H."}, {"family": "Wake", "given": "Melissa"}, {"family": "Hiscock", "given": "Harriet"}},
		"year":    2012, "title": "Five-year follow-up of harms and benefits of behavioral infant sleep intervention",
		"container": "Pediatrics", "volume": "130", "issue": "4", "pages": "643-651", "doi": "https://doi.org/10.1542/peds.2011-3467"})
	if price.Key != "price2012" || price.DOI != "10.1542/peds.2011-3467" || price.Version != 1 {
		t.Errorf("created = %+v", price.Citation)
	}
	if want := "Price, A. M. H., Wake, M., & Hiscock, H. (2012)."; !strings.HasPrefix(price.APA.Text, want) {
		t.Errorf("apa = %q, want prefix %q", price.APA.Text, want)
	}
	if !strings.Contains(price.AMA.HTML, "<i>Pediatrics</i>") {
		t.Errorf("ama html = %q", price.AMA.HTML)
	}
	aap := mustCitation(t, e, tok, map[string]any{"type": "report", "authors": []map[string]string{{"literal": "American Academy of Pediatrics"}},
		"year": 2016, "title": "SIDS and other sleep-related infant deaths", "publisher": "AAP"})

	t.Run("List", func(t *testing.T) {
		var all []citationResp
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations", Token: tok}).MustStatus(t, 200).Data(t, &all)
		if len(all) != 2 || all[0].Key != "american2016" || all[1].Key != "price2012" {
			t.Errorf("list = %+v", all)
		}
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations?q=WAKE", Token: tok}).MustStatus(t, 200).Data(t, &all)
		if len(all) != 1 || all[0].ID != price.ID {
			t.Errorf("search wake = %+v", all)
		}
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations?q=" + strings.Repeat("x", 201), Token: tok}).MustProblem(t, 400, "q")
	})

	t.Run("DuplicateDOI", func(t *testing.T) {
		p := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok, Body: map[string]any{
			"type": "article-journal", "title": "Same study", "doi": "doi:10.1542/PEDS.2011-3467"}}).MustProblem(t, 409, "doi")
		if !strings.Contains(p.Errors["doi"], "@price2012") {
			t.Errorf("doi conflict = %q", p.Errors["doi"])
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			body   any
			status int
			fields []string
		}{
			{"JavaScriptURL", map[string]any{"type": "webpage", "title": "x", "url": "javascript:alert(1)"}, 400, []string{"url"}},
			{"DOIWithSpaces", map[string]any{"type": "article-journal", "title": "x", "doi": "10.1542/peds 2011"}, 400, []string{"doi"}},
			{"NoTitle", map[string]any{"type": "book"}, 400, []string{"title"}},
			{"BadType", map[string]any{"type": "tweet", "title": "x"}, 400, []string{"type"}},
			{"BadKey", map[string]any{"type": "book", "title": "x", "key": "Has Spaces!"}, 400, []string{"key"}},
			{"YearAsString", map[string]any{"type": "book", "title": "x", "year": "2012"}, 400, []string{"year"}},
			{"UnknownField", map[string]any{"type": "book", "title": "x", "id": "abc"}, 400, []string{"id"}},
			{"EmptyAuthor", map[string]any{"type": "book", "title": "x", "authors": []map[string]string{{"given": "Ann"}}}, 400, []string{"authors[0].family"}},
			{"NotJSON", "{", 400, []string{"body"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok, Body: tc.body}).MustProblem(t, tc.status, tc.fields...)
			})
		}
		t.Run("TenThousandAuthors", func(t *testing.T) {
			authors := make([]map[string]string, 10000)
			for i := range authors {
				authors[i] = map[string]string{"family": "Doe"}
			}
			e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations", Token: tok,
				Body: map[string]any{"type": "book", "title": "x", "authors": authors}}).MustProblem(t, 400, "authors")
		})
		t.Run("HTMLInTitleIsEscaped", func(t *testing.T) {
			c := mustCitation(t, e, tok, map[string]any{"type": "book", "title": `<script>alert(1)</script> & <b>sleep</b>`, "year": 2001})
			if strings.Contains(c.APA.HTML, "<script>") || strings.Contains(c.AMA.HTML, "<b>") || !strings.Contains(c.APA.HTML, "&lt;script&gt;") {
				t.Errorf("apa html = %q, ama html = %q", c.APA.HTML, c.AMA.HTML)
			}
			e.Do(t, Req{Method: http.MethodDelete, Path: api + "/citations/" + c.ID, Token: tok}).MustStatus(t, 204)
		})
		t.Run("Unauthenticated", func(t *testing.T) {
			e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations"}).MustProblem(t, 401)
		})
		t.Run("BadID", func(t *testing.T) {
			e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations/nope", Token: tok}).MustProblem(t, 400, "id")
			e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations/" + cms.NewID(), Token: tok}).MustProblem(t, 404)
		})
	})

	// A post cites price2012 in its body.
	post := e.MustPost(t, tok, map[string]any{"title": "Sleep training, five years on", "body": "Nothing harmful was found [@price2012, p. 645]."})
	if len(post.References) != 1 || post.References[0] != price.ID {
		t.Fatalf("post references = %v", post.References)
	}
	t.Run("UnknownKeyInBody", func(t *testing.T) {
		// The draft saves, with the key as a warning.
		var draft cms.Post
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts", Token: tok, Body: map[string]any{"title": "x", "body": "See [@nobody1999]."}}).
			MustStatus(t, 201).Data(t, &draft)
		if len(draft.UnresolvedCitations) != 1 || draft.UnresolvedCitations[0] != "nobody1999" {
			t.Errorf("unresolvedCitations = %q, want [nobody1999]", draft.UnresolvedCitations)
		}
		// Publishing and scheduling are refused, naming it.
		for _, act := range []Req{
			{Method: http.MethodPost, Path: api + "/posts/" + draft.ID + "/publish", Token: tok, Body: map[string]any{"version": draft.Version}},
			{Method: http.MethodPost, Path: api + "/posts/" + draft.ID + "/schedule", Token: tok,
				Body: map[string]any{"version": draft.Version, "publishAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}},
		} {
			p := e.Do(t, act).MustProblem(t, 400, "body")
			if !strings.Contains(p.Errors["body"], "@nobody1999") {
				t.Errorf("%s: body problem = %q", act.Path, p.Errors["body"])
			}
		}
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + draft.ID + "/trash", Token: tok}).MustStatus(t, 200)
		e.Do(t, Req{Method: http.MethodDelete, Path: api + "/posts/" + draft.ID, Token: tok}).MustStatus(t, 204)
	})

	t.Run("GetCitedBy", func(t *testing.T) {
		var got citationResp
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations/" + price.ID, Token: tok}).MustStatus(t, 200).Data(t, &got)
		if len(got.CitedBy) != 1 || got.CitedBy[0].ID != post.ID || got.CitedBy[0].Title != post.Title {
			t.Errorf("citedBy = %+v", got.CitedBy)
		}
		var raw map[string]json.RawMessage
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations/" + aap.ID, Token: tok}).MustStatus(t, 200).Data(t, &raw)
		if string(raw["citedBy"]) != "[]" {
			t.Errorf("citedBy of an uncited reference = %s, want []", raw["citedBy"])
		}
	})

	t.Run("Update", func(t *testing.T) {
		body := map[string]any{"type": "article-journal", "title": price.Title, "year": 2012, "container": "Pediatrics",
			"authors": price.Authors, "volume": "130", "issue": "4", "pages": "643-651", "doi": price.DOI, "pmid": "22966034"}
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/citations/" + price.ID, Token: tok, Body: body}).MustProblem(t, 400, "version")
		body["version"] = 1
		var got citationResp
		e.Do(t, Req{Method: http.MethodPut, Path: api + "/citations/" + price.ID, Token: tok, Body: body}).MustStatus(t, 200).Data(t, &got)
		if got.PMID != "22966034" || got.Version != 2 || got.Key != "price2012" {
			t.Errorf("updated = %+v", got.Citation)
		}
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/citations/" + price.ID, Token: tok, Body: body}).MustProblem(t, 409, "version")
		body["version"], body["key"] = 2, "price2012x"
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/citations/" + price.ID, Token: tok, Body: body}).MustProblem(t, 409, "key")
	})

	t.Run("DeleteRefusedWhileCited", func(t *testing.T) {
		p := e.Do(t, Req{Method: http.MethodDelete, Path: api + "/citations/" + price.ID, Token: tok}).MustProblem(t, 409)
		if !strings.Contains(p.Detail, "Sleep training, five years on") {
			t.Errorf("detail = %q", p.Detail)
		}
	})

	t.Run("Merge", func(t *testing.T) {
		dup := mustCitation(t, e, tok, map[string]any{"type": "article-journal", "title": "Five-year follow-up (duplicate)", "key": "price2012dup", "year": 2012})
		p2 := e.MustPost(t, tok, map[string]any{"title": "Second post", "body": "Again [@price2012dup]."})
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/" + price.ID + "/merge", Token: tok, Body: map[string]any{}}).MustProblem(t, 400, "dropId")
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/" + price.ID + "/merge", Token: tok, Body: map[string]any{"dropId": price.ID}}).MustProblem(t, 400, "dropId")
		r := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/" + price.ID + "/merge", Token: tok, Body: map[string]any{"dropId": dup.ID}}).MustStatus(t, 200)
		if !strings.Contains(string(r.Body), `"postsChanged":1`) {
			t.Errorf("merge answer = %s", r.Body)
		}
		got := e.MustGetPost(t, tok, p2.ID)
		if got.Body != "Again [@price2012]." || len(got.References) != 1 || got.References[0] != price.ID {
			t.Errorf("merged post = %q %v", got.Body, got.References)
		}
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/citations/" + dup.ID, Token: tok}).MustProblem(t, 404)
	})

	t.Run("DeleteUncited", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodDelete, Path: api + "/citations/" + aap.ID, Token: tok}).MustStatus(t, 204)
	})
}

func TestCitationParseAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token
	parse := func(t *testing.T, text string) parseResp {
		t.Helper()
		var out parseResp
		r := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": text}}).MustStatus(t, 200)
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("BibTeX", func(t *testing.T) {
		got := parse(t, priceBibTeX)
		if got.Meta.Format != "bibtex" || len(got.Data) != 1 {
			t.Fatalf("parse = %+v", got)
		}
		c := got.Data[0]
		if c.Key != "price2012" || c.Pages != "643–651" && c.Pages != "643-651" || c.DOI != "10.1542/peds.2011-3467" || c.ID != "" ||
			len(c.Authors) != 4 || c.Authors[0] != (cms.Name{Family: "Price", Given: "Anna M. H."}) || c.Issue != "4" {
			t.Errorf("parsed = %+v", c.Citation)
		}
		if !strings.HasPrefix(c.APA.Text, "Price, A. M. H., Wake, M., Ukoumunne, O. C., & Hiscock, H. (2012).") {
			t.Errorf("apa = %q", c.APA.Text)
		}
		if len(got.Duplicates) != 0 || len(got.Problems) != 0 {
			t.Errorf("duplicates %v, problems %v", got.Duplicates, got.Problems)
		}
	})
	t.Run("LaTeXAccents", func(t *testing.T) {
		got := parse(t, `@book{muller2020, author = {M{\"u}ller, J{\"o}rg and Garc{\'\i}a, Ana}, title = {Schlaf im S{\"a}uglingsalter}, year = 2020, publisher = {Springer}}`)
		c := got.Data[0]
		if c.Authors[0].Family != "Müller" || c.Authors[0].Given != "Jörg" || c.Authors[1].Family != "García" || c.Title != "Schlaf im Säuglingsalter" || c.Type != cms.CiteBook {
			t.Errorf("parsed = %+v", c.Citation)
		}
	})
	t.Run("RIS", func(t *testing.T) {
		got := parse(t, risRecord+"\n"+strings.Replace(risRecord, "10.1111/jsr.12763", "10.1111/jsr.99999", 1))
		if got.Meta.Format != "ris" || len(got.Data) != 2 || got.Data[0].ArticleNumber != "e12763" || got.Data[0].Container != "Journal of Sleep Research" {
			t.Errorf("parse = %+v", got)
		}
	})
	t.Run("DOISpellings", func(t *testing.T) {
		for _, s := range []string{"10.1542/peds.2011-3467", "doi:10.1542/peds.2011-3467", "DOI 10.1542/peds.2011-3467",
			"https://doi.org/10.1542/peds.2011-3467", "http://dx.doi.org/10.1542/peds.2011-3467.", "  https://doi.org/10.1542%2Fpeds.2011-3467\n"} {
			got := parse(t, s)
			if got.Meta.Format != "doi" || got.Meta.Lookup != "off" || got.Meta.Notice == "" || len(got.Data) != 1 ||
				got.Data[0].DOI != "10.1542/peds.2011-3467" || got.Data[0].Type != cms.CiteArticle {
				t.Errorf("%q: parse = %+v", s, got)
			}
		}
	})
	t.Run("DuplicateOffered", func(t *testing.T) {
		existing := mustCitation(t, e, tok, map[string]any{"type": "article-journal", "title": "Five-year follow-up", "year": 2012,
			"authors": []map[string]string{{"family": "Price", "given": "Anna"}}, "doi": "10.1542/peds.2011-3467"})
		got := parse(t, priceBibTeX)
		d, ok := got.Duplicates["10.1542/peds.2011-3467"]
		if !ok || d.ID != existing.ID || d.Key != "price2012" || d.APA.HTML == "" {
			t.Errorf("duplicates = %+v", got.Duplicates)
		}
		if !strings.Contains(got.Problems["0"]["doi"], "@price2012") {
			t.Errorf("problems = %v", got.Problems)
		}
		got = parse(t, "https://doi.org/10.1542/PEDS.2011-3467")
		if _, ok := got.Duplicates["10.1542/PEDS.2011-3467"]; !ok {
			t.Errorf("a DOI differing in case is not offered: %+v", got.Duplicates)
		}
	})
	t.Run("JavaScriptURLIsAProblem", func(t *testing.T) {
		got := parse(t, `@misc{x2020, title = {A page}, url = {javascript:alert(1)}, year = 2020}`)
		if got.Problems["0"]["url"] == "" {
			t.Errorf("problems = %v, want url", got.Problems)
		}
	})
	t.Run("HTMLInTitleIsEscaped", func(t *testing.T) {
		got := parse(t, `@article{x2020, title = {<img src=x onerror=alert(1)>Sleep}, journal = {J}, year = 2020}`)
		if h := got.Data[0].APA.HTML; strings.Contains(h, "<img") {
			t.Errorf("apa html = %q", h)
		}
	})
	bad := []struct {
		name, text string
		status     int
	}{
		{"Empty", "   ", 400},
		{"Garbage10KB", strings.Repeat("lorem ipsum \x00\xff ", 700), 400},
		{"UnbalancedBibTeX", "@article{x, title = {Unbalanced {braces}, year = 2001", 400},
		{"DOIWithSpaces", "10.1542/peds 2011-3467", 400},
		{"DOIBadPrefix", "doi:11.1542/peds.2011-3467", 400},
		{"RISWithoutType", "AU  - Doe, J\nER  - \nTY  - ", 400},
		{"TooLarge", "@misc{" + strings.Repeat("a", cms.MaxImportBytes+10), 413},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": tc.text}}).MustProblem(t, tc.status, "text")
			if p.Errors["text"] == "" {
				t.Error("no message for text")
			}
		})
	}
	t.Run("NoText", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{}}).MustProblem(t, 400, "text")
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": 5}}).MustProblem(t, 400, "text")
	})
}

// TestCitationParseCrossref looks a DOI up on a stand-in Crossref: found,
// unknown (the DOI alone, with a notice) and down (the same, never an
// error).
func TestCitationParseCrossref(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/works/10.1542/peds.2011-3467":
			_, _ = w.Write([]byte(`{"status":"ok","message-type":"work","message":{"type":"journal-article","DOI":"10.1542/peds.2011-3467",
"title":["Five-year follow-up of harms and benefits of behavioral infant sleep intervention"],"container-title":["Pediatrics"],
"author":[{"given":"Anna M.H.","family":"Price","sequence":"first"}],"issued":{"date-parts":[[2012,10]]},"volume":"130","issue":"4","page":"643-651"}}`))
		case "/works/10.1000/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	e := MustNewEnvFor(t, cmstest.MustService(t, func(c *cms.ServiceConfig) { c.CrossrefURL = srv.URL }))
	tok := e.MustSetup(t).Token
	for _, tc := range []struct{ doi, lookup, title string }{
		{"https://doi.org/10.1542/peds.2011-3467", "found", "Five-year follow-up of harms and benefits of behavioral infant sleep intervention"},
		{"10.1000/unknown", "failed", ""},
		{"10.1000/down", "failed", ""},
	} {
		var out parseResp
		r := e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/parse", Token: tok, Body: map[string]any{"text": tc.doi}}).MustStatus(t, 200)
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		if out.Meta.Lookup != tc.lookup || len(out.Data) != 1 || out.Data[0].Title != tc.title || (tc.lookup == "failed") != (out.Meta.Notice != "") {
			t.Errorf("%s: %+v", tc.doi, out)
		}
	}
}
