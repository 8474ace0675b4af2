package public_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

var day0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// MustBlog fills f with two categories, three published posts, a draft, a
// scheduled post and a trashed post.
func MustBlog(tb testing.TB, f *fixture) (posts []*cms.Post) {
	tb.Helper()
	ctx := context.Background()
	baby, toddler := f.MustCategory(tb, "Baby sleep"), f.MustCategory(tb, "Toddler sleep")
	posts = append(posts,
		f.MustPublished(tb, "Wake windows explained", "## What is a wake window?\n\nThe time a baby stays awake.[^1]\n\n[^1]: A rule of thumb.", day0, []string{"Naps"}, baby),
		f.MustPublished(tb, "A calm bedtime routine", "| Step | Minutes |\n|---|---|\n| Bath | 10 |", day0.AddDate(0, 0, 1), []string{"bedtime", "naps"}, toddler),
		f.MustPublished(tb, "Night wakings after six months", "Babies wake between *cycles*.", day0.AddDate(0, 0, 2), nil, baby, toddler),
	)
	title, body := "Secret draft", "not yet"
	if _, err := f.svc.CreatePost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body}); err != nil {
		tb.Fatal(err)
	}
	title = "Scheduled for later"
	sched, err := f.svc.CreatePost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.svc.SchedulePost(ctx, f.owner, sched.ID, sched.Version, time.Now().Add(time.Hour), cms.Confirmed{}); err != nil {
		tb.Fatal(err)
	}
	trashed := f.MustPublished(tb, "Trashed post", "gone", day0.AddDate(0, 0, 3), nil)
	if _, err := f.svc.TrashPost(ctx, f.owner, trashed.ID, 0); err != nil {
		tb.Fatal(err)
	}
	return posts
}

func TestPublicContent(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	MustBlog(t, f)

	t.Run("ListNewestFirstWithoutHiddenPosts", func(t *testing.T) {
		r := f.Get(t, "/api/v1/posts")
		MustStatus(t, r, 200)
		MustGolden(t, "posts", r.body)
		for _, hidden := range []string{"Secret draft", "Scheduled for later", "Trashed post"} {
			if bytes.Contains(r.body, []byte(hidden)) {
				t.Errorf("list shows %q", hidden)
			}
		}
		if got := r.header.Get("Cache-Control"); !strings.HasPrefix(got, "public, max-age=") {
			t.Errorf("Cache-Control = %q, want public, max-age=...", got)
		}
	})
	t.Run("Post", func(t *testing.T) {
		r := f.Get(t, "/api/v1/posts/wake-windows-explained")
		MustStatus(t, r, 200)
		MustGolden(t, "post", r.body)
	})
	t.Run("HiddenPostsAre404", func(t *testing.T) {
		for _, slug := range []string{"secret-draft", "scheduled-for-later", "trashed-post", "no-such-post"} {
			r := f.Get(t, "/api/v1/posts/"+slug)
			MustStatus(t, r, 404)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: Content-Type = %q, want application/problem+json", slug, ct)
			}
		}
	})
	t.Run("Pagination", func(t *testing.T) {
		var got struct {
			Data []struct{ Slug string }
			Meta struct{ Pagination readmodel.Pagination }
		}
		MustJSON(t, f.Get(t, "/api/v1/posts?limit=2&page=2").body, &got)
		want := readmodel.Pagination{Page: 2, Limit: 2, Total: 3, TotalPages: 2}
		if got.Meta.Pagination != want || len(got.Data) != 1 || got.Data[0].Slug != "wake-windows-explained" {
			t.Errorf("page 2 = %+v, want %+v with wake-windows-explained", got, want)
		}
		MustJSON(t, f.Get(t, "/api/v1/posts?limit=2&page=9").body, &got)
		if len(got.Data) != 0 || got.Meta.Pagination.Total != 3 {
			t.Errorf("page past the end = %+v, want no posts and total 3", got)
		}
	})
	t.Run("FiltersAndSort", func(t *testing.T) {
		tests := []struct{ query, want string }{
			{"?category=baby-sleep", "night-wakings-after-six-months,wake-windows-explained"},
			{"?category=toddler-sleep&sort=oldest", "a-calm-bedtime-routine,night-wakings-after-six-months"},
			{"?tag=NAPS", "a-calm-bedtime-routine,wake-windows-explained"},
			{"?tag=naps&category=toddler-sleep", "a-calm-bedtime-routine"},
			{"?sort=oldest&limit=1", "wake-windows-explained"},
			{"?category=unknown", ""},
			{`?category={"$ne":null}`, ""},
			{"?category[$ne]=x", "night-wakings-after-six-months,a-calm-bedtime-routine,wake-windows-explained"},
		}
		for _, tt := range tests {
			var got struct{ Data []struct{ Slug string } }
			r := f.Get(t, "/api/v1/posts"+strings.ReplaceAll(strings.ReplaceAll(tt.query, `"`, "%22"), "$", "%24"))
			MustStatus(t, r, 200)
			MustJSON(t, r.body, &got)
			var slugs []string
			for _, p := range got.Data {
				slugs = append(slugs, p.Slug)
			}
			if s := strings.Join(slugs, ","); s != tt.want {
				t.Errorf("%s: got %s, want %s", tt.query, s, tt.want)
			}
		}
	})
	t.Run("BadQueryNamesTheParameter", func(t *testing.T) {
		for query, field := range map[string]string{
			"?page=0": "page", "?page=abc": "page", "?limit=101": "limit", "?limit=-1": "limit",
			"?sort=popular-ish": "sort", "?page=1e9": "page",
		} {
			r := f.Get(t, "/api/v1/posts"+query)
			MustStatus(t, r, 400)
			var p struct{ Errors map[string]string }
			MustJSON(t, r.body, &p)
			if p.Errors[field] == "" {
				t.Errorf("%s: errors = %v, want a message for %q", query, p.Errors, field)
			}
		}
	})
	t.Run("Categories", func(t *testing.T) {
		r := f.Get(t, "/api/v1/categories")
		MustStatus(t, r, 200)
		MustGolden(t, "categories", r.body)
		r = f.Get(t, "/api/v1/categories/toddler-sleep?limit=1")
		MustStatus(t, r, 200)
		MustGolden(t, "category", r.body)
		MustStatus(t, f.Get(t, "/api/v1/categories/nope"), 404)
	})
	t.Run("Site", func(t *testing.T) {
		r := f.Get(t, "/api/v1/site")
		MustStatus(t, r, 200)
		MustGolden(t, "site-default", r.body)
	})
	t.Run("UnknownEndpoint", func(t *testing.T) {
		r := f.Get(t, "/api/v1/nothing-here")
		MustStatus(t, r, 404)
		if !bytes.Contains(r.body, []byte(`"status":404`)) {
			t.Errorf("body = %s, want a problem with status 404", r.body)
		}
	})
	t.Run("OpenAPIDocument", func(t *testing.T) {
		r := f.Get(t, "/api/v1/openapi.json")
		MustStatus(t, r, 200)
		if !bytes.Contains(r.body, []byte(`"openapi": "3.1.0"`)) {
			t.Errorf("not an OpenAPI 3.1 document: %.80s", r.body)
		}
	})
}

