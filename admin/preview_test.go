package admin_test

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestPreviewTokenAPI: POST /posts/{id}/preview-token mints a token for
// any logged-in user (an editor too), with the preview URL filled in
// once the owner set the template in the settings; the token opens the
// post, is no session token (and a session token is no preview token);
// a bad id, an unknown post and no login are refused clearly; a bad
// template is refused naming previewUrl.
func TestPreviewTokenAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	editor := e.MustEditor(t, owner)
	p := e.MustPost(t, owner.Token, map[string]any{"title": "Early waking", "body": "At five."})
	path := api + "/posts/" + p.ID + "/preview-token"

	var tok cms.PreviewToken
	e.Do(t, Req{Method: "POST", Path: path, Token: editor.Token}).MustStatus(t, 200).Data(t, &tok)
	if tok.Token == "" || tok.PostID != p.ID || tok.URL != "" || tok.ExpiresAt.IsZero() {
		t.Fatalf("token = %+v", tok)
	}
	if got := MustClaims(t, tok.Token); got["sub"] != p.ID || !strings.Contains(got["aud"].([]any)[0].(string), "preview") {
		t.Errorf("claims = %v", got)
	}
	if opened, err := e.Svc.OpenPreview(t.Context(), tok.Token); err != nil || opened.ID != p.ID {
		t.Errorf("open: %v", err)
	}
	if _, err := e.Svc.OpenPreview(t.Context(), owner.Token); !cms.IsKind(err, cms.KindUnauthenticated) {
		t.Errorf("a session token opened a preview: %v", err)
	}
	e.Do(t, Req{Method: "GET", Path: api + "/me", Token: tok.Token}).MustProblem(t, 401)

	e.Do(t, Req{Method: "PUT", Path: api + "/settings", Token: owner.Token,
		Body: map[string]any{"previewUrl": "https://www.example.com/preview/{slug}", "version": 0}}).MustProblem(t, 400, "previewUrl")
	e.Do(t, Req{Method: "PUT", Path: api + "/settings", Token: owner.Token,
		Body: map[string]any{"previewUrl": "https://www.example.com/preview/{slug}?token={token}", "version": 0}}).MustStatus(t, 200)
	e.Do(t, Req{Method: "POST", Path: path, Token: owner.Token}).MustStatus(t, 200).Data(t, &tok)
	if want := "https://www.example.com/preview/early-waking?token=" + tok.Token; tok.URL != want {
		t.Errorf("URL = %q, want %q", tok.URL, want)
	}

	e.Do(t, Req{Method: "POST", Path: path}).MustProblem(t, 401)
	e.Do(t, Req{Method: "POST", Path: api + "/posts/nope/preview-token", Token: owner.Token}).MustProblem(t, 400, "id")
	e.Do(t, Req{Method: "POST", Path: api + "/posts/" + cms.NewID() + "/preview-token", Token: owner.Token}).MustProblem(t, 404)
}
