package public_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

const ghostBase = "/ghost/api/content"

// ghostBlog is a small blog seen through the Ghost dialect.
type ghostBlog struct {
	f                    *fixture
	naps, bedtime, study *cms.Post // newest last
	page                 *cms.Post // in the "pages" category
}

// MustGhostBlog publishes three posts and a page, and features bedtime:
//
//	naps     day0    category "Sleep science", tags naps, Bedtime
//	bedtime  day0+1  tags naps                       (featured)
//	study    day0+2  tag "sleep science" (the category's slug)
//	about    day0+3  category "Pages"
func MustGhostBlog(tb testing.TB) *ghostBlog {
	tb.Helper()
	f := MustFixture(tb)
	f.MustSettings(tb, "https://sleep.example")
	science, pages := f.MustCategory(tb, "Sleep science"), f.MustCategory(tb, "Pages")
	b := &ghostBlog{f: f}
	b.naps = f.MustPublished(tb, "Wake windows and naps", "Babies nap between wake windows.", day0, []string{"naps", "Bedtime"}, science)
	b.bedtime = f.MustPublished(tb, "A bedtime routine", "A calm bedtime routine helps toddlers.", day0.AddDate(0, 0, 1), []string{"naps"})
	b.study = f.MustPublished(tb, "Zzz: what a study found", "Sleep develops over the first years.", day0.AddDate(0, 0, 2), []string{"sleep science"})
	b.page = f.MustPublished(tb, "About me", "I help families sleep.", day0.AddDate(0, 0, 3), nil, pages)
	ctx := context.Background()
	featured, err := f.svc.FeaturedList(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.svc.SetListEntries(ctx, f.owner, featured.ID, []cms.ListEntry{{PostID: b.bedtime.ID}}, featured.Version); err != nil {
		tb.Fatal(err)
	}
	f.svc.Refresh(ctx)
	return b
}

// ghostList is a browse body.
type ghostList struct {
	Posts   []map[string]any `json:"posts"`
	Pages   []map[string]any `json:"pages"`
	Tags    []map[string]any `json:"tags"`
	Authors []map[string]any `json:"authors"`
	Meta    struct {
		Pagination struct {
			Page, Limit, Pages, Total int
			Next, Prev                *int
		}
	}
}

func (b *ghostBlog) MustGet(tb testing.TB, path string) ghostList {
	tb.Helper()
	r := b.f.Get(tb, ghostBase+path)
	MustStatus(tb, r, http.StatusOK)
	var l ghostList
	MustJSON(tb, r.body, &l)
	return l
}

func slugsOf(items []map[string]any) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it["slug"].(string))
	}
	return out
}

func mustSlugs(tb testing.TB, what string, items []map[string]any, want ...*cms.Post) {
	tb.Helper()
	var ws []string
	for _, p := range want {
		ws = append(ws, p.Slug)
	}
	mustOrder(tb, what, slugsOf(items), ws...)
}

