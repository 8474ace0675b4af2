package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

func TestPostCreateGet(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	r := e.Do(t, Req{Method: "POST", Path: api + "/posts", Token: s.Token, Body: map[string]any{
		"title": "Why infants wake at night", "body": "Babies *cycle* through light sleep.\n\n## Sleep cycles\n",
		"tags": []string{"Newborn", "newborn", "Sleep"}, "excerpt": "  Short.  "}}).MustStatus(t, 201)
	var p cms.Post
	r.Data(t, &p)
	MustEqual(t, "Location", r.Header.Get("Location"), api+"/posts/"+p.ID)
	MustEqual(t, "status", p.Status, cms.StatusDraft)
	MustEqual(t, "slug", p.Slug, "why-infants-wake-at-night")
	MustEqual(t, "version", p.Version, 1)
	MustEqual(t, "tags", p.Tags, []string{"Newborn", "Sleep"})
	MustEqual(t, "excerpt", p.Excerpt, "Short.")
	if !strings.Contains(p.HTML, "<em>cycle</em>") || !strings.Contains(p.HTML, "<h2") {
		t.Errorf("html = %q, want the Markdown rendered", p.HTML)
	}
	got := e.MustGetPost(t, s.Token, p.ID)
	MustEqual(t, "get.body", got.Body, p.Body)
	MustEqual(t, "get.html", got.HTML, p.HTML)

	e.Do(t, Req{Method: "POST", Path: api + "/posts", Token: s.Token, Body: map[string]any{"title": ""}}).MustProblem(t, 400, "title")
	e.Do(t, Req{Method: "POST", Path: api + "/posts", Token: s.Token, Body: map[string]any{"title": "x", "slug": p.Slug}}).MustProblem(t, 409, "slug")
	e.Do(t, Req{Method: "POST", Path: api + "/posts", Token: s.Token, Body: map[string]any{"title": "x", "categoryIds": []string{cms.NewID()}}}).MustProblem(t, 400, "categoryIds")
	e.Do(t, Req{Method: "GET", Path: api + "/posts/" + cms.NewID(), Token: s.Token}).MustProblem(t, 404)
	e.Do(t, Req{Method: "GET", Path: api + "/posts/not-an-id", Token: s.Token}).MustProblem(t, 400, "id")
}

// TestPostBadInput sends malformed edits and checks that each is refused
// with the field named and that the post is unchanged afterwards.
func TestPostBadInput(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	p := e.MustPost(t, s.Token, map[string]any{"title": "Original title"})
	path := api + "/posts/" + p.ID
	for _, tc := range []struct {
		name   string
		body   any
		header map[string]string
		status int
		fields []string
		detail string
	}{
		{"ErrStaleVersion", map[string]any{"title": "New", "version": 5}, nil, 409, []string{"version"}, ""},
		{"ErrNoVersion", map[string]any{"title": "New"}, nil, 400, []string{"version"}, ""},
		{"ErrOperator", `{"title": {"$ne": null}, "version": 1}`, nil, 400, []string{"title"}, ""},
		{"ErrNumberForString", `{"title": 5, "version": 1}`, nil, 400, []string{"title"}, ""},
		{"ErrStringForInt", `{"title": "New", "version": "1"}`, nil, 400, []string{"version"}, ""},
		{"ErrFloatVersion", `{"title": "New", "version": 1.5}`, nil, 400, []string{"version"}, ""},
		{"ErrStringForArray", `{"tags": "sleep", "version": 1}`, nil, 400, []string{"tags"}, ""},
		{"ErrUnknownField", `{"titel": "New", "version": 1}`, nil, 400, []string{"titel"}, ""},
		{"ErrMalformed", `{"title": "New", `, nil, 400, []string{"body"}, ""},
		{"ErrTrailing", `{"title": "New", "version": 1} {"title": "Other"}`, nil, 400, []string{"body"}, ""},
		{"ErrArrayBody", `[{"title": "New"}]`, nil, 400, []string{"body"}, ""},
		{"ErrEmptyBody", ``, nil, 400, []string{"body"}, ""},
		{"ErrTitleTooLong", map[string]any{"title": strings.Repeat("x", 201), "version": 1}, nil, 400, []string{"title"}, ""},
		{"ErrBadCanonical", map[string]any{"canonicalUrl": "javascript:alert(1)", "version": 1}, nil, 400, []string{"canonicalUrl"}, ""},
		{"ErrRedirectWithHost", map[string]any{"redirects": []string{"https://old.example/2024/03/x/"}, "version": 1}, nil, 400, []string{"redirects"}, ""},
		{"ErrRedirectHome", map[string]any{"redirects": []string{"/"}, "version": 1}, nil, 400, []string{"redirects"}, ""},
		{"ErrRedirectNotSlug", map[string]any{"redirects": []string{"Old Title"}, "version": 1}, nil, 400, []string{"redirects"}, ""},
		{"ErrRedirectTooLong", map[string]any{"redirects": []string{"/" + strings.Repeat("x", 1000)}, "version": 1}, nil, 400, []string{"redirects"}, ""},
		{"ErrRedirectsString", `{"redirects": "/x/", "version": 1}`, nil, 400, []string{"redirects"}, ""},
		{"ErrTooLarge", `{"body": "` + strings.Repeat("a", 2<<20) + `", "version": 1}`, nil, 413, []string{"body"}, ""},
		{"ErrNotJSON", `{"title": "New", "version": 1}`, map[string]string{"Content-Type": "text/plain"}, 415, nil, ""},
		{"ErrFormEncoded", `title=New&version=1`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, nil, ""},
		{"ErrCompressed", `{"title": "New", "version": 1}`, map[string]string{"Content-Encoding": "gzip"}, 415, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr := e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: tc.body, Header: tc.header}).MustProblem(t, tc.status, tc.fields...)
			if tc.detail != "" {
				MustEqual(t, "detail", pr.Detail, tc.detail)
			}
		})
	}
	for body, want := range map[string]map[string]string{
		`{"title": {"$ne": null}, "version": 1}`: {"title": "Must be a string."},
		`{"tags": "sleep", "version": 1}`:        {"tags": "Must be an array."},
		`{"tags": ["sleep", 1], "version": 1}`:   {"tags[1]": "Must be a string."},
		`{"version": true}`:                      {"version": "Must be a whole number."},
		`{"titel": "x"}`:                         {"titel": "Unknown field."},
	} {
		pr := e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: body}).MustStatus(t, 400)
		var got Problem
		if err := jsonUnmarshal(pr.Body, &got); err != nil {
			t.Fatal(err)
		}
		MustEqual(t, body, got.Errors, want)
	}
	got := e.MustGetPost(t, s.Token, p.ID)
	MustEqual(t, "title after bad edits", got.Title, "Original title")
	MustEqual(t, "version after bad edits", got.Version, 1)

	var ok cms.Post
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{"title": "Better title", "version": 1}}).MustStatus(t, 200).Data(t, &ok)
	MustEqual(t, "title", ok.Title, "Better title")
	MustEqual(t, "version", ok.Version, 2)
	MustEqual(t, "slug kept", ok.Slug, "original-title")
}

