package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// maxSlugParam is the longest path parameter worth looking up.
const maxSlugParam = 200

func (a *API) handleSite(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().Site())
}

func (a *API) handleOpenAPI(c *fiber.Ctx) error {
	return a.send(c, a.openapi)
}

// handlePostList serves GET /posts, sort=popular and its window included;
// a query string seen before is answered without being parsed.
func (a *API) handlePostList(c *fiber.Ctx) error {
	snap := a.content.Snapshot()
	raw := c.Request().URI().QueryString()
	if b := snap.PostsForQuery(raw); b != nil {
		return a.send(c, b)
	}
	q, err := readmodel.ParsePostQuery(c.Query("page"), c.Query("limit"), c.Query("category"), c.Query("tag"), c.Query("sort"))
	if err != nil {
		return err
	}
	// Checked with any sort; applied only to sort=popular.
	if err := q.SetWindow(c.Query("window")); err != nil {
		return err
	}
	if err := q.SetView(c.Query("view"), c.Query("fields")); err != nil {
		return err
	}
	b := snap.Posts(q)
	snap.RememberPostsForQuery(raw, b)
	return a.send(c, b)
}

func (a *API) handlePost(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.Post", "No published post has this slug.")
	}
	if isPreview(c) {
		return a.previewPost(c, slug)
	}
	body, moved, err := a.content.Snapshot().Post(slug)
	if err != nil {
		return err
	}
	if moved != "" {
		// The query string goes along (a frontend's ?preview or
		// tracking parameters), and the answer is cached like the
		// content it stands for.
		to := "/api/v1/posts/" + moved
		if q := c.Request().URI().QueryString(); len(q) > 0 {
			to += "?" + string(q)
		}
		c.Response().Header.SetCanonical(headerCacheControl, a.cacheControl)
		c.Response().Header.SetCanonical(headerVary, valueVary)
		return c.Redirect(to, fiber.StatusMovedPermanently)
	}
	return a.send(c, body)
}

// handleRedirects serves GET /redirects: every old address of every
// published post, or, with ?path=, where one old URL path goes.
func (a *API) handleRedirects(c *fiber.Ctx) error {
	snap := a.content.Snapshot()
	if !c.Request().URI().QueryArgs().Has("path") {
		return a.send(c, snap.Redirects())
	}
	b, err := snap.RedirectForPath(c.Query("path"))
	if err != nil {
		return err
	}
	return a.send(c, b)
}

func (a *API) handleCategoryList(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().Categories())
}

func (a *API) handleCategory(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.Category", "No category has this slug.")
	}
	q, err := readmodel.ParsePostQuery(c.Query("page"), c.Query("limit"), "", "", c.Query("sort"))
	if err != nil {
		return err
	}
	if err := q.SetView(c.Query("view"), c.Query("fields")); err != nil {
		return err
	}
	body, err := a.content.Snapshot().Category(slug, q)
	if err != nil {
		return err
	}
	return a.send(c, body)
}

func (a *API) handleCitation(c *fiber.Ctx) error {
	key := c.Params("key")
	if len(key) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.Citation", "No reference has this key.")
	}
	body, err := a.content.Snapshot().Citation(key)
	if err != nil {
		return err
	}
	return a.send(c, body)
}
