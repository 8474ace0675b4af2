package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The HTML panel: server-rendered pages under /admin, rendered from the
// templates in views/ inside views/layout.html, with the static files of
// assets/ served under content-hashed URLs. Handlers live in panel_*.go,
// one file per screen; routes in panel_routes.go.

// Panel paths and cookies.
const (
	panelPrefix = "/admin"
	loginPath   = panelPrefix + "/login"
	setupPath   = panelPrefix + "/setup"
	assetPrefix = panelPrefix + "/assets/"
	flashCookie = "lullaby_flash" // a message shown once on the next page
	csrfField   = "_csrf"         // the hidden form field carrying the CSRF token
)

// contentSecurityPolicy is sent with every panel page. Scripts come only
// from /admin/assets (no inline scripts, no eval); inline styles are
// allowed because the Markdown editor and htmx set some; images may come
// from anywhere over https (post previews, the author's photo).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' https: data: blob:; font-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// page is the data every panel page shares; each page's data struct embeds
// it. The layout reads Title, User (nil when logged out: no navigation),
// CSRF (for forms, the meta tag and htmx), Flash (a one-time message) and
// Nav (the navigation entry to highlight: "dashboard", "posts", ...).
type page struct {
	Title string
	User  *cms.User
	CSRF  string
	Flash string
	Nav   string
}

// newPage returns the common page data for the logged-in session (if any),
// taking the flash message left by the previous request.
func (a *Admin) newPage(c *fiber.Ctx, title, nav string) page {
	p := page{Title: title, Nav: nav}
	if s, ok := c.Locals(sessionKey{}).(*session); ok {
		p.User, p.CSRF = s.user, a.CSRFToken(s.claims.ID)
	}
	if raw := c.Cookies(flashCookie); raw != "" {
		if msg, err := url.QueryUnescape(raw); err == nil {
			p.Flash = msg
		}
		a.clearCookie(c, flashCookie)
	}
	return p
}

// Run keeps the in-memory post index (the post lists of the panel and the
// JSON API) fresh in the background until ctx ends, checking for changes
// every interval while the lists are in use (readmodel.PostIndex.Run);
// cmd/lullaby runs it beside the read model's sync loop. It is optional:
// without it the first post list after a change waits for the index to
// reload (one scan of the posts).
func (a *Admin) Run(ctx context.Context, interval time.Duration) { a.posts.Run(ctx, interval) }

// newViews parses every template in views/ with the panel's functions; a
// broken template makes New fail.
func newViews(as *assetSet) (*html.Engine, error) {
	e := html.NewFileSystem(http.FS(views.FS), ".html")
	e.AddFuncMap(map[string]any{
		"asset":       as.url,
		"vendor":      as.vendorURL,
		"localTime":   localTime,
		"isoUTC":      isoUTC,
		"fieldsFor":   fieldsFor,
		"field":       newField,
		"list":        func(s ...string) []string { return s },
		"add1":        func(i int) int { return i + 1 },
		"deref":       func(t *time.Time) time.Time { return *t },
		"groupSecret": groupSecret,
		"pngSrc":      pngSrc,
		"fieldID":     fieldID,
		"qfield":      newQuizField,
		"names":       citationNames,
		"citeField":   newCiteInput,
		"refTemplate": func() refView {
			return refView{ID: "", Key: "", Known: true, Health: newHealthView(nil)}
		},
	})
	if err := e.Load(); err != nil {
		return nil, err
	}
	if e.Templates.Lookup(views.Layout) == nil {
		return nil, errors.New("views: layout.html is missing")
	}
	return e, nil
}

// renderView renders template name (inside layout, if given) into w,
// parsing the templates first on the panel's first page: a server that
// only answers the public API never holds them (~3 MB).
func (a *Admin) renderView(w io.Writer, name string, data any, layout ...string) error {
	e, err := a.views()
	if err != nil {
		return fmt.Errorf("admin templates: %w", err)
	}
	return e.Render(w, name, data, layout...)
}

