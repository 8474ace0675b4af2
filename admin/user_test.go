package admin_test

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	do := func(token, method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + "/users" + path, Token: token, Body: body})
	}

	var ed cms.User
	r := do(owner.Token, "POST", "", map[string]any{"email": editorEmail, "name": "Edith", "role": "editor", "password": editorPassword}).MustStatus(t, 201)
	r.Data(t, &ed)
	MustEqual(t, "Location", r.Header.Get("Location"), api+"/users/"+ed.ID)
	MustEqual(t, "role", ed.Role, cms.RoleEditor)
	if containsAny(string(r.Body), "password", "argon2", "tokenVersion", "failedLogins") {
		t.Errorf("user JSON leaks secrets: %s", r.Body)
	}
	do(owner.Token, "POST", "", map[string]any{"email": "EDITOR@example.com", "name": "Twin", "password": editorPassword}).MustProblem(t, 409, "email")
	do(owner.Token, "POST", "", map[string]any{"email": "x@example.com", "name": "X", "role": "admin", "password": "short"}).MustProblem(t, 400, "role", "password")

	editor := e.MustLogin(t, editorEmail, editorPassword)
	do(editor.Token, "GET", "", nil).MustProblem(t, 403)
	do(editor.Token, "POST", "", map[string]any{"email": "y@example.com", "name": "Y", "password": editorPassword}).MustProblem(t, 403)
	do(editor.Token, "DELETE", "/"+owner.User.ID, nil).MustProblem(t, 403)
	do(editor.Token, "PATCH", "/"+ed.ID, map[string]any{"role": "owner", "version": 1}).MustProblem(t, 403)
	// Editors may rename themselves.
	var renamed cms.User
	do(editor.Token, "PATCH", "/"+ed.ID, map[string]any{"name": "Edith E.", "version": 1}).MustStatus(t, 200).Data(t, &renamed)
	MustEqual(t, "renamed", renamed.Name, "Edith E.")

	var users []cms.User
	do(owner.Token, "GET", "", nil).MustStatus(t, 200).Data(t, &users)
	MustEqual(t, "user count", len(users), 2)

	do(owner.Token, "PATCH", "/"+ed.ID, map[string]any{"name": "Stale", "version": 1}).MustProblem(t, 409, "version")
	do(owner.Token, "PATCH", "/"+ed.ID, map[string]any{"password": "a new password", "version": 2}).MustProblem(t, 400, "password")
	do(owner.Token, "PATCH", "/"+owner.User.ID, map[string]any{"role": "editor", "version": 1}).MustProblem(t, 409)
	do(owner.Token, "DELETE", "/"+owner.User.ID, nil).MustProblem(t, 409)
	do(owner.Token, "DELETE", "/nope", nil).MustProblem(t, 400, "id")

	// A password reset revokes the editor's tokens.
	do(owner.Token, "POST", "/"+ed.ID+"/password", map[string]any{"password": "short"}).MustProblem(t, 400, "password")
	do(editor.Token, "POST", "/"+owner.User.ID+"/password", map[string]any{"password": "hijacked password"}).MustProblem(t, 403)
	do(owner.Token, "POST", "/"+ed.ID+"/password", map[string]any{"password": "reset password 1"}).MustStatus(t, 204)
	e.Do(t, Req{Method: "GET", Path: api + "/me", Token: editor.Token}).MustProblem(t, 401)
	editor = e.MustLogin(t, editorEmail, "reset password 1")

	do(owner.Token, "DELETE", "/"+ed.ID, nil).MustStatus(t, 204)
	do(owner.Token, "DELETE", "/"+ed.ID, nil).MustProblem(t, 404)
	p := e.Do(t, Req{Method: "GET", Path: api + "/me", Token: editor.Token}).MustProblem(t, 401)
	MustEqual(t, "detail", p.Detail, "The token is no longer valid; log in again.")
}

// TestEditorPosts checks that editors may do everything with posts.
func TestEditorPosts(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	editor := e.MustEditor(t, e.MustSetup(t))
	p := e.MustPost(t, editor.Token, map[string]any{"title": "By the editor"})
	MustEqual(t, "author", p.AuthorID, editor.User.ID)
	for _, action := range []string{"publish", "trash"} {
		e.Do(t, Req{Method: "POST", Path: api + "/posts/" + p.ID + "/" + action, Token: editor.Token}).MustStatus(t, 200)
	}
	e.Do(t, Req{Method: "DELETE", Path: api + "/posts/" + p.ID, Token: editor.Token}).MustStatus(t, 204)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(strings.ToLower(s), strings.ToLower(sub)) {
			return true
		}
	}
	return false
}
