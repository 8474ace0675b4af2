package public

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Sending a ready-made body (readmodel.Body): its ETag, a 304 when the
// client has it, Cache-Control and Vary, and the best encoding the client
// accepts, with no allocation on the way.

// send writes a ready-made JSON body: 304 when the client's ETag matches,
// else the bytes in the best encoding the client accepts, made at most
// once.
func (a *API) send(c *fiber.Ctx, b *readmodel.Body) error { return a.sendType(c, b, valueJSON) }

// sendType is send for bodies that are not JSON: the same ETag, 304 and
// compression, with contentType. The encoding is chosen first, so that
// the ETag is that of what is sent (each encoding has its own) and a HEAD
// answers exactly the headers of its GET (fasthttp sends the length of
// the body it does not send).
func (a *API) sendType(c *fiber.Ctx, b *readmodel.Body, contentType []byte) error {
	h := &c.Response().Header
	req := &c.Request().Header
	parts, etag, enc := chooseEncoding(c, b)
	h.SetCanonical(headerETag, etag)
	h.SetCanonical(headerCacheControl, a.cacheControl)
	h.SetCanonical(headerVary, valueVary)
	if inm := req.PeekBytes(headerIfNoneMatch); len(inm) > 0 && readmodel.ETagMatches(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	h.SetContentTypeBytes(contentType)
	if enc != nil {
		h.SetCanonical(headerContentEncoding, enc)
	}
	readmodel.WriteBody(c.Response(), parts)
	return nil
}

// chooseEncoding returns the best encoding of b the client accepts: the
// bytes as parts (readmodel.WriteBody), their ETag and the
// Content-Encoding (nil for none).
func chooseEncoding(c *fiber.Ctx, b *readmodel.Body) (parts [][]byte, etag, enc []byte) {
	return b.Encoding(c.Request().Header.PeekBytes(headerAcceptEncoding))
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
)
