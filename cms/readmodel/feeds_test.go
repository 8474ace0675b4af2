package readmodel

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/mmcdole/gofeed"
)

func TestFeedsOfAnEmptyBlog(t *testing.T) {
	t.Parallel()
	snap := MustSearchSnapshot(t, nil)
	for _, f := range []FeedFormat{FeedRSS, FeedAtom, FeedJSON} {
		b, err := snap.Feed(f, "")
		if err != nil {
			t.Fatal(err)
		}
		feed, err := gofeed.NewParser().ParseString(string(b.Bytes()))
		if err != nil || len(feed.Items) != 0 {
			t.Errorf("%s: %v, %v\n%s", f, err, feed, b.Bytes())
		}
	}
	b, _ := snap.Feed(FeedJSON, "")
	var jf map[string]any
	if err := json.Unmarshal(b.Bytes(), &jf); err != nil || jf["version"] != "https://jsonfeed.org/version/1.1" || jf["items"] == nil {
		t.Errorf("JSON Feed %s: %v", b.Bytes(), err)
	}
	if _, err := snap.Feed("rdf", ""); !cms.IsKind(err, cms.KindInvalid) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := snap.Feed(FeedRSS, "nope"); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("unknown category: %v", err)
	}
}

func TestSitemapWithoutPostURLs(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()
	st := cms.DefaultSettings() // no site URL: posts have no page URL
	snap, err := buildSnapshot(snapshotInput{version: 1, posts: posts, settings: &st}, nil)
	if err != nil {
		t.Fatal(err)
	}
	moved := *posts[0]
	moved.Version, moved.SEO.CanonicalURL = 2, "https://elsewhere.example/why-babies-cry"
	posts[0] = &moved
	snap2, err := buildSnapshot(snapshotInput{version: 2, posts: posts, settings: &st}, snap)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []*Snapshot{snap, snap2} {
		b, err := s.Sitemap()
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.URLs) != i {
			t.Errorf("snapshot %d: %d urls, want %d: %s", i, len(doc.URLs), i, b.Bytes())
		}
		if r := string(s.Robots().Bytes()); strings.Contains(r, "Sitemap:") {
			t.Errorf("robots.txt names a sitemap without a public URL: %s", r)
		}
	}
}

// TestPostBodiesReused checks that a post's composed body (and so its
// compressed encodings) survives a reload that changes nothing it shows,
// and is remade when a neighbour changes.
func TestPostBodiesReused(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()
	st := cms.DefaultSettings()
	in := snapshotInput{version: 1, posts: posts, settings: &st}
	s1, err := buildSnapshot(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	b1, _, _ := s1.Post("post-7")
	in.version = 2
	s2, _ := buildSnapshot(in, s1)
	if b2, _, _ := s2.Post("post-7"); b2 != b1 {
		t.Error("an unchanged post got a new body")
	}
	// Editing the next newer post changes the "next" summary.
	edited := *posts[7]
	edited.Version, edited.Title = 2, "Toddler bedtime battles, revised"
	in.posts = append(append([]*cms.Post{}, posts[:7]...), append([]*cms.Post{&edited}, posts[8:]...)...)
	in.version = 3
	s3, _ := buildSnapshot(in, s2)
	b3, _, _ := s3.Post("post-7")
	if b3 == b1 || !strings.Contains(string(b3.Bytes()), `"next":{"id":"000000000000000000000008","slug":"post-8","title":"Toddler bedtime battles, revised"`) {
		t.Errorf("after the neighbour's edit: %s", b3.Bytes())
	}
	if !strings.Contains(string(b3.Bytes()), `"previous":{"id":"000000000000000000000006"`) {
		t.Errorf("previous: %s", b3.Bytes())
	}
	first, _, _ := s3.Post("post-1")
	if !strings.Contains(string(first.Bytes()), `"previous":null`) {
		t.Errorf("the oldest post's previous: %s", first.Bytes())
	}
}
