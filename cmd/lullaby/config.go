package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// setting is one configuration value: read from its environment variable,
// overridable by its flag, listed by --help. This table is the only place
// the program reads its environment.
type setting struct {
	env, flag, def, help string
	target               *string
}

// config is the server's configuration, as strings checked by parse.
type config struct {
	Addr            string
	DataDir         string
	MongoURI        string
	Database        string
	LogLevel        string
	LogFormat       string
	JWTSecret       string
	JWTSecretFile   string
	SyncInterval    time.Duration
	SchedulerEvery  time.Duration
	CORSOrigins     []string
	TrustedProxies  []string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	BodyLimitMB     int
	MaxUploadMB     int
	// MaxImportMB bounds a WordPress export uploaded in the panel or
	// through the admin API.
	MaxImportMB int
	Demo        bool
	// PublicURL is the base URL at which readers' browsers reach this
	// server (no trailing slash): image and media URLs in the public API
	// start with it.
	PublicURL string
	// publicURLDerived: PublicURL was not set but made from Addr, so it
	// follows the port actually bound (see watchListenPort).
	publicURLDerived bool
	// DBDebugAddr is a loopback address on which the embedded database
	// also listens, without authentication, for this run ("" for none).
	DBDebugAddr string
	// CrossrefURL is the base URL of Crossref's REST API for looking DOIs
	// up when importing references; "" (the default) turns lookups off.
	CrossrefURL string
	// NCBIURL, PMCIDConvURL, NCBIAPIKey and NCBIEmail configure PubMed
	// lookups (NCBIURL "" turns them off); OpenLibraryURL ISBN lookups.
	NCBIURL, PMCIDConvURL, NCBIAPIKey, NCBIEmail, OpenLibraryURL string
	// ViewsFlushEvery is how often counted views are written to the
	// database; PopularWindow the span of the popular list;
	// PopularEvery how often popularity is recomputed.
	ViewsFlushEvery time.Duration
	PopularWindow   cms.ViewWindow
	PopularEvery    time.Duration
	// PreviewTTL is how long a draft preview token works.
	PreviewTTL time.Duration

	// The view settings as read, before parse.
	viewsFlushStr, popularWindowStr, popularEveryStr string
	previewTTLStr                                    string

	// BackupDir is the folder of the scheduled backups ("" for none);
	// they run daily at BackupAt past midnight in BackupZone, or every
	// BackupEvery when set, and the newest BackupKeep are kept.
	BackupDir   string
	BackupAt    time.Duration
	BackupZone  *time.Location
	BackupEvery time.Duration
	BackupKeep  int

	// The backup settings as read, before parse.
	backupAtStr, backupEveryStr, backupKeepStr string

	// Webhooks (config_webhook.go).
	Webhook webhookConfig
	// The reference checker (config_refcheck.go).
	RefCheck refCheckConfig

	// MemoryLimit is the soft limit of the Go runtime's memory in bytes
	// (runtime/debug.SetMemoryLimit); 0 leaves the runtime's own (none, or
	// GOMEMLIMIT's).
	MemoryLimit    int64
	memoryLimitStr string

	// The settings as read, before parse.
	syncStr, schedStr, corsStr, proxiesStr, reqTimeoutStr, shutdownStr, bodyStr, uploadStr, importStr string
}

