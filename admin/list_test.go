package admin_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
)

// listEnv is an app whose store the test can also write view counts to.
func listEnv(t *testing.T) (*Env, cms.Store) {
	t.Helper()
	e := MustNewEnv(t)
	return e, e.DB
}

// mustPublished creates and publishes a post through the API.
func mustPublished(t *testing.T, e *Env, token, title string) cms.Post {
	t.Helper()
	p := e.MustPost(t, token, map[string]any{"title": title, "body": "Text about " + title + "."})
	var out cms.Post
	e.Do(t, Req{Method: "POST", Path: api + "/posts/" + p.ID + "/publish", Token: token, Body: map[string]any{"version": p.Version}}).
		MustStatus(t, 200).Data(t, &out)
	return out
}

func TestListsAPI(t *testing.T) {
	t.Parallel()
	e, _ := listEnv(t)
	s := e.MustSetup(t)
	do := func(method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + path, Token: s.Token, Body: body})
	}
	a, b, c := mustPublished(t, e, s.Token, "Alpha naps"), mustPublished(t, e, s.Token, "Bedtime"), mustPublished(t, e, s.Token, "Crying")
	draft := e.MustPost(t, s.Token, map[string]any{"title": "A draft"})

	var lists []cms.List
	do("GET", "/lists", nil).MustStatus(t, 200).Data(t, &lists)
	if len(lists) != 1 || lists[0].Slug != "featured" {
		t.Fatalf("lists = %+v, want just the featured list", lists)
	}
	featured := lists[0]

	t.Run("Feature", func(t *testing.T) {
		for _, p := range []cms.Post{a, b, c, {ID: draft.ID}} {
			do("PUT", "/lists/featured/posts/"+p.ID, nil).MustStatus(t, 200)
		}
		do("PUT", "/lists/featured/posts/"+a.ID, nil).MustStatus(t, 200) // again: keeps its place
		do("DELETE", "/lists/featured/posts/"+draft.ID, nil).MustStatus(t, 200)
		var l cms.List
		do("GET", "/lists/featured", nil).MustStatus(t, 200).Data(t, &l)
		MustEqual(t, "featured", entryIDs(l), []string{a.ID, b.ID, c.ID})
		featured = l
	})
	t.Run("ErrFeature", func(t *testing.T) {
		do("PUT", "/lists/featured/posts/nope", nil).MustProblem(t, 400, "postId")
		do("PUT", "/lists/featured/posts/"+cms.NewID(), nil).MustProblem(t, 400, "postId")
		do("PUT", "/lists/featured/posts/"+a.ID, map[string]any{"start": "tomorrow"}).MustProblem(t, 400, "start")
		do("PUT", "/lists/featured/posts/"+a.ID, map[string]any{"start": "2030-01-02T00:00:00Z", "end": "2030-01-01T00:00:00Z"}).MustProblem(t, 400, "end")
		do("PUT", "/lists/featured/posts/"+a.ID, map[string]any{"colour": "red"}).MustProblem(t, 400, "colour")
	})
	t.Run("Reorder", func(t *testing.T) {
		var l cms.List
		do("PUT", "/lists/"+featured.ID, map[string]any{"version": featured.Version, "entries": []map[string]any{
			{"postId": c.ID}, {"postId": a.ID, "start": "2030-01-01T09:00:00+02:00"}, {"postId": b.ID},
		}}).MustStatus(t, 200).Data(t, &l)
		MustEqual(t, "order", entryIDs(l), []string{c.ID, a.ID, b.ID})
		MustEqual(t, "start in UTC", l.Entries[1].Start, time.Date(2030, 1, 1, 7, 0, 0, 0, time.UTC))
		featured = l
	})
	t.Run("ErrReorder", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			body   any
			status int
			fields []string
		}{
			{"ErrUnknownID", map[string]any{"version": featured.Version, "entries": []map[string]any{{"postId": a.ID}, {"postId": cms.NewID()}}}, 400, []string{"entries[1].postId"}},
			{"ErrDuplicateID", map[string]any{"version": featured.Version, "entries": []map[string]any{{"postId": a.ID}, {"postId": a.ID}}}, 400, []string{"entries[1].postId"}},
			{"ErrMalformedID", map[string]any{"version": featured.Version, "entries": []map[string]any{{"postId": "x"}}}, 400, []string{"entries[0].postId"}},
			{"ErrBadTime", map[string]any{"version": featured.Version, "entries": []map[string]any{{"postId": a.ID, "end": "soon"}}}, 400, []string{"entries[0].end"}},
			{"ErrNoEntries", map[string]any{"version": featured.Version}, 400, []string{"entries"}},
			{"ErrNoVersion", map[string]any{"entries": []any{}}, 400, []string{"version"}},
			{"ErrStale", map[string]any{"version": featured.Version - 1, "entries": []any{}}, 409, []string{"version"}},
			{"ErrNotAList", `{"entries": {}, "version": 1}`, 400, []string{"entries"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				do("PUT", "/lists/"+featured.ID, tc.body).MustProblem(t, tc.status, tc.fields...)
			})
		}
		var l cms.List
		do("GET", "/lists/"+featured.ID, nil).MustStatus(t, 200).Data(t, &l)
		MustEqual(t, "order after bad reorders", entryIDs(l), []string{c.ID, a.ID, b.ID})
	})
	t.Run("CreateRenameDelete", func(t *testing.T) {
		var l cms.List
		r := do("POST", "/lists", map[string]any{"name": "Start here"}).MustStatus(t, 201)
		r.Data(t, &l)
		MustEqual(t, "slug", l.Slug, "start-here")
		MustEqual(t, "Location", r.Header.Get("Location"), api+"/lists/"+l.ID)
		do("POST", "/lists", map[string]any{"name": "Other", "slug": "start-here"}).MustProblem(t, 409, "slug")
		do("POST", "/lists", map[string]any{"name": "X", "slug": "popular"}).MustProblem(t, 400, "slug")
		do("POST", "/lists", map[string]any{"name": ""}).MustProblem(t, 400, "name")
		do("PATCH", "/lists/"+l.ID, map[string]any{"name": "Begin here"}).MustProblem(t, 400, "version")
		do("PATCH", "/lists/"+l.ID, map[string]any{"name": "Begin here", "version": 9}).MustProblem(t, 409, "version")
		do("PATCH", "/lists/"+l.ID, map[string]any{"name": "Begin here", "version": 1}).MustStatus(t, 200).Data(t, &l)
		MustEqual(t, "renamed", [2]any{l.Name, l.Version}, [2]any{"Begin here", 2})
		do("PATCH", "/lists/featured", map[string]any{"slug": "top", "version": featured.Version}).MustProblem(t, 400, "slug")
		do("DELETE", "/lists/featured", nil).MustProblem(t, 400, "id")
		do("DELETE", "/lists/"+l.ID, nil).MustStatus(t, 204)
		do("GET", "/lists/"+l.ID, nil).MustProblem(t, 404)
		do("GET", "/lists/not-an-id", nil).MustProblem(t, 400, "id")
	})
	t.Run("ErrCookieWithoutCSRF", func(t *testing.T) {
		jti, _ := MustClaims(t, s.Token)["jti"].(string)
		cookie := admin.SessionCookie + "=" + s.Token
		e.Do(t, Req{Method: "PUT", Path: api + "/lists/featured/posts/" + a.ID, Header: map[string]string{"Cookie": cookie}}).MustProblem(t, 403)
		e.Do(t, Req{Method: "PUT", Path: api + "/popular", Body: map[string]any{"pinned": []string{}, "excluded": []string{}, "version": 1},
			Header: map[string]string{"Cookie": cookie}}).MustProblem(t, 403)
		e.Do(t, Req{Method: "GET", Path: api + "/lists", Header: map[string]string{"Cookie": cookie}}).MustStatus(t, 200)
		e.Do(t, Req{Method: "DELETE", Path: api + "/lists/featured/posts/" + draft.ID,
			Header: map[string]string{"Cookie": cookie, "X-CSRF-Token": e.Admin.CSRFToken(jti)}}).MustStatus(t, 200)
	})
	t.Run("Unauthenticated", func(t *testing.T) {
		e.Do(t, Req{Method: "GET", Path: api + "/lists"}).MustProblem(t, 401)
		e.Do(t, Req{Method: "PUT", Path: api + "/popular", Body: map[string]any{}}).MustProblem(t, 401)
	})
}

