package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

var citationLocation = regexp.MustCompile(`^/admin/citations/([0-9a-f]{24})$`)

// MustLibraryCitation adds a reference through the service.
func (e *Env) MustLibraryCitation(tb testing.TB, c cms.Citation) *cms.Citation {
	tb.Helper()
	saved, err := e.Svc.CreateCitation(tb.Context(), nil, c)
	if err != nil {
		tb.Fatalf("create citation: %v", err)
	}
	return saved
}

func priceCitation() cms.Citation {
	return cms.Citation{Type: cms.CiteArticle, Title: "Five-year follow-up of harms and benefits of behavioral infant sleep intervention",
		Authors: []cms.Name{{Family: "Price", Given: "Anna M. H."}, {Family: "Wake", Given: "Melissa"}, {Family: "Hiscock", Given: "Harriet"}},
		Year:    2012, Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", DOI: "10.1542/peds.2011-3467"}
}

func TestPanelCitations(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)

	t.Run("EmptyLibrary", func(t *testing.T) {
		b.Get(t, "/admin/citations").MustStatus(t, 200).MustContain(t, `href="/admin/citations" aria-current="page">References`,
			`id="citation-import"`, `id="import-text"`, `id="citations-empty"`, "No references yet.")
	})

	t.Run("CSRFMissing", func(t *testing.T) {
		b.Post(t, "/admin/citations", url.Values{"type": {"book"}, "title": {"x"}}).MustStatus(t, http.StatusForbidden)
		b.Post(t, "/admin/citations/import", url.Values{"text": {"10.1542/peds.2011-3467"}}).MustStatus(t, http.StatusForbidden)
		// The JSON API with the session cookie but no X-CSRF-Token header.
		for _, path := range []string{"/admin/api/v1/citations", "/admin/api/v1/citations/parse"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(`{"type":"book","title":"x","text":"10.1542/x.1"}`))
			req.Header.Set("Content-Type", "application/json")
			p := b.do(t, req)
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "CSRF") {
				t.Errorf("POST %s with the cookie and no CSRF header = %d %s", path, p.Status, p.Body)
			}
		}
		if all, _ := e.Svc.ListCitations(t.Context(), ""); len(all) != 0 {
			t.Errorf("a form without its CSRF token saved %d references", len(all))
		}
	})

	var price *cms.Citation
	t.Run("ImportBibTeXFillsTheForm", func(t *testing.T) {
		bib := `@article{Muller2019, author = {M{\"u}ller, J{\"o}rg and {American Academy of Pediatrics}}, title = {Night waking <script>x</script>},
  journal = {Sleep Medicine}, year = 2019, volume = 54, pages = {1--9}, doi = {https://doi.org/10.1016/j.sleep.2018.09.001}}`
		p := b.PostCSRF(t, "/admin/citations/import", url.Values{"text": {bib}}).MustStatus(t, 200)
		p.MustContain(t, `id="citation-form"`, `id="citation-notice"`, `value="Müller"`, `value="Jörg"`, `name="authors[1].literal"`,
			`value="American Academy of Pediatrics"`, `value="Sleep Medicine"`, `value="10.1016/j.sleep.2018.09.001"`, `value="muller2019"`,
			`value="2019"`, `<option value="article-journal" selected>`, `name="authors[2].family"`, "Night waking &lt;script&gt;")
		p.MustNotContain(t, "<script>x")
		// The title says how to keep a name's capitals, and the field points to it.
		p.MustContain(t, `-title-hint"><p`, "<code>Cosleeping in {South West England}</code>")
		if all, _ := e.Svc.ListCitations(t.Context(), ""); len(all) != 0 {
			t.Error("importing saved something")
		}
	})

	t.Run("SaveFromTheForm", func(t *testing.T) {
		form := url.Values{"type": {"article-journal"}, "title": {priceCitation().Title}, "container": {"Pediatrics"}, "year": {"2012"},
			"volume": {"130"}, "issue": {"4"}, "pages": {"643-651"}, "doi": {"https://doi.org/10.1542/peds.2011-3467"},
			"authors[0].family": {"Price"}, "authors[0].given": {"Anna M. H."}, "authors[1].family": {"Wake"}, "authors[1].given": {"Melissa"},
			"authors[2].family": {""}, "authors[2].given": {""}, "authors[2].literal": {""}}
		res := b.PostCSRF(t, "/admin/citations", form).MustStatus(t, http.StatusSeeOther)
		m := citationLocation.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("Location = %q", res.Header.Get("Location"))
		}
		var err error
		if price, err = e.Svc.GetCitation(t.Context(), m[1]); err != nil {
			t.Fatal(err)
		}
		if price.Key != "price2012" || len(price.Authors) != 2 || price.DOI != "10.1542/peds.2011-3467" {
			t.Errorf("saved = %+v", price)
		}
		b.Get(t, res.Header.Get("Location")).MustStatus(t, 200).MustContain(t, "Saved as @price2012", `id="citation-formatted"`,
			"Price, A. M. H., &amp; Wake, M. (2012).", `id="cited-none"`)
		b.Get(t, "/admin/citations").MustStatus(t, 200).MustContain(t, `<code>@price2012</code>`, "Journal article", "Not cited yet",
			"<i>Pediatrics</i>")
	})

	t.Run("BadInput", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"JavaScriptURL", url.Values{"type": {"webpage"}, "title": {"x"}, "url": {"javascript:alert(1)"}}, 422, []string{`id="cite-url-error"`}},
			{"YearNotANumber", url.Values{"type": {"book"}, "title": {"x"}, "year": {"twenty"}}, 422, []string{`id="cite-year-error"`, "The year must be a number"}},
			{"NoTitle", url.Values{"type": {"book"}}, 422, []string{`id="cite-title-error"`}},
			{"AuthorWithoutFamily", url.Values{"type": {"book"}, "title": {"x"}, "authors[0].given": {"Ann"}}, 422, []string{"A family name (or an organisation name) is required."}},
			{"DuplicateDOI", url.Values{"type": {"article-journal"}, "title": {"Again"}, "doi": {"doi:10.1542/PEDS.2011-3467"}}, 409,
				[]string{`id="duplicate-notice"`, `href="/admin/citations/` + price.ID + `" id="duplicate-link"`, `?reused=1`, "Use that one"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := b.PostCSRF(t, "/admin/citations", tc.form).MustStatus(t, tc.status)
				p.MustContain(t, append(tc.want, `id="form-problem"`)...)
			})
		}
		if all, _ := e.Svc.ListCitations(t.Context(), ""); len(all) != 1 {
			t.Errorf("bad forms saved something: %d references", len(all))
		}
	})

	t.Run("ImportBadText", func(t *testing.T) {
		for _, tc := range []struct {
			name, text string
			status     int
			want       string
		}{
			{"Garbage", strings.Repeat("garbage \x01 text ", 700), 422, "This is not a DOI, a PMID, a PMCID, a PubMed link, an ISBN, a BibTeX entry"},
			{"UnbalancedBibTeX", "@article{x, title = {Unbalanced {braces}, year = 2001", 422, "BibTeX"},
			{"DOIWithSpaces", "10.1542/peds 2011-3467", 422, "A DOI cannot contain spaces."},
			{"Empty", "", 422, "Paste a DOI"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b.PostCSRF(t, "/admin/citations/import", url.Values{"text": {tc.text}}).MustStatus(t, tc.status).
					MustContain(t, `id="import-text-error"`, `id="citations-alert"`, tc.want)
			})
		}
	})

	t.Run("ImportDuplicateDOI", func(t *testing.T) {
		b.PostCSRF(t, "/admin/citations/import", url.Values{"text": {"https://doi.org/10.1542/peds.2011-3467"}}).MustStatus(t, 200).
			MustContain(t, `id="duplicate-notice"`, `id="duplicate-use"`, "@price2012", "looking DOIs up online is turned off",
				`value="10.1542/peds.2011-3467"`).
			// The title the lookup could not fetch is not an error before she saves.
			MustNotContain(t, "A title is required", `aria-invalid="true"`)
		b.Get(t, "/admin/citations/"+price.ID+"?reused=1").MustStatus(t, 200).MustContain(t, "Nothing new was saved")
	})

	t.Run("ImportSeveral", func(t *testing.T) {
		text := "TY  - JOUR\nAU  - Mindell, Jodi A.\nTI  - Behavioral treatment of bedtime problems\nT2  - Sleep\nPY  - 2006\nVL  - 29\nSP  - 1263\nEP  - 1276\nER  - \n" +
			"TY  - JOUR\nAU  - Price, Anna\nTI  - Same study\nT2  - Pediatrics\nPY  - 2012\nDO  - 10.1542/peds.2011-3467\nER  - \n"
		p := b.PostCSRF(t, "/admin/citations/import", url.Values{"text": {text}}).MustStatus(t, 200)
		p.MustContain(t, "2 references to import", `id="import-0"`, `id="import-1"`, "Mindell, J. A. (2006).", "Already in your library as",
			`name="action" value="check"`, "js/citations.js")
		// Without scripts "Save" posts one entry's form.
		res := b.PostCSRF(t, "/admin/citations", url.Values{"type": {"article-journal"}, "title": {"Behavioral treatment of bedtime problems"},
			"authors[0].family": {"Mindell"}, "authors[0].given": {"Jodi A."}, "year": {"2006"}, "container": {"Sleep"}}).MustStatus(t, http.StatusSeeOther)
		if !citationLocation.MatchString(res.Header.Get("Location")) {
			t.Errorf("Location = %q", res.Header.Get("Location"))
		}
		b.PostCSRF(t, "/admin/citations", url.Values{"action": {"check"}, "type": {"book"}, "title": {"Checked first"}}).MustStatus(t, 200).
			MustContain(t, `value="Checked first"`, "Check the reference, then save it.")
	})

	post, err := e.Svc.CreatePost(t.Context(), e.MustOwner(t), cms.PostInput{Title: ptr("Crying & sleep"), Body: ptr("As shown [@price2012].")})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("PageShowsCitingPosts", func(t *testing.T) {
		b.Get(t, "/admin/citations/"+price.ID).MustStatus(t, 200).MustContain(t, `<a href="/admin/posts/`+post.ID+`">Crying &amp; sleep</a>`,
			"Posts still cite it")
		b.Get(t, "/admin/citations").MustStatus(t, 200).MustContain(t, "Cited by 1 post")
		b.Get(t, "/admin/citations?q=wake").MustStatus(t, 200).MustContain(t, "@price2012").MustNotContain(t, "@mindell2006")
		b.Get(t, "/admin/citations/nope").MustStatus(t, 404)
	})

	t.Run("Edit", func(t *testing.T) {
		form := url.Values{"type": {"article-journal"}, "title": {price.Title}, "year": {"2012"}, "container": {"Pediatrics"},
			"authors[0].family": {"Price"}, "authors[0].given": {"Anna M. H."}, "doi": {price.DOI}, "pmid": {"22966034"}, "key": {"price2012"}, "version": {"1"}}
		b.PostCSRF(t, "/admin/citations/"+price.ID, form).MustRedirect(t, "/admin/citations/"+price.ID)
		// Stale: the form comes back with her input at 409.
		form.Set("pmid", "123")
		b.PostCSRF(t, "/admin/citations/"+price.ID, form).MustStatus(t, http.StatusConflict).MustContain(t, "Someone else saved this reference", `value="123"`)
		// A cited reference keeps its key.
		form.Set("version", "2")
		form.Set("key", "price2012b")
		b.PostCSRF(t, "/admin/citations/"+price.ID, form).MustStatus(t, http.StatusConflict).MustContain(t, "its key cannot change")
	})

	t.Run("DeleteRefusedWhileCited", func(t *testing.T) {
		b.PostCSRF(t, "/admin/citations/"+price.ID+"/delete", url.Values{"confirm": {"yes"}}).MustStatus(t, http.StatusConflict).
			MustContain(t, `id="citation-alert"`, "Not deleted", "Crying &amp; sleep")
		b.PostCSRF(t, "/admin/citations/"+price.ID+"/delete", nil).MustStatus(t, 422).MustContain(t, "to confirm")
	})

	t.Run("Merge", func(t *testing.T) {
		dup := e.MustLibraryCitation(t, cms.Citation{Type: cms.CiteArticle, Title: "Five-year follow-up (typed again)", Key: "price2012dup", Year: 2012})
		p2, err := e.Svc.CreatePost(t.Context(), e.MustOwner(t), cms.PostInput{Title: ptr("Second"), Body: ptr("Again [@price2012dup].")})
		if err != nil {
			t.Fatal(err)
		}
		b.PostCSRF(t, "/admin/citations/"+dup.ID+"/merge", url.Values{"other": {""}, "keep": {"other"}}).MustStatus(t, 422).MustContain(t, "choose the other reference")
		// On the duplicate's page she picks the original to keep.
		b.PostCSRF(t, "/admin/citations/"+dup.ID+"/merge", url.Values{"other": {price.ID}, "keep": {"other"}}).MustRedirect(t, "/admin/citations/"+price.ID)
		got := e.MustStored(t, p2.ID)
		if got.Body != "Again [@price2012]." || len(got.References) != 1 || got.References[0] != price.ID {
			t.Errorf("merged post: %q %v", got.Body, got.References)
		}
		if _, err := e.Svc.GetCitation(t.Context(), dup.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("the duplicate is still there: %v", err)
		}
	})

	t.Run("DeleteUncited", func(t *testing.T) {
		lone := e.MustLibraryCitation(t, cms.Citation{Type: cms.CiteBook, Title: "Lone book", Year: 2001})
		b.PostCSRF(t, "/admin/citations/"+lone.ID+"/delete", url.Values{"confirm": {"yes"}}).MustRedirect(t, "/admin/citations")
	})

	t.Run("SettingsStyle", func(t *testing.T) {
		p := b.Get(t, "/admin/settings").MustStatus(t, 200).MustContain(t, `name="citationStyle"`, `<option value="apa" selected>`)
		_ = p
		s, _ := e.Svc.GetSettings(t.Context())
		form := url.Values{"version": {itoa(s.Version)}, "citationStyle": {"ama"}, "site.title": {s.Site.Title}}
		b.PostCSRF(t, "/admin/settings", form).MustRedirect(t, "/admin/settings")
		if s, _ := e.Svc.GetSettings(t.Context()); s.CitationStyle != cms.StyleAMA {
			t.Errorf("style = %q", s.CitationStyle)
		}
		b.Get(t, "/admin/citations").MustStatus(t, 200).MustContain(t, "AMA 11", "Price AMH. Five-year")
		s, _ = e.Svc.GetSettings(t.Context())
		b.PostCSRF(t, "/admin/settings", url.Values{"version": {itoa(s.Version)}, "citationStyle": {"mla"}}).MustStatus(t, 422).
			MustContain(t, `id="citationStyle-error"`)
	})
}

