package public

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/problem"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// The WordPress REST API dialect (docs/wordpress-api.md): read-only, from
// the snapshot, with the ETags, Cache-Control, compression and CORS of our
// own API, X-WP-Total / X-WP-TotalPages and paging links on collections,
// the discovery Link header, and errors in WordPress's shape:
//
//	{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page",
//	 "data":{"status":400,"params":{"per_page":"…"}}}

// WPRoutes registers the dialect on app: /wp-json/ and its wp/v2 routes,
// and the site root (GET and HEAD /), which WordPress clients fetch to
// discover the API from its Link header, and which answers the
// ?rest_route= form of the dialect's paths.
func (a *API) WPRoutes(app fiber.Router) {
	app.Get("/", a.wpMiddleware, a.handleWPSiteRoot)
	r := app.Group("/wp-json", a.wpMiddleware)
	// The index needs no content key: clients read it to discover the
	// API before any request they could add a key to, and it tells only
	// the site's name and the routes.
	r.Get("/", a.handleWPRoot)
	r.Use(a.contentKey)
	r.Get("/wp/v2", a.handleWPRoot)
	for _, rt := range []struct {
		name string
		res  readmodel.WPResource
		list bool
	}{{"posts", readmodel.WPPosts, true}, {"categories", readmodel.WPCategories, true}, {"tags", readmodel.WPTags, true},
		{"users", readmodel.WPUsers, true}, {"media", readmodel.WPMedia, false}} {
		if rt.list {
			r.Get("/wp/v2/"+rt.name, a.wpList(rt.res))
		}
		r.Get("/wp/v2/"+rt.name+"/:id", a.wpRead(rt.res))
	}
	r.Use(func(*fiber.Ctx) error { return errWPNoRoute })
}

var errWPNoRoute = &wpError{status: http.StatusNotFound, code: "rest_no_route", message: "No route was found matching the URL and request method."}

// wpError is an error with WordPress's code and message.
type wpError struct {
	status        int
	code, message string
}

func (e *wpError) Error() string { return e.message }

// wpNotFound are the codes and messages of WordPress for a missing item.
var wpNotFound = map[readmodel.WPResource]*wpError{
	readmodel.WPPosts:      {http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID."},
	readmodel.WPMedia:      {http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID."},
	readmodel.WPCategories: {http.StatusNotFound, "rest_term_invalid", "Term does not exist."},
	readmodel.WPTags:       {http.StatusNotFound, "rest_term_invalid", "Term does not exist."},
	readmodel.WPUsers:      {http.StatusNotFound, "rest_user_invalid_id", "Invalid user ID."},
}

const wpExposed = "ETag, X-Request-ID, Link, X-WP-Total, X-WP-TotalPages"

// wpMiddleware is the dialect's one middleware: CORS, the discovery Link
// header, the handler, and any error in WordPress's shape.
func (a *API) wpMiddleware(c *fiber.Ctx) error {
	c.Set(fiber.HeaderLink, "<"+a.content.Snapshot().WPAPIURL()+`>; rel="https://api.w.org/"`)
	err := a.cors(c)
	if c.GetRespHeader(fiber.HeaderAccessControlAllowOrigin) != "" {
		c.Set(fiber.HeaderAccessControlExposeHeaders, wpExposed)
	}
	if err != nil {
		return a.wpProblem(c, err)
	}
	return nil
}

// HandleWPError answers err in WordPress's shape, for errors that reach
// the app's error handler on a path of the dialect.
func (a *API) HandleWPError(c *fiber.Ctx, err error) error {
	a.allowErrorRead(c)
	return a.wpProblem(c, err)
}

// wpProblem writes err as WordPress's error body with the status our own
// API would give it.
func (a *API) wpProblem(c *fiber.Ctx, err error) error {
	var we *wpError
	p := problemOf(err)
	if errors.As(err, &we) {
		p = problem.FromStatus(we.status, we.message)
	}
	type data struct {
		Status int               `json:"status"`
		Params map[string]string `json:"params,omitempty"`
	}
	out := struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Data    data   `json:"data"`
	}{Code: "rest_error", Message: p.Detail, Data: data{Status: p.Status}}
	var ce *cms.Error
	switch {
	case we != nil:
		out.Code, out.Message = we.code, we.message
	case p.Status == http.StatusBadRequest && errors.As(err, &ce) && len(ce.Fields) > 0:
		names := make([]string, 0, len(ce.Fields))
		for k := range ce.Fields {
			names = append(names, k)
		}
		slices.Sort(names)
		out.Code, out.Message = "rest_invalid_param", "Invalid parameter(s): "+strings.Join(names, ", ")
		out.Data.Params = ce.Fields
	case p.Status == http.StatusNotFound:
		out.Code, out.Message = errWPNoRoute.code, errWPNoRoute.message
	case p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden:
		out.Code = "rest_forbidden"
	case p.Status == http.StatusTooManyRequests:
		out.Code = "rest_too_many_requests"
	case p.Status >= 500:
		out.Code = "rest_internal_error"
	}
	body, _ := json.Marshal(out) // strings and a map of strings: never fails
	return a.sendError(c, err, p, "WordPress API", body, fiber.MIMEApplicationJSONCharsetUTF8)
}

// handleWPSiteRoot answers the site root: the ?rest_route= form of a
// dialect path, else the discovery index (a headless CMS has no home page
// of its own; WordPress clients read the Link header of this answer).
func (a *API) handleWPSiteRoot(c *fiber.Ctx) error {
	if route := c.Query("rest_route"); route != "" {
		if !strings.HasPrefix(route, "/") || strings.Contains(route, "..") || len(route) > 200 {
			return errWPNoRoute
		}
		c.Path("/wp-json" + strings.Clone(route))
		return c.RestartRouting()
	}
	return a.handleWPRoot(c)
}

func (a *API) handleWPRoot(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().WPRoot())
}