func entryIDs(l cms.List) []string {
	out := []string{}
	for _, e := range l.Entries {
		out = append(out, e.PostID)
	}
	return out
}

func TestPopularAPI(t *testing.T) {
	t.Parallel()
	e, store := listEnv(t)
	s := e.MustSetup(t)
	do := func(method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + path, Token: s.Token, Body: body})
	}
	a, b, c := mustPublished(t, e, s.Token, "Alpha"), mustPublished(t, e, s.Token, "Beta"), mustPublished(t, e, s.Token, "Gamma")
	draft := e.MustPost(t, s.Token, map[string]any{"title": "Draft"})
	today := cms.Day(time.Now())
	yesterday := cms.Day(time.Now().AddDate(0, 0, -1))
	if err := store.AddViews(t.Context(), []cms.ViewCount{
		{PostID: a.ID, Day: today, Views: 5}, {PostID: b.ID, Day: today, Views: 9}, {PostID: b.ID, Day: yesterday, Views: 1},
		{PostID: draft.ID, Day: today, Views: 50},
	}); err != nil {
		t.Fatal(err)
	}
	type popular struct {
		Pinned, Excluded []string
		Version          int
		Window           string
		Posts            []struct {
			PostID, Title string
			Views         int64
			Pinned        bool
		}
	}
	titles := func(p popular) []string {
		out := []string{}
		for _, x := range p.Posts {
			out = append(out, x.Title+":"+strconv.FormatInt(x.Views, 10))
		}
		return out
	}
	var p popular
	do("GET", "/popular", nil).MustStatus(t, 200).Data(t, &p)
	MustEqual(t, "ranked, the draft left out", titles(p), []string{"Beta:10", "Alpha:5"})
	MustEqual(t, "window", p.Window, "30d")

	do("PUT", "/popular", map[string]any{"pinned": []string{c.ID}, "excluded": []string{b.ID}, "version": p.Version}).MustStatus(t, 200).Data(t, &p)
	MustEqual(t, "pinned and excluded", titles(p), []string{"Gamma:0", "Alpha:5"})
	MustEqual(t, "settings", [2][]string{p.Pinned, p.Excluded}, [2][]string{{c.ID}, {b.ID}})

	do("PUT", "/popular", map[string]any{"pinned": []string{draft.ID}, "excluded": []string{}, "version": p.Version}).MustProblem(t, 400, "pinned[0]")
	do("PUT", "/popular", map[string]any{"pinned": []string{a.ID, a.ID}, "excluded": []string{}, "version": p.Version}).MustProblem(t, 400, "pinned[1]")
	do("PUT", "/popular", map[string]any{"pinned": []string{}, "excluded": []string{cms.NewID()}, "version": p.Version}).MustProblem(t, 400, "excluded[0]")
	do("PUT", "/popular", map[string]any{"pinned": []string{}, "excluded": []string{}, "version": p.Version - 1}).MustProblem(t, 409, "version")
	do("PUT", "/popular", map[string]any{"pinned": []string{}}).MustProblem(t, 400, "excluded", "version")

	var days []cms.DayViews
	do("GET", "/posts/"+b.ID+"/views", nil).MustStatus(t, 200).Data(t, &days)
	if len(days) != 30 || days[29] != (cms.DayViews{Day: today, Views: 9}) || days[28] != (cms.DayViews{Day: yesterday, Views: 1}) {
		t.Errorf("views by day: %d days, last two %+v", len(days), days[28:])
	}
	do("GET", "/posts/"+b.ID+"/views?days=7", nil).MustStatus(t, 200).Data(t, &days)
	MustEqual(t, "days=7", len(days), 7)
	do("GET", "/posts/"+b.ID+"/views?days=0", nil).MustProblem(t, 400, "days")
	do("GET", "/posts/"+b.ID+"/views?days=week", nil).MustProblem(t, 400, "days")
	do("GET", "/posts/"+cms.NewID()+"/views", nil).MustProblem(t, 404)
	do("GET", "/posts/nope/views", nil).MustProblem(t, 400, "id")
}
