package public_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestPostListView covers view=full (each listed post exactly as GET
// /posts/{slug} gives it) and fields (only the named members, in the
// item's order), on the post list and a category's page.
func TestPostListView(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	MustBlog(t, f)
	// items are the listed posts of a post list or a category's page.
	items := func(t *testing.T, target string) []json.RawMessage {
		t.Helper()
		r := f.Get(t, target)
		MustStatus(t, r, 200)
		var list []json.RawMessage
		if strings.HasPrefix(target, "/api/v1/categories/") {
			var page struct {
				Data struct {
					Posts []json.RawMessage `json:"posts"`
				} `json:"data"`
			}
			MustJSON(t, r.body, &page)
			list = page.Data.Posts
		} else {
			var l struct {
				Data []json.RawMessage `json:"data"`
			}
			MustJSON(t, r.body, &l)
			list = l.Data
		}
		if len(list) < 2 {
			t.Fatalf("%s: %d items", target, len(list))
		}
		return list
	}
	keys := func(t *testing.T, obj json.RawMessage) string {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(obj))
		var names []string
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, tok.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
		return strings.Join(names, ",")
	}
	t.Run("FullIsThePost", func(t *testing.T) {
		for _, target := range []string{"/api/v1/posts?view=full", "/api/v1/categories/baby-sleep?view=full"} {
			for _, it := range items(t, target) {
				var slug struct{ Slug string }
				MustJSON(t, it, &slug)
				one := f.Get(t, "/api/v1/posts/"+slug.Slug)
				MustStatus(t, one, 200)
				want := one.body[len(`{"data":`) : len(one.body)-1]
				if !bytes.Equal(it, want) {
					t.Errorf("%s: %s differs from GET /posts/%s:\n%s\n%s", target, slug.Slug, slug.Slug, it, want)
				}
			}
		}
	})
	t.Run("Fields", func(t *testing.T) {
		for target, want := range map[string]string{
			"/api/v1/posts?fields=title,slug":                  "slug,title",
			"/api/v1/posts?fields=id,publishedAt,id":           "id,publishedAt",
			"/api/v1/posts?view=full&fields=html,slug,related": "slug,html,related",
			"/api/v1/categories/baby-sleep?fields=slug":        "slug",
			"/api/v1/posts?view=summary&fields=coverImage":     "coverImage",
		} {
			for _, it := range items(t, target) {
				if got := keys(t, it); got != want {
					t.Errorf("%s: members %q, want %q", target, got, want)
				}
			}
		}
	})
	t.Run("FieldsKeepValues", func(t *testing.T) {
		whole := items(t, "/api/v1/posts?view=full")
		some := items(t, "/api/v1/posts?view=full&fields=html")
		for i := range whole {
			var a, b struct{ HTML string }
			MustJSON(t, whole[i], &a)
			MustJSON(t, some[i], &b)
			if a.HTML == "" || a.HTML != b.HTML {
				t.Errorf("item %d: html %q with fields, %q without", i, b.HTML, a.HTML)
			}
		}
	})
	t.Run("BadViewOrFields", func(t *testing.T) {
		for query, want := range map[string][2]string{
			"?view=whole":              {"view", "summary or full"},
			"?fields=nope":             {"fields", `"nope"`},
			"?fields=html":             {"fields", "view=full only"},
			"?fields=":                 {"", ""},
			"?view=full&fields=slug,,": {"fields", `""`},
			"?fields=" + strings.Repeat("id,", 41) + "id": {"fields", "too many"},
		} {
			for _, base := range []string{"/api/v1/posts", "/api/v1/categories/baby-sleep"} {
				r := f.Get(t, base+query)
				if want[0] == "" {
					MustStatus(t, r, 200)
					continue
				}
				MustStatus(t, r, 400)
				var p struct{ Errors map[string]string }
				MustJSON(t, r.body, &p)
				if !strings.Contains(p.Errors[want[0]], want[1]) {
					t.Errorf("%s%s: errors %v, want %q naming %s", base, query, p.Errors, want[1], want[0])
				}
			}
		}
	})
}
