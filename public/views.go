package public

import (
	"context"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

// ViewRecorder counts reads of published posts; cms.ViewCounter is one.
// It must not keep ip or userAgent, which point into a reused request
// buffer.
type ViewRecorder interface {
	Record(ctx context.Context, postID, ip, userAgent string) bool
}

// maxBeaconBody is the largest beacon body accepted; beacons carry
// nothing the server reads.
const maxBeaconBody = 1024

var valueNoStore = []byte("no-store")

// handleView is the read beacon: 204 for a published post whether or not
// the read counted (bots, repeats and floods are dropped silently), 404
// for an unknown slug. It never writes to the database.
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
	if a.views != nil {
		a.views.Record(c.UserContext(), id, a.clientIP(c), c.Get(fiber.HeaderUserAgent))
	}
	c.Response().Header.SetCanonical(headerCacheControl, valueNoStore)
	return c.SendStatus(fiber.StatusNoContent)
}

// clientIP is the reader's address: the peer's, or, when the peer is a
// trusted proxy, the rightmost address of the proxy header that is not a
// trusted proxy. Fiber's c.IP() returns the whole header, whose leftmost
// entries any client can forge: counting by them would let one client
// pose as many readers.
func (a *API) clientIP(c *fiber.Ctx) string {
	remote := c.Context().RemoteIP()
	m := a.proxies(c.App())
	if m.header == "" {
		return remote.String()
	}
	if addr, ok := netip.AddrFromSlice(remote); !ok || !m.trusted(addr.Unmap()) {
		return remote.String()
	}
	xff := c.Get(m.header)
	for xff != "" {
		part := xff
		if i := strings.LastIndexByte(xff, ','); i >= 0 {
			part, xff = xff[i+1:], xff[:i]
		} else {
			xff = ""
		}
		part = strings.TrimSpace(part)
		addr, err := netip.ParseAddr(part)
		if err != nil || !m.trusted(addr.Unmap()) {
			return part
		}
	}
	return remote.String()
}

// proxyMatcher holds an app's trusted proxies, parsed once.
type proxyMatcher struct {
	header   string // "" when no proxy header is believed
	all      bool   // the header is believed from any peer
	prefixes []netip.Prefix
}

// proxies returns the trusted proxies of app (the one the API is mounted
// on), parsed on first use.
func (a *API) proxies(app *fiber.App) *proxyMatcher {
	if m := a.proxyMatcher.Load(); m != nil {
		return m
	}
	cfg := app.Config()
	m := &proxyMatcher{header: cfg.ProxyHeader, all: !cfg.EnableTrustedProxyCheck}
	for _, p := range cfg.TrustedProxies {
		if pre, err := netip.ParsePrefix(p); err == nil {
			m.prefixes = append(m.prefixes, pre.Masked())
		} else if addr, err := netip.ParseAddr(p); err == nil {
			m.prefixes = append(m.prefixes, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
		}
	}
	a.proxyMatcher.CompareAndSwap(nil, m)
	return a.proxyMatcher.Load()
}

func (m *proxyMatcher) trusted(addr netip.Addr) bool {
	if m.all {
		return true
	}
	for _, p := range m.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
