package public

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/assets"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// The API docs page, /api/docs: the OpenAPI documents rendered by Redoc,
// vendored into the binary (assets/vendor.sh), so reading them loads
// nothing from anywhere else. Its Content-Security-Policy lets the page
// talk to this server only.

// APIDoc is one document the docs page offers.
type APIDoc struct {
	Name  string // in ?doc=, e.g. "public"
	Title string // e.g. "Content API"
	URL   string // where the OpenAPI document is served, e.g. "/api/v1/openapi.json"
}

// docsCSP allows the page's own scripts and styles (Redoc sets inline
// styles and runs its search in a worker made from a blob) and no
// connection but to this server.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// docsFiles are the static files the page loads, by the name it uses.
var docsFiles = map[string]string{
	"redoc.standalone.js": "vendor/redoc@*/redoc.standalone.js",
	"api-docs.js":         "js/api-docs.js",
	"api-docs.css":        "css/api-docs.css",
}

type docsPages struct {
	docs  []APIDoc
	pages map[string]*readmodel.Body // by doc name; "" is the first
	files map[string]docsFile
}

// docsFile is a static file of the page, read on its first request (the
// docs are seldom read, and Redoc alone is ~1 MB) and then kept with its
// encodings.
type docsFile struct {
	fsys  fs.FS
	path  string // in fsys
	ctype []byte
	body  func() (*readmodel.Body, error)
}

func newDocsPages(docs []APIDoc) (*docsPages, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("public.DocsRoutes: no documents")
	}
	tmpl, err := template.ParseFS(views.FS, views.APIDocs+".html")
	if err != nil {
		return nil, err
	}
	d := &docsPages{docs: docs, pages: map[string]*readmodel.Body{}, files: map[string]docsFile{}}
	for i, doc := range docs {
		var b bytes.Buffer
		if err := tmpl.Execute(&b, struct {
			Docs    []APIDoc
			Current APIDoc
		}{docs, doc}); err != nil {
			return nil, err
		}
		d.pages[doc.Name] = readmodel.NewBody(b.Bytes())
		if i == 0 {
			d.pages[""] = d.pages[doc.Name]
		}
	}
	static, err := fs.Sub(assets.FS, "static")
	if err != nil {
		return nil, err
	}
	for name, pattern := range docsFiles {
		matches, err := fs.Glob(static, pattern)
		if err != nil || len(matches) != 1 {
			return nil, fmt.Errorf("public.DocsRoutes: want one file for %s, found %q (%v)", pattern, matches, err)
		}
		f := docsFile{fsys: static, path: matches[0], ctype: []byte(mime.TypeByExtension(path.Ext(name)))}
		f.body = sync.OnceValues(func() (*readmodel.Body, error) {
			b, err := fs.ReadFile(f.fsys, f.path)
			if err != nil {
				return nil, err
			}
			return readmodel.NewBody(b), nil
		})
		d.files[name] = f
	}
	return d, nil
}

// DocsRoutes registers the API docs page on r, the app's "/api/docs"
// group: the page (?doc= picks a document; the first by default) and the
// files it loads. It panics without documents or when an embedded file is
// missing: a defect of the build, which the tests catch.
func (a *API) DocsRoutes(r fiber.Router, docs ...APIDoc) {
	d, err := newDocsPages(docs)
	if err != nil {
		panic(err)
	}
	r.Use(a.middleware)
	r.Get("/", func(c *fiber.Ctx) error {
		page := d.pages[c.Query("doc")]
		if page == nil {
			return cms.Errorf(cms.KindNotFound, "public.Docs", "No API document is named %q.", truncateParam(c.Query("doc")))
		}
		c.Set(fiber.HeaderContentSecurityPolicy, docsCSP)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		return a.sendType(c, page, valueHTML)
	})
	r.Get("/:file", func(c *fiber.Ctx) error {
		f, ok := d.files[c.Params("file")]
		if !ok {
			return cms.Errorf(cms.KindNotFound, "public.Docs", "No such file.")
		}
		body, err := f.body()
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		return a.sendType(c, body, f.ctype)
	})
}

var valueHTML = []byte(fiber.MIMETextHTMLCharsetUTF8)

func truncateParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
