package public_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// MustUpload stores a w x h JPEG (distinct sizes give distinct media).
func (f *fixture) MustUpload(tb testing.TB, w, h int) *cms.Media {
	tb.Helper()
	m, err := f.svc.UploadMedia(context.Background(), f.owner, "photo.jpg", "", bytes.NewReader(cmstest.MustJPEG(tb, w, h)))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// MustSettings saves the site title and URL and the author's name.
func (f *fixture) MustSettings(tb testing.TB, siteURL string) {
	tb.Helper()
	ctx := context.Background()
	cur, err := f.svc.GetSettings(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	v := cur.Version
	if _, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{Version: &v,
		Site:   &cms.SiteSettings{Title: "Little Sleepers", URL: siteURL},
		Author: &cms.AuthorProfile{Name: "Jo Doe", Title: "Certified pediatric sleep consultant"},
	}); err != nil {
		tb.Fatal(err)
	}
}

// publicPost is GET /api/v1/posts/{slug} decoded.
type publicPost struct {
	Data readmodel.PublicPost
}

// mediaURL is the absolute URL the API gives a variant.
func mediaURL(id, variant string) string { return testPublicURL + "/media/" + id + "/" + variant }

// pinDescription has what breaks naive query building: &, #, é, spaces.
const pinDescription = "Naps & bedtime #1: a café-calm routine"

func TestPostImages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustFixture(t)
	f.MustSettings(t, "https://sleep.example/")
	cat := f.MustCategory(t, "Baby sleep")
	cover := f.MustUpload(t, 1800, 1000)
	pin1 := f.MustUpload(t, 1000, 1500)
	pin2 := f.MustUpload(t, 700, 1050)

	title := "Wake windows: naps & bedtime"
	body := "Intro.\n\n![A sleepy baby](/media/" + cover.ID + "/w1024)\n\n[Full size](/media/" + cover.ID + "/original)\n"
	seoDesc := "How long babies stay awake between naps."
	tags := []string{"Naps", "Bedtime"}
	cats := []string{cat.ID}
	pins := []cms.PinInput{
		{MediaID: pin1.ID, Title: "Wake windows by age", Description: pinDescription, Alt: "A chart of wake windows"},
		{MediaID: pin2.ID, Title: "Hidden pin title", Alt: "A baby asleep", Hidden: true},
	}
	p, err := f.svc.ImportPost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body, SEODescription: &seoDesc, Tags: &tags,
		CategoryIDs: &cats, Cover: &cms.ImageInput{MediaID: cover.ID, Alt: "A sleepy baby"}, Pins: &pins}, cms.StatusPublished, day0)
	if err != nil {
		t.Fatal(err)
	}
	plainTitle, plainBody := "No pictures here", "Just words."
	plain, err := f.svc.ImportPost(ctx, f.owner, cms.PostInput{Title: &plainTitle, Body: &plainBody}, cms.StatusPublished, day0.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(ctx)
	postURL := "https://sleep.example/" + p.Slug

	r := f.Get(t, "/api/v1/posts/"+p.Slug)
	MustStatus(t, r, 200)
	var got publicPost
	MustJSON(t, r.body, &got)
	post := got.Data

	t.Run("URL", func(t *testing.T) {
		if post.URL != postURL || post.SEO.CanonicalURL != postURL {
			t.Errorf("url = %q, canonicalUrl = %q; want %q", post.URL, post.SEO.CanonicalURL, postURL)
		}
	})
	t.Run("CoverImage", func(t *testing.T) {
		c := post.CoverImage
		if c == nil {
			t.Fatal("coverImage is null")
		}
		want := readmodel.PublicImage{MediaID: cover.ID, URL: mediaURL(cover.ID, "w1600"), Width: 1600, Height: 889, Alt: "A sleepy baby",
			Srcset: mediaURL(cover.ID, "thumb") + " 320w, " + mediaURL(cover.ID, "w640") + " 640w, " +
				mediaURL(cover.ID, "w1024") + " 1024w, " + mediaURL(cover.ID, "w1600") + " 1600w, " + mediaURL(cover.ID, "original") + " 1800w"}
		if v, ok := cover.Variant("w1600"); ok {
			want.Height = v.Height // the media's own rounding
		}
		if _, ok := cover.Variant("w640.webp"); ok {
			want.SrcsetWebp = c.SrcsetWebp
			if !strings.Contains(c.SrcsetWebp, mediaURL(cover.ID, "w640.webp")+" 640w") {
				t.Errorf("srcsetWebp = %q, want the w640.webp variant at 640w", c.SrcsetWebp)
			}
		}
		if *c != want {
			t.Errorf("coverImage =\n%+v\nwant\n%+v", *c, want)
		}
	})
	t.Run("Pins", func(t *testing.T) {
		if len(post.Pins) != 2 {
			t.Fatalf("%d pins, want 2", len(post.Pins))
		}
		for i, tt := range []struct {
			media       *cms.Media
			hidden      bool
			alt, desc   string
			title, send string // send: the description the save link carries
		}{
			{pin1, false, "A chart of wake windows", pinDescription, "Wake windows by age", pinDescription},
			{pin2, true, "A baby asleep", "", "Hidden pin title", "Hidden pin title"},
		} {
			pin := post.Pins[i]
			pv, _ := tt.media.Variant("pin")
			if pin.MediaID != tt.media.ID || pin.URL != mediaURL(tt.media.ID, "pin") || pin.Width != pv.Width || pin.Height != pv.Height ||
				pin.Alt != tt.alt || pin.Title != tt.title || pin.Description != tt.desc || pin.Hidden != tt.hidden {
				t.Errorf("pin %d = %+v", i, pin)
			}
			if i == 0 && (pin.Width != 1000 || pin.Height != 1500) {
				t.Errorf("pin 0 is %dx%d, want 1000x1500", pin.Width, pin.Height)
			}
			if !strings.HasPrefix(pin.Srcset, mediaURL(tt.media.ID, "thumb")+" 320w, ") {
				t.Errorf("pin %d srcset = %q", i, pin.Srcset)
			}
			MustSaveURL(t, pin.SaveURL, map[string]string{"url": postURL, "media": mediaURL(tt.media.ID, "pin"), "description": tt.send})
		}
		// The raw link escapes what would cut it short.
		if s := post.Pins[0].SaveURL; strings.ContainsAny(s, " #é") || !strings.Contains(s, "%26") || !strings.Contains(s, "%23") || !strings.Contains(s, "%C3%A9") {
			t.Errorf("saveUrl not escaped: %s", s)
		}
	})
	t.Run("Meta", func(t *testing.T) {
		social, _ := cover.Variant("social")
		meta := func(property, content string) readmodel.PublicMeta {
			return readmodel.PublicMeta{Property: property, Content: content}
		}
		want := []readmodel.PublicMeta{
			meta("og:type", "article"),
			meta("og:title", title),
			meta("og:description", seoDesc),
			meta("og:url", postURL),
			meta("og:site_name", "Little Sleepers"),
			meta("og:image", mediaURL(cover.ID, "social")),
			meta("og:image:width", "1200"),
			meta("og:image:height", "630"),
			meta("og:image:alt", "A sleepy baby"),
			meta("article:published_time", "2026-03-01T09:00:00Z"),
			meta("article:modified_time", p.UpdatedAt.UTC().Format(time.RFC3339)),
			meta("article:author", "Jo Doe"),
			meta("article:section", "Baby sleep"),
			meta("article:tag", "Naps"),
			meta("article:tag", "Bedtime"),
		}
		if social.Width != 1200 || social.Height != 630 {
			t.Fatalf("social variant is %dx%d", social.Width, social.Height)
		}
		if !reflect.DeepEqual(post.Meta, want) {
			t.Errorf("meta =\n%v\nwant\n%v", post.Meta, want)
		}
	})
	t.Run("Share", func(t *testing.T) {
		s := post.Share
		if s.Pinterest != post.Pins[0].SaveURL {
			t.Errorf("share.pinterest = %q, want the first pin's saveUrl %q", s.Pinterest, post.Pins[0].SaveURL)
		}
		MustLink(t, s.Facebook, "https://www.facebook.com/sharer/sharer.php", map[string]string{"u": postURL})
		MustLink(t, s.X, "https://x.com/intent/post", map[string]string{"url": postURL, "text": title})
		wantMail := "mailto:?subject=Wake%20windows%3A%20naps%20%26%20bedtime&body=https%3A%2F%2Fsleep.example%2F" + p.Slug
		if s.Email != wantMail {
			t.Errorf("share.email = %q, want %q", s.Email, wantMail)
		}
	})
	t.Run("BodyMediaLinksAbsolute", func(t *testing.T) {
		for _, want := range []string{`src="` + mediaURL(cover.ID, "w1024") + `"`, `href="` + mediaURL(cover.ID, "original") + `"`} {
			if !strings.Contains(post.HTML, want) {
				t.Errorf("html lacks %s: %s", want, post.HTML)
			}
		}
		if strings.Contains(post.HTML, `="/media/`) {
			t.Errorf("html keeps a relative media link: %s", post.HTML)
		}
	})
	t.Run("ListCarriesURLAndCover", func(t *testing.T) {
		var list struct{ Data []readmodel.PublicPostSummary }
		r := f.Get(t, "/api/v1/posts")
		MustStatus(t, r, 200)
		MustJSON(t, r.body, &list)
		if len(list.Data) != 2 {
			t.Fatalf("%d posts, want 2", len(list.Data))
		}
		first, second := list.Data[0], list.Data[1]
		if first.URL != postURL || first.CoverImage == nil || *first.CoverImage != *post.CoverImage {
			t.Errorf("first summary url %q cover %+v; want %q and the post's cover", first.URL, first.CoverImage, postURL)
		}
		if second.URL != "https://sleep.example/"+plain.Slug || second.CoverImage != nil {
			t.Errorf("second summary url %q cover %+v", second.URL, second.CoverImage)
		}
		if !bytes.Contains(r.body, []byte(`"coverImage":null`)) {
			t.Errorf("no explicit null coverImage in %s", r.body)
		}
	})
	t.Run("PostWithoutImages", func(t *testing.T) {
		r := f.Get(t, "/api/v1/posts/"+plain.Slug)
		MustStatus(t, r, 200)
		for _, want := range []string{`"coverImage":null`, `"pins":[]`} {
			if !bytes.Contains(r.body, []byte(want)) {
				t.Errorf("body lacks %s: %s", want, r.body)
			}
		}
		var got publicPost
		MustJSON(t, r.body, &got)
		if got.Data.Share.Pinterest != "" || got.Data.Share.Facebook == "" {
			t.Errorf("share = %+v, want no pinterest link, a facebook one", got.Data.Share)
		}
		for _, m := range got.Data.Meta {
			if strings.HasPrefix(m.Property, "og:image") {
				t.Errorf("meta has %v for a post without images", m)
			}
		}
	})
	t.Run("MediaEndpoint", func(t *testing.T) {
		u := "/media/" + cover.ID + "/w1600"
		r := f.Get(t, u)
		MustStatus(t, r, 200)
		etag := r.header.Get("ETag")
		if r.header.Get("Content-Type") != "image/jpeg" || etag == "" || r.header.Get("Accept-Ranges") != "bytes" ||
			r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("headers = %v", r.header)
		}
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Range", "bytes=0-99")
		rr := f.Do(t, req)
		MustStatus(t, rr, 206)
		if len(rr.body) != 100 || !strings.HasPrefix(rr.header.Get("Content-Range"), "bytes 0-99/") {
			t.Errorf("range: %d bytes, Content-Range %q", len(rr.body), rr.header.Get("Content-Range"))
		}
		req = httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("If-None-Match", etag)
		MustStatus(t, f.Do(t, req), 304)
		for target, want := range map[string]int{
			"/media/" + cover.ID + "/W1600!":                     400,
			"/media/" + cover.ID + "/" + strings.Repeat("w", 40): 400,
			"/media/" + cover.ID + "/w9999":                      404,
			"/media/" + cms.NewID() + "/w1600":                   404,
		} {
			r := f.Get(t, target)
			MustStatus(t, r, want)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: Content-Type %q, want application/problem+json", target, ct)
			}
		}
	})
}

