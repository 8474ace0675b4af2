package public_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// TestReferenceHealthInPublicAPI: within one check cycle, a work Crossref
// starts to report as retracted says so (status and notice) in the
// public post, and a web page that died gives way to its archived copy,
// in our API, its reference pages and the dialects' "lullaby" data.
func TestReferenceHealthInPublicAPI(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	clk := cmstest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	f := mustFixtureWith(t, nil, []func(*cms.ServiceConfig){net.Configure(time.Millisecond), func(c *cms.ServiceConfig) { c.Now = clk.Now }})
	ctx := t.Context()
	page := net.URL + "/pages/gone-guide"
	if _, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Key: "lecun2015", Type: cms.CiteArticle, Title: "Deep learning",
		Authors: []cms.Name{{Family: "LeCun", Given: "Yann"}}, Year: 2015, Container: "Nature", DOI: cmstest.RefWorkDOI}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Key: "guide", Type: cms.CiteWebpage, Title: "Safe sleep guide",
		Authors: []cms.Name{{Literal: "Sleep Society"}}, Year: 2019, URL: page, Accessed: "2019-01-01"}); err != nil {
		t.Fatal(err)
	}
	p := f.MustPublished(t, "Evidence", "Learning [@lecun2015]. Sleep safely [@guide].", day0, nil)

	refs := func() map[string]readmodel.PublicReference {
		t.Helper()
		var got struct{ Data readmodel.PublicPost }
		r := f.Get(t, "/api/v1/posts/"+p.Slug)
		MustStatus(t, r, http.StatusOK)
		MustJSON(t, r.body, &got)
		out := map[string]readmodel.PublicReference{}
		for _, ref := range got.Data.References {
			out[ref.Key] = ref
		}
		return out
	}
	if r := refs(); r["lecun2015"].Health != nil || r["guide"].Health != nil {
		t.Fatalf("health before any check: %+v", r)
	}
	if _, err := f.svc.CheckReferences(ctx); err != nil {
		t.Fatal(err)
	}
	r := refs()
	if h := r["lecun2015"].Health; h == nil || h.Status != cms.HealthOK || h.Notice != "" || !h.CheckedAt.Equal(clk.Now()) {
		t.Fatalf("after the first check: %+v", h)
	}
	if g := r["guide"]; g.Health == nil || g.Health.Status != cms.HealthOK || g.URL != page || g.OriginalURL != "" {
		t.Fatalf("the live page after the first check: %+v", g)
	}

	net.Retract()
	net.KillPage("gone-guide")
	clk.Add(8 * 24 * time.Hour)
	run, err := f.svc.CheckReferences(ctx)
	if err != nil || run.Checked != 2 || run.Changed != 2 {
		t.Fatalf("the next cycle: %+v, %v", run, err)
	}
	r = refs()
	want := "Retracted on 2025-03-02, see doi:" + cmstest.RefRetractionDOI
	if h := r["lecun2015"].Health; h == nil || h.Status != cms.HealthRetracted || h.Notice != want || h.NoticeURL != "https://doi.org/"+cmstest.RefRetractionDOI {
		t.Errorf("retracted work: %+v, want notice %q", h, want)
	}
	g := r["guide"]
	archive := "http://web.archive.org/web/20190101000000/" + page
	if g.Health == nil || g.Health.Status != cms.HealthArchived || g.Health.ArchiveDate != "2019-01-01" || g.URL != archive || g.OriginalURL != page {
		t.Errorf("dead page: %+v, want url %s and originalUrl %s", g, archive, page)
	}
	if !strings.Contains(g.APA.HTML, archive) || strings.Contains(g.APA.HTML, `"`+page+`"`) || g.CSL.URL != archive {
		t.Errorf("the formatted reference should link to the archived copy: %s", g.APA.HTML)
	}

	// The reference's own page says the same.
	var cp struct{ Data readmodel.PublicCitation }
	rr := f.Get(t, "/api/v1/citations/lecun2015")
	MustStatus(t, rr, http.StatusOK)
	MustJSON(t, rr.body, &cp)
	if cp.Data.Health == nil || cp.Data.Health.Status != cms.HealthRetracted {
		t.Errorf("citation page: %+v", cp.Data.Health)
	}
	// The dialects carry our references under "lullaby".
	var wp []struct {
		Lullaby struct {
			References []readmodel.PublicReference `json:"references"`
		} `json:"lullaby"`
	}
	rr = f.Get(t, "/wp-json/wp/v2/posts?slug="+p.Slug)
	MustStatus(t, rr, http.StatusOK)
	if err := json.Unmarshal(rr.body, &wp); err != nil || len(wp) != 1 {
		t.Fatalf("WordPress posts: %v %s", err, rr.body)
	}
	found := false
	for _, ref := range wp[0].Lullaby.References {
		if ref.Key == "lecun2015" && ref.Health != nil && ref.Health.Notice == want {
			found = true
		}
	}
	if !found {
		t.Errorf("WordPress lullaby.references lack the retraction: %+v", wp[0].Lullaby.References)
	}
}
