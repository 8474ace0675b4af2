// Package public serves published content to frontends: the JSON API under
// /api/v1, from the read model's current snapshot as ready-made bytes, and
// images under /media, from an in-memory cache of hot variants or else
// through a read-only MediaSource. Nothing here can write.
package public

import (
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/lullabycms/lullaby/cms/clientip"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Content is what the public API reads: the current snapshot. It is
// read-only by construction.
type Content interface {
	Snapshot() *readmodel.Snapshot
}

// Config wires the public API.
type Config struct {
	Content Content
	Logger  *slog.Logger
	// CORSOrigins are the origins allowed to call the API besides those in
	// the site settings; "*" allows any. With none here and none in the
	// settings, any origin is allowed (the content is public).
	CORSOrigins []string
	// CacheControl is sent with every successful GET; default
	// "public, max-age=60, stale-while-revalidate=600".
	CacheControl string
	// Media serves images at /media (MediaRoutes); optional.
	Media MediaSource
	// MediaCacheBytes bounds the in-memory cache of hot image variants
	// (default DefaultMediaCacheBytes).
	MediaCacheBytes int64
	// Views counts the reads reported by POST /posts/{slug}/views
	// (views.go); optional: without it beacons are answered, not counted.
	Views ViewRecorder
	// Previews opens draft preview tokens (preview.go); optional:
	// without it a preview token is refused.
	Previews Previews
	// Quizzes rate-limits quiz answers per client and counts their results
	// (quiz.go); optional: without it answers are neither limited nor
	// counted.
	Quizzes QuizRecorder
}

// API is the public content API.
type API struct {
	content   Content
	log       *slog.Logger
	anyOrigin bool
	origins   map[string]bool
	// cacheControl is Config.CacheControl, ready for the response header.
	cacheControl []byte
	openapi      *readmodel.Body
	media        MediaSource
	mediaCache   *mediaLRU
	mediaLoads   mediaLoads
	views        ViewRecorder // nil: beacons not counted
	quizzes      QuizRecorder // nil: quiz answers not limited or counted
	previews     Previews     // nil: previews refused
	keyLimits    keyLimiter   // content keys' own rate limits (contentkey.go)
	// proxyMatcher is the mounting app's trusted proxies (see clientIP).
	proxyMatcher atomic.Pointer[clientip.Resolver]
}

// New checks cfg and returns the API.
func New(cfg Config) (*API, error) {
	if cfg.Content == nil {
		return nil, errors.New("public.New: Content is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CacheControl == "" {
		cfg.CacheControl = "public, max-age=60, stale-while-revalidate=600"
	}
	if cfg.MediaCacheBytes <= 0 {
		cfg.MediaCacheBytes = DefaultMediaCacheBytes
	}
	a := &API{content: cfg.Content, log: cfg.Logger, origins: map[string]bool{}, cacheControl: []byte(cfg.CacheControl),
		openapi: readmodel.NewBody(openAPIDocument), media: cfg.Media, mediaCache: newMediaLRU(cfg.MediaCacheBytes),
		views: cfg.Views, quizzes: cfg.Quizzes, previews: cfg.Previews}
	for _, o := range cfg.CORSOrigins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		switch o {
		case "":
		case "*":
			a.anyOrigin = true
		default:
			a.origins[strings.ToLower(o)] = true
		}
	}
	return a, nil
}
