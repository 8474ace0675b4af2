package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/backup"
	"github.com/lullabycms/lullaby/cms/imaging"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/cms/webhook"
	"github.com/lullabycms/lullaby/public"
)

// server is one running Lullaby: database, read model, services and the
// HTTP app.
type server struct {
	cfg *config
	log *slog.Logger
	db  *mongodb.DB
	rm  *readmodel.ReadModel
	svc *cms.Service
	adm *admin.Admin
	app *fiber.App
	// views counts post reads in memory; serve flushes it after the last
	// request and before the database closes.
	views *cms.ViewCounter
	// quizzes counts quiz results (anonymously) like views, flushed on the
	// same interval and at shutdown.
	quizzes *cms.QuizCounter
	// backups makes the scheduled backups; nil when they are off.
	backups *backup.Runner
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	ownGC := getenv("GOGC") == ""
	if ownGC {
		debug.SetGCPercent(startGCPercent)
	}
	s, err := newServer(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	if ownGC {
		debug.SetGCPercent(gcPercent)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.close()
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.announce(ctx, ln.Addr(), stdout)
	return s.serve(ctx, ln)
}

// gcPercent is the garbage collector's target (GOGC) unless GOGC is set:
// the heap may grow by a quarter of what is live before a collection,
// rather than double as by Go's default. What is live is mostly the read
// model's bodies, long byte slices without pointers that a collection
// marks without reading, so collections stay cheap; and the request path
// allocates little, so they are rare under load. See README.md, "Memory
// and cold starts".
const gcPercent = 25

// startGCPercent is the collector's target while the server starts,
// until the first load of the content is in (unless GOGC is set): that
// load reads every published body once and leaves most of what it reads
// as garbage, so at a low target the collector runs many times over a
// heap that is mostly that garbage. Measured on a quiet 2-core machine
// (README, "Memory and cold starts"): 10,000 posts ready in 4.5-4.9 s at
// 200%, 4.7-5.6 s at 100% (and 6.2 s at 25%), the price being a higher
// peak during the start (~600 MB rather than ~500 MB). What the read
// model keeps is carved from chunks of its own (readmodel, compact.go),
// so the start's garbage leaves few spans part-used: 1,000 posts settle
// at ~97-100 MB resident at either target. What the load leaves is
// handed back to the system right after (server.init), and the target is
// then gcPercent.
const startGCPercent = 200

// newLogger builds the process logger from the configuration.
func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the configured database. A one-shot
// command (attach) uses the server of a running `lullaby serve` through
// its socket when that holds the data folder; serve refuses to start
// beside another server.
func openStore(ctx context.Context, cfg *config, log *slog.Logger, attach bool) (*mongodb.DB, error) {
	mcfg := mongodb.Config{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database,
		Logger: log, Debug: cfg.LogLevel == "debug", Attach: attach}
	if !attach {
		mcfg.DebugAddr = cfg.DBDebugAddr
	}
	db, err := mongodb.Open(ctx, mcfg)
	var inUse *mongodb.InUseError
	if errors.As(err, &inUse) {
		return nil, fmt.Errorf("%w.\nStop that server first, or use it: commands such as `lullaby user create` run beside it. "+
			"To run several instances, give them one shared MongoDB: the same LULLABY_MONGODB_URI and LULLABY_JWT_SECRET on each (see docker-compose.yml)", err)
	}
	return db, err
}

// openService opens the configured database (or the running server's)
// and a service over it, for the one-shot commands; close the returned
// store when done.
func openService(ctx context.Context, cfg *config, log *slog.Logger) (*cms.Service, *mongodb.DB, error) {
	db, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return nil, nil, err
	}
	svc, err := newService(cfg, db, readmodel.NewReadModel(db, log), log)
	if err != nil {
		db.Close(context.Background())
		return nil, nil, err
	}
	return svc, db, nil
}

// newService builds the service over db and rm as configured.
func newService(cfg *config, db *mongodb.DB, rm *readmodel.ReadModel, log *slog.Logger) (*cms.Service, error) {
	return cms.NewService(cms.ServiceConfig{Store: db, Publisher: rm, Logger: log, Images: imaging.Processor{},
		MaxUploadBytes: int64(cfg.MaxUploadMB) << 20, CrossrefURL: cfg.CrossrefURL, PreviewTTL: cfg.PreviewTTL,
		NCBIURL: cfg.NCBIURL, PMCIDConvURL: cfg.PMCIDConvURL, NCBIAPIKey: cfg.NCBIAPIKey, NCBIEmail: cfg.NCBIEmail, OpenLibraryURL: cfg.OpenLibraryURL,
		Webhooks: cms.WebhookConfig{AllowPrivate: cfg.Webhook.AllowPrivate}, ReferenceChecks: cfg.refChecks()})
}

// newServer opens the database, loads the read model and builds the app.
func newServer(ctx context.Context, cfg *config, logw io.Writer) (*server, error) {
	log := newLogger(cfg, logw)
	db, err := openStore(ctx, cfg, log, false)
	if err != nil {
		return nil, err
	}
	if emb := db.EmbeddedServer(); emb != nil && emb.DebugAddr() != "" {
		log.Warn("the embedded database also listens on TCP, without authentication, for this run: anyone on this machine can read and change everything, password hashes included",
			"addr", emb.DebugAddr(), "shell", "mongosh mongodb://"+emb.DebugAddr()+"/"+db.Database())
	}
	s := &server{cfg: cfg, log: log, db: db}
	if err := s.init(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *server) init(ctx context.Context) error {
	s.rm = readmodel.NewReadModel(s.db, s.log)
	s.rm.SetPublicURL(s.cfg.PublicURL)
	svc, err := newService(s.cfg, s.db, s.rm, s.log)
	if err != nil {
		return err
	}
	s.svc = svc
	if s.cfg.Demo {
		if err := loadDemo(ctx, svc, s.log); err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
	}
	if err := s.rm.Reload(ctx); err != nil {
		return fmt.Errorf("load published content: %w", err)
	}
	// The first load reads every published body once; hand the garbage it
	// leaves back to the operating system rather than keep it resident.
	debug.FreeOSMemory()
	secret, err := s.sessionKey(ctx)
	if err != nil {
		return err
	}
	var backups string
	if s.cfg.BackupDir != "" {
		s.backups, err = backup.New(backup.Config{Dir: s.cfg.BackupDir, At: s.cfg.BackupAt, Location: s.cfg.BackupZone, Every: s.cfg.BackupEvery,
			Keep: s.cfg.BackupKeep, Store: s.db, Version: version, Logger: s.log})
		if err != nil {
			return err
		}
		backups = s.backups.Schedule() + ", in " + s.cfg.BackupDir
	}
	s.adm, err = admin.New(admin.Config{Service: svc, ReadModel: s.rm, Posts: readmodel.NewPostIndex(s.db), Secret: secret, Logger: s.log,
		Timeout: s.cfg.RequestTimeout, PublicURL: s.cfg.PublicURL, Backups: backups,
		Dumper: s.db, Version: version, MaxImportBytes: int64(s.cfg.MaxImportMB) << 20})
	if err != nil {
		return err
	}
	s.rm.SetPopularWindow(s.cfg.PopularWindow)
	if s.views, err = cms.NewViewCounter(cms.ViewCounterConfig{Store: s.db, Logger: s.log}); err != nil {
		return err
	}
	if s.quizzes, err = cms.NewQuizCounter(cms.QuizCounterConfig{Store: s.db, Logger: s.log}); err != nil {
		return err
	}
	pub, err := public.New(public.Config{Content: s.rm, Logger: s.log, CORSOrigins: s.cfg.CORSOrigins, Media: s.svc, Views: s.views, Quizzes: s.quizzes,
		Previews: previews{s.svc, s.rm}})
	if err != nil {
		return err
	}
	s.app = newApp(s.cfg, s.log, s.adm, pub, s.live, s.ready)
	followListenPort(s.app, s.cfg, s.rm)
	return nil
}

// announce prints where the server listens, which public URL it uses
// and, with no users yet, the exact command that creates the first one in
// this server's database.
func (s *server) announce(ctx context.Context, addr net.Addr, w io.Writer) {
	base := "http://" + displayAddr(addr)
	fmt.Fprintf(w, "Lullaby %s listening on %s\n", version, base)
	fmt.Fprintf(w, "  admin:      %s/admin\n  public API: %s/api/v1/posts (OpenAPI: %s/api/v1/openapi.json)\n", base, base, base)
	public, how := s.cfg.PublicURL, "from LULLABY_PUBLIC_URL"
	if s.cfg.publicURLDerived {
		public, _ = derivePublicURL(addr.String())
		how = "made from the listen address; set LULLABY_PUBLIC_URL to the address readers use, e.g. https://cms.example.com"
	}
	fmt.Fprintf(w, "  public URL: %s (image and media URLs start with it; %s)\n", public, how)
	if emb := s.db.EmbeddedServer(); emb != nil {
		fmt.Fprintf(w, "  database:   embedded, files in %s (socket %s)\n", emb.DataDir(), emb.Socket())
	} else {
		fmt.Fprintf(w, "  database:   MongoDB (%s)\n", s.db.Database())
	}
	if empty, err := s.svc.NeedsSetup(ctx); err == nil && empty {
		fmt.Fprintf(w, "\nNo users yet. Create the first owner account with:\n\n  %s\n\n"+
			"(or `lullaby user create ...` with the built binary), or POST {email, name, password} to %s/admin/api/v1/setup.\n",
			s.setupCommand(), base)
	}
}

// setupCommand is the command that creates the first owner in this
// server's database: it names the data folder unless it is the default, and
// the database when not the default one. A MongoDB URI is not printed (it
// may hold a password).
func (s *server) setupCommand() string {
	var env, flags []string
	if s.cfg.MongoURI != "" {
		env = append(env, "LULLABY_MONGODB_URI='<the same as this server>'")
	} else if emb := s.db.EmbeddedServer(); emb != nil {
		if def, err := filepath.Abs(mongodb.DefaultDataDir); err != nil || def != emb.DataDir() {
			flags = append(flags, "--data-dir", shellQuote(emb.DataDir()))
		}
	}
	if s.cfg.Database != "" {
		env = append(env, "LULLABY_MONGODB_DATABASE="+shellQuote(s.cfg.Database))
	}
	cmd := append(env, "go run ./cmd/lullaby user create")
	cmd = append(cmd, flags...)
	return strings.Join(append(cmd, `--email you@example.com --name "Your Name" --role owner`), " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func displayAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		port := "8080"
		if ok {
			port = fmt.Sprint(tcp.Port)
		}
		return "localhost:" + port
	}
	return tcp.String()
}

// serve answers requests on ln until ctx ends, then drains in-flight
// requests, stops the background loops and closes the database.
func (s *server) serve(ctx context.Context, ln net.Listener) error {
	loops, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); s.rm.Run(loops, s.cfg.SyncInterval) }()
	go func() { defer wg.Done(); s.adm.Run(loops, s.cfg.SyncInterval) }()
	go func() { defer wg.Done(); s.svc.RunScheduler(loops, s.cfg.SchedulerEvery) }()
	wg.Add(2)
	go func() { defer wg.Done(); s.views.Run(loops, s.cfg.ViewsFlushEvery) }()
	go func() { defer wg.Done(); s.rm.RunPopularity(loops, s.cfg.PopularEvery) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.quizzes.Run(loops, s.cfg.ViewsFlushEvery) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.migrateViews(loops, time.Hour) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.svc.RunWebhooks(loops, s.webhookRelay()) }()
	wg.Add(1)
	go func() { defer wg.Done(); s.svc.RunReferenceChecks(loops) }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		// The compressed bodies and the search index are made after the
		// start, leaving garbage several times the content's size.
		select {
		case <-s.rm.Settled():
			debug.FreeOSMemory()
			s.log.Info("settled: compressed bodies and search index made, memory handed back", "posts", s.rm.Snapshot().PostCount())
		case <-loops.Done():
		}
	}()
	if s.backups != nil {
		wg.Add(1)
		go func() { defer wg.Done(); s.backups.Run(loops) }()
	}

	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		s.log.Info("shutting down: draining requests")
		err = s.app.ShutdownWithTimeout(s.cfg.ShutdownTimeout)
	}
	stopLoops()
	wg.Wait()
	s.adm.Close() // a WordPress import still running stops between two posts
	s.flushViews()
	s.close()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	s.log.Info("stopped")
	return nil
}

