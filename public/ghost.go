package public

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms/readmodel"
)

// The Ghost Content API dialect (docs/ghost-api.md): read-only, from the
// snapshot, with the ETags, Cache-Control, compression and CORS of our own
// API, and errors in Ghost's shape (ghost_errors.go). A repeated request
// is answered from a body the snapshot keeps for its query string.

// GhostRoutes registers the Ghost Content API on r, a group such as
// "/ghost/api/content" (the official client's path; older clients add
// a version, "/ghost/api/v4/content").
func (a *API) GhostRoutes(r fiber.Router) {
	r.Use(a.ghostMiddleware, a.contentKey)

	for _, res := range []readmodel.GhostResource{readmodel.GhostPosts, readmodel.GhostPages, readmodel.GhostTags, readmodel.GhostAuthors} {
		name := "/" + res.Name()
		r.Get(name, a.ghostBrowse(res))
		r.Get(name+"/slug/:slug", a.ghostRead(res, true))
		r.Get(name+"/:id", a.ghostRead(res, false))
	}
	r.Get("/settings", a.handleGhostSettings)

	r.Use(a.handleNotFound)
}

var (
	headerContentVersion = []byte("Content-Version")
	valueContentVersion  = []byte("v" + readmodel.GhostVersion)
)

// sendGhost is send with Ghost's Content-Version header.
func (a *API) sendGhost(c *fiber.Ctx, b *readmodel.Body) error {
	c.Response().Header.SetCanonical(headerContentVersion, valueContentVersion)
	return a.send(c, b)
}

func (a *API) ghostBrowse(res readmodel.GhostResource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := a.content.Snapshot()
		raw := c.Request().URI().QueryString()
		if b := snap.GhostCachedList(res, raw); b != nil {
			return a.sendGhost(c, b)
		}
		b, err := snap.GhostList(res, raw, ghostParams(c))
		if err != nil {
			return &ghostAction{err, "list " + res.Name()}
		}
		return a.sendGhost(c, b)
	}
}

func (a *API) ghostRead(res readmodel.GhostResource, bySlug bool) fiber.Handler {
	param := "id"
	if bySlug {
		param = "slug"
	}
	action := "read " + strings.TrimSuffix(res.Name(), "s")
	return func(c *fiber.Ctx) error {
		key := c.Params(param)
		if len(key) > maxSlugParam {
			return &ghostAction{res.NotFound(), action}
		}
		if (res == readmodel.GhostPosts || res == readmodel.GhostPages) && isPreview(c) {
			return a.ghostPreview(c, res, bySlug, key)
		}
		snap := a.content.Snapshot()
		raw := c.Request().URI().QueryString()
		if b := snap.GhostCachedRead(res, bySlug, key, raw); b != nil {
			return a.sendGhost(c, b)
		}
		b, err := snap.GhostRead(res, bySlug, key, raw, ghostParams(c))
		if err != nil {
			return &ghostAction{err, action}
		}
		return a.sendGhost(c, b)
	}
}

func (a *API) handleGhostSettings(c *fiber.Ctx) error {
	return a.sendGhost(c, a.content.Snapshot().GhostSettings())
}

// ghostParams reads the query parameters the dialect answers; others
// (key, absolute_urls, a cache buster) are ignored, as Ghost does.
func ghostParams(c *fiber.Ctx) readmodel.GhostParams {
	return readmodel.GhostParams{Limit: c.Query("limit"), Page: c.Query("page"), Order: c.Query("order"), Fields: c.Query("fields"),
		Formats: c.Query("formats"), Include: c.Query("include"), Filter: c.Query("filter")}
}
