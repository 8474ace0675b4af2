package public

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// cors answers preflight requests and marks responses readable by the
// allowed origins. The public API takes no credentials, so allowing an
// origin only lets its pages read published content.
func (a *API) cors(c *fiber.Ctx) error {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return c.Next()
	}
	allowed := a.allowOrigin(origin)
	if c.Method() == fiber.MethodOptions {
		if allowed == "" && a.content.Snapshot().ContentKeyOrigin(origin) {
			// An origin of a content key: the preflight carries no key, and
			// the response itself is readable only with one (contentkey.go).
			allowed = origin
		}
		if allowed == "" {
			return c.SendStatus(fiber.StatusNoContent)
		}
		c.Set(fiber.HeaderAccessControlAllowOrigin, allowed)
		c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, POST, OPTIONS")
		c.Set(fiber.HeaderAccessControlAllowHeaders, "Content-Type, If-None-Match, Accept-Version, "+HeaderContentKey)
		c.Set(fiber.HeaderAccessControlMaxAge, "86400")
		c.Set(fiber.HeaderVary, "Origin")
		return c.SendStatus(fiber.StatusNoContent)
	}
	allowRead(c, allowed)
	return c.Next()
}

// allowRead lets the origin allowed ("" for none) read the response.
func allowRead(c *fiber.Ctx, allowed string) {
	if allowed != "" {
		c.Set(fiber.HeaderAccessControlAllowOrigin, allowed)
		c.Set(fiber.HeaderAccessControlExposeHeaders, "ETag, X-Request-ID, "+headerView)
	}
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin, or
// "" when it is not allowed.
func (a *API) allowOrigin(origin string) string {
	if a.anyOrigin {
		return "*"
	}
	extra := a.content.Snapshot().CORSOrigins()
	if len(a.origins) == 0 && len(extra) == 0 {
		return "*"
	}
	o := strings.ToLower(strings.TrimRight(origin, "/"))
	if a.origins[o] || extra[o] {
		return origin
	}
	return ""
}
