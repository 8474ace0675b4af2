package admin

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms/clientip"
)

// Login attempts allowed per client IP: loginAttempts per loginWindow.
// Together with the per-account lockout in cms.Service.Authenticate this
// bounds both password guessing and the CPU spent hashing passwords.
const (
	loginAttempts  = 10
	loginWindow    = 5 * time.Minute
	maxLimiterKeys = 10_000
)

// limiter counts attempts per key in fixed windows, in memory: the stand-in
// for the shared count in the database (cms.Service.CountAttempt) while the
// database is away. It holds at most maxKeys keys: expired windows are
// swept when it is full, and if it is still full an arbitrary key is
// dropped, so memory stays bounded whatever the number of clients. It is
// per process.
type limiter struct {
	limit   int
	window  time.Duration
	maxKeys int

	mu        sync.Mutex
	entries   map[string]*window
	lastSweep time.Time
}

type window struct {
	start time.Time
	count int
}

func newLimiter(limit int, per time.Duration, maxKeys int) *limiter {
	return &limiter{limit: limit, window: per, maxKeys: maxKeys, entries: map[string]*window{}}
}

// allow records an attempt by key at now. It reports whether the attempt is
// within the limit and, if not, how long until the window resets.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.entries[key]
	if w != nil && now.Sub(w.start) >= l.window {
		w.start, w.count = now, 0
	}
	if w == nil {
		l.makeRoom(now)
		w = &window{start: now}
		l.entries[key] = w
	}
	if w.count >= l.limit {
		return false, w.start.Add(l.window).Sub(now)
	}
	w.count++
	return true, 0
}

// makeRoom keeps the map under maxKeys before a new key is added.
func (l *limiter) makeRoom(now time.Time) {
	if len(l.entries) < l.maxKeys {
		return
	}
	if now.Sub(l.lastSweep) >= time.Second {
		l.lastSweep = now
		for k, w := range l.entries {
			if now.Sub(w.start) >= l.window {
				delete(l.entries, k)
			}
		}
	}
	for k := range l.entries {
		if len(l.entries) < l.maxKeys {
			break
		}
		delete(l.entries, k)
	}
}

// proxies holds the mounting app's trusted proxies, parsed on first use.
type proxies struct {
	r atomic.Pointer[clientip.Resolver]
}

// clientIP is the address attempts are counted by: the peer's, or, behind
// a trusted proxy, the rightmost address of the proxy header that is not a
// trusted proxy. (c.IP() returns the whole header, or its leftmost entry,
// which any client can set: a new value per attempt would escape the
// limit.)
func (a *Admin) clientIP(c *fiber.Ctx) string {
	r := a.proxies.r.Load()
	if r == nil {
		cfg := c.App().Config()
		a.proxies.r.CompareAndSwap(nil, clientip.New(cfg.ProxyHeader, cfg.EnableTrustedProxyCheck, cfg.TrustedProxies))
		r = a.proxies.r.Load()
	}
	if r.Header() == "" {
		return c.Context().RemoteIP().String()
	}
	return r.Client(c.Context().RemoteIP(), c.Get(r.Header()))
}