func (c *config) settings() []setting {
	return append([]setting{
		{"LULLABY_ADDR", "addr", ":8080", "address to listen on (host:port)", &c.Addr},
		{"LULLABY_DATA_DIR", "data-dir", "./data", "folder of the embedded database (unused with LULLABY_MONGODB_URI)", &c.DataDir},
		{"LULLABY_MONGODB_URI", "mongodb-uri", "", "MongoDB connection string (MongoDB 7+ replica set); empty runs the embedded database", &c.MongoURI},
		{"LULLABY_MONGODB_DATABASE", "mongodb-database", "", "database name (default: the one in the URI, else lullaby)", &c.Database},
		{"LULLABY_LOG_LEVEL", "log-level", "info", "debug, info, warn or error (debug also shows the embedded database's logs)", &c.LogLevel},
		{"LULLABY_LOG_FORMAT", "log-format", "text", "text or json", &c.LogFormat},
		{"LULLABY_JWT_SECRET", "", "", "key (>= 32 bytes, or base64:<bytes>) signing admin sessions and CSRF tokens; default: the file jwt.key in the data folder, made at first start; required (or the next) with LULLABY_MONGODB_URI", &c.JWTSecret},
		{"LULLABY_JWT_SECRET_FILE", "", "", "file holding that key (e.g. a Docker secret), instead of LULLABY_JWT_SECRET", &c.JWTSecretFile},
		{"LULLABY_DB_DEBUG_ADDR", "db-debug-addr", "", "also open the embedded database on this loopback address for this run, e.g. 127.0.0.1:27017, to look inside with mongosh (no authentication: anyone on the machine can then read and change everything)", &c.DBDebugAddr},
		{"LULLABY_SYNC_INTERVAL", "sync-interval", "1s", "how often to check for content changed by other instances", &c.syncStr},
		{"LULLABY_SCHEDULER_INTERVAL", "scheduler-interval", "5s", "how often to publish scheduled posts that are due", &c.schedStr},
		{"LULLABY_CORS_ORIGINS", "cors-origins", "", "comma-separated origins allowed to call the public API, * for any (also editable in the settings; none anywhere allows any)", &c.corsStr},
		{"LULLABY_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-For/-Proto headers are believed", &c.proxiesStr},
		{"LULLABY_REQUEST_TIMEOUT", "request-timeout", "10s", "longest time a request may spend on database work", &c.reqTimeoutStr},
		{"LULLABY_SHUTDOWN_TIMEOUT", "shutdown-timeout", "15s", "how long a shutdown waits for in-flight requests", &c.shutdownStr},
		{"LULLABY_BODY_LIMIT_MB", "body-limit-mb", "4", "largest request body accepted, in MiB (raised to fit uploads)", &c.bodyStr},
		{"LULLABY_MAX_UPLOAD_MB", "max-upload-mb", "20", "largest image upload accepted, in MiB", &c.uploadStr},
		{"LULLABY_MAX_IMPORT_MB", "max-import-mb", "512", "largest WordPress export accepted by the panel's Import screen and the admin API, in MiB (stored in a temporary file while it is imported)", &c.importStr},
		{"LULLABY_PUBLIC_URL", "public-url", "", "base URL at which readers' browsers reach this server, for absolute image URLs in the public API (default: http://localhost:<port of LULLABY_ADDR>)", &c.PublicURL},
		{"LULLABY_VIEWS_FLUSH_INTERVAL", "views-flush-interval", "5s", "how often post views counted in memory are written to the database (and at shutdown)", &c.viewsFlushStr},
		{"LULLABY_POPULAR_WINDOW", "popular-window", "30d", "span of the popular posts list: <n>d (e.g. 7d, 30d) or all", &c.popularWindowStr},
		{"LULLABY_POPULAR_INTERVAL", "popular-interval", "5m", "how often popular posts are recomputed from the view counts", &c.popularEveryStr},
		{"LULLABY_PREVIEW_TTL", "preview-ttl", "1h", "how long the link of \"Preview on site\" lets her frontend read a draft (at least 1s, at most 720h)", &c.previewTTLStr},
		{"LULLABY_CROSSREF_URL", "crossref-url", "", "Crossref REST API for looking DOIs up when importing references and, with LULLABY_REFCHECK=on, for their retractions and corrections, e.g. https://api.crossref.org (empty: off)", &c.CrossrefURL},
		{"LULLABY_NCBI_URL", "ncbi-url", "", "NCBI E-utilities for looking PMIDs and PMCIDs up when importing references, e.g. " + cms.DefaultNCBIURL + " (empty: off)", &c.NCBIURL},
		{"LULLABY_NCBI_IDCONV_URL", "ncbi-idconv-url", "", "PMC ID Converter that turns a PMCID into its PMID (empty: " + cms.DefaultPMCIDConvURL + ")", &c.PMCIDConvURL},
		{"LULLABY_NCBI_API_KEY", "", "", "NCBI API key (optional): 10 PubMed requests a second instead of 3; never logged", &c.NCBIAPIKey},
		{"LULLABY_NCBI_EMAIL", "ncbi-email", "", "contact address sent to NCBI with each request, as NCBI asks (optional)", &c.NCBIEmail},
		{"LULLABY_OPENLIBRARY_URL", "openlibrary-url", "", "Open Library for looking ISBNs up when importing references, e.g. " + cms.DefaultOpenLibraryURL + " (empty: off)", &c.OpenLibraryURL},
		{"LULLABY_MEMORY_LIMIT", "memory-limit", "", "soft limit of the server's memory, e.g. 200MiB or 1GiB (at least 32MiB): the garbage collector works harder near it and hands memory back to the system sooner; set it well above what the content needs, or it costs speed (see README, Performance); empty: none (or GOMEMLIMIT's)", &c.memoryLimitStr},
		{"LULLABY_BACKUP_DIR", "backup-dir", "", "folder for scheduled backups (empty: off); each is an export with users' password hashes, mode 0600", &c.BackupDir},
		{"LULLABY_BACKUP_AT", "backup-at", "03:00", "time of day of the daily backup: HH:MM in UTC, or HH:MM and a time zone, e.g. 03:00 Europe/Berlin", &c.backupAtStr},
		{"LULLABY_BACKUP_KEEP", "backup-keep", "14", "how many backups to keep; older ones (only files named lullaby-backup-<time>.tar.gz) are deleted", &c.backupKeepStr},
		{"LULLABY_BACKUP_EVERY", "backup-every", "", "for tests and unusual set-ups: back up at this interval (at least 1s, e.g. 6h) instead of daily at LULLABY_BACKUP_AT", &c.backupEveryStr},
	}, append(c.Webhook.settings(), c.RefCheck.settings()...)...)
}

