package public_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

const wpBase = "/wp-json/wp/v2"

// wpGet fetches a WordPress list or item, checking the status.
func wpGet[T any](tb testing.TB, b *ghostBlog, path string, status int) (T, response) {
	tb.Helper()
	r := b.f.Get(tb, path)
	MustStatus(tb, r, status)
	var v T
	MustJSON(tb, r.body, &v)
	return v, r
}

func wpSlugs(items []map[string]any) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it["slug"].(string))
	}
	return out
}

func wpSlugsOf(ps ...*cms.Post) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

// wpID is a numeric id as JSON decodes it, as a string.
func wpID(v any) string { return strconv.FormatInt(int64(v.(float64)), 10) }

// TestWPDiscovery: the index names the namespace and the routes wpapi
// binds to, and the Link header that points at it comes with the site
// root (GET and HEAD) and every dialect answer.
func TestWPDiscovery(t *testing.T) {
	b := MustGhostBlog(t)
	idx, r := wpGet[struct {
		Name, URL, Home string
		Namespaces      []string
		Routes          map[string]struct {
			Namespace string
			Endpoints []struct{ Args map[string]any }
		}
	}](t, b, "/wp-json/", http.StatusOK)
	if !slices.Equal(idx.Namespaces, []string{"wp/v2"}) || idx.Home != "https://sleep.example" || idx.URL != testPublicURL {
		t.Errorf("index = %+v", idx)
	}
	for _, route := range []string{"/wp/v2/posts", `/wp/v2/posts/(?P<id>[\d]+)`, "/wp/v2/categories", "/wp/v2/tags", `/wp/v2/users/(?P<id>[\d]+)`, `/wp/v2/media/(?P<id>[\d]+)`} {
		if rt, ok := idx.Routes[route]; !ok || rt.Namespace != "wp/v2" || len(rt.Endpoints) != 1 {
			t.Errorf("route %s = %+v", route, rt)
		}
	}
	if _, ok := idx.Routes["/wp/v2/posts"].Endpoints[0].Args["sticky"]; !ok {
		t.Error("posts do not declare sticky, so wpapi would not offer .sticky()")
	}
	link := `<` + testPublicURL + `/wp-json/>; rel="https://api.w.org/"`
	if r.header.Get("Link") != link {
		t.Errorf("Link = %q, want %q", r.header.Get("Link"), link)
	}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		r := b.f.Do(t, httptest.NewRequest(m, "/", nil))
		if r.status != http.StatusOK || r.header.Get("Link") != link {
			t.Errorf("%s / = %d, Link %q", m, r.status, r.header.Get("Link"))
		}
	}
	// The ?rest_route= form, for sites without pretty permalinks.
	posts, _ := wpGet[[]map[string]any](t, b, "/?rest_route=/wp/v2/posts&per_page=1", http.StatusOK)
	if !slices.Equal(wpSlugs(posts), wpSlugsOf(b.page)) {
		t.Errorf("?rest_route=/wp/v2/posts = %v", wpSlugs(posts))
	}
}

