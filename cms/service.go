package cms

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"time"
)

// Service carries out every change to content and users, enforcing the
// domain's rules. The admin JSON API, the admin panel, the CLI and the
// scheduler all go through it; no business rule lives in a handler.
type Service struct {
	store   Store
	content Publisher
	log     *slog.Logger
	now     func() time.Time

	images      ImageProcessor // nil: uploads fail
	maxUpload   int64
	crossref    *remote       // nil: DOI lookups off
	pubmed      *pubmedClient // nil: PMID and PMCID lookups off
	openLibrary *remote       // nil: ISBN lookups off

	previewTTL time.Duration // lifetime of preview tokens (preview_token.go)
	previewKey *previewKey   // their signing key, once read
	attempts   *attemptKey   // the key hashing who made an attempt, once read (attempts.go)

	// crash, when set (by tests only), is asked at each step of a save
	// that features a post ("marked", "committed"); true stops the save
	// there as if the process had died (featured.go).
	crash func(step string) bool

	webhooks    WebhookConfig
	webhookWake chan struct{} // wakes this process's webhook relay (webhook_relay.go)

	refs *refChecks // the reference checker (refhealth_job.go)

	// quiet, on the copy an import saves through (Service.StartImport),
	// leaves telling readers to the import: it announces once for many
	// saves.
	quiet bool
}

// Publisher is what the services need from the read side
// (cms/readmodel.ReadModel): after a write that changed public content,
// this process serves the new content at once. cmd/lullaby wires it.
type Publisher interface {
	// Reload rebuilds the published content from the store and serves it.
	// On error the content served before stays.
	Reload(ctx context.Context) error
	// ApplyPost brings post p, as just saved, into the published content
	// without reading the store, when it is the only change since the
	// content served: version is the content version the save bumped to.
	// It reports whether it did; if not, the caller reloads.
	ApplyPost(p *Post, version int64) bool
	// ApplyList brings list l, as just saved, into the published content
	// the same way; it reports whether it did; if not, the caller reloads.
	ApplyList(l *List, version int64) bool
}

// ServiceConfig wires a Service.
type ServiceConfig struct {
	Store     Store
	Publisher Publisher    // told after every write that can change public content
	Logger    *slog.Logger // default slog.Default()
	Now       func() time.Time
	// Images checks and renders uploaded images (cmd/lullaby wires
	// cms/imaging); without it every upload fails with KindInternal.
	Images ImageProcessor
	// MaxUploadBytes bounds an uploaded file (default DefaultMaxUploadBytes).
	MaxUploadBytes int64
	// CrossrefURL is the base URL of Crossref's REST API (such as
	// https://api.crossref.org) for looking DOIs up; "" turns lookups off.
	CrossrefURL string
	// Webhooks tunes the checks of webhook targets.
	Webhooks WebhookConfig
	// PreviewTTL is how long a preview token works (default
	// DefaultPreviewTTL).
	PreviewTTL time.Duration
	// NCBIURL is the base URL of NCBI's E-utilities (DefaultNCBIURL) for
	// looking PMIDs and PMCIDs up; "" turns those lookups off.
	// PMCIDConvURL is the PMC ID Converter's (DefaultPMCIDConvURL when
	// ""). NCBIAPIKey (optional, never logged) raises NCBI's rate from 3
	// to 10 requests a second; NCBIEmail is sent as NCBI asks.
	NCBIURL, PMCIDConvURL, NCBIAPIKey, NCBIEmail string
	// OpenLibraryURL is the base URL of Open Library
	// (DefaultOpenLibraryURL) for looking ISBNs up; "" turns that off.
	OpenLibraryURL string
	// LookupTimeout bounds one request to PubMed or Open Library
	// (DefaultLookupTimeout when 0).
	LookupTimeout time.Duration
	// ReferenceChecks configures the reference checker; its zero value
	// turns it off (nothing is fetched).
	ReferenceChecks ReferenceCheckConfig
}

// DefaultMaxUploadBytes is the default upload size limit: 20 MiB.
const DefaultMaxUploadBytes = 20 << 20