func TestPostLifecycle(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	p := e.MustPost(t, s.Token, map[string]any{"title": "Swaddling safely", "body": "Stop when baby rolls."})
	path := api + "/posts/" + p.ID
	act := func(action string, body any) *Resp {
		return e.Do(t, Req{Method: "POST", Path: path + "/" + action, Token: s.Token, Body: body})
	}
	post := func(r *Resp) cms.Post {
		t.Helper()
		var p cms.Post
		r.MustStatus(t, 200).Data(t, &p)
		return p
	}

	got := post(act("publish", nil))
	MustEqual(t, "status", got.Status, cms.StatusPublished)
	if got.PublishedAt.IsZero() {
		t.Errorf("publishedAt is zero after publish")
	}
	act("unpublish", map[string]int{"version": 1}).MustProblem(t, 409, "version")
	act("unpublish", map[string]int{"version": 0}).MustProblem(t, 400, "version")
	MustEqual(t, "status", post(act("unpublish", map[string]int{"version": 2})).Status, cms.StatusDraft)

	act("schedule", map[string]any{"publishAt": time.Now().Add(-time.Hour).Format(time.RFC3339)}).MustProblem(t, 400, "publishAt")
	act("schedule", map[string]any{"publishAt": "tomorrow morning"}).MustProblem(t, 400, "publishAt")
	act("schedule", map[string]any{}).MustProblem(t, 400, "publishAt")
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	got = post(act("schedule", map[string]any{"version": 3, "publishAt": at.Format(time.RFC3339)}))
	MustEqual(t, "status", got.Status, cms.StatusScheduled)
	MustEqual(t, "publishAt", got.PublishAt.Equal(at), true)

	e.Do(t, Req{Method: "DELETE", Path: path, Token: s.Token}).MustProblem(t, 409)
	got = post(act("trash", ""))
	if got.DeletedAt.IsZero() {
		t.Fatalf("deletedAt is zero after trash")
	}
	act("publish", nil).MustProblem(t, 409)

	var trash []cms.Post
	e.Do(t, Req{Method: "GET", Path: api + "/posts?trashed=true", Token: s.Token}).MustStatus(t, 200).Data(t, &trash)
	MustEqual(t, "trash size", len(trash), 1)
	var live []cms.Post
	e.Do(t, Req{Method: "GET", Path: api + "/posts", Token: s.Token}).MustStatus(t, 200).Data(t, &live)
	MustEqual(t, "live size", len(live), 0)

	got = post(act("restore", nil))
	MustEqual(t, "restored status", got.Status, cms.StatusScheduled)
	MustEqual(t, "restored deletedAt", got.DeletedAt.IsZero(), true)
	MustEqual(t, "archived", post(act("archive", nil)).Status, cms.StatusArchived)

	post(act("trash", nil))
	e.Do(t, Req{Method: "DELETE", Path: path, Token: s.Token}).MustStatus(t, 204)
	e.Do(t, Req{Method: "GET", Path: path, Token: s.Token}).MustProblem(t, 404)
	act("restore", nil).MustProblem(t, 404)
}