func (a *API) wpList(res readmodel.WPResource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := a.content.Snapshot()
		raw := c.Request().URI().QueryString()
		r := snap.WPCached(res, "", raw)
		if r == nil {
			var err error
			if r, err = snap.WPList(res, raw, wpParams(c)); err != nil {
				return err
			}
		}
		c.Set("X-WP-Total", strconv.Itoa(r.Total))
		c.Set("X-WP-TotalPages", strconv.Itoa(r.Pages))
		a.wpPagingLinks(c, snap, raw, r.Pages)
		return a.send(c, r.Body)
	}
}

// wpPagingLinks adds rel="prev" and rel="next" to the Link header, as
// WordPress does on collections.
func (a *API) wpPagingLinks(c *fiber.Ctx, snap *readmodel.Snapshot, raw []byte, pages int) {
	q, err := url.ParseQuery(string(raw))
	if err != nil {
		return
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	link := c.GetRespHeader(fiber.HeaderLink)
	base := strings.TrimSuffix(snap.WPAPIURL(), "/") + strings.TrimPrefix(c.Path(), "/wp-json")
	add := func(n int, rel string) {
		q.Set("page", strconv.Itoa(n))
		link += ", <" + base + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	if page > 1 {
		add(min(page-1, max(pages, 1)), "prev")
	}
	if page < pages {
		add(page+1, "next")
	}
	c.Set(fiber.HeaderLink, link)
}

func (a *API) wpRead(res readmodel.WPResource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("id")
		if res == readmodel.WPPosts && isPreview(c) {
			return a.wpPreview(c, id)
		}
		if len(id) > 20 {
			return wpNotFound[res]
		}
		snap := a.content.Snapshot()
		raw := c.Request().URI().QueryString()
		r := snap.WPCached(res, id, raw)
		if r == nil {
			var err error
			if r, err = snap.WPRead(res, id, raw, wpParams(c)); err != nil {
				if cms.IsKind(err, cms.KindNotFound) {
					return wpNotFound[res]
				}
				return err
			}
		}
		return a.send(c, r.Body)
	}
}

// wpParams reads the query parameters the dialect answers.
func wpParams(c *fiber.Ctx) readmodel.WPParams {
	return readmodel.WPParams{Page: c.Query("page"), PerPage: c.Query("per_page"), Categories: wpListParam(c, "categories"),
		Tags: wpListParam(c, "tags"), Slug: wpListParam(c, "slug"), Search: c.Query("search"), Sticky: c.Query("sticky"),
		Orderby: c.Query("orderby"), Order: c.Query("order"), Fields: c.Query("_fields"), Include: wpListParam(c, "include"),
		Post: c.Query("post"), HideEmpty: c.Query("hide_empty"), Context: c.Query("context"),
		Embed: c.Request().URI().QueryArgs().Has("_embed")}
}

// wpListParam is a list parameter in either of WordPress's forms, "a,b"
// or "name[]=a&name[]=b" (wpapi's), joined with commas.
func wpListParam(c *fiber.Ctx, name string) string {
	out := c.Query(name)
	for _, v := range c.Request().URI().QueryArgs().PeekMulti(name + "[]") {
		if out != "" {
			out += ","
		}
		out += string(v)
	}
	return out
}
