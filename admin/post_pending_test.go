package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestPendingAPI: a published post's edit saved with PUT .../pending is
// not public; GET returns it; the version guards refuse stale saves;
// publishing refuses unresolved citations; POST .../pending/publish makes
// it public and drops it; DELETE drops another one. The public side is
// read from the read model the public API serves.
func TestPendingAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	rm := e.Read
	s := e.MustSetup(t)
	tok := s.Token
	p := e.MustPost(t, tok, map[string]any{"title": "Naps", "body": "Old text."})
	var pub cms.Post
	e.Do(t, Req{Method: http.MethodPost, Path: api + "/posts/" + p.ID + "/publish", Token: tok}).MustStatus(t, 200).Data(t, &pub)
	path := api + "/posts/" + p.ID + "/pending"
	publicBody := func() string {
		t.Helper()
		b, _, err := rm.Snapshot().Post(pub.Slug)
		if err != nil {
			t.Fatal(err)
		}
		return string(b.Bytes())
	}

	e.Do(t, Req{Method: http.MethodGet, Path: path, Token: tok}).MustProblem(t, 404)
	e.Do(t, Req{Method: http.MethodPut, Path: path}).MustProblem(t, 401)

	var pend cms.PendingEdit
	e.Do(t, Req{Method: http.MethodPut, Path: path, Token: tok, Body: map[string]any{"body": "New text [@later2024].", "version": pub.Version}}).
		MustStatus(t, 200).Data(t, &pend)
	if pend.Version != 1 || pend.BaseVersion != pub.Version || len(pend.UnresolvedCitations) != 1 || pend.UnresolvedCitations[0] != "later2024" {
		t.Errorf("saved pending = %+v", pend)
	}
	var got cms.PendingEdit
	e.Do(t, Req{Method: http.MethodGet, Path: path, Token: tok}).MustStatus(t, 200).Data(t, &got)
	if got.Input.Body == nil || *got.Input.Body != "New text [@later2024]." || got.Stale {
		t.Errorf("GET pending = %+v", got)
	}
	if b := publicBody(); !strings.Contains(b, "Old text.") || strings.Contains(b, "New text") {
		t.Errorf("the public API shows the pending edit: %s", b)
	}

	for _, tc := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"ErrNoVersion", map[string]any{"body": "x"}, 400, "version"},
		{"ErrStaleVersion", map[string]any{"body": "x", "version": pub.Version - 1, "pendingVersion": 1}, 409, "version"},
		{"ErrFirstSaveTwice", map[string]any{"body": "x", "version": pub.Version}, 409, "pendingVersion"},
		{"ErrStalePending", map[string]any{"body": "x", "version": pub.Version, "pendingVersion": 5}, 409, "pendingVersion"},
		{"ErrBadTitle", map[string]any{"title": "", "version": pub.Version, "pendingVersion": 1}, 400, "title"},
		{"ErrUnknownField", map[string]any{"body": "x", "version": pub.Version, "pendingVersion": 1, "status": "draft"}, 400, "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Do(t, Req{Method: http.MethodPut, Path: path, Token: tok, Body: tc.body}).MustProblem(t, tc.status, tc.field)
		})
	}
	e.Do(t, Req{Method: http.MethodGet, Path: path, Token: tok}).MustStatus(t, 200).Data(t, &got)
	if got.Version != 1 || *got.Input.Body != "New text [@later2024]." {
		t.Errorf("a refused save changed the pending edit: %+v", got)
	}

	// Update is refused while the citation is unresolved, naming it.
	pr := e.Do(t, Req{Method: http.MethodPost, Path: path + "/publish", Token: tok, Body: map[string]any{"pendingVersion": 1}}).MustProblem(t, 400, "body")
	if !strings.Contains(pr.Errors["body"], "@later2024") {
		t.Errorf("refused Update names %q", pr.Errors["body"])
	}
	e.Do(t, Req{Method: http.MethodPut, Path: path, Token: tok, Body: map[string]any{"body": "New text.", "version": pub.Version, "pendingVersion": 1}}).
		MustStatus(t, 200).Data(t, &pend)
	e.Do(t, Req{Method: http.MethodPost, Path: path + "/publish", Token: tok, Body: map[string]any{"pendingVersion": 1}}).MustProblem(t, 409, "pendingVersion")
	var up cms.Post
	e.Do(t, Req{Method: http.MethodPost, Path: path + "/publish", Token: tok, Body: map[string]any{"pendingVersion": pend.Version}}).MustStatus(t, 200).Data(t, &up)
	if up.Body != "New text." || up.Version != pub.Version+1 || up.Status != cms.StatusPublished {
		t.Errorf("after Update: %+v", up)
	}
	if b := publicBody(); !strings.Contains(b, "New text.") {
		t.Errorf("the public API after Update: %s", b)
	}
	e.Do(t, Req{Method: http.MethodGet, Path: path, Token: tok}).MustProblem(t, 404)

	// An edit equal to the post leaves nothing pending: 204.
	e.Do(t, Req{Method: http.MethodPut, Path: path, Token: tok, Body: map[string]any{"body": "New text.", "version": up.Version}}).MustStatus(t, 204)
	e.Do(t, Req{Method: http.MethodGet, Path: path, Token: tok}).MustProblem(t, 404)

	// Discard.
	e.Do(t, Req{Method: http.MethodPut, Path: path, Token: tok, Body: map[string]any{"body": "Discard me.", "version": up.Version}}).MustStatus(t, 200)
	e.Do(t, Req{Method: http.MethodDelete, Path: path + "?pendingVersion=2", Token: tok}).MustProblem(t, 409, "pendingVersion")
	e.Do(t, Req{Method: http.MethodDelete, Path: path + "?pendingVersion=x", Token: tok}).MustProblem(t, 400, "pendingVersion")
	e.Do(t, Req{Method: http.MethodDelete, Path: path + "?pendingVersion=1", Token: tok}).MustStatus(t, 204)
	e.Do(t, Req{Method: http.MethodDelete, Path: path, Token: tok}).MustProblem(t, 404)
	if got := e.MustGetPost(t, tok, p.ID); got.Body != "New text." || got.Version != up.Version {
		t.Errorf("discard changed the post: v%d %q", got.Version, got.Body)
	}

	// A draft has no pending edit: it saves directly.
	d := e.MustPost(t, tok, map[string]any{"title": "Draft"})
	e.Do(t, Req{Method: http.MethodPut, Path: api + "/posts/" + d.ID + "/pending", Token: tok,
		Body: map[string]any{"body": "x", "version": d.Version}}).MustProblem(t, 409)
	e.Do(t, Req{Method: http.MethodPut, Path: api + "/posts/" + cms.NewID() + "/pending", Token: tok,
		Body: map[string]any{"body": "x", "version": 1}}).MustProblem(t, 404)
}
