package public_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/public"
)

// TestGhostKeys: with a content key required, every request of the
// dialect is checked, and a refusal comes in Ghost's shape; a key revoked
// on one instance is refused by another within its sync interval.
func TestGhostKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cf := cmstest.MustService(t)
	owner := &cms.User{ID: cms.NewID(), Name: "Jo", Role: cms.RoleOwner}
	name := "Website"
	k, secret, err := cf.Svc.CreateContentKey(ctx, owner, cms.ContentKeyInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.Svc.UpdateSettings(ctx, owner, cms.SettingsInput{RequireContentKey: ptr(true), Version: ptr(0)}); err != nil {
		t.Fatal(err)
	}
	// A second instance on the same database, syncing as serve does.
	other := cmstest.MustServiceOn(t, cf.DB)
	if err := other.Read.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	syncCtx, stop := context.WithCancel(ctx)
	defer stop()
	go other.Read.Run(syncCtx, 50*time.Millisecond)

	getter := func(content public.Content) func(string) response {
		api, err := public.New(public.Config{Content: content, Logger: cmstest.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		app := fiber.New()
		api.GhostRoutes(app.Group(ghostBase))
		return func(path string) response {
			res, err := app.Test(httptest.NewRequest(http.MethodGet, ghostBase+path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			return response{status: res.StatusCode, header: res.Header, body: body}
		}
	}
	get, getOther := getter(cf.Read), getter(other.Read)
	for _, path := range []string{"/posts/", "/posts/slug/x/", "/tags/", "/authors/", "/settings/", "/pages/"} {
		want := http.StatusOK
		if strings.Contains(path, "/slug/") {
			want = http.StatusNotFound // checked, then not found
		}
		MustStatus(t, get(path+"?key="+secret), want)
		MustStatus(t, getOther(path+"?key="+secret), want)
		mustGhostError(t, get(path), http.StatusUnauthorized, "UnauthorizedError", "A content key is required.", "key")
		mustGhostError(t, get(path+"?key=ffffffffffffffffffffffffff"), http.StatusForbidden, "NoPermissionError", "Unknown Content API Key", "key")
	}
	if _, err := cf.Svc.RevokeContentKey(ctx, owner, k.ID); err != nil {
		t.Fatal(err)
	}
	mustGhostError(t, get("/posts/?key="+secret), http.StatusForbidden, "NoPermissionError", "Unknown Content API Key", "key")
	for deadline := time.Now().Add(5 * time.Second); getOther("/posts/?key="+secret).status != http.StatusForbidden; {
		if time.Now().After(deadline) {
			t.Fatal("the other instance still takes the revoked key after 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ptr[T any](v T) *T { return &v }