// TestPostImagesWithoutSiteURL: with no site URL the post has no URL, so
// the save link has no url= and only the Pinterest share is left; setting
// the site URL later rebuilds the post's links.
func TestPostImagesWithoutSiteURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustFixture(t)
	pin := f.MustUpload(t, 1000, 1500)
	title := "Early mornings"
	body := "text"
	pins := []cms.PinInput{{MediaID: pin.ID}}
	p, err := f.svc.ImportPost(ctx, f.owner, cms.PostInput{Title: &title, Body: &body, Pins: &pins}, cms.StatusPublished, day0)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(ctx)

	var got publicPost
	MustJSON(t, f.Get(t, "/api/v1/posts/"+p.Slug).body, &got)
	d := got.Data
	if d.URL != "" || d.CoverImage != nil || len(d.Pins) != 1 {
		t.Fatalf("url %q cover %+v pins %d; want none, none, 1", d.URL, d.CoverImage, len(d.Pins))
	}
	MustSaveURL(t, d.Pins[0].SaveURL, map[string]string{"media": mediaURL(pin.ID, "pin"), "description": title})
	if want := (readmodel.PublicShare{Pinterest: d.Pins[0].SaveURL}); d.Share != want {
		t.Errorf("share = %+v, want only %+v", d.Share, want)
	}
	var ogImage string
	for _, m := range d.Meta {
		if m.Property == "og:url" {
			t.Errorf("meta has og:url %q for a post without a URL", m.Content)
		}
		if m.Property == "og:image" {
			ogImage = m.Content
		}
	}
	if ogImage != mediaURL(pin.ID, "pin") {
		t.Errorf("og:image = %q, want the first pin %q", ogImage, mediaURL(pin.ID, "pin"))
	}

	f.MustSettings(t, "https://sleep.example")
	MustJSON(t, f.Get(t, "/api/v1/posts/"+p.Slug).body, &got)
	if want := "https://sleep.example/" + p.Slug; got.Data.URL != want || got.Data.Share.Facebook == "" {
		t.Errorf("after setting the site URL: url %q share %+v; want %q and a facebook link", got.Data.URL, got.Data.Share, want)
	}
}

// MustSaveURL checks that link is a Pinterest save link whose decoded
// query is exactly want.
func MustSaveURL(tb testing.TB, link string, want map[string]string) {
	tb.Helper()
	MustLink(tb, link, "https://www.pinterest.com/pin/create/button/", want)
}

// MustLink checks that link is base with exactly the decoded query want.
func MustLink(tb testing.TB, link, base string, want map[string]string) {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil {
		tb.Fatalf("%q: %v", link, err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != base {
		tb.Errorf("%s: goes to %s, want %s", link, got, base)
	}
	q := u.Query()
	got := map[string]string{}
	for k, v := range q {
		if len(v) != 1 {
			tb.Errorf("%s: %d values for %s", link, len(v), k)
		}
		got[k] = v[0]
	}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s: query = %q, want %q", link, got, want)
	}
}
