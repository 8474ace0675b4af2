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

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
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
	cf := cmstest.MustService(tb)
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

var (
	specRouter routers.Router
	spec       *openapi3.T
)

func init() {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		panic(err)
	}
	spec, err = openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		panic(err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		panic("openapi.json: " + err.Error())
	}
	// One server, the root, for every path: a client generated from the
	// document with one base URL reaches every operation.
	if len(spec.Servers) != 1 || spec.Servers[0].URL != "/" {
		panic("openapi.json: want one server, the root")
	}
	for path, item := range spec.Paths.Map() {
		if len(item.Servers) > 0 {
			panic("openapi.json: " + path + " has servers of its own")
		}
	}
	spec.Servers = openapi3.Servers{{URL: "http://example.com"}}
	for _, ct := range []string{"image/jpeg", "image/png", "image/webp"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	if specRouter, err = gorillamux.NewRouter(spec); err != nil {
		panic(err)
	}
}

// MustMatchOpenAPI fails unless the response (uncompressed bodies only) is
// one the OpenAPI document allows for the request.
func MustMatchOpenAPI(tb testing.TB, req *http.Request, r response) {
	tb.Helper()
	if r.header.Get("Content-Encoding") != "" || req.Method == http.MethodOptions || strings.HasPrefix(req.URL.Path, "/ghost/") ||
		strings.HasPrefix(req.URL.Path, "/wp-json") || req.URL.Path == "/" {
		return // the dialects speak Ghost's and WordPress's shapes (docs/ghost-api.md, docs/wordpress-api.md)
	}
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	vreq := req.Clone(context.Background())
	vreq.URL = &u
	route, params, err := specRouter.FindRoute(vreq)
	if err != nil {
		if r.status == http.StatusNotFound {
			return // unknown paths are not in the document
		}
		tb.Fatalf("%s %s: not in openapi.json: %v", req.Method, req.URL, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true}},
		Status: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		tb.Fatalf("%s %s: response %d does not match openapi.json: %v\nbody: %s", req.Method, req.URL, r.status, err, r.body)
	}
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
