package public

import (
	"bytes"
	"strconv"

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
	b := snap.Posts(q)
	snap.RememberPostsForQuery(raw, b)
	return a.send(c, b)
}

func (a *API) handlePost(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.Post", "No published post has this slug.")
	}
	body, moved, err := a.content.Snapshot().Post(slug)
	if err != nil {
		return err
	}
	if moved != "" {
		c.Response().Header.SetCanonical(headerCacheControl, a.cacheControl)
		return c.Redirect("/api/v1/posts/"+moved, fiber.StatusMovedPermanently)
	}
	return a.send(c, body)
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

// send writes a ready-made JSON body: 304 when the client's ETag matches,
// else the bytes in the best encoding the client accepts, made at most
// once.
func (a *API) send(c *fiber.Ctx, b *readmodel.Body) error { return a.sendType(c, b, valueJSON) }

// Header names and values, canonical and ready, so that sending a body
// does no header normalisation or allocation.
var (
	headerETag            = []byte(fiber.HeaderETag)
	headerCacheControl    = []byte(fiber.HeaderCacheControl)
	headerVary            = []byte(fiber.HeaderVary)
	headerIfNoneMatch     = []byte(fiber.HeaderIfNoneMatch)
	headerAcceptEncoding  = []byte(fiber.HeaderAcceptEncoding)
	headerContentEncoding = []byte(fiber.HeaderContentEncoding)
	valueVary             = []byte("Accept-Encoding, Origin")
	valueJSON             = []byte(fiber.MIMEApplicationJSONCharsetUTF8)
	valueBrotli           = []byte("br")
	valueGzip             = []byte("gzip")
)

// etagMatches implements If-None-Match's weak comparison: any listed tag,
// with or without W/, or "*". It does not allocate.
func etagMatches(header, etag []byte) bool {
	for len(header) > 0 {
		var part []byte
		part, header, _ = bytes.Cut(header, comma)
		part = bytes.TrimPrefix(bytes.TrimSpace(part), weakPrefix)
		if bytes.Equal(part, etag) || string(part) == "*" {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header lists enc
// with a non-zero quality. It allocates only to read an explicit quality.
func acceptsEncoding(header []byte, enc string) bool {
	for len(header) > 0 {
		var part []byte
		part, header, _ = bytes.Cut(header, comma)
		name, params, _ := bytes.Cut(bytes.TrimSpace(part), semicolon)
		if !bytes.EqualFold(bytes.TrimSpace(name), []byte(enc)) {
			continue
		}
		k, v, ok := bytes.Cut(bytes.TrimSpace(params), equals)
		if !ok || string(bytes.TrimSpace(k)) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
		return err == nil && q > 0
	}
	return false
}

var (
	comma      = []byte(",")
	semicolon  = []byte(";")
	equals     = []byte("=")
	weakPrefix = []byte("W/")
)
