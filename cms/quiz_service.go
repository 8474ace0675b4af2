package cms

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// QuizResultCount is how many readers got one result in one age band of
// one quiz on one day (UTC, "YYYY-MM-DD"): a quiz_results bucket. Nothing
// else about them is kept.
type QuizResultCount struct {
	Slug   string `json:"slug"`
	Day    string `json:"day"`
	Band   string `json:"band"` // QuizBand.Key(), e.g. "12-35"
	Result string `json:"result"`
	Count  int64  `json:"count"`
}

// GetQuiz returns the quiz with the slug. The built-in Nap Quiz is
// created on first read when missing. Errors: NotFound, Unavailable,
// Internal.
func (s *Service) GetQuiz(ctx context.Context, slug string) (*Quiz, error) {
	q, err := s.store.GetQuiz(ctx, slug)
	if !IsKind(err, KindNotFound) || slug != NapQuizSlug {
		return q, err
	}
	cites, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	q = DefaultNapQuiz(cites)
	now := s.timeNow()
	q.Version, q.CreatedAt, q.UpdatedAt = 1, now, now
	if err := s.store.CreateQuiz(ctx, q); err != nil {
		if IsKind(err, KindConflict) { // another instance created it first
			return s.store.GetQuiz(ctx, slug)
		}
		return nil, err
	}
	return q, nil
}

// QuizInput is a whole quiz definition as edited: everything but the
// slug and timestamps, with the version the edit started from.
type QuizInput struct {
	Title     string         `json:"title"`
	Intro     string         `json:"intro"`
	Questions []QuizQuestion `json:"questions"`
	Bands     []QuizBand     `json:"bands"`
	Results   QuizResults    `json:"results"`
	Version   *int           `json:"version"`
}

// UpdateQuiz replaces the definition of quiz slug with in (whole) and
// publishes it: the public API evaluates with it at once. Errors:
// Forbidden (no actor), Invalid (naming fields such as
// "bands[2].maxHours" or "version"), NotFound, Conflict (stale version),
// Unavailable.
func (s *Service) UpdateQuiz(ctx context.Context, actor *User, slug string, in QuizInput) (*Quiz, error) {
	const op = "cms.UpdateQuiz"
	if actor == nil {
		return nil, forbidden(op, "Sign in to edit the quiz.")
	}
	prev, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	cur, err := s.GetQuiz(ctx, slug)
	if err != nil {
		return nil, err
	}
	if cur.Version != prev {
		return nil, staleError(op, cur.Version)
	}
	next := &Quiz{Slug: cur.Slug, Title: strings.TrimSpace(in.Title), Intro: strings.TrimSpace(in.Intro),
		Questions: in.Questions, Bands: in.Bands, Results: in.Results, CreatedAt: cur.CreatedAt}
	next = next.Clone()
	for i := range next.Bands {
		next.Bands[i].CitationIDs = normalizeIDs(next.Bands[i].CitationIDs)
	}
	if err := next.Validate(); err != nil {
		return nil, err
	}
	next.Version, next.UpdatedAt = prev+1, s.timeNow()
	if err := s.store.UpdateQuiz(ctx, next, prev); err != nil {
		return nil, err
	}
	s.published(ctx)
	return next, nil
}

func normalizeIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// QuizDayStats is a quiz's result counts on one day.
type QuizDayStats struct {
	Day    string          `json:"day"`
	Total  int64           `json:"total"`
	Counts []QuizBandCount `json:"counts"` // by band key, then result
}

// QuizBandCount is how many readers of one band got one result.
type QuizBandCount struct {
	Band   string `json:"band"`
	Result string `json:"result"`
	Count  int64  `json:"count"`
}

// QuizStats returns the counts of quiz slug on each of the last days days
// (today included), oldest first, with empty days too: the data of the
// dashboard's chart. Errors: Invalid (days not 1 to 3660), Unavailable.
func (s *Service) QuizStats(ctx context.Context, slug string, days int) ([]QuizDayStats, error) {
	if days < 1 || days > 3660 {
		return nil, Problems{"days": "Must be a whole number from 1 to 3660."}.Err("cms.QuizStats")
	}
	now := s.now().UTC()
	buckets, err := s.store.QuizResultCounts(ctx, slug, ViewWindow(days).FromDay(now))
	if err != nil {
		return nil, err
	}
	byDay := map[string]map[[2]string]int64{}
	for _, b := range buckets {
		m := byDay[b.Day]
		if m == nil {
			m = map[[2]string]int64{}
			byDay[b.Day] = m
		}
		m[[2]string{b.Band, b.Result}] += b.Count
	}
	out := make([]QuizDayStats, days)
	start := now.AddDate(0, 0, -(days - 1))
	for i := range out {
		d := Day(start.AddDate(0, 0, i))
		st := QuizDayStats{Day: d, Counts: []QuizBandCount{}}
		for k, n := range byDay[d] {
			st.Counts = append(st.Counts, QuizBandCount{Band: k[0], Result: k[1], Count: n})
			st.Total += n
		}
		slices.SortFunc(st.Counts, func(a, b QuizBandCount) int {
			if c := bandOrder(a.Band) - bandOrder(b.Band); c != 0 {
				return c
			}
			return resultOrder(a.Result) - resultOrder(b.Result)
		})
		out[i] = st
	}
	return out, nil
}