// render renders template name inside the layout into a buffer and, only
// if that succeeded, sends it with the given status: a template error is a
// clean 500 from the panel's error handler, never half a page.
func (a *Admin) render(c *fiber.Ctx, status int, name string, data any) error {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := a.renderView(&buf, name, data, views.Layout); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// localTime shows t as a <time> element in UTC; the layout's script
// rewrites it in the reader's own time zone. Zero times show as a dash.
func localTime(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	u := t.UTC()
	return template.HTML(`<time datetime="` + u.Format(time.RFC3339) + `">` + u.Format("2 Jan 2006 15:04") + ` UTC</time>`)
}

// isoUTC formats t as RFC 3339 in UTC ("" for the zero time).
func isoUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// prefixed is the data of a shared form partial: its fields' ids start
// with Prefix, so one page can hold several copies of the form.
type prefixed struct {
	Prefix string
	Form   any
}

// fieldsFor pairs a form's values with the id prefix of its fields.
func fieldsFor(prefix string, form any) prefixed { return prefixed{Prefix: prefix, Form: form} }

// field is the data of the "field" partial: one labelled input (Type
// "text", "url", "email", "password", ...) or "textarea", with its value,
// its error message and a hint. The input's id is its name with dots
// turned into dashes.
type field struct {
	Type, Name, Label, Value, Error, Hint string
}

// fieldID turns a field name of the API's shape ("bands[2].maxHours")
// into an element id ("bands-2-maxHours").
func fieldID(name string) string { return fieldIDs.Replace(name) }

var fieldIDs = strings.NewReplacer("[", "-", "]", "", ".", "-")

// ID is the field's element id.
func (f field) ID() string { return strings.ReplaceAll(f.Name, ".", "-") }

// formVersion reads the form's "version" field, the version of the
// record the page was rendered from; ok is false when it is missing or
// not a number.
func formVersion(c *fiber.Ctx) (version int, ok bool) {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("version")))
	return n, err == nil
}

// moveAdjacent swaps s[i] with its neighbour above (down false) or below
// (down true); out-of-range moves leave s as it is.
func moveAdjacent[T any](s []T, i int, down bool) {
	j := i - 1
	if down {
		j = i + 1
	}
	if i >= 0 && j >= 0 && j < len(s) {
		s[i], s[j] = s[j], s[i]
	}
}

// newField builds a field; hint is optional.
func newField(typ, name, label, value, err string, hint ...string) field {
	return field{Type: typ, Name: name, Label: label, Value: value, Error: err, Hint: strings.Join(hint, " ")}
}

// setFlash leaves msg for the next page the browser loads.
func (a *Admin) setFlash(c *fiber.Ctx, msg string) {
	c.Cookie(&fiber.Cookie{
		Name: flashCookie, Value: url.QueryEscape(msg), Path: panelPrefix,
		MaxAge: 60, HTTPOnly: true, Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode,
	})
}

// clearCookie tells the browser to drop the named panel cookie.
func (a *Admin) clearCookie(c *fiber.Ctx, name string) { a.clearCookieAt(c, name, panelPrefix) }

// isHTMX reports whether htmx sent the request (it swaps the answer into
// the page rather than loading it).
func isHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }

// redirect answers a form POST (or a page that moved) with 303 See Other
// to the local path to; htmx requests get HX-Redirect instead, so htmx
// loads the page rather than swapping it into the current one.
func redirect(c *fiber.Ctx, to string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusOK)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// flashRedirect sets a flash message and redirects.
func (a *Admin) flashRedirect(c *fiber.Ctx, to, msg string) error {
	a.setFlash(c, msg)
	return redirect(c, to)
}

// localNext returns next if it is a path inside the panel that is safe to
// redirect to after logging in, else the dashboard.
func localNext(next string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, panelPrefix) ||
		strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, loginPath) || strings.HasPrefix(next, setupPath) {
		return panelPrefix
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(next, "//") ||
		(u.Path != panelPrefix && !strings.HasPrefix(u.Path, panelPrefix+"/")) || strings.Contains(u.Path, "/..") {
		return panelPrefix
	}
	return next
}
