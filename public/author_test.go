package public_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// TestPostAuthorFallsBackToOwner checks that posts name the first owner
// until the settings name an author, follow a rename of that owner, and
// take the settings' author once set.
func TestPostAuthorFallsBackToOwner(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	ctx := context.Background()
	email, name, password := "maya@sleep.example.org", "Maya Lindqvist", "a long enough password"
	owner, err := f.svc.Setup(ctx, cms.UserInput{Email: &email, Name: &name, Password: &password})
	if err != nil {
		t.Fatal(err)
	}
	editorRole, editorName, editorEmail := cms.RoleEditor, "Eddie Editor", "eddie@sleep.example.org"
	if _, err := f.svc.CreateUser(ctx, owner, cms.UserInput{Email: &editorEmail, Name: &editorName, Role: &editorRole, Password: &password}); err != nil {
		t.Fatal(err)
	}
	p := f.MustPublished(t, "Early rising", "A cry at 5am has causes.", time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), nil)
	author := func() readmodel.PublicAuthor {
		t.Helper()
		r := f.Get(t, "/api/v1/posts/"+p.Slug)
		MustStatus(t, r, http.StatusOK)
		var res struct {
			Data struct {
				Author readmodel.PublicAuthor `json:"author"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		return res.Data.Author
	}
	if got := author(); got.Name != name {
		t.Errorf("no author in the settings: author = %+v, want the owner %q", got, name)
	}
	renamed := "Maya Lindqvist-Berg"
	if _, err := f.svc.UpdateUser(ctx, owner, owner.ID, cms.UserInput{Name: &renamed, Version: &owner.Version}); err != nil {
		t.Fatal(err)
	}
	if got := author(); got.Name != renamed {
		t.Errorf("after the owner's rename: author = %+v, want %q", got, renamed)
	}
	set, title := "M. Lindqvist", "Certified pediatric sleep consultant"
	version := 0
	if _, err := f.svc.UpdateSettings(ctx, owner, cms.SettingsInput{Author: &cms.AuthorProfile{Name: set, Title: title}, Version: &version}); err != nil {
		t.Fatal(err)
	}
	if got := author(); got.Name != set || got.Title != title {
		t.Errorf("with the settings' author: author = %+v, want %q, %q", got, set, title)
	}
}
