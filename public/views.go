package public

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/clientip"
)

// ViewRecorder counts reads of published posts and says what became of
// each; cms.ViewCounter is one. It must not keep ip or userAgent.
type ViewRecorder interface {
	Count(ctx context.Context, postID, ip, userAgent string) cms.ViewOutcome
}

// maxBeaconBody is the largest beacon body accepted; beacons carry
// nothing the server reads.
const maxBeaconBody = 1024

var valueNoStore = []byte("no-store")

// headerView tells a frontend developer that a beacon was not counted
// because its client looks like a bot (see cms.IsBot): scripts, crawlers,
// link previewers and headless browsers. Repeats and floods are not
// marked: which readers were counted today is not told.
const (
	headerView     = "Lullaby-View"
	viewIgnoredBot = "ignored; reason=bot"
)

// handleView is the read beacon: 204 for a published post whether or not
// the read counted (a bot's beacon carries Lullaby-View: ignored;
// reason=bot; repeats and floods are dropped silently), 404 for an
// unknown slug. It never writes to the database.
func (a *API) handleView(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.View", "No published post has this slug.")
	}
	if len(c.Request().Body()) > maxBeaconBody {
		return &cms.Error{Kind: cms.KindTooLarge, Op: "public.View", Message: "A beacon carries at most 1 KiB.",
			Fields: map[string]string{"body": "At most 1024 bytes."}}
	}
	id, ok := a.content.Snapshot().PostID(slug)
	if !ok {
		return cms.Errorf(cms.KindNotFound, "public.View", "No published post has this slug.")
	}
	ua := c.Get(fiber.HeaderUserAgent)
	if a.views != nil && a.views.Count(c.UserContext(), id, a.clientIP(c), ua) == cms.ViewBot ||
		a.views == nil && cms.IsBot(ua) {
		c.Set(headerView, viewIgnoredBot)
	}
	c.Response().Header.SetCanonical(headerCacheControl, valueNoStore)
	return c.SendStatus(fiber.StatusNoContent)
}

// clientIP is the reader's address: the peer's, or, behind a trusted
// proxy, the rightmost address of the proxy header that is not a trusted
// proxy (clientip.Resolver; c.IP() would return addresses any client can
// forge, letting one client pose as many readers).
func (a *API) clientIP(c *fiber.Ctx) string {
	r := a.proxies(c.App())
	if r.Header() == "" {
		return c.Context().RemoteIP().String()
	}
	return r.Client(c.Context().RemoteIP(), c.Get(r.Header()))
}

// proxies returns the trusted proxies of app (the one the API is mounted
// on), parsed on first use.
func (a *API) proxies(app *fiber.App) *clientip.Resolver {
	if r := a.proxyMatcher.Load(); r != nil {
		return r
	}
	cfg := app.Config()
	a.proxyMatcher.CompareAndSwap(nil, clientip.New(cfg.ProxyHeader, cfg.EnableTrustedProxyCheck, cfg.TrustedProxies))
	return a.proxyMatcher.Load()
}
