package public_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// postCTA is the callToAction of GET /api/v1/posts/{slug}.
func (f *fixture) postCTA(tb testing.TB, slug string) *cms.PublicCTA {
	tb.Helper()
	r := f.Get(tb, "/api/v1/posts/"+slug)
	MustStatus(tb, r, http.StatusOK)
	var res struct {
		Data struct {
			CTA *cms.PublicCTA `json:"callToAction"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.body, &res); err != nil {
		tb.Fatal(err)
	}
	return res.Data.CTA
}

// TestPostCallToAction checks that a post carries the call to action
// that applies to it: none on a fresh install, the site's once set (and
// as changed), the post's own when she gives it one, the site's again
// when she removes it.
func TestPostCallToAction(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	ctx := context.Background()
	p := f.MustPublished(t, "Why toddlers fight bedtime", "Stalling is a skill.", time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), nil)
	if got := f.postCTA(t, p.Slug); got != nil {
		t.Errorf("fresh install: callToAction = %+v, want null", got)
	}

	version := 0
	site := func(c cms.CallToAction) {
		t.Helper()
		st, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{CallToAction: &c, Version: &version})
		if err != nil {
			t.Fatal(err)
		}
		version = st.Version
	}
	want := func(step string, c cms.CallToAction, src cms.CTASource) {
		t.Helper()
		if got := f.postCTA(t, p.Slug); got == nil || *got != (cms.PublicCTA{CallToAction: c, Source: src}) {
			t.Errorf("%s: callToAction = %+v, want %+v from %s", step, got, c, src)
		}
	}
	siteCTA := cms.CallToAction{Heading: "Tired of bedtime battles?", Text: "A plan for your family.", ButtonLabel: "Book a consultation", URL: "https://sleep.example.org/book"}
	site(siteCTA)
	want("site's", siteCTA, cms.CTAFromSite)
	siteCTA.ButtonLabel = "Book a free call"
	site(siteCTA)
	want("site's, changed", siteCTA, cms.CTAFromSite)

	own := cms.CallToAction{Heading: "Get the toddler guide", Text: "Twelve pages, free.", ButtonLabel: "Download", URL: "https://sleep.example.org/guide"}
	update := func(c cms.CallToAction) *cms.Post {
		t.Helper()
		in := cms.CallToAction{Heading: " " + c.Heading + " ", Text: c.Text, ButtonLabel: c.ButtonLabel, URL: c.URL}
		got, err := f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{CallToAction: &in, Version: &p.Version})
		if err != nil {
			t.Fatal(err)
		}
		f.svc.Refresh(ctx)
		return got
	}
	p = update(own)
	want("post's own", own, cms.CTAFromPost)
	site(cms.CallToAction{Heading: "Other", ButtonLabel: "Other", URL: "https://sleep.example.org/other"})
	want("post's own after a settings change", own, cms.CTAFromPost)
	p = update(cms.CallToAction{})
	if p.CallToAction != nil {
		t.Errorf("after removing: post.CallToAction = %+v, want nil", p.CallToAction)
	}
	want("removed: the site's again", cms.CallToAction{Heading: "Other", ButtonLabel: "Other", URL: "https://sleep.example.org/other"}, cms.CTAFromSite)
}
