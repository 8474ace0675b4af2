package admin

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// Cross-site request refusal. A browser tells where a request comes from:
// Sec-Fetch-Site (every current browser) and Origin (every browser on a
// cross-site POST). A state-changing request that rides on the session
// cookie, or that logs in, is refused with 403 before anything is read or
// written when either header says it comes from another site. This is the
// rule of Go's net/http CrossOriginProtection:
//
//   - Sec-Fetch-Site "same-origin" or "none" (typed by the user) passes;
//     "same-site" and "cross-site" are refused: a sibling subdomain is
//     another site for the panel;
//   - without Sec-Fetch-Site, an Origin passes only when its host is the
//     host the request was sent to (Fiber's Hostname, which honours
//     X-Forwarded-Host from trusted proxies) or the origin of the
//     configured public URL; "Origin: null" is refused;
//   - with neither header (curl, scripts, old browsers) the request passes
//     on to the CSRF token check, which such a request must still pass:
//     a browser that sends neither header on a cross-site POST does not
//     exist, and a client that is not a browser cannot be forged into
//     sending someone's cookie.
//
// Requests authenticated with a bearer token carry no ambient credential,
// so they are not checked.

// crossSite reports whether the browser says c comes from another site.
func (a *Admin) crossSite(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "":
	case "same-origin", "none":
		return false
	default:
		return true
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return false
	}
	if a.publicOrigin != "" && strings.EqualFold(origin, a.publicOrigin) {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || !strings.EqualFold(u.Host, c.Hostname())
}

// errCrossSite is the refusal of a cross-site request.
func errCrossSite() error {
	return cms.Errorf(cms.KindForbidden, opAuth, "This request came from another site, so nothing was changed. Use the Lullaby panel itself.")
}

// sameOrigin refuses an unsafe request that a browser says comes from
// another site (crossSite); it guards the panel's forms, with a session or
// without (set-up, login).
func (a *Admin) sameOrigin(c *fiber.Ctx) error {
	if !safeMethod(c.Method()) && a.crossSite(c) {
		return errCrossSite()
	}
	return c.Next()
}

// originOf returns the scheme://host[:port] of an absolute http(s) URL,
// or "" when raw is not one.
func originOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