// migrateViews folds the view counts of the shape earlier versions wrote
// (one document per post and day) into documents of one per day, at the
// start and then every interval, for the days before yesterday (an
// instance of an earlier version may still count into the recent ones),
// until ctx ends or a run leaves no document of the earlier shape of any
// day. Readers count both shapes, so this only makes their reads cheaper.
//
// The stop rule is for a rolling upgrade: an instance of an earlier
// version still running writes documents of the earlier shape for today,
// which no run folds before the day after tomorrow, so while one counts
// views the runs go on. An earlier instance that counts nothing until
// after the runs stopped (or one started later, in a rollback) leaves
// documents that readers count as they are, and the next start of any
// instance folds them.
func (s *server) migrateViews(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		n, left, err := s.db.MigrateViews(mctx, cms.Day(time.Now().AddDate(0, 0, -1)))
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("views: cannot fold the counts of the earlier shape; retrying", "err", err, "in", interval)
		case n > 0:
			s.log.Info("views: counts of the earlier shape folded into one document per day", "documents", n, "left", left)
		}
		switch {
		case err == nil && left == 0:
			s.log.Debug("views: no view document of the earlier shape left; folding stops until the next start")
			return
		case err == nil:
			s.log.Debug("views: view documents of the earlier shape left, of days not yet folded", "left", left, "next", interval)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// flushViews writes the views and quiz results counted since the last
// flush; the app has stopped taking requests, so none is lost.
func (s *server) flushViews() {
	if s.views == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.views.Flush(ctx); err != nil {
		s.log.Error("writing the last view counts", "err", err, "views", s.views.Pending())
	}
	if s.quizzes == nil {
		return
	}
	if err := s.quizzes.Flush(ctx); err != nil {
		s.log.Error("writing the last quiz result counts", "err", err, "results", s.quizzes.Pending())
	}
}

func (s *server) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.db.Close(ctx); err != nil {
		s.log.Warn("closing the database", "err", err)
	}
}

