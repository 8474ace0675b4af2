package admin_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestContentKeyAPI makes, lists and revokes content keys through the
// admin API (every answer checked against the OpenAPI document by Do):
// the secret is shown once, only owners manage keys, and bad input is a
// 400 naming the field.
func TestContentKeyAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	editor := e.MustEditor(t, owner)
	keys := api + "/content-keys"

	type key struct {
		ID, Name, Prefix, Secret string
		Origins                  []string
		RateLimit                int
		RevokedAt                *string
	}
	var k key
	r := e.Do(t, Req{Method: "POST", Path: keys, Token: owner.Token, Body: map[string]any{
		"name": "Website", "origins": []string{"https://example.com/"}, "rateLimit": 600}}).MustStatus(t, http.StatusCreated)
	r.Data(t, &k)
	if !regexp.MustCompile(`^[0-9a-f]{26}$`).MatchString(k.Secret) || !strings.HasPrefix(k.Secret, k.Prefix) || len(k.Prefix) != 4 ||
		k.Name != "Website" || k.RateLimit != 600 || len(k.Origins) != 1 || k.Origins[0] != "https://example.com" || k.RevokedAt != nil {
		t.Errorf("created key = %+v", k)
	}
	MustEqual(t, "Location", r.Header.Get("Location"), keys+"/"+k.ID)

	t.Run("ListHidesSecrets", func(t *testing.T) {
		r := e.Do(t, Req{Method: "GET", Path: keys, Token: owner.Token}).MustStatus(t, http.StatusOK)
		if strings.Contains(string(r.Body), k.Secret) || strings.Contains(string(r.Body), `"secret"`) {
			t.Errorf("the list shows a secret: %s", r.Body)
		}
		var list []key
		r.Data(t, &list)
		if len(list) != 1 || list[0].ID != k.ID || list[0].Prefix != k.Prefix {
			t.Errorf("list = %+v, want the one key", list)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		e.Do(t, Req{Method: "POST", Path: keys, Token: owner.Token, Body: map[string]any{"name": ""}}).MustProblem(t, http.StatusBadRequest, "name")
		e.Do(t, Req{Method: "POST", Path: keys, Token: owner.Token, Body: map[string]any{"name": "App", "rateLimit": cms.MaxContentKeyRate + 1}}).
			MustProblem(t, http.StatusBadRequest, "rateLimit")
		e.Do(t, Req{Method: "POST", Path: keys, Token: owner.Token, Body: `{"name":"App","secret":"0123"}`}).MustProblem(t, http.StatusBadRequest, "secret")
		e.Do(t, Req{Method: "POST", Path: keys, Token: owner.Token, Body: "name=App",
			Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}).MustProblem(t, http.StatusUnsupportedMediaType)
		e.Do(t, Req{Method: "DELETE", Path: keys + "/not-an-id", Token: owner.Token}).MustProblem(t, http.StatusBadRequest, "id")
		e.Do(t, Req{Method: "DELETE", Path: keys + "/" + cms.NewID(), Token: owner.Token}).MustProblem(t, http.StatusNotFound)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		e.Do(t, Req{Method: "GET", Path: keys, Token: editor.Token}).MustProblem(t, http.StatusForbidden)
		e.Do(t, Req{Method: "POST", Path: keys, Token: editor.Token, Body: map[string]any{"name": "Mine"}}).MustProblem(t, http.StatusForbidden)
		e.Do(t, Req{Method: "DELETE", Path: keys + "/" + k.ID, Token: editor.Token}).MustProblem(t, http.StatusForbidden)
		e.Do(t, Req{Method: "GET", Path: keys}).MustProblem(t, http.StatusUnauthorized)
	})
	t.Run("Revoke", func(t *testing.T) {
		var revoked key
		e.Do(t, Req{Method: "DELETE", Path: keys + "/" + k.ID, Token: owner.Token}).MustStatus(t, http.StatusOK).Data(t, &revoked)
		if revoked.ID != k.ID || revoked.RevokedAt == nil || revoked.Secret != "" {
			t.Errorf("revoked = %+v", revoked)
		}
	})
}
