package public_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// previewFixture is a public API with one published post, a draft
// ("Early waking", tagged and in a category) and another draft, and a
// preview token for the first draft.
type previewFixture struct {
	*fixture
	pub, draft, other *cms.Post
	token             string
}

func mustPreviewFixture(t *testing.T) *previewFixture {
	t.Helper()
	f := MustFixture(t)
	cat := f.MustCategory(t, "Toddlers")
	pub := f.MustPublished(t, "Naps for toddlers", "Toddlers nap once a day.", time.Now().Add(-time.Hour), []string{"naps"}, cat)
	ctx := context.Background()
	draft, err := f.svc.CreatePost(ctx, f.owner, cms.PostInput{Title: ptr("Early waking"), Body: ptr("Toddlers who wake at *five*."),
		Tags: &[]string{"naps", "mornings"}, CategoryIDs: &[]string{cat.ID}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.CreatePost(ctx, f.owner, cms.PostInput{Title: ptr("Another draft"), Body: ptr("Not this one.")})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.svc.PreviewToken(ctx, f.owner, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &previewFixture{fixture: f, pub: pub, draft: draft, other: other, token: tok.Token}
}

// mustPrivate fails unless r is a 200 made for one reader.
func mustPrivate(t *testing.T, what string, r response) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("%s: Cache-Control %q, want private, no-store", what, cc)
	}
	if et := r.header.Get("ETag"); et != "" {
		t.Errorf("%s: ETag %q on a private answer", what, et)
	}
	if r.header.Get("X-Robots-Tag") == "" {
		t.Errorf("%s: no X-Robots-Tag", what)
	}
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	MustJSON(t, raw, &m)
	return slices.Sorted(maps.Keys(m))
}

// TestPreviewOwnAPI: with its token, a draft is read through our API by
// GET /preview?token= and by /posts/{slug or id}?preview=, in exactly the
// shape of a published post, privately; nothing else changes: without
// the token the draft is not found, lists never include it, and the
// published post answers as before, cacheable.
func TestPreviewOwnAPI(t *testing.T) {
	t.Parallel()
	f := mustPreviewFixture(t)
	type post struct {
		Data struct {
			ID, Slug, HTML, Title string
			Categories            []struct{ Slug string }
			Related               []json.RawMessage
			Previous              json.RawMessage
		}
	}
	var first []byte
	for _, path := range []string{"/api/v1/preview?token=" + f.token, "/api/v1/posts/early-waking?preview=" + f.token,
		"/api/v1/posts/" + f.draft.ID + "?preview=" + f.token} {
		r := f.Get(t, path)
		mustPrivate(t, path, r)
		var p post
		MustJSON(t, r.body, &p)
		if p.Data.ID != f.draft.ID || p.Data.Slug != "early-waking" || !strings.Contains(p.Data.HTML, "<em>five</em>") ||
			len(p.Data.Categories) != 1 || p.Data.Categories[0].Slug != "toddlers" {
			t.Errorf("%s: %s", path, r.body)
		}
		// As if published now: the newest post, related to the post
		// that shares its category and tag.
		if len(p.Data.Related) != 1 || !strings.Contains(string(p.Data.Previous), f.pub.ID) {
			t.Errorf("%s: related %s, previous %s", path, p.Data.Related, p.Data.Previous)
		}
		if first == nil {
			first = r.body
		}
	}

	pub := f.Get(t, "/api/v1/posts/"+f.pub.Slug)
	if pub.status != 200 || pub.header.Get("ETag") == "" || !strings.HasPrefix(pub.header.Get("Cache-Control"), "public") {
		t.Fatalf("published post: %d %v", pub.status, pub.header)
	}
	var pubTop, draftTop map[string]json.RawMessage
	MustJSON(t, pub.body, &pubTop)
	MustJSON(t, first, &draftTop)
	if a, b := slices.Sorted(maps.Keys(pubTop)), slices.Sorted(maps.Keys(draftTop)); !slices.Equal(a, b) {
		t.Errorf("top-level keys: published %v, preview %v", a, b)
	}
	if a, b := keysOf(t, pubTop["data"]), keysOf(t, draftTop["data"]); !slices.Equal(a, b) {
		t.Errorf("post keys: published %v, preview %v", a, b)
	}

	if r := f.Get(t, "/api/v1/posts/early-waking"); r.status != 404 {
		t.Errorf("the draft without a token: %d", r.status)
	}
	for _, path := range []string{"/api/v1/posts", "/api/v1/posts?preview=" + f.token, "/api/v1/posts?view=full"} {
		if r := f.Get(t, path); r.status != 200 || strings.Contains(string(r.body), f.draft.ID) {
			t.Errorf("%s lists the draft: %d %s", path, r.status, r.body)
		}
	}
}

// TestPreviewDialects: the same token reads the draft through the Ghost
// dialect (by id and by slug) and the WordPress dialect (by its numeric
// id and by ours), each in the shape of a published post, privately.
func TestPreviewDialects(t *testing.T) {
	t.Parallel()
	f := mustPreviewFixture(t)
	q := "?preview=" + f.token
	type ghost struct {
		Posts []map[string]json.RawMessage
	}
	var ghostKeys []string
	for _, path := range []string{ghostBase + "/posts/" + f.draft.ID + "/" + q, ghostBase + "/posts/slug/early-waking/" + q + "&include=tags"} {
		r := f.Get(t, path)
		mustPrivate(t, path, r)
		var g ghost
		MustJSON(t, r.body, &g)
		if len(g.Posts) != 1 || string(g.Posts[0]["id"]) != `"`+f.draft.ID+`"` || string(g.Posts[0]["slug"]) != `"early-waking"` {
			t.Fatalf("%s: %s", path, r.body)
		}
		if ghostKeys == nil {
			ghostKeys = slices.Sorted(maps.Keys(g.Posts[0]))
		} else if !strings.Contains(string(g.Posts[0]["tags"]), `"mornings"`) {
			t.Errorf("include=tags: %s", g.Posts[0]["tags"])
		}
	}
	var pub ghost
	MustJSON(t, f.Get(t, ghostBase+"/posts/"+f.pub.ID+"/").body, &pub)
	if got := slices.Sorted(maps.Keys(pub.Posts[0])); !slices.Equal(got, ghostKeys) {
		t.Errorf("Ghost keys: published %v, preview %v", got, ghostKeys)
	}

	r := f.Get(t, "/wp-json/wp/v2/posts/"+f.draft.ID+q)
	mustPrivate(t, "WordPress by our id", r)
	var wp map[string]json.RawMessage
	MustJSON(t, r.body, &wp)
	n, err := strconv.ParseInt(string(wp["id"]), 10, 64)
	if err != nil || n <= 0 || string(wp["slug"]) != `"early-waking"` || !strings.Contains(string(wp["content"]), "<em>five</em>") {
		t.Fatalf("WordPress: %s", r.body)
	}
	r2 := f.Get(t, "/wp-json/wp/v2/posts/"+string(wp["id"])+q+"&_embed")
	mustPrivate(t, "WordPress by number", r2)
	var embedded map[string]json.RawMessage
	MustJSON(t, r2.body, &embedded)
	if embedded["_embedded"] == nil || string(embedded["id"]) != string(wp["id"]) {
		t.Errorf("WordPress by number with _embed: %s", r2.body)
	}
	var pubWP map[string]json.RawMessage
	MustJSON(t, f.Get(t, "/wp-json/wp/v2/posts?slug="+f.pub.Slug).body, &[]*map[string]json.RawMessage{&pubWP})
	if a, b := slices.Sorted(maps.Keys(pubWP)), slices.Sorted(maps.Keys(wp)); !slices.Equal(a, b) {
		t.Errorf("WordPress keys: published %v, preview %v", a, b)
	}
}

// TestPreviewRefused: a missing, malformed, forged, expired or
// session-like token is a 401 naming the parameter, a token for another
// post a 403, a trashed post's a 404, on our API and in each dialect's
// own error shape; never a 500, never cached.
func TestPreviewRefused(t *testing.T) {
	t.Parallel()
	f := mustPreviewFixture(t)
	ctx := context.Background()
	// A token minted two hours ago (by an instance whose clock says so)
	// has expired.
	past := cmstest.MustServiceOn(t, f.db, func(c *cms.ServiceConfig) { c.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) } })
	old, err := past.Svc.PreviewToken(ctx, f.owner, f.draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(f.token, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	otherTok, err := f.svc.PreviewToken(ctx, f.owner, f.other.ID)
	if err != nil {
		t.Fatal(err)
	}

	type want struct {
		status int
		detail string
	}
	bad := map[string]want{
		"":                        {401, "required"},
		"not-a-token":             {401, "not valid"},
		forged:                    {401, "not valid"},
		old.Token:                 {401, "expired"},
		parts[0] + "." + parts[1]: {401, "not valid"},
	}
	for tok, w := range bad {
		for _, path := range []string{"/api/v1/preview?token=" + tok, "/api/v1/posts/early-waking?preview=" + tok} {
			r := f.Get(t, path)
			var p struct {
				Detail string
				Errors map[string]string
			}
			MustJSON(t, r.body, &p)
			param := "preview"
			if strings.HasPrefix(path, "/api/v1/preview") {
				param = "token"
			}
			if r.status != w.status || !strings.Contains(p.Detail, w.detail) || p.Errors[param] == "" ||
				r.header.Get("Content-Type") != "application/problem+json" || r.header.Get("WWW-Authenticate") == "" ||
				r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %v %s", path, r.status, r.header, r.body)
			}
		}
		g := f.Get(t, ghostBase+"/posts/"+f.draft.ID+"/?preview="+tok)
		if g.status != w.status || !strings.Contains(string(g.body), `"type":"UnauthorizedError"`) || !strings.Contains(string(g.body), w.detail) {
			t.Errorf("Ghost, %q: %d %s", tok, g.status, g.body)
		}
		wp := f.Get(t, "/wp-json/wp/v2/posts/"+f.draft.ID+"?preview="+tok)
		if wp.status != w.status || !strings.Contains(string(wp.body), `"code":"rest_forbidden"`) || !strings.Contains(string(wp.body), w.detail) {
			t.Errorf("WordPress, %q: %d %s", tok, wp.status, wp.body)
		}
	}

	// A valid token for another post than the path's.
	for _, path := range []string{"/api/v1/posts/early-waking?preview=" + otherTok.Token, "/api/v1/posts/" + f.pub.Slug + "?preview=" + f.token,
		"/api/v1/posts/" + f.other.ID + "?preview=" + f.token} {
		if r := f.Get(t, path); r.status != 403 || !strings.Contains(string(r.body), "another post") {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	if r := f.Get(t, ghostBase+"/posts/slug/"+f.pub.Slug+"/?preview="+f.token); r.status != 403 || !strings.Contains(string(r.body), `"type":"NoPermissionError"`) {
		t.Errorf("Ghost, another post: %d %s", r.status, r.body)
	}
	if r := f.Get(t, "/wp-json/wp/v2/posts/"+f.other.ID+"?preview="+f.token); r.status != 403 || !strings.Contains(string(r.body), `"rest_forbidden"`) {
		t.Errorf("WordPress, another post: %d %s", r.status, r.body)
	}

	// Its post in the trash: a clear 404 in each shape.
	if _, err := f.svc.TrashPost(ctx, f.owner, f.draft.ID, f.draft.Version); err != nil {
		t.Fatal(err)
	}
	for path, shape := range map[string]string{
		"/api/v1/preview?token=" + f.token:                           `"status":404`,
		ghostBase + "/posts/" + f.draft.ID + "/?preview=" + f.token:  `"NotFoundError"`,
		"/wp-json/wp/v2/posts/" + f.draft.ID + "?preview=" + f.token: `"rest_post_invalid_id"`,
	} {
		if r := f.Get(t, path); r.status != 404 || !strings.Contains(string(r.body), shape) || !strings.Contains(string(r.body), "trash") {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
}

// TestPreviewContentKey: with a content key required, a preview needs
// the key as well as the token.
func TestPreviewContentKey(t *testing.T) {
	t.Parallel()
	f := mustPreviewFixture(t)
	ctx := context.Background()
	_, secret, err := f.svc.CreateContentKey(ctx, f.owner, cms.ContentKeyInput{Name: ptr("Website")})
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{RequireContentKey: ptr(true), Version: &st.Version}); err != nil {
		t.Fatal(err)
	}
	if r := f.Get(t, "/api/v1/preview?token="+f.token); r.status != 401 || !strings.Contains(string(r.body), `"key"`) {
		t.Errorf("without a key: %d %s", r.status, r.body)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/preview?token="+f.token, nil)
	req.Header.Set("X-Lullaby-Key", secret)
	mustPrivate(t, "with a key", f.Do(t, req))
}