var (
	ghostTimePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`)
	hex24            = regexp.MustCompile(`^[0-9a-f]{24}$`)
	uuidPattern      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

func TestGhostPosts(t *testing.T) {
	t.Parallel()
	b := MustGhostBlog(t)

	t.Run("Shape", func(t *testing.T) {
		l := b.MustGet(t, "/posts/")
		mustSlugs(t, "posts (pages left out)", l.Posts, b.study, b.bedtime, b.naps)
		pg := l.Meta.Pagination
		if pg.Page != 1 || pg.Limit != 15 || pg.Pages != 1 || pg.Total != 3 || pg.Next != nil || pg.Prev != nil {
			t.Errorf("pagination = %+v", pg)
		}
		p := l.Posts[2]
		for _, k := range []string{"id", "uuid", "title", "slug", "html", "comment_id", "feature_image", "feature_image_alt",
			"feature_image_caption", "featured", "visibility", "created_at", "updated_at", "published_at", "custom_excerpt",
			"codeinjection_head", "codeinjection_foot", "custom_template", "canonical_url", "url", "excerpt", "reading_time",
			"access", "comments", "og_image", "og_title", "og_description", "twitter_image", "twitter_title",
			"twitter_description", "meta_title", "meta_description", "email_subject", "frontmatter", "lullaby"} {
			if _, ok := p[k]; !ok {
				t.Errorf("post has no %q: %v", k, p)
			}
		}
		for _, k := range []string{"tags", "authors", "primary_tag", "primary_author", "plaintext"} {
			if _, ok := p[k]; ok {
				t.Errorf("post has %q without include or formats", k)
			}
		}
		if p["id"] != b.naps.ID || !hex24.MatchString(p["id"].(string)) || !uuidPattern.MatchString(p["uuid"].(string)) ||
			p["visibility"] != "public" || p["access"] != true || p["featured"] != false || p["feature_image"] != nil ||
			p["url"] != "https://sleep.example/"+b.naps.Slug || !strings.Contains(p["html"].(string), "wake windows") {
			t.Errorf("post = %v", p)
		}
		for _, k := range []string{"created_at", "updated_at", "published_at"} {
			if s, _ := p[k].(string); !ghostTimePattern.MatchString(s) {
				t.Errorf("%s = %v, want Ghost's format", k, p[k])
			}
		}
		if p["published_at"] != "2026-03-01T09:00:00.000+00:00" {
			t.Errorf("published_at = %v", p["published_at"])
		}
		if l.Posts[1]["featured"] != true {
			t.Errorf("the featured post says featured = %v", l.Posts[1]["featured"])
		}
		ours := p["lullaby"].(map[string]any)
		if cats := ours["categories"].([]any); len(cats) != 1 || ours["pins"] == nil || ours["references"] == nil {
			t.Errorf("lullaby = %v", ours)
		}
	})

	t.Run("Include", func(t *testing.T) {
		l := b.MustGet(t, "/posts/?include=tags,authors&filter=slug:"+b.naps.Slug)
		p := l.Posts[0]
		tags := p["tags"].([]any)
		var slugs []string
		for _, tg := range tags {
			slugs = append(slugs, tg.(map[string]any)["slug"].(string))
		}
		mustOrder(t, "tags (categories first)", slugs, "sleep-science", "naps", "bedtime")
		primary := p["primary_tag"].(map[string]any)
		if primary["slug"] != "sleep-science" || primary["url"] != "https://sleep.example/tag/sleep-science/" || primary["visibility"] != "public" {
			t.Errorf("primary_tag = %v", primary)
		}
		author := p["primary_author"].(map[string]any)
		if author["name"] != "Jo Doe" || author["slug"] != "jo-doe" || !hex24.MatchString(author["id"].(string)) || len(p["authors"].([]any)) != 1 {
			t.Errorf("primary_author = %v, authors = %v", author, p["authors"])
		}
	})

	t.Run("Filter", func(t *testing.T) {
		for _, c := range []struct {
			filter string
			want   []*cms.Post
		}{
			{"tag:naps", []*cms.Post{b.bedtime, b.naps}},
			{"tags:naps", []*cms.Post{b.bedtime, b.naps}},
			{"tag:bedtime", []*cms.Post{b.naps}},
			{"tag:[bedtime,sleep-science]", []*cms.Post{b.study, b.naps}},
			{"tag:-[naps]", []*cms.Post{b.study}},
			{"tag:sleep-science", []*cms.Post{b.study, b.naps}}, // the category and the tag are one
			{"featured:true", []*cms.Post{b.bedtime}},
			{"featured:false", []*cms.Post{b.study, b.naps}},
			{"slug:" + b.study.Slug, []*cms.Post{b.study}},
			{"slug:-" + b.study.Slug, []*cms.Post{b.bedtime, b.naps}},
			{"tag:naps+featured:false", []*cms.Post{b.naps}},
			{"featured:true,tag:sleep-science", []*cms.Post{b.study, b.bedtime, b.naps}},
			{"(featured:true,slug:" + b.study.Slug + ")+tag:naps", []*cms.Post{b.bedtime}},
			{"published_at:<'2026-03-02'", []*cms.Post{b.naps}},
			{"published_at:>='2026-03-02 09:00:00'", []*cms.Post{b.study, b.bedtime}},
			{"id:" + b.bedtime.ID, []*cms.Post{b.bedtime}},
			{"primary_tag:sleep-science", []*cms.Post{b.study, b.naps}},
			{"author:jo-doe+visibility:public", []*cms.Post{b.study, b.bedtime, b.naps}},
			{"tag:nothing-has-this", nil},
		} {
			l := b.MustGet(t, "/posts/?filter="+url.QueryEscape(c.filter))
			mustSlugs(t, c.filter, l.Posts, c.want...)
			if l.Meta.Pagination.Total != len(c.want) {
				t.Errorf("%s: total = %d", c.filter, l.Meta.Pagination.Total)
			}
		}
	})

	t.Run("PaginationAndOrder", func(t *testing.T) {
		l := b.MustGet(t, "/posts/?limit=1&page=2")
		mustSlugs(t, "page 2", l.Posts, b.bedtime)
		if pg := l.Meta.Pagination; pg.Pages != 3 || pg.Total != 3 || pg.Next == nil || *pg.Next != 3 || pg.Prev == nil || *pg.Prev != 1 {
			t.Errorf("pagination = %+v", pg)
		}
		for _, limit := range []string{"1000", "all"} {
			if l := b.MustGet(t, "/posts/?limit="+limit); l.Meta.Pagination.Limit != 100 || len(l.Posts) != 3 {
				t.Errorf("limit=%s: limit %d, %d posts", limit, l.Meta.Pagination.Limit, len(l.Posts))
			}
		}
		l = b.MustGet(t, "/posts/?order="+url.QueryEscape("title asc"))
		mustSlugs(t, "title asc", l.Posts, b.bedtime, b.naps, b.study)
		l = b.MustGet(t, "/posts/?order="+url.QueryEscape("published_at asc"))
		mustSlugs(t, "published_at asc", l.Posts, b.naps, b.bedtime, b.study)
		l = b.MustGet(t, "/posts/?order="+url.QueryEscape("featured desc, published_at asc"))
		mustSlugs(t, "featured desc", l.Posts, b.bedtime, b.naps, b.study)
	})

	t.Run("FieldsAndFormats", func(t *testing.T) {
		l := b.MustGet(t, "/posts/?fields=title,slug&limit=1")
		if p := l.Posts[0]; len(p) != 2 || p["title"] != b.study.Title {
			t.Errorf("fields=title,slug: %v", p)
		}
		l = b.MustGet(t, "/posts/?formats=plaintext&limit=1")
		if p := l.Posts[0]; p["html"] != nil || p["plaintext"] != "Sleep develops over the first years." {
			t.Errorf("formats=plaintext: html %v, plaintext %q", p["html"], p["plaintext"])
		}
		l = b.MustGet(t, "/posts/?fields=id&formats=html,plaintext&include=tags&limit=1")
		if p := l.Posts[0]; len(p) != 4 || p["html"] == nil || p["plaintext"] == nil || p["tags"] == nil {
			t.Errorf("fields=id&formats=html,plaintext&include=tags: %v", p)
		}
		// As Ghost: with fields=, primary_tag and primary_author come only
		// when named (and included); tags and authors only when included.
		l = b.MustGet(t, "/posts/?fields=id,primary_tag,primary_author,authors&include=tags,authors&limit=1")
		if p := l.Posts[0]; len(p) != 5 || p["primary_tag"] == nil || p["primary_author"] == nil || p["tags"] == nil || p["authors"] == nil {
			t.Errorf("fields=id,primary_tag,primary_author,authors&include=tags,authors: %v", p)
		}
		l = b.MustGet(t, "/posts/?fields=id,tags,primary_tag&include=authors&limit=1")
		if p := l.Posts[0]; len(p) != 2 || p["authors"] == nil {
			t.Errorf("fields=id,tags,primary_tag&include=authors: %v", p)
		}
	})

	t.Run("Read", func(t *testing.T) {
		for _, path := range []string{"/posts/" + b.naps.ID + "/", "/posts/slug/" + b.naps.Slug + "/", "/posts/slug/" + b.naps.Slug} {
			r := b.f.Get(t, ghostBase+path+"?key=0123456789abcdef0123456789&include=tags")
			MustStatus(t, r, http.StatusOK)
			var l ghostList
			MustJSON(t, r.body, &l)
			if len(l.Posts) != 1 || l.Posts[0]["id"] != b.naps.ID || l.Posts[0]["primary_tag"] == nil || strings.Contains(string(r.body), `"meta"`) {
				t.Errorf("%s: %s", path, r.body)
			}
		}
		// A page is not a post, and the other way round.
		// As Ghost: the endpoint's action in the message, the model's
		// message as the context.
		for path, want := range map[string][2]string{
			"/posts/slug/" + b.page.Slug + "/":              {"Resource not found error, cannot read post.", "Post not found."},
			"/pages/slug/" + b.naps.Slug + "/":              {"Resource not found error, cannot read page.", "Page not found."},
			"/posts/0123456789abcdef01234567/":              {"Resource not found error, cannot read post.", "Post not found."},
			"/posts/slug/" + strings.Repeat("x", 300) + "/": {"Resource not found error, cannot read post.", "Post not found."},
		} {
			if ctx := mustGhostError(t, b.f.Get(t, ghostBase+path), http.StatusNotFound, "NotFoundError", want[0], ""); ctx != want[1] {
				t.Errorf("%s: context %q, want %q", path, ctx, want[1])
			}
		}
	})

	t.Run("Pages", func(t *testing.T) {
		l := b.MustGet(t, "/pages/")
		mustSlugs(t, "pages", l.Pages, b.page)
		l = b.MustGet(t, "/pages/slug/"+b.page.Slug+"/")
		mustSlugs(t, "page by slug", l.Pages, b.page)
		if readmodel.GhostPagesCategory != wpimport.PagesCategory {
			t.Errorf("the dialect's pages category %q is not the import's %q", readmodel.GhostPagesCategory, wpimport.PagesCategory)
		}
	})
}

func TestGhostTagsAuthorsSettings(t *testing.T) {
	t.Parallel()
	b := MustGhostBlog(t)

	l := b.MustGet(t, "/tags/?include=count.posts")
	got := map[string]float64{}
	for _, tg := range l.Tags {
		got[tg["slug"].(string)] = tg["count"].(map[string]any)["posts"].(float64)
		if !hex24.MatchString(tg["id"].(string)) || tg["visibility"] != "public" {
			t.Errorf("tag = %v", tg)
		}
	}
	if len(got) != 3 || got["naps"] != 2 || got["bedtime"] != 1 || got["sleep-science"] != 2 {
		t.Errorf("tags with counts = %v (the pages category is no tag)", got)
	}
	mustOrder(t, "tags by name", slugsOf(l.Tags), "bedtime", "naps", "sleep-science")
	l = b.MustGet(t, "/tags/?order="+url.QueryEscape("count.posts desc, name asc")+"&limit=1&fields=slug,name")
	if len(l.Tags) != 1 || len(l.Tags[0]) != 2 || l.Tags[0]["slug"] != "naps" || l.Meta.Pagination.Total != 3 {
		t.Errorf("most used tag = %v, %+v", l.Tags, l.Meta.Pagination)
	}
	l = b.MustGet(t, "/tags/slug/sleep-science/")
	cat := l.Tags[0]
	if cat["name"] != "Sleep science" || cat["lullaby"].(map[string]any)["kind"] != "category" {
		t.Errorf("tag sleep-science = %v", cat)
	}
	l = b.MustGet(t, "/tags/"+cat["id"].(string)+"/")
	if l.Tags[0]["slug"] != "sleep-science" {
		t.Errorf("tag by id = %v", l.Tags)
	}
	l = b.MustGet(t, "/tags/?filter="+url.QueryEscape("slug:[naps,bedtime]"))
	mustOrder(t, "tags filtered", slugsOf(l.Tags), "bedtime", "naps")
	mustGhostError(t, b.f.Get(t, ghostBase+"/tags/slug/nope/"), http.StatusNotFound, "NotFoundError", "Resource not found error, cannot read tag.", "")

	l = b.MustGet(t, "/authors/?include=count.posts")
	if len(l.Authors) != 1 || l.Authors[0]["slug"] != "jo-doe" || l.Authors[0]["count"].(map[string]any)["posts"] != 3.0 ||
		l.Authors[0]["url"] != "https://sleep.example/author/jo-doe/" {
		t.Errorf("authors = %v", l.Authors)
	}
	l = b.MustGet(t, "/authors/slug/jo-doe/")
	id := l.Authors[0]["id"].(string)
	if l = b.MustGet(t, "/authors/"+id+"/"); l.Authors[0]["name"] != "Jo Doe" {
		t.Errorf("author by id = %v", l.Authors)
	}

	r := b.f.Get(t, ghostBase+"/settings/")
	MustStatus(t, r, http.StatusOK)
	var st struct {
		Settings map[string]any
		Meta     map[string]any
	}
	MustJSON(t, r.body, &st)
	if st.Settings["title"] != "Little Sleepers" || st.Settings["url"] != "https://sleep.example/" || st.Meta == nil ||
		st.Settings["navigation"] == nil || st.Settings["lang"] != "en" {
		t.Errorf("settings = %s", r.body)
	}
}

func TestGhostHeaders(t *testing.T) {
	t.Parallel()
	b := MustGhostBlog(t)
	req := httptest.NewRequest(http.MethodGet, ghostBase+"/posts/?include=tags", nil)
	req.Header.Set("Origin", "https://sleep.example")
	req.Header.Set("Accept-Version", "v5.0")
	r := b.f.Do(t, req)
	MustStatus(t, r, http.StatusOK)
	etag := r.header.Get("ETag")
	if etag == "" || r.header.Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=600" ||
		r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Content-Version") != "v5.0" ||
		!strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("headers = %v", r.header)
	}
	again := httptest.NewRequest(http.MethodGet, ghostBase+"/posts/?include=tags", nil)
	again.Header.Set("If-None-Match", etag)
	MustStatus(t, b.f.Do(t, again), http.StatusNotModified)

	pre := httptest.NewRequest(http.MethodOptions, ghostBase+"/posts/", nil)
	pre.Header.Set("Origin", "https://sleep.example")
	pre.Header.Set("Access-Control-Request-Headers", "accept-version")
	r = b.f.Do(t, pre)
	if r.status != http.StatusNoContent || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Accept-Version") {
		t.Errorf("preflight = %d %v", r.status, r.header)
	}

	// A new post is in the next snapshot's bodies, not an old cached one.
	before := b.MustGet(t, "/posts/?limit=1")
	late := b.f.MustPublished(t, "Early rising", "Some babies wake at five.", day0.AddDate(0, 0, 9), nil)
	if after := b.MustGet(t, "/posts/?limit=1"); slugsOf(after.Posts)[0] != late.Slug || slugsOf(before.Posts)[0] == late.Slug {
		t.Errorf("newest before %v, after %v", slugsOf(before.Posts), slugsOf(after.Posts))
	}
}

func TestGhostBadInput(t *testing.T) {
	t.Parallel()
	b := MustGhostBlog(t)
	for _, c := range []struct {
		query, property, mention string
	}{
		{"filter=" + url.QueryEscape("title:~'sleep'"), "filter", `"~"`},
		{"filter=" + url.QueryEscape("reading_time:>3"), "filter", `"reading_time"`},
		{"filter=" + url.QueryEscape("tag:naps+"), "filter", "ends"},
		{"filter=" + url.QueryEscape("(tag:naps"), "filter", "not closed"},
		{"filter=" + url.QueryEscape("tag:'naps"), "filter", "not closed"},
		{"filter=" + url.QueryEscape("featured:maybe"), "filter", "true or false"},
		{"filter=" + url.QueryEscape("published_at:<'last week'"), "filter", "date"},
		{"filter=" + url.QueryEscape("slug:>b"), "filter", "only dates"},
		{"filter=" + strings.Repeat("(", 30) + "tag:a", "filter", "nested"},
		{"filter=" + strings.Repeat("tag:a,", 400) + "tag:a", "filter", "longer than"},
		{"fields=title,bogus", "fields", `"bogus"`},
		{"formats=mobiledoc", "formats", "mobiledoc"},
		{"formats=pdf", "formats", `"pdf"`},
		{"order=" + url.QueryEscape("views desc"), "order", `"views desc"`},
		{"order=" + url.QueryEscape("title sideways"), "order", `"sideways"`},
		{"limit=0", "limit", "whole number"},
		{"limit=ten", "limit", "whole number"},
		{"page=-1", "page", "whole number"},
	} {
		// As Ghost: a filter it cannot parse is 400 BadRequestError, with
		// "Error parsing filter" as the context; another bad parameter is
		// its input validators' 422 ValidationError.
		status, typ, message := http.StatusUnprocessableEntity, "ValidationError", "Validation error, cannot list posts."
		if c.property == "filter" {
			status, typ, message = http.StatusBadRequest, "BadRequestError", "Request not understood error, cannot list posts."
		}
		r := b.f.Get(t, ghostBase+"/posts/?"+c.query)
		ctx := mustGhostError(t, r, status, typ, message, c.property)
		if !strings.Contains(ctx, c.mention) || c.property == "filter" && !strings.HasPrefix(ctx, "Error parsing filter: ") {
			t.Errorf("%s: the error does not mention %s: %s", c.query, c.mention, r.body)
		}
	}
	mustGhostError(t, b.f.Get(t, ghostBase+"/tags/?formats=html"), http.StatusUnprocessableEntity, "ValidationError", "Validation error, cannot list tags.", "formats")
	mustGhostError(t, b.f.Get(t, ghostBase+"/tags/?filter=featured:true"), http.StatusBadRequest, "BadRequestError", "Request not understood error, cannot list tags.", "filter")
	mustGhostError(t, b.f.Get(t, ghostBase+"/posts/slug/x/?fields=bogus"), http.StatusUnprocessableEntity, "ValidationError", "Validation error, cannot read post.", "fields")
	// Includes Ghost does not know are dropped, as Ghost drops them.
	if l := b.MustGet(t, "/posts/?include=comments,tags,tiers&limit=1"); l.Posts[0]["tags"] == nil || l.Posts[0]["comments"] != false {
		t.Errorf("include=comments,tags,tiers: %v", l.Posts[0])
	}
	MustStatus(t, b.f.Get(t, ghostBase+"/tags/?include=tags"), http.StatusOK)
	mustGhostError(t, b.f.Get(t, ghostBase+"/nothing/"), http.StatusNotFound, "NotFoundError", "Resource not found", "")
	mustGhostError(t, b.f.Do(t, httptest.NewRequest(http.MethodPost, ghostBase+"/posts/", nil)), http.StatusNotFound, "NotFoundError", "Resource not found", "")
}

// mustGhostError checks an error in Ghost's shape: status, type, and the
// message and property when given. It returns the context.
func mustGhostError(tb testing.TB, r response, status int, typ, message, property string) string {
	tb.Helper()
	var body struct {
		Errors []struct {
			Message, Type, ID string
			Context, Property *string
		}
	}
	MustStatus(tb, r, status)
	MustJSON(tb, r.body, &body)
	if len(body.Errors) != 1 {
		tb.Fatalf("errors = %s", r.body)
	}
	ctx := ""
	if c := body.Errors[0].Context; c != nil {
		ctx = *c
	}
	e := body.Errors[0]
	if e.Type != typ || (message != "" && e.Message != message) || e.Message == "" || !uuidPattern.MatchString(e.ID) ||
		r.header.Get("Cache-Control") != "no-store" {
		tb.Errorf("error = %s (headers %v), want type %s message %q", r.body, r.header, typ, message)
	}
	if property != "" && (e.Property == nil || *e.Property != property || ctx == "") {
		tb.Errorf("error = %s, want property %q with context", r.body, property)
	}
	return ctx
}

// TestGhostChanges: what changes between snapshots shows, though post
// entries (and their Ghost fields) are reused: a post taken off the
// Featured list, and a new slug, with the old one still reading the post.
func TestGhostChanges(t *testing.T) {
	t.Parallel()
	b := MustGhostBlog(t)
	ctx := context.Background()
	if l := b.MustGet(t, "/posts/?filter=featured:true"); len(l.Posts) != 1 {
		t.Fatalf("featured before = %v", slugsOf(l.Posts))
	}
	featured, err := b.f.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.f.svc.SetListEntries(ctx, b.f.owner, featured.ID, []cms.ListEntry{}, featured.Version); err != nil {
		t.Fatal(err)
	}
	b.f.svc.Refresh(ctx)
	if l := b.MustGet(t, "/posts/?filter=featured:true"); len(l.Posts) != 0 {
		t.Errorf("featured after = %v", slugsOf(l.Posts))
	}
	if l := b.MustGet(t, "/posts/slug/"+b.bedtime.Slug+"/"); l.Posts[0]["featured"] != false {
		t.Errorf("the post taken off the list still says featured")
	}

	slug := "a-calm-bedtime"
	if _, err := b.f.svc.UpdatePost(ctx, b.f.owner, b.bedtime.ID, cms.PostInput{Slug: &slug, Version: &b.bedtime.Version}); err != nil {
		t.Fatal(err)
	}
	b.f.svc.Refresh(ctx)
	for _, s := range []string{slug, b.bedtime.Slug} {
		if l := b.MustGet(t, "/posts/slug/"+s+"/"); l.Posts[0]["slug"] != slug || l.Posts[0]["id"] != b.bedtime.ID {
			t.Errorf("/posts/slug/%s/ = %v", s, l.Posts[0]["slug"])
		}
	}
}