// NewService checks cfg and returns a Service.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("cms.NewService: Store is required")
	}
	if cfg.Publisher == nil {
		return nil, errors.New("cms.NewService: Publisher is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LookupTimeout <= 0 {
		cfg.LookupTimeout = DefaultLookupTimeout
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.PreviewTTL <= 0 {
		cfg.PreviewTTL = DefaultPreviewTTL
	}
	cr, err := newCrossrefClient(cfg.CrossrefURL)
	if err != nil {
		return nil, err
	}
	if cfg.Webhooks.Resolver == nil {
		cfg.Webhooks.Resolver = net.DefaultResolver
	}
	pm, err := newPubMedClient(&cfg)
	if err != nil {
		return nil, err
	}
	ol, err := newRemote("OpenLibraryURL", "Open Library", cfg.OpenLibraryURL, openLibraryEvery, cfg.LookupTimeout, maxCatalogBytes)
	if err != nil {
		return nil, err
	}
	return &Service{store: cfg.Store, content: cfg.Publisher, log: cfg.Logger, now: cfg.Now, images: cfg.Images, maxUpload: cfg.MaxUploadBytes,
		crossref: cr, pubmed: pm, openLibrary: ol, webhooks: cfg.Webhooks, webhookWake: make(chan struct{}, 1),
		previewTTL: cfg.PreviewTTL, previewKey: &previewKey{}, attempts: &attemptKey{}, refs: newRefChecks(cfg.ReferenceChecks)}, nil
}

// timeNow returns the current time in UTC at millisecond precision, the
// precision the database keeps.
func (s *Service) timeNow() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// published tells other instances that public content changed and swaps in
// a fresh snapshot here at once. The write has already succeeded, so a
// failure here is logged, not returned: the sync loop retries.
func (s *Service) published(ctx context.Context) {
	if s.quiet {
		return
	}
	if _, err := s.store.BumpContentVersion(ctx); err != nil {
		s.log.Error("bump content version", "err", err)
	}
	if err := s.content.Reload(ctx); err != nil {
		s.log.Error("reload read model after write", "err", err)
	}
}

// postsChanged tells every instance's post index that a post changed. The
// write has succeeded, so a failure is logged: the index is then stale
// until the next change.
func (s *Service) postsChanged(ctx context.Context) {
	if s.quiet {
		return
	}
	if _, err := s.store.BumpPostsVersion(ctx); err != nil {
		s.log.Error("bump posts version", "err", err)
	}
}

// publishedPost is published for a change to one post p (as saved): when
// nothing else changed since the current snapshot, the snapshot is updated
// from p in memory, with no database read; otherwise it is reloaded.
func (s *Service) publishedPost(ctx context.Context, p *Post) {
	if s.quiet {
		return
	}
	v, err := s.store.BumpContentVersion(ctx)
	if err != nil {
		s.log.Error("bump content version", "err", err)
	}
	if err == nil && s.content.ApplyPost(p, v) {
		return
	}
	if err := s.content.Reload(ctx); err != nil {
		s.log.Error("reload read model after write", "err", err)
	}
}

// publishedList is published for a change to one list l (as saved), as
// publishedPost is for a post: from memory when nothing else changed.
func (s *Service) publishedList(ctx context.Context, l *List) {
	if s.quiet {
		return
	}
	v, err := s.store.BumpContentVersion(ctx)
	if err != nil {
		s.log.Error("bump content version", "err", err)
	}
	if err == nil && s.content.ApplyList(l, v) {
		return
	}
	if err := s.content.Reload(ctx); err != nil {
		s.log.Error("reload read model after write", "err", err)
	}
}

// requireVersion returns the version an edit started from, or an Invalid
// error naming the field when it is missing.
func requireVersion(op string, v *int) (int, error) {
	if v == nil {
		return 0, Problems{"version": "The version you started from is required (it guards against overwriting someone else's changes)."}.Err(op)
	}
	if *v < 1 {
		return 0, Problems{"version": "Must be a positive integer."}.Err(op)
	}
	return *v, nil
}

// staleError is the conflict returned when an edit started from an old
// version.
func staleError(op string, current int) error {
	return &Error{Kind: KindConflict, Op: op,
		Message: "This was changed by someone else since you opened it; reload to see the latest version.",
		Fields:  map[string]string{"version": staleMessage(current)}}
}

func staleMessage(current int) string {
	if current <= 0 {
		return "Stale version."
	}
	return "Stale version; the current version is " + strconv.Itoa(current) + "."
}

func forbidden(op, msg string) error { return &Error{Kind: KindForbidden, Op: op, Message: msg} }