// live answers /healthz: the process is up.
func (s *server) live(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// ready answers /readyz: the database answers, content is loaded and the
// snapshot is in step with the database. Every answer tells the
// snapshot's content version and how current it is (readyBody), so that
// an instance lagging behind the others shows.
func (s *server) ready(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	pingErr := s.db.Ping(ctx)
	body := newReadyBody(s.rm.Freshness(), time.Now())
	switch {
	case pingErr != nil:
		body.Status, body.Database = "unavailable", "unreachable"
	case !s.rm.Loaded():
		body.Status, body.Content = "unavailable", "not loaded"
	case body.AgeSeconds > maxSyncAge(s.cfg.SyncInterval).Seconds():
		body.Status, body.Content = "unavailable", "lagging"
	default:
		return c.JSON(body)
	}
	return c.Status(fiber.StatusServiceUnavailable).JSON(body)
}

// maxSyncAge is how long a snapshot may go unconfirmed before /readyz
// calls its instance lagging: ten polls, at least 30 s.
func maxSyncAge(interval time.Duration) time.Duration { return max(30*time.Second, 10*interval) }

// readyBody is the JSON of /readyz.
type readyBody struct {
	Status   string `json:"status"`             // "ok" or "unavailable"
	Database string `json:"database,omitempty"` // "unreachable"
	Content  string `json:"content,omitempty"`  // "not loaded", "lagging"
	// ContentVersion is the snapshot's content version: the same on every
	// instance in step.
	ContentVersion int64 `json:"contentVersion"`
	// BuiltAt is when the snapshot was swapped in.
	BuiltAt *time.Time `json:"builtAt"`
	// SyncedAt is when the snapshot was last known current; AgeSeconds is
	// how long ago that was (-1: never): below the sync interval on an
	// instance in step, growing while it cannot sync.
	SyncedAt   *time.Time `json:"syncedAt"`
	AgeSeconds float64    `json:"ageSeconds"`
}

func newReadyBody(f readmodel.Freshness, now time.Time) readyBody {
	b := readyBody{Status: "ok", ContentVersion: f.Version, AgeSeconds: -1}
	if !f.BuiltAt.IsZero() {
		t := f.BuiltAt.UTC().Truncate(time.Millisecond)
		b.BuiltAt = &t
	}
	if !f.SyncedAt.IsZero() {
		t := f.SyncedAt.UTC().Truncate(time.Millisecond)
		b.SyncedAt = &t
		b.AgeSeconds = math.Round(max(0, now.Sub(f.SyncedAt).Seconds())*1000) / 1000
	}
	return b
}

// webhookRelay is how this server relays webhook events: delivered
// through cms/webhook, a public post's data taken from the read model.
func (s *server) webhookRelay() cms.WebhookRelayConfig {
	w := s.cfg.Webhook
	return cms.WebhookRelayConfig{
		Sender:   webhook.New(webhook.Options{AllowPrivate: w.AllowPrivate, Timeout: w.Timeout}),
		Interval: w.Interval, Quiet: w.Quiet, Concurrency: w.Concurrency, AttemptTimeout: w.Timeout, TimeScale: w.RetryScale,
		PublicPost: s.rm.WebhookPost,
	}
}

// previews opens draft preview tokens for the public API: the domain
// verifies the token and reads the post, the read model shapes it.
type previews struct {
	*cms.Service
	*readmodel.ReadModel
}
