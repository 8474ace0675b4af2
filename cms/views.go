package cms

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ViewCount is the number of views of one post on one day (UTC,
// "YYYY-MM-DD"): a daily bucket of the post_views collection.
type ViewCount struct {
	PostID string `json:"postId"`
	Day    string `json:"day"`
	Views  int64  `json:"views"`
}

// DayFormat is the layout of view bucket days.
const DayFormat = "2006-01-02"

// Day returns t's UTC day as a bucket key.
func Day(t time.Time) string { return t.UTC().Format(DayFormat) }

// ViewWindow is a span of days popularity is counted over; 0 means every
// day.
type ViewWindow int

// The windows of GET /api/v1/posts?sort=popular&window=.
const (
	Window7d  ViewWindow = 7
	Window30d ViewWindow = 30
	WindowAll ViewWindow = 0
)

// String is the window's query value: "7d", "30d", "all".
func (w ViewWindow) String() string {
	if w <= 0 {
		return "all"
	}
	return strconv.Itoa(int(w)) + "d"
}

// ParseViewWindow reads "7d", "30d", "all", or any "<n>d" (1 to 3660).
func ParseViewWindow(s string) (ViewWindow, bool) {
	if s == "all" {
		return WindowAll, true
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
	if err != nil || !strings.HasSuffix(s, "d") || n < 1 || n > 3660 {
		return 0, false
	}
	return ViewWindow(n), true
}

// FromDay is the first day the window counts at now ("" for all).
func (w ViewWindow) FromDay(now time.Time) string {
	if w <= 0 {
		return ""
	}
	return Day(now.UTC().AddDate(0, 0, -(int(w) - 1)))
}

// Limits of the view counter.
const (
	// DefaultViewRate is how many beacons a client (one IP address) may
	// send per minute; the rest are dropped.
	DefaultViewRate = 60
	// maxSeenViews bounds the reader keys kept per day (16 bytes each);
	// past it new views are not counted until the next day.
	maxSeenViews = 2 << 20
	// maxRateClients bounds the clients tracked per minute.
	maxRateClients = 1 << 20
)

// ViewCounter counts reads of published posts: at most one view per
// reader (a salted hash of address, user agent and post, never stored
// with either) per post per day, whichever instance the reader reaches,
// bots ignored, each client rate-limited.
//
// Counting is in two stages, so that a beacon never waits for the
// database. Count checks the reader key against the keys this instance saw
// today, a first filter in memory, and queues a new one. Flush then claims
// the queued keys in the database, where every instance records the keys
// it saw (one document per key, its id the key, so the first insert wins),
// and adds only the keys it claimed first to the daily buckets. Run
// flushes periodically and deletes the keys of days that are over. It is
// safe for concurrent use.
type ViewCounter struct {
	store ViewStore
	log   *slog.Logger
	now   func() time.Time
	owner string // this counter's mark on the keys it claims

	saltMu  sync.Mutex              // serialises salt fetches
	cur     atomic.Pointer[daySalt] // today's salt
	mu      sync.Mutex              // guards seen, seenDay, queued and limit
	seen    map[[16]byte]struct{}   // reader keys of seenDay
	seenDay int64
	queued  map[[16]byte]queuedView // keys seen here, not claimed yet
	limit   minuteLimiter

	claimMu   sync.Mutex // one claim at a time; guards lastPrune
	lastPrune time.Time
	counts    *countBuffer[viewKey]
}

// queuedView is a reader key waiting for its claim.
type queuedView struct {
	viewKey
	retry bool // an earlier claim of it had no answer
}

// ViewClaim is what the shared record of reader keys said of one key.
type ViewClaim int8

const (
	// ClaimUnknown: the database did not answer; claim it again later.
	ClaimUnknown ViewClaim = iota
	// ClaimNew: the key is this counter's; its view counts.
	ClaimNew
	// ClaimSeen: another claim had the key first; the view does not count.
	ClaimSeen
)

// ViewKey is one reader's key of one post and day, as claimed in the
// shared record of readers (ViewStore.ClaimViewKeys).
type ViewKey struct {
	Day    string
	Reader [16]byte // salted hash of the reader and the post
	// Retry marks a key whose earlier claim by the same owner may have
	// been recorded without an answer: if it is found, by that owner, it
	// is the owner's.
	Retry bool
	Claim ViewClaim // set by the store
}

// Limits of the shared record of readers.
const (
	// viewClaimBatch is how many keys one store call claims.
	viewClaimBatch = 1000
	// viewPruneEvery is how often the keys of past days are deleted.
	viewPruneEvery = time.Hour
)

// maxHashedUA is the part of a user agent that tells readers apart.
const maxHashedUA = 512

var hashBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

type viewKey struct{ postID, day string }

// ViewCounterConfig wires a ViewCounter.
type ViewCounterConfig struct {
	Store  ViewStore
	Logger *slog.Logger
	Now    func() time.Time // default time.Now
	// RatePerMinute is how many beacons one client address may send per
	// minute (default DefaultViewRate).
	RatePerMinute int
}

// NewViewCounter checks cfg and returns a counter.
func NewViewCounter(cfg ViewCounterConfig) (*ViewCounter, error) {
	if cfg.Store == nil {
		return nil, errors.New("cms.NewViewCounter: Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RatePerMinute <= 0 {
		cfg.RatePerMinute = DefaultViewRate
	}
	owner := make([]byte, 12)
	if _, err := rand.Read(owner); err != nil {
		return nil, err
	}
	return &ViewCounter{store: cfg.Store, log: cfg.Logger, now: cfg.Now, owner: hex.EncodeToString(owner),
		limit: newMinuteLimiter(cfg.RatePerMinute), seen: map[[16]byte]struct{}{}, queued: map[[16]byte]queuedView{},
		counts: newCountBuffer[viewKey]()}, nil
}

// IsBot reports whether a user agent is empty or names a crawler, a link
// previewer, a headless browser or a scripting tool.
func IsBot(ua string) bool {
	if len(strings.TrimSpace(ua)) < 8 {
		return true
	}
	if len(ua) > maxHashedUA {
		ua = ua[:maxHashedUA]
	}
	var buf [maxHashedUA]byte
	lower := buf[:len(ua)]
	for i := 0; i < len(ua); i++ {
		c := ua[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, p := range botPatterns {
		if bytes.Contains(lower, p) {
			return true
		}
	}
	return false
}

// botPatterns are lower-case fragments of non-human user agents.
var botPatterns = func() [][]byte {
	list := []string{
		"bot", "crawl", "spider", "slurp", "preview", "headless", "curl", "wget", "python", "go-http-client",
		"java/", "okhttp", "libwww", "httpclient", "axios", "node-fetch", "undici", "scrapy", "phantomjs",
		"selenium", "puppeteer", "playwright", "lighthouse", "pingdom", "uptime", "monitor", "facebookexternalhit",
		"whatsapp", "embedly", "feedfetcher", "feed", "archiver", "wrk", "apachebench", "httpie", "postman",
	}
	out := make([][]byte, len(list))
	for i, p := range list {
		out[i] = []byte(p)
	}
	return out
}()

// ViewOutcome is what became of one read beacon.
type ViewOutcome int

const (
	// ViewCounted: the read was counted.
	ViewCounted ViewOutcome = iota
	// ViewBot: the client looks like a bot (IsBot); not counted.
	ViewBot
	// ViewRepeat: not counted because the reader was already counted
	// today for this post, or is over the rate limit, or the day's salt
	// could not be had. Which of these is not told, so that nobody learns
	// from outside who was counted.
	ViewRepeat
)

// Record counts a read of post postID by the client at ip with user agent
// ua, and reports whether it counted; Count says why not.
func (vc *ViewCounter) Record(ctx context.Context, postID, ip, ua string) bool {
	return vc.Count(ctx, postID, ip, ua) == ViewCounted
}

// Count counts a read of post postID by the client at ip with user agent
// ua: bots, clients over their rate, and readers this instance already
// counted today for this post are not; a reader counted today by another
// instance is dropped when Flush claims the key. It keeps neither ip nor
// ua, and writes nothing to the database, except to fetch the day's salt
// once a day.
func (vc *ViewCounter) Count(ctx context.Context, postID, ip, ua string) ViewOutcome {
	if IsBot(ua) {
		return ViewBot
	}
	now := vc.now()
	num := dayNumber(now)
	ds := vc.cur.Load()
	if ds == nil || ds.num != num {
		if err := vc.useDay(ctx, now); err != nil {
			vc.log.Warn("views: cannot get the day's salt; view dropped", "err", err)
			return ViewRepeat
		}
		if ds = vc.cur.Load(); ds == nil || ds.num != num {
			return ViewRepeat // the clock moved on meanwhile
		}
	}

	// Hash outside the lock (the salt of a day never changes), into a
	// pooled buffer: the beacon path allocates nothing. The rate limit's
	// client key is a keyed hash local to this process.
	if len(ua) > maxHashedUA {
		ua = ua[:maxHashedUA]
	}
	bp := hashBufs.Get().(*[]byte)
	buf := append((*bp)[:0], ds.salt...)
	buf = append(buf, ip...)
	buf = append(buf, 0)
	buf = append(buf, ua...)
	buf = append(buf, 0)
	buf = append(buf, postID...)
	sum := sha256.Sum256(buf)
	*bp = buf
	hashBufs.Put(bp)
	var key [16]byte
	copy(key[:], sum[:16])
	client := vc.limit.clientKey(ip)

	if !vc.firstToday(ds.num, viewKey{postID, ds.day}, key, client, now) {
		return ViewRepeat
	}
	return ViewCounted
}

// firstToday checks the client's allowance and reports whether reader key
// is new on day num, remembering it and queueing it with view for its
// claim. (view's strings outlive the request: the post id is the
// snapshot's, the day the salt's.)
func (vc *ViewCounter) firstToday(num int64, view viewKey, key [16]byte, client uint64, now time.Time) bool {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	switch {
	case num < vc.seenDay:
		return false // a late call from a day that is over
	case num > vc.seenDay:
		vc.seenDay = num
		vc.seen = map[[16]byte]struct{}{}
	}
	if !vc.limit.allow(client, now) {
		return false
	}
	if _, dup := vc.seen[key]; dup || len(vc.seen) >= maxSeenViews {
		return false
	}
	vc.seen[key] = struct{}{}
	vc.queued[key] = queuedView{viewKey: view}
	return true
}

// daySalt is the salt of one UTC day.
type daySalt struct {
	num  int64 // days since 1970-01-01
	day  string
	salt []byte
}

func dayNumber(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return (u - 86399) / 86400
	}
	return u / 86400
}

// useDay switches the counter to now's day, with that day's salt (fetched
// or made once for every instance).
func (vc *ViewCounter) useDay(ctx context.Context, now time.Time) error {
	vc.saltMu.Lock()
	defer vc.saltMu.Unlock()
	num := dayNumber(now)
	if cur := vc.cur.Load(); cur != nil && cur.num >= num {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	day := Day(now)
	salt, err := vc.store.ViewSalt(ctx, day, func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return err
	}
	vc.cur.Store(&daySalt{num: num, day: day, salt: salt})
	return nil
}

// Pending returns how many views are counted but not yet flushed (some
// of them may turn out to be readers another instance counted).
func (vc *ViewCounter) Pending() int64 {
	vc.mu.Lock()
	n := int64(len(vc.queued))
	vc.mu.Unlock()
	return n + vc.counts.pending()
}

// Flush claims the reader keys queued since the last flush and writes the
// views of those claimed first as $inc upserts of their daily buckets;
// about once an hour it also deletes the keys of days before yesterday.
// On error what was not written is kept for the next flush, so no view is
// lost and none is counted twice. Errors: those of the store
// (Unavailable, Internal).
func (vc *ViewCounter) Flush(ctx context.Context) error {
	vc.claimMu.Lock()
	err := vc.claim(ctx)
	vc.prune(ctx)
	vc.claimMu.Unlock()
	return errors.Join(err, vc.flushCounts(ctx))
}

// claim claims the queued keys in batches; the views of the keys claimed
// first go to the counts, keys without an answer are queued again.
func (vc *ViewCounter) claim(ctx context.Context) error {
	vc.mu.Lock()
	queued := vc.queued
	vc.queued = map[[16]byte]queuedView{}
	vc.mu.Unlock()
	if len(queued) == 0 {
		return nil
	}
	keys := make([]ViewKey, 0, min(len(queued), viewClaimBatch))
	views := make([]viewKey, 0, cap(keys))
	var errs []error
	claimBatch := func() {
		err := vc.store.ClaimViewKeys(ctx, vc.owner, keys)
		again := map[[16]byte]queuedView{}
		for i, k := range keys {
			switch k.Claim {
			case ClaimNew:
				vc.counts.add(views[i], nil)
			case ClaimUnknown:
				again[k.Reader] = queuedView{viewKey: views[i], retry: true}
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
		vc.requeue(again)
		keys, views = keys[:0], views[:0]
	}
	for key, q := range queued {
		keys = append(keys, ViewKey{Day: q.day, Reader: key, Retry: q.retry})
		views = append(views, q.viewKey)
		if len(keys) == viewClaimBatch {
			claimBatch()
		}
	}
	if len(keys) > 0 {
		claimBatch()
	}
	return errors.Join(errs...)
}

// requeue queues again the keys without an answer, unless their day is
// over: the record of a past day is deleted, so claiming it would count
// it again.
func (vc *ViewCounter) requeue(again map[[16]byte]queuedView) {
	if len(again) == 0 {
		return
	}
	yesterday := Day(vc.now().AddDate(0, 0, -1))
	vc.mu.Lock()
	defer vc.mu.Unlock()
	for key, q := range again {
		if q.day >= yesterday {
			vc.queued[key] = q
		}
	}
}

// prune deletes the reader keys of the days before yesterday, once per
// viewPruneEvery; a failure waits for the next time. The caller holds
// claimMu.
func (vc *ViewCounter) prune(ctx context.Context) {
	now := vc.now()
	if now.Sub(vc.lastPrune) < viewPruneEvery {
		return
	}
	if err := vc.store.DropViewKeys(ctx, Day(now.AddDate(0, 0, -1))); err != nil {
		vc.log.Warn("views: cannot delete the reader keys of past days", "err", err)
		return
	}
	vc.lastPrune = now
}

// flushCounts writes the counted views as $inc upserts of their daily
// buckets, keeping what it could not write.
func (vc *ViewCounter) flushCounts(ctx context.Context) error {
	return vc.counts.flush(ctx, func(ctx context.Context, counts map[viewKey]int64) (map[viewKey]int64, error) {
		list := make([]ViewCount, 0, len(counts))
		for k, n := range counts {
			list = append(list, ViewCount{PostID: k.postID, Day: k.day, Views: n})
		}
		err := vc.store.AddViews(ctx, list)
		if err == nil {
			return nil, nil
		}
		// AddViews zeroes the Views of the buckets it wrote before failing.
		for _, c := range list {
			counts[viewKey{c.PostID, c.Day}] = c.Views
		}
		return counts, err
	})
}

// Run flushes every interval until ctx ends; it does not flush at the
// end: call Flush once the server stopped taking beacons.
func (vc *ViewCounter) Run(ctx context.Context, interval time.Duration) {
	runFlushes(ctx, interval, vc.log, "views", vc.Flush)
}

// DayViews is a post's views on one day.
type DayViews struct {
	Day   string `json:"day"`
	Views int64  `json:"views"`
}

// PostViewsByDay returns the views of post postID on each of the last
// days days (today included), oldest first, with zero for days without
// views: the data of a dashboard chart. Errors: Invalid (days not 1 to
// 3660), Unavailable.
func (s *Service) PostViewsByDay(ctx context.Context, postID string, days int) ([]DayViews, error) {
	if days < 1 || days > 3660 {
		return nil, Problems{"days": "Must be a whole number from 1 to 3660."}.Err("cms.PostViewsByDay")
	}
	now := s.now().UTC()
	from := ViewWindow(days).FromDay(now)
	buckets, err := s.store.PostViews(ctx, strings.ToLower(postID), from)
	if err != nil {
		return nil, err
	}
	byDay := make(map[string]int64, len(buckets))
	for _, b := range buckets {
		byDay[b.Day] += b.Views
	}
	out := make([]DayViews, days)
	start := now.AddDate(0, 0, -(days - 1))
	for i := range out {
		d := Day(start.AddDate(0, 0, i))
		out[i] = DayViews{Day: d, Views: byDay[d]}
	}
	return out, nil
}

// SumViews returns each post's views over the days of byDay (post id ->
// day -> views, as ViewStore.ViewsByDay gives them) from fromDay on ("":
// every day).
func SumViews(byDay map[string]map[string]int64, fromDay string) map[string]int64 {
	out := make(map[string]int64, len(byDay))
	for id, days := range byDay {
		for day, n := range days {
			if day >= fromDay {
				out[id] += n
			}
		}
	}
	return out
}

// TopPostDays is one of the most viewed posts of a span of days, with its
// views on each of those days.
type TopPostDays struct {
	PostViews
	Days []DayViews // oldest first, with zero for days without views
}

// TopPostsByDay returns the limit most viewed posts (any state) of the
// last days days (today included), most viewed first, each with its views
// on each of those days: the data of the dashboard's chart, from one read
// of the counts. Errors: Invalid (days not 1 to 3660, limit not 1 to
// 1000), Unavailable.
func (s *Service) TopPostsByDay(ctx context.Context, days, limit int) ([]TopPostDays, error) {
	p := Problems{}
	if days < 1 || days > 3660 {
		p["days"] = "Must be a whole number from 1 to 3660."
	}
	if limit < 1 || limit > 1000 {
		p["limit"] = "Must be a whole number from 1 to 1000."
	}
	if len(p) > 0 {
		return nil, p.Err("cms.TopPostsByDay")
	}
	now := s.now().UTC()
	byPost, err := s.store.ViewsByDay(ctx, ViewWindow(days).FromDay(now))
	if err != nil {
		return nil, err
	}
	ranked := RankViews(SumViews(byPost, ""))
	if len(ranked) > limit {
		ranked = ranked[:limit]
	}
	start := now.AddDate(0, 0, -(days - 1))
	out := make([]TopPostDays, len(ranked))
	for i, pv := range ranked {
		out[i] = TopPostDays{PostViews: pv, Days: make([]DayViews, days)}
		for j := range out[i].Days {
			d := Day(start.AddDate(0, 0, j))
			out[i].Days[j] = DayViews{Day: d, Views: byPost[pv.PostID][d]}
		}
	}
	return out, nil
}

// PostViews is a post's total views over a window.
type PostViews struct {
	PostID string `json:"postId"`
	Views  int64  `json:"views"`
}

// TopPosts returns the limit most viewed posts (any state) over window,
// most viewed first. Errors: Invalid (limit not 1 to 1000), Unavailable.
func (s *Service) TopPosts(ctx context.Context, window ViewWindow, limit int) ([]PostViews, error) {
	if limit < 1 || limit > 1000 {
		return nil, Problems{"limit": "Must be a whole number from 1 to 1000."}.Err("cms.TopPosts")
	}
	totals, err := s.store.ViewTotals(ctx, window.FromDay(s.now()))
	if err != nil {
		return nil, err
	}
	out := RankViews(totals)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// RankViews orders totals, most viewed first, then by id.
func RankViews(totals map[string]int64) []PostViews {
	out := make([]PostViews, 0, len(totals))
	for id, n := range totals {
		if n > 0 {
			out = append(out, PostViews{PostID: id, Views: n})
		}
	}
	slices.SortFunc(out, func(a, b PostViews) int {
		if c := cmp.Compare(b.Views, a.Views); c != 0 {
			return c
		}
		return cmp.Compare(a.PostID, b.PostID)
	})
	return out
}
