package public_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/public"
)

// TestWPKeys: with a content key required, every wp/v2 request is
// checked and refused in WordPress's shape, while discovery (the site
// root and the /wp-json/ index) stays open.
func TestWPKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cf := cmstest.MustService(t)
	owner := &cms.User{ID: cms.NewID(), Name: "Jo", Role: cms.RoleOwner}
	name := "Website"
	_, secret, err := cf.Svc.CreateContentKey(ctx, owner, cms.ContentKeyInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.Svc.UpdateSettings(ctx, owner, cms.SettingsInput{RequireContentKey: ptr(true), Version: ptr(0)}); err != nil {
		t.Fatal(err)
	}
	cf.Svc.Refresh(ctx)
	api, err := public.New(public.Config{Content: cf.Read, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	api.WPRoutes(app)
	get := func(path, key string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if key != "" {
			req.Header.Set(public.HeaderContentKey, key)
		}
		res, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	for _, path := range []string{"/", "/wp-json/", "/wp-json"} {
		if status, body := get(path, ""); status != http.StatusOK {
			t.Errorf("discovery %s without a key = %d %s", path, status, body)
		}
	}
	for _, path := range []string{"/wp-json/wp/v2/posts", "/wp-json/wp/v2/categories", "/wp-json/wp/v2/users/1", "/?rest_route=/wp/v2/tags"} {
		if status, body := get(path, ""); status != http.StatusUnauthorized || body[:25] != `{"code":"rest_forbidden",` {
			t.Errorf("%s without a key = %d %s", path, status, body)
		}
		if status, body := get(path, "nope"); status != http.StatusForbidden || body[:25] != `{"code":"rest_forbidden",` {
			t.Errorf("%s with an unknown key = %d %s", path, status, body)
		}
		want := http.StatusOK
		if path == "/wp-json/wp/v2/users/1" {
			want = http.StatusNotFound // checked, then not found
		}
		if status, body := get(path, secret); status != want {
			t.Errorf("%s with the key = %d %s", path, status, body)
		}
	}
	if status, _ := get("/wp-json/wp/v2/posts?key="+secret, ""); status != http.StatusOK {
		t.Errorf("?key= = %d", status)
	}
}
