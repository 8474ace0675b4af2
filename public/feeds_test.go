package public_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/public"
	"github.com/mmcdole/gofeed"
)

// MustFeedFixture is MustFixture with the feeds, sitemap and robots.txt
// at the root, as cmd/lullaby mounts them.
func MustFeedFixture(tb testing.TB) *fixture {
	tb.Helper()
	cf := cmstest.MustService(tb)
	rm, svc := cf.Read, cf.Svc
	rm.SetPublicURL(testPublicURL)
	api, err := public.New(public.Config{Content: rm, Logger: cmstest.Logger(), Media: svc})
	if err != nil {
		tb.Fatal(err)
	}
	app := fiber.New()
	api.Routes(app.Group("/api/v1"))
	api.MediaRoutes(app.Group("/media"))
	api.FeedRoutes(app)
	if err := rm.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &fixture{svc: svc, app: app, owner: &cms.User{ID: cms.NewID(), Name: "Owner", Role: cms.RoleOwner}}
}

// feedBlog is a blog with a cover, a reference and three posts in two
// categories; it returns the posts oldest first.
func feedBlog(tb testing.TB, f *fixture) []*cms.Post {
	tb.Helper()
	ctx := context.Background()
	f.MustSettings(tb, "https://sleep.example")
	baby, toddler := f.MustCategory(tb, "Baby sleep"), f.MustCategory(tb, "Toddler sleep")
	ref, err := f.svc.CreateCitation(ctx, f.owner, cms.Citation{Type: cms.CiteArticle, Key: "mindell2006",
		Title: "Behavioral treatment of bedtime problems", Authors: []cms.Name{{Family: "Mindell", Given: "Jodi A."}},
		Year: 2006, Container: "Sleep", Volume: "29", Pages: "1263-1276", DOI: "10.1093/sleep/29.10.1263"})
	if err != nil {
		tb.Fatal(err)
	}
	cover := f.MustUpload(tb, 1800, 1000)
	pin := f.MustUpload(tb, 1000, 1500)
	posts := []*cms.Post{
		f.MustPublished(tb, "Wake windows & naps", "Babies nap between wake windows.", day0, []string{"naps"}, baby),
		f.MustPublished(tb, "Bedtime routine", "A calm bedtime routine helps toddlers.", day0.AddDate(0, 0, 1), []string{"bedtime"}, toddler),
	}
	title, body, tags, cats, refs := "Night wakings", "Babies wake at night.", []string{"naps", "night"}, []string{baby.ID}, []string{ref.ID}
	pins := []cms.PinInput{{MediaID: pin.ID, Title: "Night wakings pin"}}
	third, err := f.svc.ImportPost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body, Tags: &tags, CategoryIDs: &cats,
		References: &refs, Cover: &cms.ImageInput{MediaID: cover.ID, Alt: "A sleepy baby"}, Pins: &pins}, cms.StatusPublished, day0.AddDate(0, 0, 2))
	if err != nil {
		tb.Fatal(err)
	}
	f.svc.Refresh(ctx)
	return append(posts, third)
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	f := MustFeedFixture(t)
	posts := feedBlog(t, f)
	parse := func(t *testing.T, path, wantType string) *gofeed.Feed {
		t.Helper()
		r := f.Get(t, path)
		MustStatus(t, r, 200)
		if got := r.header.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", path, got, wantType)
		}
		if r.header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", path)
		}
		feed, err := gofeed.NewParser().ParseString(string(r.body))
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, r.body)
		}
		return feed
	}
	checkItems := func(t *testing.T, path string, feed *gofeed.Feed, want []*cms.Post) {
		t.Helper()
		if len(feed.Items) != len(want) {
			t.Fatalf("%s: %d items, want %d", path, len(feed.Items), len(want))
		}
		for i, it := range feed.Items {
			p := want[len(want)-1-i] // newest first
			if it.Title != p.Title {
				t.Errorf("%s item %d: title %q, want %q", path, i, it.Title, p.Title)
			}
			if it.Link != "https://sleep.example/"+p.Slug {
				t.Errorf("%s item %d: link %q", path, i, it.Link)
			}
			if it.GUID != readmodel.FeedItemID(p.ID) {
				t.Errorf("%s item %d: id %q, want %q", path, i, it.GUID, readmodel.FeedItemID(p.ID))
			}
			if it.Content == "" || it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.PublishedAt) {
				t.Errorf("%s item %d: content %q, published %v", path, i, it.Content, it.PublishedParsed)
			}
		}
		newest := feed.Items[0]
		if !strings.Contains(newest.Content, `<img src="`+testPublicURL+`/media/`) || !strings.Contains(newest.Content, "<h2>References</h2>") ||
			!strings.Contains(newest.Content, "Behavioral treatment of bedtime problems") {
			t.Errorf("%s: the newest item lacks the cover or the references: %s", path, newest.Content)
		}
		if newest.Image == nil && len(newest.Enclosures) == 0 {
			t.Errorf("%s: the newest item has no image", path)
		}
	}
	for _, tc := range []struct{ path, ct string }{
		{"/feed.xml", "application/rss+xml; charset=utf-8"},
		{"/feed.atom", "application/atom+xml; charset=utf-8"},
		{"/feed.json", "application/feed+json; charset=utf-8"},
	} {
		t.Run("Parse"+tc.path, func(t *testing.T) {
			feed := parse(t, tc.path, tc.ct)
			if feed.Title != "Little Sleepers" {
				t.Errorf("title %q", feed.Title)
			}
			checkItems(t, tc.path, feed, posts)
			cat := parse(t, "/categories/baby-sleep"+tc.path, tc.ct)
			checkItems(t, "baby-sleep "+tc.path, cat, []*cms.Post{posts[0], posts[2]})
		})
	}
	t.Run("RSSEnclosureAndMedia", func(t *testing.T) {
		r := f.Get(t, "/feed.xml")
		for _, want := range []string{`<enclosure url="` + testPublicURL + `/media/`, `<media:content url="`, `xmlns:media="http://search.yahoo.com/mrss/"`, `<guid isPermaLink="false">urn:lullaby:post:`} {
			if !strings.Contains(string(r.body), want) {
				t.Errorf("RSS lacks %s", want)
			}
		}
	})
	t.Run("AtomCategoriesAndSelf", func(t *testing.T) {
		// RFC 4287: every category carries its term (4.2.2), the feed
		// links to itself (4.2.7.2, a SHOULD), an entry or the feed has an
		// author (4.1.1), and updated is an RFC 3339 date (3.3).
		var doc struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			Author  []struct {
				Name string `xml:"http://www.w3.org/2005/Atom name"`
			} `xml:"http://www.w3.org/2005/Atom author"`
			Links []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Updated string `xml:"http://www.w3.org/2005/Atom updated"`
			Entries []struct {
				ID         string `xml:"http://www.w3.org/2005/Atom id"`
				Updated    string `xml:"http://www.w3.org/2005/Atom updated"`
				Categories []struct {
					Term  *string `xml:"term,attr"`
					Label string  `xml:"label,attr"`
					Text  string  `xml:",chardata"`
				} `xml:"http://www.w3.org/2005/Atom category"`
			} `xml:"http://www.w3.org/2005/Atom entry"`
		}
		for _, path := range []string{"/feed.atom", "/categories/baby-sleep/feed.atom"} {
			r := f.Get(t, path)
			MustStatus(t, r, 200)
			if err := xml.Unmarshal(r.body, &doc); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			self := ""
			for _, l := range doc.Links {
				if l.Rel == "self" {
					self = l.Href
				}
			}
			if self != testPublicURL+path {
				t.Errorf("%s: self link %q, want %q", path, self, testPublicURL+path)
			}
			if _, err := time.Parse(time.RFC3339, doc.Updated); err != nil {
				t.Errorf("%s: updated %q: %v", path, doc.Updated, err)
			}
			if len(doc.Author) == 0 || doc.Author[0].Name == "" {
				t.Errorf("%s: no feed author", path)
			}
			if len(doc.Entries) == 0 {
				t.Fatalf("%s: no entries", path)
			}
			var got []string
			for _, c := range doc.Entries[0].Categories { // the newest: "Night wakings"
				if c.Term == nil || *c.Term == "" || strings.TrimSpace(c.Text) != "" {
					t.Errorf("%s: category without a term or with text content: %+v", path, c)
					continue
				}
				got = append(got, *c.Term+"|"+c.Label)
			}
			if want := "baby-sleep|Baby sleep,naps|,night|"; strings.Join(got, ",") != want {
				t.Errorf("%s: categories %q, want %q", path, strings.Join(got, ","), want)
			}
		}
	})
	t.Run("ETag304", func(t *testing.T) {
		r := f.Get(t, "/feed.xml")
		req := httptest.NewRequest(http.MethodGet, "/feed.xml", nil)
		req.Header.Set("If-None-Match", r.header.Get("ETag"))
		MustStatus(t, f.Do(t, req), http.StatusNotModified)
	})
	t.Run("UnknownCategory404", func(t *testing.T) {
		r := f.Get(t, "/categories/nope/feed.xml")
		MustStatus(t, r, 404)
		if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type %q", ct)
		}
	})
	t.Run("IDsStableAfterEdit", func(t *testing.T) {
		before := parse(t, "/feed.atom", "application/atom+xml; charset=utf-8").Items[2].GUID
		title, slug := "Wake windows, revised", "wake-windows-revised"
		p := posts[0]
		if _, err := f.svc.UpdatePost(context.Background(), f.owner, p.ID, cms.PostInput{Title: &title, Slug: &slug, Version: &p.Version}); err != nil {
			t.Fatal(err)
		}
		f.svc.Refresh(context.Background())
		for _, path := range []string{"/feed.xml", "/feed.atom", "/feed.json"} {
			it := parse(t, path, map[string]string{"/feed.xml": "application/rss+xml; charset=utf-8", "/feed.atom": "application/atom+xml; charset=utf-8", "/feed.json": "application/feed+json; charset=utf-8"}[path]).Items[2]
			if it.Title != title || it.GUID != before {
				t.Errorf("%s: after the edit title %q id %q, want %q and the old id %q", path, it.Title, it.GUID, title, before)
			}
		}
	})
}

