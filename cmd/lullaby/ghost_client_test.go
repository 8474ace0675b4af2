package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// ghostClientScript drives the official Ghost client (pinned in
// testdata/npm, which .ci/run installs with npm ci).
const ghostClientScript = "testdata/ghost-client.js"

// TestGhostContentAPIClient runs the official @tryghost/content-api client
// against a running Lullaby: browse with a filter, includes and
// pagination, read by slug and id, tags, authors, settings, pages and
// errors, each checked against what the test published.
func TestGhostContentAPIClient(t *testing.T) {
	s := startClientSite(t, "@tryghost/content-api")
	science, pages := s.category("Sleep science"), s.category("Pages")
	naps := s.publish("Wake windows and naps", "Babies nap between **wake windows**.", 0, []string{"naps"}, science)
	short := s.publish("Short naps", "A 30-minute nap is common at four months.", 1, []string{"naps", "Bedtime"})
	catnaps := s.publish("Catnaps on the go", "Naps in the pram count.", 2, []string{"naps"})
	s.publish("Early rising", "Some babies wake at five.", 3, nil, science)
	about := s.publish("About me", "I help families sleep.", 4, nil, pages)
	s.feature(short)

	out := s.runClient(ghostClientScript, "0123456789abcdef0123456789")
	var got struct {
		Pages []struct {
			Meta struct {
				Pagination struct{ Page, Limit, Pages, Total int }
			}
			Posts []struct {
				ID, Slug, Title, HTML, PublishedAt string
				PrimaryTag                         string `json:"primary_tag"`
				Tags                               []string
				PrimaryAuthor                      string `json:"primary_author"`
				Featured                           bool
				URL                                string
			}
		}
		Featured []string
		BySlug   struct{ ID, Title, HTML, Plaintext, Excerpt string }
		ByID     string
		Tags     []struct {
			Slug, Name string
			Posts      int
		}
		TagBySlug    string
		Authors      []struct{ Name, Slug string }
		AuthorBySlug string
		Settings     struct{ Title, Description, URL string }
		PagesList    []string
		BadFilter    *struct{ Name, Message, Context string }
		Missing      *struct{ Name, Message string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}

	want := []*cms.Post{catnaps, short, naps} // tag:naps, newest first
	var slugs []string
	for i, page := range got.Pages {
		if pg := page.Meta.Pagination; pg.Page != i+1 || pg.Limit != 2 || pg.Pages != 2 || pg.Total != 3 {
			t.Errorf("page %d: pagination %+v", i+1, pg)
		}
		for _, p := range page.Posts {
			slugs = append(slugs, p.Slug)
			if !slices.Contains(p.Tags, "naps") || p.PrimaryAuthor != "Jo Doe" || p.URL != "https://sleep.example/"+p.Slug || p.HTML == "" {
				t.Errorf("post %s = %+v", p.Slug, p)
			}
			if p.Featured != (p.Slug == short.Slug) {
				t.Errorf("post %s: featured = %v", p.Slug, p.Featured)
			}
		}
	}
	if len(got.Pages) != 2 || !slices.Equal(slugs, []string{want[0].Slug, want[1].Slug, want[2].Slug}) {
		t.Errorf("browsed %d pages: %v, want %s %s %s", len(got.Pages), slugs, want[0].Slug, want[1].Slug, want[2].Slug)
	}
	if last := got.Pages[len(got.Pages)-1].Posts; len(last) != 1 || last[0].PrimaryTag != "sleep-science" {
		t.Errorf("the oldest post's primary tag (its category) = %+v", last)
	}
	if !slices.Equal(got.Featured, []string{short.Slug}) {
		t.Errorf("featured = %v", got.Featured)
	}
	if got.BySlug.ID != catnaps.ID || got.BySlug.Title != catnaps.Title || !strings.Contains(got.BySlug.HTML, "<p>Naps in the pram count.</p>") ||
		got.BySlug.Plaintext != "Naps in the pram count." || got.ByID != catnaps.Slug {
		t.Errorf("read by slug = %+v, by id = %s", got.BySlug, got.ByID)
	}
	tags := map[string]int{}
	for _, tg := range got.Tags {
		tags[tg.Slug] = tg.Posts
	}
	if len(tags) != 3 || tags["naps"] != 3 || tags["bedtime"] != 1 || tags["sleep-science"] != 2 || got.TagBySlug != "naps" {
		t.Errorf("tags = %+v, naps by slug = %q", got.Tags, got.TagBySlug)
	}
	if len(got.Authors) != 1 || got.Authors[0].Name != "Jo Doe" || got.AuthorBySlug != "Jo Doe" {
		t.Errorf("authors = %+v, by slug %q", got.Authors, got.AuthorBySlug)
	}
	if got.Settings.Title != "Little Sleepers" || got.Settings.Description != "Evidence-based sleep help" || got.Settings.URL != "https://sleep.example/" {
		t.Errorf("settings = %+v", got.Settings)
	}
	if !slices.Equal(got.PagesList, []string{about.Slug}) {
		t.Errorf("pages = %v", got.PagesList)
	}
	if got.BadFilter == nil || got.BadFilter.Name != "BadRequestError" || !strings.Contains(got.BadFilter.Context, `"~"`) {
		t.Errorf("an unsupported filter gave %+v", got.BadFilter)
	}
	if got.Missing == nil || got.Missing.Name != "NotFoundError" || got.Missing.Message != "Resource not found error, cannot read post." {
		t.Errorf("a missing post gave %+v", got.Missing)
	}

	// Older clients put the version in the path; a path outside the
	// dialect's routes is still answered in Ghost's shape.
	status, _, body := call(t, "GET", s.r.base+"/ghost/api/v4/content/posts/slug/"+naps.Slug+"/?key=0123456789abcdef0123456789", "", nil)
	if status != 200 || !strings.Contains(string(body), `"posts":[{"id":"`+naps.ID+`"`) {
		t.Errorf("GET /ghost/api/v4/content/posts/slug/… = %d %s", status, body)
	}
	status, h, body := call(t, "GET", s.r.base+"/ghost/api/v9/content/posts/", "", nil)
	if status != 404 || !strings.Contains(string(body), `"type":"NotFoundError"`) || h.Get("Content-Version") == "" {
		t.Errorf("GET /ghost/api/v9/content/posts/ = %d %v %s", status, h, body)
	}
}
