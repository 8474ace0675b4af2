package public_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

type listBody struct {
	Data struct {
		Slug   string
		Name   string
		Window string
		Posts  []struct {
			Slug   string
			Views  int64
			Pinned bool
		}
	}
}

func (b listBody) slugs() []string {
	out := []string{}
	for _, p := range b.Data.Posts {
		out = append(out, p.Slug)
	}
	return out
}

func mustOrder(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s = %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			tb.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
}

func TestLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustFixture(t)
	posts := MustBlog(t, f)
	featured, err := f.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries := []cms.ListEntry{{PostID: posts[2].ID}, {PostID: posts[0].ID}, {PostID: posts[1].ID}}
	if _, err := f.svc.SetListEntries(ctx, f.owner, featured.ID, entries, featured.Version); err != nil {
		t.Fatal(err)
	}
	name := "Start here"
	start, err := f.svc.CreateList(ctx, f.owner, cms.ListInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddToList(ctx, f.owner, start.ID, posts[1].ID, day0, day0.AddDate(100, 0, 0)); err != nil {
		t.Fatal(err)
	}

	r := f.Get(t, "/api/v1/lists")
	MustStatus(t, r, http.StatusOK)
	if r.header.Get("ETag") == "" || r.header.Get("Cache-Control") == "" {
		t.Errorf("headers = %v", r.header)
	}
	MustGolden(t, "lists", r.body)

	var one listBody
	r = f.Get(t, "/api/v1/lists/featured")
	MustStatus(t, r, http.StatusOK)
	MustJSON(t, r.body, &one)
	mustOrder(t, "featured", one.slugs(), posts[2].Slug, posts[0].Slug, posts[1].Slug)

	// Unpublishing drops a post from the public list; it comes back in
	// its place.
	p0, err := f.svc.UnpublishPost(ctx, f.owner, posts[0].ID, posts[0].Version)
	if err != nil {
		t.Fatal(err)
	}
	MustJSON(t, f.Get(t, "/api/v1/lists/featured").body, &one)
	mustOrder(t, "featured after unpublishing", one.slugs(), posts[2].Slug, posts[1].Slug)
	if _, err := f.svc.PublishPost(ctx, f.owner, p0.ID, p0.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	MustJSON(t, f.Get(t, "/api/v1/lists/featured").body, &one)
	mustOrder(t, "featured after republishing", one.slugs(), posts[2].Slug, posts[0].Slug, posts[1].Slug)

	r = f.Get(t, "/api/v1/lists/no-such-list")
	MustStatus(t, r, http.StatusNotFound)
	if r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
}

func TestPopularAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := MustViewsFixture(t)
	now := f.Now()
	a := f.MustPublished(t, "Alpha naps", "A.", now.AddDate(0, 0, -3), nil)
	b := f.MustPublished(t, "Bravo bedtime", "B.", now.AddDate(0, 0, -2), nil)
	c := f.MustPublished(t, "Charlie wakings", "C.", now.AddDate(0, 0, -1), nil)

	// Three readers of bravo today, one of alpha; charlie was read long ago.
	for _, ip := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		MustStatus(t, f.Beacon(t, b.Slug, ip, browserUA), http.StatusNoContent)
	}
	MustStatus(t, f.Beacon(t, a.Slug, "203.0.113.1", browserUA), http.StatusNoContent)
	if err := f.views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.db.AddViews(ctx, []cms.ViewCount{{PostID: c.ID, Day: cms.Day(now.AddDate(0, 0, -45)), Views: 10}}); err != nil {
		t.Fatal(err)
	}
	if err := f.rm.RefreshPopularity(ctx); err != nil {
		t.Fatal(err)
	}

	var pop listBody
	r := f.Get(t, "/api/v1/lists/popular")
	MustStatus(t, r, http.StatusOK)
	MustJSON(t, r.body, &pop)
	mustOrder(t, "popular", pop.slugs(), b.Slug, a.Slug)
	if pop.Data.Window != "30d" || pop.Data.Posts[0].Views != 3 || pop.Data.Posts[1].Views != 1 {
		t.Errorf("popular = %+v", pop.Data)
	}
	MustGolden(t, "list-popular", r.body)

	settings, err := f.svc.PopularSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetPopular(ctx, f.owner, []string{c.ID}, []string{b.ID}, settings.Version); err != nil {
		t.Fatal(err)
	}
	MustJSON(t, f.Get(t, "/api/v1/lists/popular").body, &pop)
	mustOrder(t, "popular with a pin and an exclusion", pop.slugs(), c.Slug, a.Slug)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"sort=popular", []string{b.Slug, a.Slug, c.Slug}},
		{"sort=popular&window=7d", []string{b.Slug, a.Slug, c.Slug}},
		{"sort=popular&window=all", []string{c.Slug, b.Slug, a.Slug}},
		{"sort=popular&window=all&limit=1&page=2", []string{b.Slug}},
	} {
		var list struct{ Data []struct{ Slug string } }
		r := f.Get(t, "/api/v1/posts?"+tc.query)
		MustStatus(t, r, http.StatusOK)
		MustJSON(t, r.body, &list)
		got := []string{}
		for _, p := range list.Data {
			got = append(got, p.Slug)
		}
		mustOrder(t, tc.query, got, tc.want...)
	}
	for _, q := range []string{"sort=popular&window=1y", "window=bogus", "sort=viewed"} {
		r := f.Get(t, "/api/v1/posts?"+q)
		MustStatus(t, r, http.StatusBadRequest)
		var p struct{ Errors map[string]string }
		MustJSON(t, r.body, &p)
		field := "window"
		if q == "sort=viewed" {
			field = "sort"
		}
		if p.Errors[field] == "" {
			t.Errorf("%s: errors = %v, want %s named", q, p.Errors, field)
		}
	}
}
