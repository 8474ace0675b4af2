package cms_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestCitationKeys(t *testing.T) {
	t.Parallel()
	body := "Crying peaks at six weeks [@Price2012, p. 645]. Two studies [@a2001; @b-2002].\n\n" +
		"Not a citation: `[@code]`, an email me@example.com, a [@link](https://example.com), [@ref][x].\n\n" +
		"    [@indented]\n\nAgain [@price2012].\n\n[x]: https://example.com\n"
	got := cms.CitationKeys(body)
	if want := []string{"price2012", "a2001", "b-2002"}; !slices.Equal(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
}

func TestFormatCitations(t *testing.T) {
	t.Parallel()
	r, err := cms.RenderMarkdown("Colic [@price2012, p. 645; @hiscock2002]. Unknown [@gone].")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, `<cite class="citation" data-cite="price2012|p.+645 hiscock2002">`) {
		t.Fatalf("placeholder missing or changed by the sanitiser: %s", r.HTML)
	}
	refs := []*cms.Citation{
		{Key: "hiscock2002", Type: cms.CiteArticle, Title: "T", Year: 2002, Authors: []cms.Name{{Family: "Hiscock", Given: "Harriet"}, {Family: "Wake", Given: "Melissa"}}},
		{Key: "price2012", Type: cms.CiteArticle, Title: "T", Year: 2012, Authors: []cms.Name{{Family: "Price", Given: "Anna"}, {Family: "Wake", Given: "M"}, {Family: "Ukoumunne", Given: "O"}}},
	}
	apa := cms.FormatCitations(r.HTML, cms.StyleAPA, refs)
	want := `Colic <cite class="citation">(<a href="#ref-price2012">Price et al., 2012, p. 645</a>; <a href="#ref-hiscock2002">Hiscock &amp; Wake, 2002</a>)</cite>. Unknown <cite class="citation">(<mark class="citation-unresolved" title="Not in the reference library">@gone?</mark>)</cite>.`
	if !strings.Contains(apa, want) {
		t.Errorf("APA:\n got %s\nwant %s", apa, want)
	}
	ama := cms.FormatCitations(r.HTML, cms.StyleAMA, refs)
	// AMA numbers in order of first citation, whatever the order of refs.
	want = `Colic <sup class="citation"><a href="#ref-price2012">1</a>(p. 645),<a href="#ref-hiscock2002">2</a></sup>.`
	if !strings.Contains(ama, want) {
		t.Errorf("AMA:\n got %s\nwant %s", ama, want)
	}
}

func TestCitationLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)
	owner := cmstest.Owner()
	price, err := svc.CreateCitation(ctx, owner, cms.Citation{Type: cms.CiteArticle, Title: "Five-year follow-up of harms and benefits of behavioral infant sleep intervention",
		Authors: []cms.Name{{Family: "Price", Given: "Anna M. H."}, {Family: "Wake", Given: "Melissa"}}, Year: 2012,
		Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", DOI: "https://doi.org/10.1542/peds.2011-3467"})
	if err != nil {
		t.Fatal(err)
	}
	if price.Key != "price2012" || price.DOI != "10.1542/peds.2011-3467" {
		t.Errorf("key, doi = %q, %q", price.Key, price.DOI)
	}
	_, err = svc.CreateCitation(ctx, owner, cms.Citation{Type: cms.CiteArticle, Title: "Same study", Authors: []cms.Name{{Family: "Price"}}, Year: 2012, DOI: "doi:10.1542/PEDS.2011-3467"})
	if !cms.IsKind(err, cms.KindConflict) || !strings.Contains(cms.ErrorFields(err)["doi"], "@price2012") {
		t.Errorf("duplicate DOI: %v %v, want a conflict naming @price2012", err, cms.ErrorFields(err))
	}
	dup, err := svc.CreateCitation(ctx, owner, cms.Citation{Type: cms.CiteArticle, Title: "Five-year follow-up (duplicate entry)", Authors: []cms.Name{{Family: "Price"}}, Year: 2012})
	if err != nil || dup.Key != "price2012a" {
		t.Fatalf("second price2012: %v, key %q", err, dup.Key)
	}

	body := "Sleep training did no harm [@price2012a, p. 650]."
	p, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Sleep training"), Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.References, []string{dup.ID}) {
		t.Errorf("references = %v, want the cited work added", p.References)
	}
	if err := svc.DeleteCitation(ctx, owner, dup.ID); !cms.IsKind(err, cms.KindConflict) || !strings.Contains(err.Error(), "Sleep training") {
		t.Errorf("deleting a cited reference: %v, want a conflict naming the post", err)
	}
	in := *dup
	in.Key = "renamed2012"
	if _, err := svc.UpdateCitation(ctx, owner, dup.ID, in, dup.Version); cms.ErrorFields(err)["key"] == "" {
		t.Errorf("renaming a cited key: %v, want a problem with key", err)
	}

	n, err := svc.MergeCitations(ctx, owner, price.ID, dup.ID)
	if err != nil || n != 1 {
		t.Fatalf("merge: %d, %v", n, err)
	}
	p, err = svc.GetPost(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Body != "Sleep training did no harm [@price2012, p. 650]." || !slices.Equal(p.References, []string{price.ID}) {
		t.Errorf("after merge: body %q, references %v", p.Body, p.References)
	}
	if _, err := svc.GetCitation(ctx, dup.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("merged reference still there: %v", err)
	}
	list, err := svc.ListCitations(ctx, "WAKE")
	if err != nil || len(list) != 1 || list[0].ID != price.ID {
		t.Errorf("search by author: %v, %v", list, err)
	}
}
