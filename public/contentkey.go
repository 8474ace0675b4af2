package public

import (
	"math"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Content keys (cms.ContentKey): a frontend sends its key as ?key= (the
// Ghost dialect's way) or in the X-Lullaby-Key header. With the site
// setting RequireContentKey on, a request without one is refused with
// 401 and one with an unknown or revoked key with 403; with it off, the
// content is public and a key matters only for what it adds (its CORS
// origins, its rate limit). The check is the snapshot's: a hash and a map
// lookup, no database call, and nothing at all while no key exists and
// none is required.

// HeaderContentKey is the request header that carries a content key.
const HeaderContentKey = "X-Lullaby-Key"

var (
	headerContentKey = []byte(HeaderContentKey)
	queryContentKey  = []byte("key")
	headerOrigin     = []byte(fiber.HeaderOrigin)
	headerWWWAuth    = []byte(fiber.HeaderWWWAuthenticate)
	valueWWWAuth     = []byte(`Key realm="content", header="` + HeaderContentKey + `", query="key"`)
	valueVaryKey     = []byte("Accept-Encoding, Origin, " + HeaderContentKey)

	// The refusals are shared, not made per request: nothing writes them.
	errNoContentKey = &cms.Error{Kind: cms.KindUnauthenticated, Op: "public.contentKey",
		Message: "A content key is required.",
		Fields:  map[string]string{"key": "Send a content key as ?key= or in the " + HeaderContentKey + " header."}}
	errBadContentKey = &cms.Error{Kind: cms.KindForbidden, Op: "public.contentKey",
		Message: "Unknown Content API Key",
		Fields:  map[string]string{"key": "This content key is unknown or was revoked."}}
	errContentKeyTwice = &cms.Error{Kind: cms.KindInvalid, Op: "public.contentKey",
		Message: "Send one content key.",
		Fields:  map[string]string{"key": "?key= is given more than once."}}
)

// contentKey is the content-key middleware of a content surface: register
// it after the surface's error middleware, which turns its refusals into
// the surface's error shape (r.Use(a.middleware, a.contentKey) for ours,
// r.Use(a.ghostMiddleware, a.contentKey) for Ghost's; one line for any
// other dialect). A key in the header wins over one in the query.
func (a *API) contentKey(c *fiber.Ctx) error {
	snap := a.content.Snapshot()
	require := snap.RequireContentKey()
	if !require && !snap.HasContentKeys() {
		return c.Next()
	}
	secret, fromHeader := c.Request().Header.PeekBytes(headerContentKey), true
	if len(secret) == 0 {
		args := c.Context().QueryArgs()
		secret, fromHeader = args.PeekBytes(queryContentKey), false
		if len(secret) > 0 && queryKeys(args) > 1 {
			return errContentKeyTwice // which one would be meant?
		}
	}
	var k *readmodel.ContentKey
	if len(secret) > 0 {
		k = snap.ContentKey(secret)
	}
	switch {
	case k == nil && !require:
		// Public content: an unknown key (Ghost clients always send one)
		// or none is no reason to refuse.
		return c.Next()
	case len(secret) == 0:
		return errNoContentKey // with WWW-Authenticate when answered 401 (sendError)
	case k == nil:
		return errBadContentKey
	}
	if k.RateLimit > 0 {
		if wait := a.keyLimits.take(k.ID, k.RateLimit, time.Now()); wait > 0 {
			return &cms.Error{Kind: cms.KindRateLimited, Op: "public.contentKey", RetryAfter: wait,
				Message: "This content key made more requests than its limit allows; try again later."}
		}
	}
	h := &c.Response().Header
	if origin := c.Request().Header.PeekBytes(headerOrigin); len(origin) > 0 && len(h.PeekBytes(headerACAO)) == 0 {
		if o := string(origin); k.AllowsOrigin(o) {
			allowRead(c, o)
		}
	}
	err := c.Next()
	if fromHeader {
		// The answer depends on the header (its CORS at least; whether it
		// is given at all when a key is required): shared caches must key
		// on it.
		h.SetCanonical(headerVary, valueVaryKey)
	}
	return err
}

// queryKeys counts the ?key= parameters of a query, without allocating.
func queryKeys(args *fasthttp.Args) int {
	n := 0
	for k := range args.All() {
		if string(k) == "key" {
			n++
		}
	}
	return n
}

// keyLimiter enforces each content key's own rate limit with a token
// bucket per key, in this instance's memory: with N instances behind a
// balancer a key may make up to N times its limit.
type keyLimiter struct {
	mu      sync.Mutex
	buckets map[string]*tokenBucket // by key id; bounded by the keys a site may keep
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

// take spends one request of key id, whose limit is perMinute requests a
// minute (in bursts of up to a minute's worth), and returns 0, or how long
// until the next request may be made when none is left.
func (l *keyLimiter) take(id string, perMinute int, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[id]
	if b == nil {
		if l.buckets == nil {
			l.buckets = map[string]*tokenBucket{}
		}
		b = &tokenBucket{tokens: float64(perMinute), last: now}
		l.buckets[id] = b
	}
	perSecond := float64(perMinute) / 60
	b.tokens = math.Min(float64(perMinute), b.tokens+now.Sub(b.last).Seconds()*perSecond)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration(math.Ceil((1-b.tokens)/perSecond)) * time.Second
}
