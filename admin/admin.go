// Package admin is Lullaby's admin surface: the JSON API under
// /admin/api/v1 that scripts and apps use to write posts, file them in
// categories, change the site settings and manage users, and the
// consultant's server-rendered HTML panel under /admin (panel*.go).
//
// Handlers only decode requests, call *cms.Service and encode or render its
// answers; every rule lives in cms. Errors are returned from handlers and
// translated in one middleware per surface: RFC 9457 problem+json for the
// API (errors.go), an HTML error page or the form re-rendered for the panel
// (panel_errors.go).
package admin

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Defaults and limits of Config.
const (
	DefaultIssuer   = "lullaby"
	DefaultTokenTTL = 12 * time.Hour
	MaxTokenTTL     = 12 * time.Hour
	DefaultTimeout  = 10 * time.Second
	MinSecretLen    = 32
)

// Config wires an Admin.
type Config struct {
	Service *cms.Service // required
	// ReadModel is the published content: the full-text search behind
	// the posts list and the reader preview. Required.
	ReadModel *readmodel.ReadModel
	// Posts is the index of every post's metadata that the lists and the
	// dashboard read (cmd/lullaby builds it over the store). Required.
	Posts *readmodel.PostIndex

	Secret   []byte        // JWT HMAC secret, at least MinSecretLen bytes
	Issuer   string        // the JWT "iss"; default DefaultIssuer
	TokenTTL time.Duration // lifetime of issued tokens; default and maximum 12h
	Logger   *slog.Logger  // default slog.Default()
	Timeout  time.Duration // per-request timeout for cms calls; default 10s
	Now      func() time.Time

	// PublicURL is the URL at which browsers reach this server: its origin
	// is accepted in the Origin header of unsafe requests besides the host
	// the request was sent to (origin.go). Optional.
	PublicURL string

	// Dumper is the store that the owner's export download reads
	// (cms/archive); without it, export answers 503. Version is the
	// Lullaby version written in the archive.
	Dumper  cms.Dumper
	Version string
	// MaxImportBytes bounds an uploaded WordPress export (default
	// DefaultMaxImportBytes); ImportDir is where it waits while it is
	// checked and imported ("" for the system's temporary folder).
	MaxImportBytes int64
	ImportDir      string

	// Backups describes this server's scheduled backups for the
	// dashboard, e.g. "daily at 03:00 UTC, the newest 14 kept, in
	// /var/backups/lullaby"; "" when they are off.
	Backups string
}

// Admin serves the admin JSON API and the HTML panel. Build it with New.
type Admin struct {
	svc     *cms.Service
	read    *readmodel.ReadModel // published content: search, reader preview
	signKey []byte               // signs and verifies JWTs
	csrfKey []byte               // derived from the secret; MACs CSRF tokens
	issuer  string
	ttl     time.Duration
	log     *slog.Logger
	timeout time.Duration
	now     func() time.Time
	logins  *limiter                     // login and set-up attempts per IP, password changes per user
	proxies proxies                      // the app's trusted proxies, for clientIP
	views   func() (*html.Engine, error) // the panel's templates, parsed on first use (renderView)
	assets  *assetSet                    // the panel's static files
	posts   *readmodel.PostIndex         // post metadata in memory, for the panel's and the API's lists
	chart   chartCache                   // the dashboard's views chart, recomputed at most once a minute

	publicOrigin string // origin of Config.PublicURL, lower-cased; may be ""
	tfa          *cms.TwoFactorService

	dumper  cms.Dumper    // the store, for export downloads; may be nil
	version string        // the Lullaby version, in exports
	imports *importRunner // the WordPress import running in the background
	backups string        // Config.Backups
}

// New checks cfg and returns an Admin. It fails without a Service, with a
// secret shorter than 32 bytes, with a TokenTTL or Timeout out of range, or
// when a panel template does not parse.
func New(cfg Config) (*Admin, error) {
	if cfg.Service == nil {
		return nil, errors.New("admin.New: Service is required")
	}
	if cfg.ReadModel == nil {
		return nil, errors.New("admin.New: ReadModel is required")
	}
	if cfg.Posts == nil {
		return nil, errors.New("admin.New: Posts is required")
	}
	if len(cfg.Secret) < MinSecretLen {
		return nil, errors.New("admin.New: Secret must be at least 32 bytes")
	}
	if cfg.Issuer == "" {
		cfg.Issuer = DefaultIssuer
	}
	switch {
	case cfg.TokenTTL == 0:
		cfg.TokenTTL = DefaultTokenTTL
	case cfg.TokenTTL < time.Minute || cfg.TokenTTL > MaxTokenTTL:
		return nil, errors.New("admin.New: TokenTTL must be between 1m and 12h")
	}
	switch {
	case cfg.Timeout == 0:
		cfg.Timeout = DefaultTimeout
	case cfg.Timeout < 0:
		return nil, errors.New("admin.New: Timeout must be positive")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	as, err := panelAssets()
	if err != nil {
		return nil, fmt.Errorf("admin.New: %w", err)
	}
	secret := append([]byte(nil), cfg.Secret...)
	// The key of two-factor secrets comes from the session secret, which
	// is not in the database: a reader of the database cannot make codes.
	tfa, err := cfg.Service.TwoFactor(mac(secret, "lullaby admin two-factor key"), "Lullaby")
	if err != nil {
		return nil, fmt.Errorf("admin.New: %w", err)
	}
	return &Admin{
		svc:     cfg.Service,
		signKey: secret,
		csrfKey: mac(secret, "lullaby admin csrf key"),
		issuer:  cfg.Issuer,
		ttl:     cfg.TokenTTL,
		log:     cfg.Logger,
		timeout: cfg.Timeout,
		now:     cfg.Now,
		logins:  newLimiter(loginAttempts, loginWindow, maxLimiterKeys),
		views:   sync.OnceValues(func() (*html.Engine, error) { return newViews(as) }),
		assets:  as,
		read:    cfg.ReadModel,
		posts:   cfg.Posts,

		publicOrigin: originOf(cfg.PublicURL),
		backups:      cfg.Backups,
		tfa:          tfa,

		dumper:  cfg.Dumper,
		version: cfg.Version,
		imports: newImportRunner(cfg.Service, cfg.Logger, cfg.ImportDir, cfg.MaxImportBytes, cfg.Now),
	}, nil
}

// Close stops a WordPress import running in the background (the posts it
// saved stay; its report says it was stopped), waits for it and removes
// the uploaded file, and ends export downloads still being written. Call
// it after the app stopped taking requests, before the store closes.
func (a *Admin) Close() { a.imports.close() }

// envelope wraps every successful response body.
type envelope struct {
	Data any   `json:"data"`
	Meta *meta `json:"meta,omitempty"`
}

type meta struct {
	Pagination pagination `json:"pagination"`
}

type pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// ok sends 200 {"data": v}.
func ok(c *fiber.Ctx, v any) error { return c.JSON(envelope{Data: v}) }

// created sends 201 {"data": v} with a Location made of the route's path
// and id.
func created(c *fiber.Ctx, id string, v any) error {
	c.Location(strings.TrimSuffix(c.Route().Path, "/") + "/" + id)
	return c.Status(fiber.StatusCreated).JSON(envelope{Data: v})
}

// nonNil returns s, or an empty slice so that JSON shows [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