func TestETagAndEncoding(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	f.MustPublished(t, "A long post", strings.Repeat("Sleep is a skill babies learn over time. ", 200), day0, nil)

	r := f.Get(t, "/api/v1/posts/a-long-post")
	MustStatus(t, r, 200)
	etag := r.header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
		t.Fatalf("ETag = %q, want a strong ETag", etag)
	}
	// The body is sent in parts (its HTML is shared with the post's other
	// bodies): the ETag is still that of the bytes sent, all of them.
	if sum := sha256.Sum256(r.body); etag != `"`+hex.EncodeToString(sum[:16])+`"` || !bytes.Contains(r.body, []byte("Sleep is a skill")) {
		t.Errorf("ETag %s is not the SHA-256 of the %d bytes sent", etag, len(r.body))
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/posts/a-long-post", nil)
		req.Header.Set("If-None-Match", inm)
		r304 := f.Do(t, req)
		MustStatus(t, r304, 304)
		if len(r304.body) != 0 || r304.header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: body %d bytes, ETag %q; want empty and %q", inm, len(r304.body), r304.header.Get("ETag"), etag)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/posts/a-long-post", nil)
	req.Header.Set("If-None-Match", `"stale"`)
	MustStatus(t, f.Do(t, req), 200)

	decoders := map[string]func(io.Reader) (io.Reader, error){
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for _, tt := range []struct{ accept, want string }{
		{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0, gzip", "gzip"}, {"identity", ""},
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/posts/a-long-post", nil)
		req.Header.Set("Accept-Encoding", tt.accept)
		rz := f.Do(t, req)
		if got := rz.header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", tt.accept, got, tt.want)
			continue
		}
		if tt.want == "" {
			continue
		}
		if len(rz.body) >= len(r.body)/2 {
			t.Errorf("%s body is %d bytes, identity %d: not compressed", tt.want, len(rz.body), len(r.body))
		}
		zr, err := decoders[tt.want](bytes.NewReader(rz.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, r.body) {
			t.Errorf("%s body does not decode to the identity body (err %v)", tt.want, err)
		}
		// Each encoding is a representation of its own, with its own
		// strong ETag (RFC 9110 8.8.3).
		want := strings.TrimSuffix(etag, `"`) + map[string]string{"br": `-br"`, "gzip": `-gz"`}[tt.want]
		if rz.header.Get("ETag") != want || !strings.Contains(rz.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: ETag %q Vary %q; want %q and Vary: Accept-Encoding", tt.want, rz.header.Get("ETag"), rz.header.Get("Vary"), want)
		}
	}
}

func TestOldSlugRedirects(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	p := f.MustPublished(t, "Sleep regressions", "body", day0, nil)
	slug := "the-four-month-sleep-regression"
	if _, err := f.svc.UpdatePost(context.Background(), f.owner, p.ID, cms.PostInput{Slug: &slug, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	r := f.Get(t, "/api/v1/posts/sleep-regressions")
	MustStatus(t, r, 301)
	if loc := r.header.Get("Location"); loc != "/api/v1/posts/"+slug {
		t.Errorf("Location = %q, want /api/v1/posts/%s", loc, slug)
	}
	MustStatus(t, f.Get(t, "/api/v1/posts/"+slug), 200)

	// A new post may take the old slug; it then wins over the redirect.
	title := "Sleep regressions"
	np := f.MustPublished(t, title, "new", day0.AddDate(0, 0, 1), nil)
	if np.Slug != "sleep-regressions" {
		t.Fatalf("new post slug = %q, want sleep-regressions", np.Slug)
	}
	MustStatus(t, f.Get(t, "/api/v1/posts/sleep-regressions"), 200)
}

func TestCORS(t *testing.T) {
	t.Parallel()
	t.Run("AnyOriginByDefault", func(t *testing.T) {
		f := MustFixture(t)
		req := httptest.NewRequest(http.MethodGet, "/api/v1/site", nil)
		req.Header.Set("Origin", "https://frontend.example")
		if got := f.Do(t, req).header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
		}
	})
	t.Run("ConfiguredAndSettingsOrigins", func(t *testing.T) {
		f := MustFixture(t, "https://a.example")
		v := 0
		if _, err := f.svc.UpdateSettings(context.Background(), f.owner, cms.SettingsInput{Version: &v,
			Site: &cms.SiteSettings{Title: "Blog"}, CORSOrigins: &[]string{"https://b.example/"}}); err != nil {
			t.Fatal(err)
		}
		for origin, want := range map[string]string{
			"https://a.example": "https://a.example", "https://b.example": "https://b.example", "https://evil.example": "",
		} {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/posts", nil)
			req.Header.Set("Origin", origin)
			if got := f.Do(t, req).header.Get("Access-Control-Allow-Origin"); got != want {
				t.Errorf("Origin %s: Access-Control-Allow-Origin = %q, want %q", origin, got, want)
			}
		}
		req := httptest.NewRequest(http.MethodOptions, "/api/v1/posts", nil)
		req.Header.Set("Origin", "https://a.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		r := f.Do(t, req)
		MustStatus(t, r, 204)
		if r.header.Get("Access-Control-Allow-Origin") != "https://a.example" || !strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "GET") || !strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight headers = %v", r.header)
		}
	})
}

func TestSiteSettings(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	v := 0
	_, err := f.svc.UpdateSettings(context.Background(), f.owner, cms.SettingsInput{Version: &v,
		Site:         &cms.SiteSettings{Title: "Little Sleepers", URL: "https://sleep.example/", Description: "Gentle sleep help"},
		Author:       &cms.AuthorProfile{Name: "Jo Doe", Title: "Certified pediatric sleep consultant", Bio: "<b>Mum</b> of two"},
		CallToAction: &cms.CallToAction{Heading: "Need help?", Text: "Book a call", ButtonLabel: "Book a consultation", URL: "https://sleep.example/book"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := f.Get(t, "/api/v1/site")
	MustStatus(t, r, 200)
	MustGolden(t, "site", r.body)
	f.MustPublished(t, "Post", "text", day0, nil)
	var post struct {
		Data struct {
			SEO    readmodel.PublicSEO
			Author readmodel.PublicAuthor
		}
	}
	MustJSON(t, f.Get(t, "/api/v1/posts/post").body, &post)
	if post.Data.SEO.CanonicalURL != "https://sleep.example/post" || post.Data.Author.Title != "Certified pediatric sleep consultant" {
		t.Errorf("post seo/author = %+v", post.Data)
	}
}
