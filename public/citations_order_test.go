package public_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// TestPostReferencesOrder reads a published post through the composed
// app: APA lists its references alphabetically with the year letters of
// works by the same authors in one year (in the list and in the text),
// titles in sentence case with braced words kept, and the JSON-LD lists
// them in the same order; AMA numbers them in order of first citation.
func TestPostReferencesOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustFixture(t)
	paruthi := []cms.Name{{Family: "Paruthi", Given: "Shalini"}, {Family: "Brooks", Given: "Lee J."}, {Family: "D'Ambrosio", Given: "Carolyn"}}
	for _, c := range []cms.Citation{
		{Key: "who2019", Type: cms.CiteReport, Authors: []cms.Name{{Literal: "World Health Organization"}}, Year: 2019,
			Title: "Guidelines on Physical Activity, Sedentary Behaviour and Sleep for Children Under 5 Years of Age", Publisher: "World Health Organization"},
		{Key: "paruthi-b", Type: cms.CiteArticle, Authors: paruthi, Year: 2016, Container: "Journal of Clinical Sleep Medicine",
			Title: "Recommended Amount of Sleep for Pediatric Populations: A Consensus Statement of the {American Academy of Sleep Medicine}"},
		{Key: "sadeh1993", Type: cms.CiteArticle, Authors: []cms.Name{{Family: "Sadeh", Given: "Avi"}, {Family: "Anders", Given: "Thomas F."}}, Year: 1993,
			Title: "Infant Sleep Problems: Origins, Assessment, Interventions", Container: "Infant Mental Health Journal"},
		{Key: "paruthi-a", Type: cms.CiteArticle, Authors: paruthi, Year: 2016, Container: "Journal of Clinical Sleep Medicine",
			Title: "Consensus Statement of the {American Academy of Sleep Medicine} on the Recommended Amount of Sleep for Healthy Children: Methodology and Discussion"},
		{Key: "sadeh2011", Type: cms.CiteArticle, Authors: []cms.Name{{Family: "Sadeh", Given: "Avi"}}, Year: 2011,
			Title: "The Role and Validity of Actigraphy in Sleep Medicine: An Update", Container: "Sleep Medicine Reviews"},
	} {
		if _, err := f.svc.CreateCitation(ctx, f.owner, c); err != nil {
			t.Fatal(err)
		}
	}
	p := f.MustPublished(t, "How much sleep", "Guidance [@who2019]. Hours [@paruthi-b; @sadeh1993]. Method [@paruthi-a, p. 1550]. Devices [@sadeh2011].", day0, nil)

	var got struct{ Data readmodel.PublicPost }
	r := f.Get(t, "/api/v1/posts/"+p.Slug)
	MustStatus(t, r, http.StatusOK)
	MustJSON(t, r.body, &got)
	keys := func() (ks []string) {
		for i, ref := range got.Data.References {
			ks = append(ks, ref.Key)
			if ref.Number != i+1 || ref.Anchor != "ref-"+ref.Key {
				t.Errorf("%s: number %d, anchor %q", ref.Key, ref.Number, ref.Anchor)
			}
		}
		return ks
	}
	if k, want := keys(), []string{"paruthi-a", "paruthi-b", "sadeh2011", "sadeh1993", "who2019"}; !slices.Equal(k, want) {
		t.Fatalf("APA references = %v, want %v", k, want)
	}
	refs := got.Data.References
	for i, want := range []string{
		"Paruthi, S., Brooks, L. J., & D'Ambrosio, C. (2016a). Consensus statement of the American Academy of Sleep Medicine on the recommended amount of sleep for healthy children: Methodology and discussion. Journal of Clinical Sleep Medicine.",
		"Paruthi, S., Brooks, L. J., & D'Ambrosio, C. (2016b). Recommended amount of sleep for pediatric populations: A consensus statement of the American Academy of Sleep Medicine. Journal of Clinical Sleep Medicine.",
		"Sadeh, A. (2011). The role and validity of actigraphy in sleep medicine: An update. Sleep Medicine Reviews.",
		"Sadeh, A., & Anders, T. F. (1993). Infant sleep problems: Origins, assessment, interventions. Infant Mental Health Journal.",
		"World Health Organization. (2019). Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age.",
	} {
		if refs[i].APA.Text != want {
			t.Errorf("APA %d\n got: %s\nwant: %s", i, refs[i].APA.Text, want)
		}
	}
	if want := "Paruthi S, Brooks LJ, D'Ambrosio C. Consensus statement of the American Academy of Sleep Medicine on the recommended amount of sleep for healthy children: methodology and discussion. Journal of Clinical Sleep Medicine. 2016."; refs[0].AMA.Text != want {
		t.Errorf("AMA\n got: %s\nwant: %s", refs[0].AMA.Text, want)
	}
	// Braces are a marker, never shown; CSL-JSON carries them as nocase.
	if refs[0].Title != "Consensus Statement of the American Academy of Sleep Medicine on the Recommended Amount of Sleep for Healthy Children: Methodology and Discussion" ||
		!strings.Contains(refs[0].CSL.Title, `of the <span class="nocase">American Academy of Sleep Medicine</span> on`) {
		t.Errorf("title %q, CSL title %q", refs[0].Title, refs[0].CSL.Title)
	}
	for _, want := range []string{
		`Hours <cite class="citation">(<a href="#ref-paruthi-b">Paruthi et al., 2016b</a>; <a href="#ref-sadeh1993">Sadeh &amp; Anders, 1993</a>)</cite>.`,
		`Method <cite class="citation">(<a href="#ref-paruthi-a">Paruthi et al., 2016a, p. 1550</a>)</cite>.`,
	} {
		if !strings.Contains(got.Data.HTML, want) {
			t.Errorf("html = %s\nwant %s", got.Data.HTML, want)
		}
	}
	var ld []string
	for _, c := range got.Data.JSONLD.Citation {
		ld = append(ld, c.Name)
	}
	if len(ld) != 5 || ld[0] != refs[0].Title || ld[4] != refs[4].Title || strings.Contains(strings.Join(ld, ""), "{") {
		t.Errorf("JSON-LD citations are not in the list's order: %q", ld)
	}

	f.MustCitationStyle(t, cms.StyleAMA)
	r = f.Get(t, "/api/v1/posts/"+p.Slug)
	MustStatus(t, r, http.StatusOK)
	got = struct{ Data readmodel.PublicPost }{}
	MustJSON(t, r.body, &got)
	if k, want := keys(), []string{"who2019", "paruthi-b", "sadeh1993", "paruthi-a", "sadeh2011"}; !slices.Equal(k, want) {
		t.Errorf("AMA references = %v, want %v", k, want)
	}
	if want := `Hours <sup class="citation"><a href="#ref-paruthi-b">2</a>,<a href="#ref-sadeh1993">3</a></sup>.`; !strings.Contains(got.Data.HTML, want) {
		t.Errorf("html = %s\nwant %s", got.Data.HTML, want)
	}
	if ld := got.Data.JSONLD.Citation; len(ld) != 5 || ld[0].Name != got.Data.References[0].Title {
		t.Errorf("JSON-LD order differs from the list: %+v", ld)
	}
}
