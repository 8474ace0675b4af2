package admin

import (
	_ "embed"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms/readmodel"
)

// openAPIDocument describes the admin JSON API (OpenAPI 3.1). It is served
// at /admin/api/v1/openapi.json without a session (it holds no data),
// every response of the admin tests is checked against it, and a test of
// the composed app fails when a route under /admin/api/v1 has no
// operation in it or an operation no route.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPIBody is the document with its strong ETag and gzip encoding.
var openAPIBody = readmodel.NewBody(openAPIDocument)

// handleOpenAPI serves the document: revalidated by its ETag on every use
// (it changes with the binary), 304 for a matching If-None-Match.
func (a *Admin) handleOpenAPI(c *fiber.Ctx) error {
	body, etag, gzipped := openAPIBody.JSON, openAPIBody.ETag, false
	if gz := openAPIBody.Gzip(); gz != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		body, etag, gzipped = gz, string(openAPIBody.GzipETag()), true
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "no-cache")
	h.Set(fiber.HeaderETag, etag)
	h.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if etagListed(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	h.SetContentType(fiber.MIMEApplicationJSONCharsetUTF8)
	if gzipped {
		h.Set(fiber.HeaderContentEncoding, "gzip")
	}
	return c.Send(body)
}

// etagListed reports whether an If-None-Match header lists etag (weakly
// compared, as RFC 9110 asks for If-None-Match) or is "*".
func etagListed(header, etag string) bool {
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}