// sitemapDoc is the sitemap as the protocol defines it.
type sitemapDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Images  []struct {
			Loc string `xml:"http://www.google.com/schemas/sitemap-image/1.1 loc"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func TestSitemapAndRobots(t *testing.T) {
	t.Parallel()
	f := MustFeedFixture(t)
	posts := feedBlog(t, f)
	r := f.Get(t, "/sitemap.xml")
	MustStatus(t, r, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(string(r.body), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.80s", r.body)
	}
	var sm sitemapDoc
	if err := xml.Unmarshal(r.body, &sm); err != nil {
		t.Fatalf("%v\n%s", err, r.body)
	}
	if len(sm.URLs) != len(posts)+1 || len(sm.URLs) > 50000 || len(r.body) > 50<<20 {
		t.Fatalf("%d urls, want %d (home and posts)", len(sm.URLs), len(posts)+1)
	}
	if sm.URLs[0].Loc != "https://sleep.example/" {
		t.Errorf("first url %q, want the home page", sm.URLs[0].Loc)
	}
	images := 0
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, "https://sleep.example/") || len(u.Loc) >= 2048 {
			t.Errorf("loc %q is not an absolute URL on the site", u.Loc)
		}
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("lastmod %q is not a W3C datetime: %v", u.LastMod, err)
		}
		for _, im := range u.Images {
			images++
			if !strings.HasPrefix(im.Loc, testPublicURL+"/media/") {
				t.Errorf("image %q", im.Loc)
			}
		}
	}
	if images != 2 {
		t.Errorf("%d images, want the cover and the pin", images)
	}

	r = f.Get(t, "/robots.txt")
	MustStatus(t, r, 200)
	if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{"User-agent: *\n", "Allow: /\n", "Sitemap: " + testPublicURL + "/sitemap.xml\n"} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, r.body)
		}
	}
}

func TestPostLinksAndJSONLD(t *testing.T) {
	t.Parallel()
	f := MustFeedFixture(t)
	posts := feedBlog(t, f)
	type summary struct {
		Slug string `json:"slug"`
	}
	var got struct {
		Data struct {
			Related  []summary      `json:"related"`
			Previous *summary       `json:"previous"`
			Next     *summary       `json:"next"`
			JSONLD   map[string]any `json:"jsonLd"`
		} `json:"data"`
	}
	get := func(slug string) {
		t.Helper()
		got.Data.Previous, got.Data.Next = nil, nil
		r := f.Get(t, "/api/v1/posts/"+slug)
		MustStatus(t, r, 200)
		MustJSON(t, r.body, &got)
	}
	get(posts[1].Slug)
	if got.Data.Previous == nil || got.Data.Previous.Slug != posts[0].Slug || got.Data.Next == nil || got.Data.Next.Slug != posts[2].Slug {
		t.Errorf("middle post: previous %v next %v", got.Data.Previous, got.Data.Next)
	}
	get(posts[2].Slug)
	if got.Data.Next != nil {
		t.Errorf("newest post: next %v, want null", got.Data.Next)
	}
	// Suggested: the post sharing its category and a tag.
	if len(got.Data.Related) == 0 || got.Data.Related[0].Slug != posts[0].Slug {
		t.Errorf("suggested related %v, want %s first", got.Data.Related, posts[0].Slug)
	}
	ld := got.Data.JSONLD
	if ld["@context"] != "https://schema.org" || ld["@type"] != "BlogPosting" || ld["headline"] != "Night wakings" ||
		ld["datePublished"] != day0.AddDate(0, 0, 2).Format(time.RFC3339) || ld["url"] != "https://sleep.example/night-wakings" {
		t.Errorf("jsonLd %v", ld)
	}
	if a := ld["author"].(map[string]any); a["@type"] != "Person" || a["name"] != "Jo Doe" || a["jobTitle"] != "Certified pediatric sleep consultant" {
		t.Errorf("author %v", a)
	}
	if p := ld["publisher"].(map[string]any); p["name"] != "Little Sleepers" {
		t.Errorf("publisher %v", p)
	}
	if im := ld["image"].([]any); len(im) != 2 {
		t.Errorf("image %v, want cover and pin", im)
	}
	cites := ld["citation"].([]any)
	if len(cites) != 1 {
		t.Fatalf("citation %v", cites)
	}
	c := cites[0].(map[string]any)
	if c["@type"] != "ScholarlyArticle" || c["name"] != "Behavioral treatment of bedtime problems" || c["sameAs"] != "https://doi.org/10.1093/sleep/29.10.1263" || c["datePublished"] != "2006" {
		t.Errorf("citation %v", c)
	}

	// Hand-picked related posts win; unpublished and unknown ones are dropped.
	ctx := context.Background()
	title, body := "Draft", "x"
	draft, err := f.svc.CreatePost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	p := posts[2]
	cur, err := f.svc.GetPost(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	picked := []string{draft.ID, posts[1].ID, cms.NewID()}
	if _, err := f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{Related: &picked, Version: &cur.Version}); err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(ctx)
	get(p.Slug)
	if len(got.Data.Related) != 1 || got.Data.Related[0].Slug != posts[1].Slug {
		t.Errorf("hand-picked related %v, want only %s", got.Data.Related, posts[1].Slug)
	}
	tooMany := make([]string, 11)
	for i := range tooMany {
		tooMany[i] = cms.NewID()
	}
	cur, _ = f.svc.GetPost(ctx, p.ID)
	if _, err := f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{Related: &tooMany, Version: &cur.Version}); cms.ErrorFields(err)["relatedIds"] == "" {
		t.Errorf("11 related posts: %v, want Invalid naming relatedIds", err)
	}
}
