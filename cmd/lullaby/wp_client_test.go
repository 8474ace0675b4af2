package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// wpClientScript drives the wpapi client (pinned in testdata/npm).
const wpClientScript = "testdata/wp-client.js"

// TestWordPressAPIClient runs the wpapi client against a running Lullaby:
// discovery from the site root, posts with _embed, categories and tags
// with the posts they filter, the Featured list as sticky, paging headers,
// a post imported from WordPress under its old id, and errors, each
// checked against what the test published.
func TestWordPressAPIClient(t *testing.T) {
	s := startClientSite(t, "wpapi")
	cat := s.category("Sleep science")
	naps := s.publish("Wake windows and naps", "Babies nap between **wake windows**.", 0, []string{"naps"}, cat)
	short := s.publish("Short naps", "A 30-minute nap is common at four months.", 1, []string{"naps", "Bedtime"})
	early := s.publish("Early rising", "Some babies wake at five.", 2, nil, cat)
	title, body, status := "Contact naps", "Naps in arms are fine.", cms.StatusPublished
	imported, _, err := s.svc.SaveImported(s.ctx, s.owner, "wordpress:https://old.example:42", s.day0.AddDate(0, 0, 3),
		cms.PostInput{Title: &title, Body: &body, Tags: &[]string{"naps"}, Status: &status})
	if err != nil {
		t.Fatal(err)
	}
	s.feature(short)

	out := s.runClient(wpClientScript)
	type wpPost struct {
		ID                                       int64
		Slug, Title, Content, Link, Status, Type string
		Format                                   string
		Sticky                                   bool
		Categories, Tags                         []int64
		FeaturedMedia                            int64 `json:"featured_media"`
		Author                                   int64
		EmbeddedAuthor                           string     `json:"embedded_author"`
		EmbeddedTerms                            [][]string `json:"embedded_terms"`
		SEOTitle                                 string     `json:"seo_title"`
	}
	var got struct {
		Posts []wpPost
		Total int
		Page2 struct {
			Slugs             []string
			Total, TotalPages int
			HasNext, HasPrev  bool
		}
		Categories []struct {
			ID         int64
			Name, Slug string
			Count      int
		}
		InScience []string
		Tags      []struct {
			ID    int64
			Slug  string
			Count int
		}
		Tagged, Sticky []string
		BySlug         []int64
		ByID           string
		User           string
		TooMany        *struct {
			Code   string
			Status int
			Params map[string]string
		}
		Missing *struct {
			Code   string
			Status int
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}

	want := []*cms.Post{imported, early, short, naps} // newest first
	if len(got.Posts) != len(want) || got.Total != 4 {
		t.Fatalf("posts = %d (total %d), want 4: %s", len(got.Posts), got.Total, out)
	}
	ids := map[int64]bool{}
	for i, p := range got.Posts {
		w := want[i]
		if p.Slug != w.Slug || p.Title != w.Title || p.Link != "https://sleep.example/"+w.Slug || p.Status != "publish" ||
			p.Type != "post" || p.Format != "standard" || p.EmbeddedAuthor != "Jo Doe" || p.SEOTitle != w.Title ||
			!strings.Contains(p.Content, "<p>") || p.FeaturedMedia != 0 || len(p.EmbeddedTerms) != 2 {
			t.Errorf("post %d = %+v, want %s", i, p, w.Slug)
		}
		if p.ID <= 0 || p.ID >= 1<<53 || ids[p.ID] {
			t.Errorf("post %s: id %d is not a unique JS-safe integer", p.Slug, p.ID)
		}
		ids[p.ID] = true
		if p.Sticky != (w.ID == short.ID) {
			t.Errorf("post %s: sticky = %v", p.Slug, p.Sticky)
		}
		if slices.Equal(p.EmbeddedTerms[1], []string{"naps"}) != slices.Equal(w.Tags, []string{"naps"}) {
			t.Errorf("post %s: embedded tags %v, tags %v", p.Slug, p.EmbeddedTerms[1], w.Tags)
		}
	}
	if got.Posts[0].ID != 42 {
		t.Errorf("the post imported from WordPress has id %d, want its old 42", got.Posts[0].ID)
	}
	if got.Posts[3].EmbeddedTerms[0] == nil || !slices.Equal(got.Posts[3].EmbeddedTerms[0], []string{"sleep-science"}) {
		t.Errorf("oldest post's embedded categories = %v", got.Posts[3].EmbeddedTerms[0])
	}
	if p := got.Page2; !slices.Equal(p.Slugs, []string{early.Slug}) || p.Total != 4 || p.TotalPages != 4 || !p.HasNext || !p.HasPrev {
		t.Errorf("perPage(1).page(2) = %+v", p)
	}
	if len(got.Categories) != 1 || got.Categories[0].Slug != "sleep-science" || got.Categories[0].Name != "Sleep science" ||
		got.Categories[0].Count != 2 {
		t.Errorf("categories = %+v", got.Categories)
	}
	if !slices.Equal(got.InScience, []string{early.Slug, naps.Slug}) {
		t.Errorf("posts in the category = %v", got.InScience)
	}
	tags := map[string]int{}
	for _, tg := range got.Tags {
		tags[tg.Slug] = tg.Count
	}
	if len(tags) != 2 || tags["naps"] != 3 || tags["bedtime"] != 1 {
		t.Errorf("tags = %+v", got.Tags)
	}
	if !slices.Equal(got.Tagged, []string{imported.Slug, short.Slug, naps.Slug}) {
		t.Errorf("posts tagged naps = %v", got.Tagged)
	}
	if !slices.Equal(got.Sticky, []string{short.Slug}) {
		t.Errorf("sticky = %v", got.Sticky)
	}
	if !slices.Equal(got.BySlug, []int64{42}) || got.ByID != early.Slug || got.User != "Jo Doe" {
		t.Errorf("by slug = %v, by id = %q, user = %q", got.BySlug, got.ByID, got.User)
	}
	if got.TooMany == nil || got.TooMany.Code != "rest_invalid_param" || got.TooMany.Status != 400 || got.TooMany.Params["per_page"] == "" {
		t.Errorf("per_page=1000 gave %+v", got.TooMany)
	}
	if got.Missing == nil || got.Missing.Code != "rest_post_invalid_id" || got.Missing.Status != 404 {
		t.Errorf("a missing post gave %+v", got.Missing)
	}
}
