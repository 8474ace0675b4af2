package public_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// redirectList is GET /api/v1/redirects decoded.
func (f *fixture) redirectList(t *testing.T) []readmodel.PublicRedirect {
	t.Helper()
	r := f.Get(t, "/api/v1/redirects")
	MustStatus(t, r, 200)
	if r.header.Get("ETag") == "" || r.header.Get("Cache-Control") == "" {
		t.Errorf("redirects: ETag %q Cache-Control %q, want both", r.header.Get("ETag"), r.header.Get("Cache-Control"))
	}
	var body struct {
		Data []readmodel.PublicRedirect `json:"data"`
	}
	MustJSON(t, r.body, &body)
	return body.Data
}

func (f *fixture) mustUpdate(t *testing.T, p *cms.Post, in cms.PostInput) *cms.Post {
	t.Helper()
	in.Version = &p.Version
	q, err := f.svc.UpdatePost(t.Context(), f.owner, p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// mustProblem checks that r is a problem+json with status, naming field
// unless it is "".
func mustProblem(t *testing.T, r response, status int, field string) {
	t.Helper()
	MustStatus(t, r, status)
	var p struct{ Errors map[string]string }
	MustJSON(t, r.body, &p)
	if r.header.Get("Content-Type") != "application/problem+json" || field != "" && p.Errors[field] == "" {
		t.Errorf("%d %s: %s, want problem+json naming %q", status, r.header.Get("Content-Type"), r.body, field)
	}
}

// mustMoved checks that GET target answers 301 to location, cacheable.
func (f *fixture) mustMoved(t *testing.T, target, location string) {
	t.Helper()
	r := f.Get(t, target)
	MustStatus(t, r, 301)
	if got := r.header.Get("Location"); got != location {
		t.Errorf("GET %s: Location %q, want %q", target, got, location)
	}
	if r.header.Get("Cache-Control") == "" {
		t.Errorf("GET %s: a 301 without Cache-Control", target)
	}
}

// TestRedirects follows the old addresses of published posts through the
// public API: a slug change, her own list of old paths, a new post taking
// an old slug, two posts claiming one old slug, and a deleted post.
func TestRedirects(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	a := f.MustPublished(t, "Sleep regressions", "body", day0, nil)
	a = f.mustUpdate(t, a, cms.PostInput{Slug: new("four-month-regression"),
		Redirects: &[]string{"/2024/03/sleep-regressions/", "/?p=12"}})

	f.mustMoved(t, "/api/v1/posts/sleep-regressions", "/api/v1/posts/four-month-regression")
	f.mustMoved(t, "/api/v1/posts/sleep-regressions?utm_source=pinterest&x=1", "/api/v1/posts/four-month-regression?utm_source=pinterest&x=1")
	want := []readmodel.PublicRedirect{
		{From: "/2024/03/sleep-regressions/", Type: "path", To: "four-month-regression", PostID: a.ID, Status: 301},
		{From: "/?p=12", Type: "path", To: "four-month-regression", PostID: a.ID, Status: 301},
		{From: "sleep-regressions", Type: "slug", To: "four-month-regression", PostID: a.ID, Status: 301},
	}
	if got := f.redirectList(t); !slices.Equal(got, want) {
		t.Fatalf("redirects:\n got %+v\nwant %+v", got, want)
	}
	etag := f.Get(t, "/api/v1/redirects").header.Get("ETag")
	req := httptest.NewRequest(http.MethodGet, "/api/v1/redirects", nil)
	req.Header.Set("If-None-Match", etag)
	MustStatus(t, f.Do(t, req), 304)

	t.Run("Path", func(t *testing.T) {
		for _, path := range []string{"/2024/03/sleep-regressions/", "/2024/03/sleep-regressions", "/?p=12"} {
			r := f.Get(t, "/api/v1/redirects?path="+path)
			MustStatus(t, r, 200)
			var body struct{ Data readmodel.PublicRedirect }
			MustJSON(t, r.body, &body)
			if body.Data.To != "four-month-regression" || body.Data.Status != 301 {
				t.Errorf("path %s: %+v", path, body.Data)
			}
		}
		mustProblem(t, f.Get(t, "/api/v1/redirects?path=/2024/03/never-was/"), 404, "")
		for _, bad := range []string{"sleep-regressions", "https://old.example/2024/03/sleep-regressions/", "", "/a/../b"} {
			mustProblem(t, f.Get(t, "/api/v1/redirects?path="+bad), 400, "path")
		}
	})

	// A new post takes the old slug: the live post wins, the redirect goes.
	b := f.MustPublished(t, "Sleep regressions", "new", day0.AddDate(0, 0, 1), nil)
	if b.Slug != "sleep-regressions" {
		t.Fatalf("new post slug = %q", b.Slug)
	}
	MustStatus(t, f.Get(t, "/api/v1/posts/sleep-regressions"), 200)
	if got := f.redirectList(t); len(got) != 2 || slices.ContainsFunc(got, func(r readmodel.PublicRedirect) bool { return r.Type == "slug" }) {
		t.Errorf("redirects with a live post on the old slug: %+v", got)
	}

	// It leaves the slug too: both posts claim it, the newer claim wins.
	b = f.mustUpdate(t, b, cms.PostInput{Slug: new("regressions-again")})
	f.mustMoved(t, "/api/v1/posts/sleep-regressions", "/api/v1/posts/regressions-again")

	// Deleted for good, its claim goes with it.
	b, err := f.svc.TrashPost(t.Context(), f.owner, b.ID, b.Version)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeletePost(t.Context(), f.owner, b.ID); err != nil {
		t.Fatal(err)
	}
	f.mustMoved(t, "/api/v1/posts/sleep-regressions", "/api/v1/posts/four-month-regression")
	mustProblem(t, f.Get(t, "/api/v1/posts/regressions-again"), 404, "")
}
