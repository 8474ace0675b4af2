package admin

import (
	_ "embed"

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
// (it changes with the binary), 304 for a matching If-None-Match, in the
// best encoding the client accepts (each with its own ETag, chosen first
// so that a HEAD answers the headers of its GET).
func (a *Admin) handleOpenAPI(c *fiber.Ctx) error {
	h := &c.Response().Header
	parts, etag, enc := openAPIBody.Encoding(c.Request().Header.Peek(fiber.HeaderAcceptEncoding))
	h.Set(fiber.HeaderCacheControl, "no-cache")
	h.SetBytesV(fiber.HeaderETag, etag)
	h.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if readmodel.ETagMatches(c.Request().Header.Peek(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	h.SetContentType(fiber.MIMEApplicationJSONCharsetUTF8)
	if enc != nil {
		h.SetBytesV(fiber.HeaderContentEncoding, enc)
	}
	readmodel.WriteBody(c.Response(), parts)
	return nil
}