// bandOrder sorts band keys ("12-35") by their first month.
func bandOrder(key string) int {
	n := 0
	for i := 0; i < len(key) && key[i] >= '0' && key[i] <= '9'; i++ {
		n = n*10 + int(key[i]-'0')
	}
	return n
}

func resultOrder(r string) int {
	switch r {
	case ResultBelow:
		return 0
	case ResultWithin:
		return 1
	}
	return 2
}

// DefaultQuizRate is how many answers one client may send per minute.
const DefaultQuizRate = 30

// QuizCounter counts quiz results anonymously in memory (quiz, day, band,
// result: nothing about the reader) and rate-limits each client; Flush
// writes the counts as daily buckets, Run flushes periodically. It is safe
// for concurrent use.
type QuizCounter struct {
	store QuizStore
	log   *slog.Logger
	now   func() time.Time

	mu     sync.Mutex // guards limit
	limit  minuteLimiter
	counts *countBuffer[quizCountKey]
}

type quizCountKey struct{ slug, day, band, result string }

// QuizCounterConfig wires a QuizCounter.
type QuizCounterConfig struct {
	Store  QuizStore
	Logger *slog.Logger
	Now    func() time.Time
	// RatePerMinute is how many answers one client address may send per
	// minute (default DefaultQuizRate).
	RatePerMinute int
}

// NewQuizCounter checks cfg and returns a counter.
func NewQuizCounter(cfg QuizCounterConfig) (*QuizCounter, error) {
	if cfg.Store == nil {
		return nil, errors.New("cms.NewQuizCounter: Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RatePerMinute <= 0 {
		cfg.RatePerMinute = DefaultQuizRate
	}
	return &QuizCounter{store: cfg.Store, log: cfg.Logger, now: cfg.Now, limit: newMinuteLimiter(cfg.RatePerMinute),
		counts: newCountBuffer[quizCountKey]()}, nil
}

// Allow takes one answer from the client at ip out of its allowance of
// the current minute, and reports whether it had one left. ip is not
// kept (only a keyed hash, for the minute).
func (qc *QuizCounter) Allow(ip string) bool {
	client := qc.limit.clientKey(ip)
	now := qc.now()
	qc.mu.Lock()
	defer qc.mu.Unlock()
	return qc.limit.allow(client, now)
}

// Record counts one result of quiz slug in band (QuizBand.Key()). The
// strings are copied.
func (qc *QuizCounter) Record(slug, band, result string) {
	qc.counts.add(quizCountKey{slug, Day(qc.now()), band, result}, func(k quizCountKey) quizCountKey {
		return quizCountKey{strings.Clone(k.slug), k.day, strings.Clone(k.band), strings.Clone(k.result)}
	})
}

// Pending returns how many results are counted but not yet flushed.
func (qc *QuizCounter) Pending() int64 { return qc.counts.pending() }

// Flush writes the results counted since the last flush as $inc upserts
// of their daily buckets; on error the unwritten counts are kept for the
// next flush. Errors: those of the store (Unavailable, Internal).
func (qc *QuizCounter) Flush(ctx context.Context) error {
	return qc.counts.flush(ctx, func(ctx context.Context, counts map[quizCountKey]int64) (map[quizCountKey]int64, error) {
		list := make([]QuizResultCount, 0, len(counts))
		for k, n := range counts {
			list = append(list, QuizResultCount{Slug: k.slug, Day: k.day, Band: k.band, Result: k.result, Count: n})
		}
		err := qc.store.AddQuizResults(ctx, list)
		if err == nil {
			return nil, nil
		}
		// AddQuizResults zeroes the Count of the buckets it wrote before failing.
		for _, c := range list {
			counts[quizCountKey{c.Slug, c.Day, c.Band, c.Result}] = c.Count
		}
		return counts, err
	})
}

// Run flushes every interval until ctx ends; it does not flush at the
// end: call Flush once the server stopped taking answers.
func (qc *QuizCounter) Run(ctx context.Context, interval time.Duration) {
	runFlushes(ctx, interval, qc.log, "quiz", qc.Flush)
}
