package public_test

import (
	"context"
	"fmt"
	"io"
	"maps"
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
		mustGhostKeyError(t, get(path), ghostNoKey)
		mustGhostKeyError(t, get(path+"?key=ffffffffffffffffffffffffff"), ghostUnknownKey)
		mustGhostKeyError(t, get(path+"?key="+secret+"&key="+secret), ghostKeyTwice)
	}
	if _, err := cf.Svc.RevokeContentKey(ctx, owner, k.ID); err != nil {
		t.Fatal(err)
	}
	mustGhostKeyError(t, get("/posts/?key="+secret), ghostUnknownKey)
	for deadline := time.Now().Add(5 * time.Second); getOther("/posts/?key="+secret).status != http.StatusUnauthorized; {
		if time.Now().After(deadline) {
			t.Fatal("the other instance still takes the revoked key after 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ptr[T any](v T) *T { return &v }

// Ghost's answers to the key refusals, every member but the random id
// (services/auth/api-key/content.js and authorize.js in Ghost, rendered
// by @tryghost/mw-error-handler's jsonErrorRenderer).
var (
	ghostNoKey = ghostKeyError{http.StatusForbidden, map[string]any{"message": "Authorization failed",
		"context": "Unable to determine the authenticated member or integration. Check the supplied Content API Key and ensure cookies are being passed through if member auth is failing.",
		"type":    "NoPermissionError", "details": nil, "property": nil, "help": nil, "code": nil, "ghostErrorCode": nil}}
	ghostUnknownKey = ghostKeyError{http.StatusUnauthorized, map[string]any{"message": "Unknown Content API Key", "context": nil,
		"type": "UnauthorizedError", "details": nil, "property": nil, "help": nil, "code": "UNKNOWN_CONTENT_API_KEY", "ghostErrorCode": nil}}
	ghostKeyTwice = ghostKeyError{http.StatusBadRequest, map[string]any{"message": "Invalid Request", "context": nil,
		"type": "BadRequestError", "details": nil, "property": nil, "help": nil, "code": "INVALID_REQUEST", "ghostErrorCode": nil}}
)

type ghostKeyError struct {
	status int
	want   map[string]any
}

// mustGhostKeyError checks that r is Ghost's answer want, to the member.
func mustGhostKeyError(tb testing.TB, r response, want ghostKeyError) {
	tb.Helper()
	MustStatus(tb, r, want.status)
	var body struct{ Errors []map[string]any }
	MustJSON(tb, r.body, &body)
	if len(body.Errors) != 1 || !uuidPattern.MatchString(fmt.Sprint(body.Errors[0]["id"])) {
		tb.Fatalf("errors = %s", r.body)
	}
	got := body.Errors[0]
	delete(got, "id")
	if !maps.Equal(got, want.want) || r.header.Get("Cache-Control") != "no-store" || r.header.Get("Content-Version") == "" {
		tb.Errorf("error = %s (headers %v),\nwant %v", r.body, r.header, want.want)
	}
	if wwwAuth := r.header.Get("WWW-Authenticate"); (wwwAuth != "") != (want.status == http.StatusUnauthorized) {
		tb.Errorf("status %d with WWW-Authenticate %q", r.status, wwwAuth)
	}
}
