package refcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Status is a reference's health.
type Status string

// The statuses, from the work's update relations and the link's state.
const (
	StatusOK        Status = "ok"
	StatusCorrected Status = "corrected"
	StatusConcern   Status = "concern"
	StatusWithdrawn Status = "withdrawn"
	StatusRetracted Status = "retracted"
	StatusBroken    Status = "broken"
	StatusArchived  Status = "archived" // the link is not ok; an archived copy is used
)

// Link is what the web URL (or the DOI's resolution) was found to be.
type Link string

// The link states.
const (
	LinkOK      Link = "ok"
	LinkBroken  Link = "broken"  // 4xx/5xx, DNS failure, connection refused
	LinkMoved   Link = "moved"   // redirected to another registrable domain
	LinkSoft404 Link = "soft404" // 200 saying "not found", or sent to the home page
)

// Validators are what a server said last time, sent back to make the next
// request conditional.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// Reference is one reference to check and what is known of it.
type Reference struct {
	DOI      string    // bare DOI, e.g. 10.1016/S0140-6736(97)11096-0
	URL      string    // web URL, http or https
	Accessed time.Time // when the author read the page; the archive copy closest to it is chosen
	Previous *Result   // the last result, if any
}

// Result is the outcome of one check.
type Result struct {
	Status     Status `json:"status"`
	Notice     string `json:"notice,omitempty"`     // e.g. "Retracted on 2010-02-02, see doi:10.1016/…"
	NoticeDOI  string `json:"noticeDoi,omitempty"`  // the retraction, correction … notice
	NoticeDate string `json:"noticeDate,omitempty"` // YYYY-MM-DD
	Link       Link   `json:"link,omitempty"`       // state of the web URL
	// DOIUnregistered is set when doi.org does not know the DOI.
	DOIUnregistered bool       `json:"doiUnregistered,omitempty"`
	Detail          string     `json:"detail,omitempty"` // e.g. "HTTP 404", "redirected to example.org"
	ArchiveURL      string     `json:"archiveUrl,omitempty"`
	ArchiveDate     string     `json:"archiveDate,omitempty"` // YYYY-MM-DD
	CheckedAt       time.Time  `json:"checkedAt"`
	Crossref        Validators `json:"crossref"` // send next time to Crossref
	Page            Validators `json:"page"`     // send next time to the web page
	// TryLater is set when a service asked to be left alone (429, 503) or
	// failed; the other fields then keep the previous result.
	TryLater   bool          `json:"-"`
	RetryAfter time.Duration `json:"-"`
	// Why says, with TryLater, what went wrong ("api.crossref.org
	// answered 429").
	Why string `json:"-"`
}

// Config configures a Checker. Its zero value fetches nothing.
type Config struct {
	CrossrefBase string // e.g. https://api.crossref.org; empty: no Crossref
	DOIBase      string // e.g. https://doi.org; empty: DOIs are not resolved
	WaybackBase  string // e.g. https://archive.org; empty: no archived copies
	CheckLinks   bool   // fetch references' web pages
	Contact      string // mailto address for the User-Agent (Crossref's polite pool)
	Version      string // Lullaby's version for the User-Agent

	Client   *http.Client             // default: a client with Timeout; callers pass a netguard client
	Timeout  time.Duration            // per request, default 15 s
	MaxBody  int64                    // bytes read of any answer, default 1 MiB
	Interval time.Duration            // between requests to one host, default 1 s
	PerHost  map[string]time.Duration // interval overrides by host name

	Now   func() time.Time                           // default time.Now
	Sleep func(context.Context, time.Duration) error // default a timer honouring ctx
}

// Defaults returns a Config pointing at the public services.
func Defaults(contact string) Config {
	return Config{
		CrossrefBase: "https://api.crossref.org",
		DOIBase:      "https://doi.org",
		WaybackBase:  "https://archive.org",
		CheckLinks:   true,
		Contact:      contact,
	}
}

