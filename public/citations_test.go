package public_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func TestPostReferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustFixture(t)
	price, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Type: cms.CiteArticle,
		Title:   "Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial",
		Authors: []cms.Name{{Family: "Price", Given: "Anna M. H."}, {Family: "Wake", Given: "Melissa"}, {Family: "Ukoumunne", Given: "Obioha C."}, {Family: "Hiscock", Given: "Harriet"}},
		Year:    2012, Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", DOI: "10.1542/peds.2011-3467"})
	if err != nil {
		t.Fatal(err)
	}
	aap, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Type: cms.CiteWebpage, Key: "aap-sleep",
		Title: "Safe sleep <b>guide</b>", Authors: []cms.Name{{Literal: "American Academy of Pediatrics"}}, Year: 2022,
		URL: "https://www.healthychildren.org/"})
	if err != nil {
		t.Fatal(err)
	}
	unused, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Type: cms.CiteBook, Title: "An uncited book", Authors: []cms.Name{{Family: "Nobody"}}, Year: 2001})
	if err != nil {
		t.Fatal(err)
	}
	p := f.MustPublished(t, "Sleep training", "No long-term harm [@price2012, p. 645]. Safe sleep first [@aap-sleep; @price2012].", day0, nil)
	if len(p.References) != 2 {
		t.Fatalf("references = %v", p.References)
	}

	var got struct{ Data readmodel.PublicPost }
	r := f.Get(t, "/api/v1/posts/"+p.Slug)
	MustStatus(t, r, http.StatusOK)
	MustJSON(t, r.body, &got)
	// APA lists alphabetically: the Academy before Price, although Price
	// is cited first.
	refs := got.Data.References
	if len(refs) != 2 || refs[1].Key != "price2012" || refs[1].Number != 2 || refs[0].Anchor != "ref-aap-sleep" || refs[0].Number != 1 {
		t.Fatalf("references = %+v", refs)
	}
	if !strings.Contains(refs[1].APA.Text, "Price, A. M. H., Wake, M., Ukoumunne, O. C., & Hiscock, H. (2012).") ||
		!strings.Contains(refs[1].AMA.Text, "Price AMH, Wake M, Ukoumunne OC, Hiscock H.") ||
		refs[1].CSL.ID != "price2012" || refs[1].CSL.DOI != "10.1542/peds.2011-3467" {
		t.Errorf("formatted reference: %+v", refs[1])
	}
	if strings.Contains(refs[0].APA.HTML, "<b>") || !strings.Contains(refs[0].APA.HTML, "&lt;b&gt;") {
		t.Errorf("HTML in a title must be escaped: %s", refs[0].APA.HTML)
	}
	if got.Data.Excerpt != "No long-term harm. Safe sleep first." {
		t.Errorf("excerpt = %q, want the text without citations", got.Data.Excerpt)
	}
	wantAPA := `<cite class="citation">(<a href="#ref-price2012">Price et al., 2012, p. 645</a>)</cite>`
	if !strings.Contains(got.Data.HTML, wantAPA) || strings.Contains(got.Data.HTML, "data-cite") {
		t.Errorf("html = %s, want the APA in-text citation %s", got.Data.HTML, wantAPA)
	}

	// The reference's page lists the posts citing it; an uncited one none.
	var page struct {
		Data struct {
			readmodel.PublicCitation
			Posts []readmodel.PublicPostSummary `json:"posts"`
		}
	}
	r = f.Get(t, "/api/v1/citations/PRICE2012")
	MustStatus(t, r, http.StatusOK)
	MustJSON(t, r.body, &page)
	if page.Data.ID != price.ID || len(page.Data.Posts) != 1 || page.Data.Posts[0].ID != p.ID {
		t.Errorf("citation page = %+v", page.Data)
	}
	r = f.Get(t, "/api/v1/citations/"+unused.Key)
	MustStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"posts":[]`) {
		t.Errorf("uncited reference: %s", r.body)
	}
	MustStatus(t, f.Get(t, "/api/v1/citations/nobody1999"), http.StatusNotFound)
	MustStatus(t, f.Get(t, "/api/v1/citations/"+strings.Repeat("x", 300)), http.StatusNotFound)

	// Switching the site to AMA renumbers in order of first citation
	// without saving the post; a corrected reference shows at once.
	f.MustCitationStyle(t, cms.StyleAMA)
	fixed := *aap
	fixed.Title = "Safe sleep guide"
	if _, err := f.svc.UpdateCitation(ctx, f.owner, aap.ID, fixed, aap.Version); err != nil {
		t.Fatal(err)
	}
	r = f.Get(t, "/api/v1/posts/"+p.Slug)
	MustJSON(t, r.body, &got)
	wantAMA := `Safe sleep first <sup class="citation"><a href="#ref-aap-sleep">2</a>,<a href="#ref-price2012">1</a></sup>.`
	if !strings.Contains(got.Data.HTML, wantAMA) {
		t.Errorf("html = %s, want the AMA citation %s", got.Data.HTML, wantAMA)
	}
	if got.Data.References[1].Title != "Safe sleep guide" {
		t.Errorf("the corrected title did not reach the post: %q", got.Data.References[1].Title)
	}
	var site struct{ Data readmodel.PublicSite }
	MustJSON(t, f.Get(t, "/api/v1/site").body, &site)
	if site.Data.CitationStyle != cms.StyleAMA {
		t.Errorf("site citationStyle = %q", site.Data.CitationStyle)
	}
}

// MustCitationStyle sets the site's citation style.
func (f *fixture) MustCitationStyle(tb testing.TB, style cms.CitationStyle) {
	tb.Helper()
	ctx := context.Background()
	cur, err := f.svc.GetSettings(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{Version: &cur.Version, CitationStyle: &style}); err != nil {
		tb.Fatal(err)
	}
}
