package main

import (
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/public"
)

// newApp builds the one fiber app and registers each surface on its group.
func newApp(cfg *config, log *slog.Logger, adm *admin.Admin, pub *public.API, live, ready fiber.Handler) *fiber.App {
	app := fiber.New(appConfig(cfg, errorHandler(adm, pub)))
	app.Server().HeaderReceived = largeRequests(adm)
	return registerSurfaces(app, log, adm, pub, live, ready)
}

// largeRequests lets the few requests that need it past the app's body
// limit and timeouts, decided from the request line before the body is
// read (admin.LargeRequest): the upload of a WordPress export and the
// export download. Every other request keeps the app's limits.
func largeRequests(adm *admin.Admin) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		maxBody, read, write, ok := adm.LargeRequest(h.Method(), h.RequestURI())
		if !ok {
			return fasthttp.RequestConfig{}
		}
		return fasthttp.RequestConfig{MaxRequestBodySize: maxBody, ReadTimeout: read, WriteTimeout: write}
	}
}

// appConfig is the configuration of the one fiber app.
//
// Immutable: every string Fiber hands out (Params, Query, Get, FormValue,
// Cookies, Path, IP behind a proxy...) is a copy that stays valid after
// the handler returns. Without it those strings point into fasthttp's
// reused request buffers, and a string kept in a map, a cache, a limiter,
// a goroutine or an error silently changes when the next request reuses
// the buffer (quiz results were once counted under keys such as
// "izzes/na:2026-12-06:..."). It is set here, once, so that no handler
// can forget a copy; its cost is measured by BenchmarkImmutable. What
// Fiber does not copy even so — c.Request().Body(), header Peek, URI
// bytes, c.Context() — is still only valid during the handler: copy it
// (string(b), bytes.Clone) before keeping it.
//
// onError answers the errors that reach the app rather than a surface's
// own error middleware (errorHandler).
func appConfig(cfg *config, onError fiber.ErrorHandler) fiber.Config {
	fc := fiber.Config{
		AppName:      "lullaby",
		Immutable:    true,
		BodyLimit:    cfg.bodyLimit(),
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		// Most public bodies (a post, a page of summaries) are 4-16 KB:
		// with fasthttp's default 4 KB buffer each would take two write
		// syscalls instead of one.
		WriteBufferSize:       32 << 10,
		DisableStartupMessage: true,
		ErrorHandler:          onError,
	}
	if len(cfg.TrustedProxies) > 0 {
		fc.EnableTrustedProxyCheck = true
		fc.TrustedProxies = cfg.TrustedProxies
		fc.ProxyHeader = fiber.HeaderXForwardedFor
	}
	return fc
}

// registerSurfaces registers the base middleware, the health checks and
// every surface on app.
func registerSurfaces(app *fiber.App, log *slog.Logger, adm *admin.Admin, pub *public.API, live, ready fiber.Handler) *fiber.App {
	app.Use(base(log))
	app.Get("/healthz", live)
	app.Get("/readyz", ready)
	pub.Routes(app.Group("/api/v1"))
	pub.MediaRoutes(app.Group("/media"))
	pub.FeedRoutes(app) // /feed.xml, /sitemap.xml, /robots.txt... at the root
	for _, prefix := range ghostPrefixes {
		pub.GhostRoutes(app.Group(prefix))
	}
	pub.WPRoutes(app) // /wp-json/ and the site root's discovery Link
	pub.DocsRoutes(app.Group("/api/docs"), apiDocs...)
	adm.Routes(app.Group("/admin"))
	return app
}

// apiDocs are the documents the API docs page (/api/docs) offers.
var apiDocs = []public.APIDoc{
	{Name: "public", Title: "Content API", URL: "/api/v1/openapi.json"},
	{Name: "admin", Title: "Admin API", URL: "/admin/api/v1/openapi.json"},
}

// ghostPrefixes are where the Ghost Content API dialect answers: the
// official client's path, and the versioned paths older clients (Ghost
// 2-4) ask for.
var ghostPrefixes = []string{"/ghost/api/content", "/ghost/api/v4/content", "/ghost/api/v3/content", "/ghost/api/v2/content", "/ghost/api/canary/content"}

// followListenPort keeps the read model's public URL on the port the app
// actually listens on, when LULLABY_PUBLIC_URL was derived from
// LULLABY_ADDR (":0" picks a port only then). SetPublicURL does nothing
// when the URL is unchanged.
func followListenPort(app *fiber.App, cfg *config, rm *readmodel.ReadModel) {
	if !cfg.publicURLDerived {
		return
	}
	app.Hooks().OnListen(func(ld fiber.ListenData) error {
		if u, err := derivePublicURL(net.JoinHostPort(ld.Host, ld.Port)); err == nil {
			rm.SetPublicURL(u)
		}
		return nil
	})
}

// errorHandler answers the errors that reach the app rather than a
// surface's own error middleware — a body over BodyLimit (413), a request
// that took too long to arrive (408), headers too large (431), a path no
// route serves, a panic caught by base — with the one writer of the
// surface the path belongs to: the admin's under /admin (problem+json on
// its API, a page on the panel), the public API's anywhere else, so that
// the same refusal has the same problem type on both APIs.
func errorHandler(adm *admin.Admin, pub *public.API) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := c.Path()
		if p == "/admin" || strings.HasPrefix(p, "/admin/") {
			return adm.HandleError(c, err)
		}
		if strings.HasPrefix(p, "/ghost/") {
			return pub.HandleGhostError(c, err)
		}
		if p == "/wp-json" || strings.HasPrefix(p, "/wp-json/") {
			return pub.HandleWPError(c, err)
		}
		return pub.HandleError(c, err)
	}
}

var (
	headerRequestID  = []byte(fiber.HeaderXRequestID)
	headerNoSniff    = []byte(fiber.HeaderXContentTypeOptions)
	valueNoSniff     = []byte("nosniff")
	headerRetryAfter = []byte(fiber.HeaderRetryAfter)
	valueMinute      = []byte("60")
)

// base is the one middleware every request passes: it gives the request an
// id (keeping a sane one sent by a proxy), forbids MIME sniffing, and turns
// a panic into a logged 500. One middleware rather than three keeps the
// public read path short.
func base(log *slog.Logger) fiber.Handler {
	var prefix [8]byte
	_, _ = rand.Read(prefix[:])
	idPrefix := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(prefix[:5])) + "-"
	var counter atomic.Uint64
	return func(c *fiber.Ctx) (err error) {
		h := &c.Response().Header
		id := c.Request().Header.PeekBytes(headerRequestID)
		if !saneRequestID(id) {
			buf := make([]byte, 0, 24)
			buf = append(buf, idPrefix...)
			id = strconv.AppendUint(buf, counter.Add(1), 36)
		}
		h.SetCanonical(headerRequestID, id)
		h.SetCanonical(headerNoSniff, valueNoSniff)
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic serving request", "panic", r, "path", c.Path(), "requestId", string(id), "stack", string(debug.Stack()))
				err = fiber.ErrInternalServerError
			}
		}()
		err = c.Next()
		// Every 429 says when to come back; the surfaces send the exact
		// wait, this is the net under them.
		if h.StatusCode() == fiber.StatusTooManyRequests && len(h.PeekBytes(headerRetryAfter)) == 0 {
			h.SetCanonical(headerRetryAfter, valueMinute)
		}
		return err
	}
}

// saneRequestID accepts ids of 1-64 letters, digits, '-', '_' and '.'.
func saneRequestID(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