// loadConfig reads the environment, then the flags in args.
func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		*s.target = v
		if s.flag != "" {
			fs.StringVar(s.target, s.flag, v, s.help)
		}
	}
	fs.BoolVar(&c.Demo, "demo", false, "load sample posts, categories and settings when the database has no posts")
	fs.Usage = func() { usage(stderr, name, c) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.parse()
}

func (c *config) parse() error {
	var v values
	c.SyncInterval = v.duration("LULLABY_SYNC_INTERVAL", c.syncStr, 10*time.Millisecond)
	c.SchedulerEvery = v.duration("LULLABY_SCHEDULER_INTERVAL", c.schedStr, 10*time.Millisecond)
	c.RequestTimeout = v.duration("LULLABY_REQUEST_TIMEOUT", c.reqTimeoutStr, 100*time.Millisecond)
	c.ShutdownTimeout = v.duration("LULLABY_SHUTDOWN_TIMEOUT", c.shutdownStr, 0)
	c.ViewsFlushEvery = v.duration("LULLABY_VIEWS_FLUSH_INTERVAL", c.viewsFlushStr, 10*time.Millisecond)
	c.PopularEvery = v.duration("LULLABY_POPULAR_INTERVAL", c.popularEveryStr, 10*time.Millisecond)
	if c.PreviewTTL = v.duration("LULLABY_PREVIEW_TTL", c.previewTTLStr, time.Second); c.PreviewTTL > 720*time.Hour {
		v.fail("LULLABY_PREVIEW_TTL: %q is longer than 720h", c.previewTTLStr)
	}
	if w, ok := cms.ParseViewWindow(strings.TrimSpace(c.popularWindowStr)); ok {
		c.PopularWindow = w
	} else {
		v.fail("LULLABY_POPULAR_WINDOW: %q is not <n>d (1 to 3660 days, e.g. 30d) or all", c.popularWindowStr)
	}
	c.MemoryLimit = v.size("LULLABY_MEMORY_LIMIT", c.memoryLimitStr, minMemoryLimit)
	c.BodyLimitMB = v.count("LULLABY_BODY_LIMIT_MB", c.bodyStr, 1, 1024)
	c.MaxUploadMB = v.count("LULLABY_MAX_UPLOAD_MB", c.uploadStr, 1, 1024)
	c.MaxImportMB = v.count("LULLABY_MAX_IMPORT_MB", c.importStr, 1, 1024)
	if v.err != nil {
		return v.err
	}
	c.CORSOrigins = splitList(c.corsStr)
	c.TrustedProxies = splitList(c.proxiesStr)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("LULLABY_LOG_LEVEL: %q is not one of debug, info, warn, error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("LULLABY_LOG_FORMAT: %q is not text or json", c.LogFormat)
	}
	if c.JWTSecret != "" {
		if c.JWTSecretFile != "" {
			return errors.New("set LULLABY_JWT_SECRET or LULLABY_JWT_SECRET_FILE, not both")
		}
		if _, err := parseKey("LULLABY_JWT_SECRET", c.JWTSecret); err != nil {
			return err
		}
	}
	if c.DBDebugAddr != "" && c.MongoURI != "" {
		return errors.New("LULLABY_DB_DEBUG_ADDR opens the embedded database: it cannot be used with LULLABY_MONGODB_URI")
	}
	for _, s := range []struct {
		env, example string
		v            *string
	}{
		{"LULLABY_CROSSREF_URL", "https://api.crossref.org", &c.CrossrefURL},
		{"LULLABY_NCBI_URL", cms.DefaultNCBIURL, &c.NCBIURL},
		{"LULLABY_NCBI_IDCONV_URL", cms.DefaultPMCIDConvURL, &c.PMCIDConvURL},
		{"LULLABY_OPENLIBRARY_URL", cms.DefaultOpenLibraryURL, &c.OpenLibraryURL},
		{"LULLABY_DOI_URL", "https://doi.org", &c.RefCheck.DOIURL},
		{"LULLABY_WAYBACK_URL", "https://archive.org", &c.RefCheck.WaybackURL},
	} {
		raw := strings.TrimSpace(*s.v)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("%s: %q is not an http:// or https:// URL (e.g. %s)", s.env, raw, s.example)
		}
		*s.v = raw
		if s.env != "LULLABY_NCBI_IDCONV_URL" { // its documented address ends in "/"
			*s.v = strings.TrimRight(raw, "/")
		}
	}
	c.NCBIAPIKey, c.NCBIEmail = strings.TrimSpace(c.NCBIAPIKey), strings.TrimSpace(c.NCBIEmail)
	if strings.ContainsFunc(c.NCBIAPIKey+c.NCBIEmail, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("LULLABY_NCBI_API_KEY and LULLABY_NCBI_EMAIL cannot contain spaces or control characters")
	}
	if err := c.parseBackup(); err != nil {
		return err
	}
	if err := c.Webhook.parse(); err != nil {
		return err
	}
	if err := c.RefCheck.parse(); err != nil {
		return err
	}
	return c.parsePublicURL()
}