func TestEditorReferences(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	price := e.MustLibraryCitation(t, priceCitation())
	aap := e.MustLibraryCitation(t, cms.Citation{Type: cms.CiteReport, Title: "Safe sleep", Year: 2016, Authors: []cms.Name{{Literal: "American Academy of Pediatrics"}}})

	// Save with an ordered list (aap first) and a body citing price2012.
	form := url.Values{"title": {"Sleep safety"}, "slug": {""}, "slugAuto": {"1"}, "action": {"save"}, "refs": {"1"},
		"references": {aap.ID}, "body": {"Babies cry [@price2012, p. 645]."}}
	res := b.PostCSRF(t, "/admin/posts", form).MustStatus(t, http.StatusSeeOther)
	m := postLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("Location = %q", res.Header.Get("Location"))
	}
	post := e.MustStored(t, m[1])
	if len(post.References) != 2 || post.References[0] != aap.ID || post.References[1] != price.ID {
		t.Fatalf("references = %v, want [aap price]", post.References)
	}

	t.Run("EditorShowsThem", func(t *testing.T) {
		p := b.Get(t, "/admin/posts/"+post.ID).MustStatus(t, 200)
		p.MustContain(t, `name="refs" value="1"`, `id="refs-section"`, `name="references" value="`+aap.ID+`"`, `data-key="price2012"`,
			`id="ref-template"`, `id="ref-picker"`, `id="refs-cite"`, "js/editor-citations.js",
			// The preview: the in-text citation in APA, and the reference list.
			`<a href="#ref-price2012">Price et al., 2012, p. 645</a>`, `<li id="ref-price2012">`, `<li id="ref-american2016">`)
		if strings.Index(p.Body, `value="`+aap.ID+`"`) > strings.Index(p.Body, `value="`+price.ID+`"`) {
			t.Error("the list is not in her order")
		}
	})

	t.Run("Reorder", func(t *testing.T) {
		f := url.Values{"title": {"Sleep safety"}, "slug": {post.Slug}, "action": {"save"}, "refs": {"1"}, "version": {itoa(post.Version)},
			"references": {price.ID, aap.ID}, "body": {post.Body}}
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		got := e.MustStored(t, post.ID)
		if len(got.References) != 2 || got.References[0] != price.ID {
			t.Errorf("references = %v", got.References)
		}
		post = got
	})

	t.Run("WithoutRefsFieldsTheListStays", func(t *testing.T) {
		f := url.Values{"title": {"Sleep safety!"}, "slug": {post.Slug}, "action": {"save"}, "version": {itoa(post.Version)}, "body": {post.Body}}
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		got := e.MustStored(t, post.ID)
		if len(got.References) != 2 || got.Title != "Sleep safety!" {
			t.Errorf("references = %v", got.References)
		}
		post = got
	})

	t.Run("UnknownKeyInBodySavesTheDraft", func(t *testing.T) {
		body := post.Body
		f := url.Values{"title": {"Sleep safety"}, "slug": {post.Slug}, "action": {"save"}, "refs": {"1"}, "version": {itoa(post.Version)},
			"references": {price.ID}, "body": {"See [@nobody1999]."}}
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		got := e.MustStored(t, post.ID)
		if got.Body != "See [@nobody1999]." || got.Status != cms.StatusDraft {
			t.Fatalf("stored body %q, status %s; want the draft saved", got.Body, got.Status)
		}
		page := b.Get(t, "/admin/posts/"+post.ID).MustStatus(t, 200)
		page.MustContain(t, `<div class="unresolved-note" id="unresolved-note"`, `<li><code>@nobody1999</code></li>`,
			`<span id="body-warning-keys">@nobody1999</span>`, `<mark class="citation-unresolved"`)
		page.MustNotContain(t, `id="unresolved-note" role="note" aria-labelledby="unresolved-heading" hidden`)

		// Publishing is refused, naming the key; the draft stays a draft.
		f.Set("action", "publish")
		f.Set("version", itoa(got.Version))
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, 422).
			MustContain(t, `id="body-error"`, "Unresolved citations: @nobody1999", "Not published")
		if again := e.MustStored(t, post.ID); again.Status != cms.StatusDraft || again.Version != got.Version {
			t.Errorf("after a refused publish: status %s version %d, want draft at %d", again.Status, again.Version, got.Version)
		}
		// Put the text back for the subtests below.
		f.Set("action", "save")
		f.Set("body", body)
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		post = e.MustStored(t, post.ID)
	})

	t.Run("UnknownReferenceID", func(t *testing.T) {
		f := url.Values{"title": {"Sleep safety"}, "slug": {post.Slug}, "action": {"save"}, "refs": {"1"}, "version": {itoa(post.Version)},
			"references": {cms.NewID()}, "body": {post.Body}}
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, 422).MustContain(t, `id="references-error"`, "not in the library")
	})

	t.Run("ConflictKeepsThem", func(t *testing.T) {
		f := url.Values{"title": {"Mine"}, "slug": {post.Slug}, "action": {"save"}, "refs": {"1"}, "version": {itoa(post.Version - 1)},
			"references": {aap.ID}, "body": {post.Body}}
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusConflict).
			MustContain(t, `<input type="hidden" name="refs" value="1">`, `<input type="hidden" name="references" value="`+aap.ID+`">`)
	})

	t.Run("Preview", func(t *testing.T) {
		p := b.PostCSRF(t, "/admin/preview", url.Values{"body": {"Crying [@price2012; @american2016]."}, "references": {aap.ID}}).MustStatus(t, 200)
		p.MustContain(t, `<a href="#ref-price2012">Price et al., 2012</a>`, `<a href="#ref-american2016">American Academy of Pediatrics, 2016</a>`,
			`<section class="references"`)
		if strings.Index(p.Body, `id="ref-american2016"`) > strings.Index(p.Body, `id="ref-price2012"`) {
			t.Error("the preview's list is not in her order")
		}
		p.MustNotContain(t, "[@price2012")
		b.Get(t, "/admin/posts/"+post.ID+"/preview").MustStatus(t, 200).MustContain(t, `id="ref-price2012"`)
	})

	t.Run("AutosaveAPI", func(t *testing.T) {
		tok := e.MustLogin(t, ownerEmail, ownerPassword).Token
		var got cms.Post
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/posts/" + post.ID, Token: tok,
			Body: map[string]any{"version": post.Version, "references": []string{aap.ID}, "body": "Only [@price2012]."}}).MustStatus(t, 200).Data(t, &got)
		if len(got.References) != 2 || got.References[0] != aap.ID || got.References[1] != price.ID {
			t.Errorf("references after autosave = %v", got.References)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func itoa(n int) string { return strconv.Itoa(n) }
