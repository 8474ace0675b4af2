package public_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/public"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestMain(m *testing.M) { cmstest.Main(m) }

// testPublicURL is the public URL the fixture's read model makes image
// URLs with (set with a trailing slash, which must be dropped).
const testPublicURL = "https://cms.sleep.example"

// fixture is a public API (under /api/v1) and media delivery (under
// /media) over a fresh database, with a service to write content through.
type fixture struct {
	svc   *cms.Service
	app   *fiber.App
	owner *cms.User
	db    *mongodb.DB
}

// previews opens preview tokens as cmd/lullaby wires it.
type previews struct {
	*cms.Service
	*readmodel.ReadModel
}

func MustFixture(tb testing.TB, corsOrigins ...string) *fixture {
	tb.Helper()
	return mustFixtureWith(tb, corsOrigins, nil)
}

// mustFixtureWith is MustFixture with the service configured by opts.
func mustFixtureWith(tb testing.TB, corsOrigins []string, opts []func(*cms.ServiceConfig)) *fixture {
	tb.Helper()
	cf := cmstest.MustService(tb, opts...)
	rm, svc := cf.Read, cf.Svc
	rm.SetPublicURL(testPublicURL + "/")
	api, err := public.New(public.Config{Content: rm, Logger: cmstest.Logger(), CORSOrigins: corsOrigins, Media: svc,
		Previews: previews{svc, rm}})
	if err != nil {
		tb.Fatal(err)
	}
	app := fiber.New()
	api.Routes(app.Group("/api/v1"))
	api.MediaRoutes(app.Group("/media"))
	api.GhostRoutes(app.Group("/ghost/api/content"))
	api.WPRoutes(app)
	if err := rm.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &fixture{svc: svc, app: app, owner: &cms.User{ID: cms.NewID(), Name: "Owner", Role: cms.RoleOwner}, db: cf.DB}
}

func (f *fixture) MustCategory(tb testing.TB, name string) *cms.Category {
	tb.Helper()
	c, err := f.svc.CreateCategory(context.Background(), f.owner, cms.CategoryInput{Name: &name})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// MustPublished creates and publishes a post dated at.
func (f *fixture) MustPublished(tb testing.TB, title, body string, at time.Time, tags []string, cats ...*cms.Category) *cms.Post {
	tb.Helper()
	ids := []string{}
	for _, c := range cats {
		ids = append(ids, c.ID)
	}
	p, err := f.svc.ImportPost(context.Background(), f.owner, cms.PostInput{Title: &title, Body: &body, Tags: &tags, CategoryIDs: &ids}, cms.StatusPublished, at)
	if err != nil {
		tb.Fatal(err)
	}
	f.svc.Refresh(context.Background())
	return p
}

// response is what a test sees of one request.
type response struct {
	status int
	header http.Header
	body   []byte
}

// Do sends req through the app and checks the response against the OpenAPI
// document.
func (f *fixture) Do(tb testing.TB, req *http.Request) response {
	tb.Helper()
	res, err := f.app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: body}
	MustMatchOpenAPI(tb, req, r)
	return r
}

func (f *fixture) Get(tb testing.TB, target string) response {
	tb.Helper()
	return f.Do(tb, httptest.NewRequest(http.MethodGet, target, nil))
}

// openAPI is the public API's document: every response the tests see
// outside the dialects must be one it allows.
var openAPI = cmstest.MustOpenAPI("openapi.json", "image/jpeg", "image/png", "image/webp",
	"application/rss+xml", "application/atom+xml", "application/xml")

// MustMatchOpenAPI fails unless the response (uncompressed bodies only) is
// one the OpenAPI document allows for the request.
func MustMatchOpenAPI(tb testing.TB, req *http.Request, r response) {
	tb.Helper()
	if r.header.Get("Content-Encoding") != "" || req.Method == http.MethodOptions || strings.HasPrefix(req.URL.Path, "/ghost/") ||
		strings.HasPrefix(req.URL.Path, "/wp-json") || req.URL.Path == "/" {
		return // the dialects speak Ghost's and WordPress's shapes (docs/ghost-api.md, docs/wordpress-api.md)
	}
	openAPI.MustMatch(tb, req, r.status, r.header, r.body)
}

var (
	idPattern = regexp.MustCompile(`"[0-9a-f]{24}"`)
	// noteIDPattern is a post id inside a footnote's id or link.
	noteIDPattern = regexp.MustCompile(`(fn(?:ref)?-)[0-9a-f]{24}-`)
	timePattern   = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+Z"`)
)

// MustGolden compares a JSON body, with ids and times masked, to
// testdata/name.json; -update rewrites the file.
func MustGolden(tb testing.TB, name string, body []byte) {
	tb.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		tb.Fatalf("not JSON: %v: %s", err, body)
	}
	got := idPattern.ReplaceAll(pretty.Bytes(), []byte(`"<id>"`))
	got = timePattern.ReplaceAll(got, []byte(`"<time>"`))
	got = noteIDPattern.ReplaceAll(got, []byte(`${1}<id>-`))
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func MustJSON(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
}

func MustStatus(tb testing.TB, r response, want int) {
	tb.Helper()
	if r.status != want {
		tb.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
}
