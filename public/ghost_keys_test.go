package public_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/public"
)

// refuseKeys accepts one content key.
type refuseKeys struct{ good string }

func (k refuseKeys) CheckContentKey(key string) error {
	switch key {
	case k.good:
		return nil
	case "":
		return cms.Errorf(cms.KindUnauthenticated, "test", "A Content API key is required.")
	}
	return cms.Errorf(cms.KindForbidden, "test", "Unknown Content API key.")
}

// TestGhostKeys: with content keys configured, every request of the
// dialect is checked, and a refusal comes in Ghost's shape.
func TestGhostKeys(t *testing.T) {
	t.Parallel()
	cf := cmstest.MustService(t)
	api, err := public.New(public.Config{Content: cf.Read, Logger: cmstest.Logger(), Keys: refuseKeys{good: "0123456789abcdef0123456789"}})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	api.GhostRoutes(app.Group(ghostBase))
	get := func(path string) response {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, ghostBase+path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		return response{status: res.StatusCode, header: res.Header, body: body}
	}
	for _, path := range []string{"/posts/", "/posts/slug/x/", "/tags/", "/authors/", "/settings/", "/pages/"} {
		want := http.StatusOK
		if strings.Contains(path, "/slug/") {
			want = http.StatusNotFound // checked, then not found
		}
		MustStatus(t, get(path+"?key=0123456789abcdef0123456789"), want)
		mustGhostError(t, get(path), http.StatusUnauthorized, "UnauthorizedError", "A Content API key is required.", "")
		mustGhostError(t, get(path+"?key=ffffffffffffffffffffffffff"), http.StatusForbidden, "NoPermissionError", "Unknown Content API key.", "")
	}
}