// Checker checks references. It is safe for concurrent use.
type Checker struct {
	cfg   Config
	ua    string
	limit *limiter
}

// New returns a Checker for cfg, filling in the defaults.
func New(cfg Config) *Checker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	for _, b := range []*string{&cfg.CrossrefBase, &cfg.DOIBase, &cfg.WaybackBase} {
		*b = strings.TrimRight(*b, "/")
	}
	version := cfg.Version
	if version == "" {
		version = "1"
	}
	ua := "Lullaby/" + version + " (https://github.com/lullabycms/lullaby"
	if cfg.Contact != "" {
		ua += "; mailto:" + cfg.Contact
	}
	ua += ")"
	interval := func(host string) time.Duration {
		if d, ok := cfg.PerHost[host]; ok && d > 0 {
			return d
		}
		return cfg.Interval
	}
	return &Checker{cfg: cfg, ua: ua, limit: newLimiter(interval, cfg.Now, cfg.Sleep)}
}

// Enabled says whether the Checker fetches anything at all.
func (c *Checker) Enabled() bool {
	return c.cfg.CrossrefBase != "" || c.cfg.DOIBase != "" || c.cfg.WaybackBase != "" || c.cfg.CheckLinks
}

// errTryLater is wrapped when a service asked to be left alone or failed.
type errTryLater struct {
	after time.Duration
	why   string
}

func (e *errTryLater) Error() string { return "try later: " + e.why }

// Check checks one reference. An error is returned only when ctx ends;
// a busy or failing service gives a Result with TryLater set.
func (c *Checker) Check(ctx context.Context, ref Reference) (Result, error) {
	prev := Result{Status: StatusOK}
	if ref.Previous != nil {
		prev = *ref.Previous
	}
	res := Result{Status: StatusOK, Crossref: prev.Crossref, Page: prev.Page}
	if !c.Enabled() {
		return prev, nil
	}
	err := c.checkDOI(ctx, ref, prev, &res)
	if err == nil {
		err = c.checkURL(ctx, ref, &res)
	}
	var later *errTryLater
	switch {
	case errors.As(err, &later):
		prev.TryLater, prev.RetryAfter, prev.Why = true, later.after, later.why
		return prev, nil
	case err != nil:
		return prev, err
	}
	res.CheckedAt = c.cfg.Now().UTC()
	return res, nil
}

// get makes one polite GET; the caller closes the body. A 429, or a 503
// with Retry-After, backs the host off and returns errTryLater.
func (c *Checker) get(ctx context.Context, raw string, v Validators, accept string) (*http.Response, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("not an http(s) URL: %q", raw)
	}
	host := u.Hostname()
	if err := c.limit.wait(ctx, host); err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, raw, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("User-Agent", c.ua)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	ra := resp.Header.Get("Retry-After")
	if resp.StatusCode == http.StatusTooManyRequests || (resp.StatusCode == http.StatusServiceUnavailable && ra != "") {
		resp.Body.Close()
		d := retryAfter(ra, c.cfg.Now())
		c.limit.backOff(host, d)
		return nil, &errTryLater{after: d, why: fmt.Sprintf("%s answered %d", host, resp.StatusCode)}
	}
	if resp.StatusCode < 400 {
		c.limit.recovered(host)
	}
	return resp, nil
}

// read reads at most MaxBody bytes of body.
func (c *Checker) read(body io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(body, c.cfg.MaxBody))
}

// retryAfter reads a Retry-After header (seconds or an HTTP date),
// 30 s when absent or unreadable, at most an hour.
func retryAfter(h string, now time.Time) time.Duration {
	d := 30 * time.Second
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(now), 0)
	}
	return min(d, time.Hour)
}

// validators reads the validators of an answer.
func validators(h http.Header) Validators {
	return Validators{ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified")}
}

// cancelBody cancels a request's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