// values reads settings' values into their types and keeps the first
// problem, worded the same for every setting of a kind.
type values struct{ err error }

// fail records a problem unless one is recorded already.
func (v *values) fail(format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf(format, args...)
	}
}

// duration is s, the value of env, as a duration of at least min.
func (v *values) duration(env, s string, min time.Duration) time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < min {
		v.fail("%s: %q is not a duration of at least %s (e.g. 1s, 500ms)", env, s, min)
	}
	return d
}

// count is s, the value of env, as a whole number from lo to hi.
func (v *values) count(env, s string, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		v.fail("%s: %q is not a whole number from %d to %d", env, s, lo, hi)
	}
	return n
}

// minMemoryLimit is the lowest LULLABY_MEMORY_LIMIT: below it the server
// would spend its time collecting garbage.
const minMemoryLimit = 32 << 20

// sizeUnits are the units of a size setting, as GOMEMLIMIT spells them.
var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"B", 0}}

// size is s, the value of env, as a number of bytes of at least min given
// with a unit (e.g. 200MiB); "" is 0 (none).
func (v *values) size(env, s string, min int64) int64 {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0
	}
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(t, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err == nil && n > 0 && n <= math.MaxInt64>>u.shift && n<<u.shift >= min {
			return n << u.shift
		}
		break
	}
	v.fail("%s: %q is not a size of at least %dMiB with its unit, e.g. 200MiB or 1GiB", env, s, min>>20)
	return 0
}