func TestPostRevisions(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	p := e.MustPost(t, s.Token, map[string]any{"title": "First draft", "body": "One."})
	path := api + "/posts/" + p.ID
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{"title": "Second draft", "body": "Two.", "version": 1}}).MustStatus(t, 200)

	var refs []cms.RevisionRef
	e.Do(t, Req{Method: "GET", Path: path + "/revisions", Token: s.Token}).MustStatus(t, 200).Data(t, &refs)
	if len(refs) != 2 || refs[0].Version != 2 || refs[1].Version != 1 || refs[1].Note != "created" {
		t.Fatalf("revisions = %+v, want versions 2 then 1 (created)", refs)
	}
	var rev cms.Revision
	e.Do(t, Req{Method: "GET", Path: path + "/revisions/" + refs[1].ID, Token: s.Token}).MustStatus(t, 200).Data(t, &rev)
	MustEqual(t, "revision title", rev.Title, "First draft")
	MustEqual(t, "revision body", rev.Body, "One.")

	e.Do(t, Req{Method: "GET", Path: path + "/revisions/" + cms.NewID(), Token: s.Token}).MustProblem(t, 404)
	e.Do(t, Req{Method: "GET", Path: path + "/revisions/zzz", Token: s.Token}).MustProblem(t, 400, "revisionId")
	restore := path + "/revisions/" + refs[1].ID + "/restore"
	e.Do(t, Req{Method: "POST", Path: restore, Token: s.Token, Body: `{}`}).MustProblem(t, 400, "version")
	e.Do(t, Req{Method: "POST", Path: restore, Token: s.Token, Body: map[string]int{"version": 1}}).MustProblem(t, 409, "version")

	var got cms.Post
	e.Do(t, Req{Method: "POST", Path: restore, Token: s.Token, Body: map[string]int{"version": 2}}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "restored title", got.Title, "First draft")
	MustEqual(t, "restored body", got.Body, "One.")
	MustEqual(t, "restored version", got.Version, 3)
	if !strings.Contains(got.HTML, "One.") {
		t.Errorf("html = %q, want the restored body rendered", got.HTML)
	}
}

func TestPostList(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	for _, title := range []string{"Bedtime routines", "Nap transitions", "Early rising"} {
		e.MustPost(t, s.Token, map[string]any{"title": title, "body": "Some text.", "tags": []string{"naps"}})
	}
	type listed struct {
		Data []map[string]any
		Meta struct {
			Pagination struct{ Page, Limit, Total, TotalPages int }
		}
	}
	var l listed
	r := e.Do(t, Req{Method: "GET", Path: api + "/posts?sort=title&limit=2&page=1&tag=naps&status=draft", Token: s.Token}).MustStatus(t, 200)
	if err := jsonUnmarshal(r.Body, &l); err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "pagination", l.Meta.Pagination, struct{ Page, Limit, Total, TotalPages int }{1, 2, 3, 2})
	if len(l.Data) != 2 || l.Data[0]["title"] != "Bedtime routines" || l.Data[1]["title"] != "Early rising" {
		t.Fatalf("page 1 = %v, want Bedtime routines, Early rising", l.Data)
	}
	if _, ok := l.Data[0]["body"]; ok {
		t.Errorf("list item has a body: %v", l.Data[0])
	}

	var none []cms.Post
	e.Do(t, Req{Method: "GET", Path: api + "/posts?q=nothing-matches", Token: s.Token}).MustStatus(t, 200).Data(t, &none)
	MustEqual(t, "empty list", len(none), 0)

	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"page=abc", []string{"page"}},
		{"page=0", []string{"page"}},
		{"limit=101", []string{"limit"}},
		{"limit=-1&page=x", []string{"limit", "page"}},
		{"sort=random", []string{"sort"}},
		{"status=deleted", []string{"status"}},
		{"trashed=maybe", []string{"trashed"}},
		{"category=12", []string{"category"}},
		{"q=" + strings.Repeat("a", 201), []string{"q"}},
	} {
		t.Run(tc.query[:min(len(tc.query), 20)], func(t *testing.T) {
			e.Do(t, Req{Method: "GET", Path: api + "/posts?" + tc.query, Token: s.Token}).MustProblem(t, 400, tc.fields...)
		})
	}
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	for _, r := range []Req{
		{Method: "GET", Path: api + "/nope"},
		{Method: "GET", Path: api},
		{Method: "PUT", Path: api + "/posts"},
		{Method: "GET", Path: api + "/posts/" + cms.NewID() + "/comments"},
	} {
		p := e.Do(t, r).MustProblem(t, 404)
		MustEqual(t, "type", p.Type, "urn:lullaby:problem:not_found")
	}
}