// TestWPPosts checks the post shape, the paging headers and each filter.
func TestWPPosts(t *testing.T) {
	b := MustGhostBlog(t)
	all, r := wpGet[[]map[string]any](t, b, wpBase+"/posts", http.StatusOK)
	if !slices.Equal(wpSlugs(all), wpSlugsOf(b.page, b.study, b.bedtime, b.naps)) ||
		r.header.Get("X-WP-Total") != "4" || r.header.Get("X-WP-TotalPages") != "1" {
		t.Fatalf("posts = %v, total %s/%s", wpSlugs(all), r.header.Get("X-WP-Total"), r.header.Get("X-WP-TotalPages"))
	}
	naps := all[3]
	title, _ := naps["title"].(map[string]any)
	content, _ := naps["content"].(map[string]any)
	yoast, _ := naps["yoast_head_json"].(map[string]any)
	ours, _ := naps["lullaby"].(map[string]any)
	if title["rendered"] != b.naps.Title || !strings.Contains(content["rendered"].(string), "<p>Babies nap") ||
		naps["format"] != "standard" || naps["status"] != "publish" || naps["type"] != "post" ||
		naps["link"] != "https://sleep.example/"+b.naps.Slug || naps["date_gmt"] != "2026-03-01T09:00:00" ||
		yoast["title"] != b.naps.Title || yoast["canonical"] != "https://sleep.example/"+b.naps.Slug ||
		yoast["twitter_card"] != "summary_large_image" || ours["id"] != b.naps.ID || naps["sticky"] != false {
		t.Errorf("post = %v", naps)
	}
	if all[2]["sticky"] != true {
		t.Errorf("the featured post is not sticky: %v", all[2]["sticky"])
	}
	cats := naps["categories"].([]any)
	tags := naps["tags"].([]any)
	if len(cats) != 1 || len(tags) != 2 {
		t.Fatalf("categories %v, tags %v", cats, tags)
	}

	// Ids are stable: the same on a second read, and /posts/{id} finds it.
	one, _ := wpGet[map[string]any](t, b, wpBase+"/posts/"+wpID(naps["id"])+"?_embed", http.StatusOK)
	emb, _ := one["_embedded"].(map[string]any)
	if one["slug"] != b.naps.Slug || emb == nil || len(emb["author"].([]any)) != 1 || len(emb["wp:term"].([]any)) != 2 {
		t.Errorf("/posts/{id}?_embed = %v", one)
	}

	for _, c := range []struct {
		query string
		want  []*cms.Post
	}{
		{"categories=" + wpID(cats[0]), []*cms.Post{b.naps}},
		{"categories[]=" + wpID(cats[0]), []*cms.Post{b.naps}},
		{"tags=" + wpID(tags[0]) + "," + wpID(tags[1]), []*cms.Post{b.bedtime, b.naps}},
		{"slug=" + b.study.Slug, []*cms.Post{b.study}},
		{"sticky=true", []*cms.Post{b.bedtime}},
		{"sticky=false&per_page=2&page=2", []*cms.Post{b.naps}},
		{"orderby=title&order=asc", []*cms.Post{b.bedtime, b.page, b.naps, b.study}},
		{"order=asc", []*cms.Post{b.naps, b.bedtime, b.study, b.page}},
		{"search=bedtime", []*cms.Post{b.bedtime, b.naps}}, // naps is tagged Bedtime
		{"include=" + wpID(naps["id"]), []*cms.Post{b.naps}},
	} {
		got, _ := wpGet[[]map[string]any](t, b, wpBase+"/posts?"+c.query, http.StatusOK)
		if !slices.Equal(wpSlugs(got), wpSlugsOf(c.want...)) {
			t.Errorf("?%s = %v, want %v", c.query, wpSlugs(got), wpSlugsOf(c.want...))
		}
	}

	page, r := wpGet[[]map[string]any](t, b, wpBase+"/posts?per_page=1&page=2", http.StatusOK)
	if len(page) != 1 || r.header.Get("X-WP-Total") != "4" || r.header.Get("X-WP-TotalPages") != "4" ||
		!strings.Contains(r.header.Get("Link"), `posts?page=1&per_page=1>; rel="prev"`) || !strings.Contains(r.header.Get("Link"), `posts?page=3&per_page=1>; rel="next"`) {
		t.Errorf("page 2 of 4: %d items, headers %v", len(page), r.header)
	}
	picked, _ := wpGet[[]map[string]any](t, b, wpBase+"/posts?_fields=id,title.rendered,slug", http.StatusOK)
	for _, p := range picked {
		if len(p) != 3 || p["title"] == nil {
			t.Errorf("_fields=id,title.rendered,slug gave %v", p)
		}
	}
}

