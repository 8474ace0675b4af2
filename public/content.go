package public

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

// maxSlugParam is the longest path parameter worth looking up.
const maxSlugParam = 200

func (a *API) handleSite(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().Site())
}

func (a *API) handleOpenAPI(c *fiber.Ctx) error {
	return a.send(c, a.openapi)
}

func (a *API) handlePostList(c *fiber.Ctx) error {
	snap := a.content.Snapshot()
	raw := c.Request().URI().QueryString()
	if b := snap.PostsForQuery(raw); b != nil {
		return a.send(c, b)
	}
	q, err := cms.ParsePostQuery(c.Query("page"), c.Query("limit"), c.Query("category"), c.Query("tag"), c.Query("sort"))
	if err != nil {
		return err
	}
	// The snapshot may keep the query in its page cache: copy the strings
	// out of fasthttp's reused buffers.
	q.Category, q.Tag = strings.Clone(q.Category), strings.Clone(q.Tag)
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
		c.Set(fiber.HeaderCacheControl, a.cacheControl)
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
	q, err := cms.ParsePostQuery(c.Query("page"), c.Query("limit"), "", "", c.Query("sort"))
	if err != nil {
		return err
	}
	body, err := a.content.Snapshot().Category(strings.Clone(slug), q)
	if err != nil {
		return err
	}
	return a.send(c, body)
}

// send writes a ready-made body: 304 when the client's ETag matches, else
// the bytes in the best encoding the client accepts, made at most once.
func (a *API) send(c *fiber.Ctx, b *cms.Body) error {
	h := &c.Response().Header
	h.SetCanonical(headerETag, b.ETagBytes())
	h.SetCanonical(headerCacheControl, a.cacheControlBytes)
	h.SetCanonical(headerVary, valueVary)
	req := &c.Request().Header
	if inm := req.PeekBytes(headerIfNoneMatch); len(inm) > 0 && etagMatches(inm, b.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	h.SetContentTypeBytes(valueJSON)
	if c.Method() == fiber.MethodHead {
		h.SetContentLength(len(b.JSON))
		return nil
	}
	if ae := req.PeekBytes(headerAcceptEncoding); len(ae) > 0 {
		if acceptsEncoding(ae, "br") {
			if z := b.Brotli(); z != nil {
				h.SetCanonical(headerContentEncoding, valueBrotli)
				return c.Send(z)
			}
		}
		if acceptsEncoding(ae, "gzip") {
			if z := b.Gzip(); z != nil {
				h.SetCanonical(headerContentEncoding, valueGzip)
				return c.Send(z)
			}
		}
	}
	return c.Send(b.JSON)
}

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
// with or without W/, or "*".
func etagMatches(header []byte, etag string) bool {
	for _, part := range strings.Split(string(header), ",") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "W/")
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header lists enc
// with a non-zero quality.
func acceptsEncoding(header []byte, enc string) bool {
	for _, part := range strings.Split(string(header), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return false
}