// parseBackup checks the backup settings.
func (c *config) parseBackup() error {
	at := strings.Fields(c.backupAtStr)
	if len(at) < 1 || len(at) > 2 || len(at[0]) != len("15:04") {
		return fmt.Errorf("LULLABY_BACKUP_AT: %q is not HH:MM, optionally followed by a time zone (e.g. 03:00 or 03:00 Europe/Berlin)", c.backupAtStr)
	}
	t, err := time.Parse("15:04", at[0])
	if err != nil {
		return fmt.Errorf("LULLABY_BACKUP_AT: %q is not a time of day from 00:00 to 23:59", at[0])
	}
	c.BackupAt = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	c.BackupZone = time.UTC
	if len(at) == 2 {
		loc, err := time.LoadLocation(at[1])
		if err != nil || at[1] == "Local" {
			return fmt.Errorf("LULLABY_BACKUP_AT: %q is not a time zone name such as UTC or Europe/Berlin", at[1])
		}
		c.BackupZone = loc
	}
	var v values
	c.BackupKeep = v.count("LULLABY_BACKUP_KEEP", c.backupKeepStr, 1, 10000)
	c.BackupEvery = 0
	if strings.TrimSpace(c.backupEveryStr) != "" { // empty: daily at BackupAt
		c.BackupEvery = v.duration("LULLABY_BACKUP_EVERY", c.backupEveryStr, time.Second)
	}
	if v.err != nil {
		return v.err
	}
	if c.BackupDir = strings.TrimSpace(c.BackupDir); c.BackupDir != "" {
		abs, err := filepath.Abs(c.BackupDir)
		if err != nil {
			return fmt.Errorf("LULLABY_BACKUP_DIR: %w", err)
		}
		c.BackupDir = abs
	}
	return nil
}

// parsePublicURL checks LULLABY_PUBLIC_URL (an absolute http(s) URL with
// no query or fragment; a trailing slash is dropped), or derives it from
// LULLABY_ADDR when empty.
func (c *config) parsePublicURL() error {
	raw := strings.TrimSpace(c.PublicURL)
	if raw == "" {
		// An address that is not host:port fails at listen, with its own
		// message; the subcommands that do not listen need no URL.
		c.PublicURL, _ = derivePublicURL(c.Addr)
		c.publicURLDerived = true
		return nil
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("LULLABY_PUBLIC_URL: %q is not an absolute http:// or https:// URL (e.g. https://cms.example.com)", raw)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(raw, "?#"):
		return fmt.Errorf("LULLABY_PUBLIC_URL: %q must not have a query or a fragment", raw)
	case u.User != nil:
		return fmt.Errorf("LULLABY_PUBLIC_URL: %q must not carry a user name or password", raw)
	}
	c.PublicURL = strings.TrimRight(raw, "/")
	return nil
}

// derivePublicURL makes http://<host>:<port> from a listen address; an
// empty or unspecified host (0.0.0.0, ::) becomes localhost. A named host
// stays: the panel's preview, opened at that host, may load only images
// of its own origin.
func derivePublicURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("%q is not host:port", addr)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func usage(w io.Writer, name string, c *config) {
	fmt.Fprintf(w, "Usage: lullaby %s [flags]\n\nStarts the CMS: admin panel at /admin, public API at /api/v1.\n\nSettings (environment variable, flag, default):\n\n", name)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range c.settings() {
		fl := "-"
		if s.flag != "" {
			fl = "--" + s.flag
		}
		def := s.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.env, fl, def, s.help)
	}
	fmt.Fprintf(tw, "  -\t--demo\tfalse\tload sample content when there are no posts\n")
	tw.Flush()
}

// bodyLimit returns the app-wide request body limit in bytes: the
// configured one, raised when needed to fit an upload and its multipart
// framing (1 MiB). JSON routes keep their own 2 MiB limit.
func (c *config) bodyLimit() int {
	return max(c.BodyLimitMB<<20, c.MaxUploadMB<<20+1<<20)
}