// TestWPTermsUsersMedia checks categories, tags, the author and 404s.
func TestWPTermsUsersMedia(t *testing.T) {
	b := MustGhostBlog(t)
	cats, r := wpGet[[]map[string]any](t, b, wpBase+"/categories", http.StatusOK)
	if !slices.Equal(wpSlugs(cats), []string{"pages", "sleep-science"}) || r.header.Get("X-WP-Total") != "2" || cats[1]["taxonomy"] != "category" {
		t.Errorf("categories = %v", cats)
	}
	tags, _ := wpGet[[]map[string]any](t, b, wpBase+"/tags?orderby=count&order=desc", http.StatusOK)
	if got := wpSlugs(tags); len(got) != 3 || got[0] != "naps" || tags[0]["count"] != float64(2) || tags[0]["taxonomy"] != "post_tag" {
		t.Errorf("tags by count = %v", tags)
	}
	one, _ := wpGet[map[string]any](t, b, wpBase+"/categories/"+wpID(cats[1]["id"]), http.StatusOK)
	if one["name"] != "Sleep science" {
		t.Errorf("category by id = %v", one)
	}
	users, _ := wpGet[[]map[string]any](t, b, wpBase+"/users", http.StatusOK)
	if len(users) != 1 {
		t.Fatalf("users = %v", users)
	}
	user, _ := wpGet[map[string]any](t, b, wpBase+"/users/"+wpID(users[0]["id"]), http.StatusOK)
	if user["name"] != users[0]["name"] || user["name"] == "" {
		t.Errorf("user = %v", user)
	}
	// A tag's id is not a category's.
	wpGet[map[string]any](t, b, wpBase+"/categories/"+wpID(tags[0]["id"]), http.StatusNotFound)
}

// TestWPBadInput: every refusal is a 4xx in WordPress's shape naming the
// parameter, never a 500.
func TestWPBadInput(t *testing.T) {
	b := MustGhostBlog(t)
	type wpErr struct {
		Code, Message string
		Data          struct {
			Status int
			Params map[string]string
		}
	}
	for _, c := range []struct {
		path, code, param string
		status            int
	}{
		{"/posts?per_page=1000", "rest_invalid_param", "per_page", 400},
		{"/posts?per_page=0", "rest_invalid_param", "per_page", 400},
		{"/posts?_fields=id,nope", "rest_invalid_param", "_fields", 400},
		{"/tags?_fields=title", "rest_invalid_param", "_fields", 400},
		{"/posts?orderby=rand", "rest_invalid_param", "orderby", 400},
		{"/posts?order=sideways", "rest_invalid_param", "order", 400},
		{"/posts?categories=abc", "rest_invalid_param", "categories", 400},
		{"/posts?sticky=maybe", "rest_invalid_param", "sticky", 400},
		{"/posts?context=edit", "rest_invalid_param", "context", 400},
		{"/posts?page=99", "rest_invalid_param", "page", 400},
		{"/posts/999", "rest_post_invalid_id", "", 404},
		{"/posts/abc", "rest_post_invalid_id", "", 404},
		{"/posts/" + strings.Repeat("9", 40), "rest_post_invalid_id", "", 404},
		{"/media/1", "rest_post_invalid_id", "", 404},
		{"/users/1", "rest_user_invalid_id", "", 404},
		{"/tags/1", "rest_term_invalid", "", 404},
		{"/comments", "rest_no_route", "", 404},
	} {
		e, r := wpGet[wpErr](t, b, wpBase+c.path, c.status)
		if e.Code != c.code || e.Data.Status != c.status || (c.param != "" && e.Data.Params[c.param] == "") ||
			!strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s = %+v", c.path, e)
		}
	}
}

// TestWPIDsStable: a post keeps its numeric id when other content changes
// (a new snapshot), so a frontend's links and caches stay valid.
func TestWPIDsStable(t *testing.T) {
	b := MustGhostBlog(t)
	before, _ := wpGet[[]map[string]any](t, b, wpBase+"/posts?_fields=id,slug", http.StatusOK)
	b.f.MustPublished(t, "Night weaning", "Slowly.", day0.AddDate(0, 0, 9), []string{"naps"})
	b.f.svc.Refresh(context.Background())
	after, _ := wpGet[[]map[string]any](t, b, wpBase+"/posts?_fields=id,slug", http.StatusOK)
	if len(after) != len(before)+1 {
		t.Fatalf("after publishing: %d posts, before %d", len(after), len(before))
	}
	for i, p := range before {
		if q := after[i+1]; q["slug"] != p["slug"] || q["id"] != p["id"] {
			t.Errorf("post %v became %v", p, q)
		}
	}
}
