package cms

import (
	"cmp"
	"context"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"github.com/lullabycms/lullaby/cms/refcheck"
)

// ReferenceCheckConfig tunes the reference checker (RunReferenceChecks,
// CheckReferences). Its zero value checks nothing.
type ReferenceCheckConfig struct {
	// Engine configures cms/refcheck: the base URLs of Crossref, doi.org
	// and the Wayback Machine (empty: that source is off), whether web
	// pages are fetched (CheckLinks), the HTTP client (cmd/lullaby
	// passes a cms/netguard one: reference URLs are typed by people) and
	// the per-host spacing of requests. Contact is ignored: the checker
	// sends Settings.ContactEmail. With no source on, nothing is fetched
	// and the checker does not run.
	Engine refcheck.Config
	// Every is how often each reference is checked
	// (DefaultReferenceCheckEvery). Each citation's turn comes Every
	// after its last check, less a fixed share of up to a tenth of Every
	// drawn from its id, so that a library added at once spreads out.
	Every time.Duration
	// Poll is how often the job looks for references due
	// (DefaultReferenceCheckPoll).
	Poll time.Duration
}

// Defaults of ReferenceCheckConfig.
const (
	DefaultReferenceCheckEvery = 7 * 24 * time.Hour
	DefaultReferenceCheckPoll  = time.Minute
)

// A reference whose last attempt failed (a busy service) is tried again
// after refRetryAfter at the soonest (or Every, if shorter). Changes the
// public API shows are announced at most every refAnnounceEvery while a
// cycle runs, and at its end; a cycle that changed nothing readers see
// but the checking dates announces them at most every
// refAnnounceDatesEvery.
const (
	refRetryAfter         = time.Hour
	refAnnounceEvery      = time.Minute
	refAnnounceDatesEvery = time.Hour
	refLeaseTTL           = 2 * time.Minute
)

// ReferenceCheckRun is what one cycle did.
type ReferenceCheckRun struct {
	Enabled bool `json:"enabled"` // false: no source configured, nothing fetched
	Due     int  `json:"due"`     // citations due when the cycle began
	Checked int  `json:"checked"` // checks completed and stored
	Changed int  `json:"changed"` // of them, those whose status, notice or archived copy changed
	// Deferred are the attempts a busy or failing service put off; they
	// are tried again later (refRetryAfter), never marked broken for it.
	Deferred int `json:"deferred"`
}

// refChecks is the service's reference checker state.
type refChecks struct {
	cfg    ReferenceCheckConfig
	holder string        // this process's lease holder id
	wake   chan struct{} // RequestReferenceCheck wakes this process's job
	run    sync.Mutex    // one cycle at a time in this process

	mu      sync.Mutex
	checker *refcheck.Checker
	contact string // the contact address checker was made with

	lastAnnounce time.Time
}

func newRefChecks(cfg ReferenceCheckConfig) *refChecks {
	if cfg.Every <= 0 {
		cfg.Every = DefaultReferenceCheckEvery
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultReferenceCheckPoll
	}
	return &refChecks{cfg: cfg, holder: NewID(), wake: make(chan struct{}, 1)}
}

func (r *refChecks) enabled() bool {
	e := r.cfg.Engine
	return e.CrossrefBase != "" || e.DOIBase != "" || e.WaybackBase != "" || e.CheckLinks
}

func (r *refChecks) wakeUp() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// engine returns the checker for contact, made anew when the address
// changed (the per-host spacing starts afresh then).
func (r *refChecks) engine(contact string) *refcheck.Checker {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.checker == nil || r.contact != contact {
		cfg := r.cfg.Engine
		cfg.Contact = contact
		r.checker, r.contact = refcheck.New(cfg), contact
	}
	return r.checker
}

// RunReferenceChecks checks references in the background until ctx ends:
// every Poll (or at once when RequestReferenceCheck is called in this
// process) it runs a cycle if this instance holds the "refcheck" lease,
// so that one instance checks at a time, at the engine's polite rate. It
// returns at once when no source is configured.
func (s *Service) RunReferenceChecks(ctx context.Context) {
	if !s.refs.enabled() {
		return
	}
	t := time.NewTicker(s.refs.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := s.CheckReferences(ctx); err != nil && ctx.Err() == nil && !IsKind(err, KindConflict) {
			s.log.Warn("reference checks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.refs.wake:
		}
	}
}

// CheckReferences runs one cycle now, in the caller's goroutine: it
// checks every citation due (never checked, its DOI or URL changed, its
// turn come, or not tried since "Check now"), the longest unchecked
// first, at the engine's polite rate, storing each result as it comes,
// and announces changes to readers (the content version). It holds the
// "refcheck" lease while it runs, renewing it; another instance holding
// it is a Conflict. With no source configured it fetches nothing and
// returns a run with Enabled false. Errors: KindConflict,
// KindUnavailable, KindInternal; the run so far comes with them.
func (s *Service) CheckReferences(ctx context.Context) (ReferenceCheckRun, error) {
	const op = "cms.CheckReferences"
	r := s.refs
	run := ReferenceCheckRun{Enabled: r.enabled()}
	if !run.Enabled {
		return run, nil
	}
	r.run.Lock()
	defer r.run.Unlock()
	ok, err := s.store.AcquireLease(ctx, "refcheck", r.holder, refLeaseTTL)
	if err != nil {
		return run, err
	}
	if !ok {
		return run, &Error{Kind: KindConflict, Op: op, Message: "Another instance is checking references."}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.keepRefLease(ctx, cancel)
	err = s.refCycle(ctx, &run)
	if ctx.Err() != nil && err == nil {
		err = ctx.Err()
	}
	return run, err
}

// keepRefLease renews the lease while a cycle runs and ends the cycle
// (cancel) when it is lost.
func (s *Service) keepRefLease(ctx context.Context, cancel context.CancelFunc) {
	t := time.NewTicker(refLeaseTTL / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := s.store.AcquireLease(ctx, "refcheck", s.refs.holder, refLeaseTTL)
		if err == nil && !ok {
			s.log.Warn("reference checks: lease lost to another instance; stopping this cycle")
			cancel()
			return
		}
	}
}

// refDue is one citation due, with its record (nil: none).
type refDue struct {
	c *Citation
	h *CitationHealth
}

// dueReferences returns the citations due at now, the longest unchecked
// first.
func (r *refChecks) dueReferences(cites []*Citation, recs []*CitationHealth, requested, now time.Time) []refDue {
	byID := make(map[string]*CitationHealth, len(recs))
	for _, h := range recs {
		byID[h.CitationID] = h
	}
	var due []refDue
	for _, c := range cites {
		if !c.Checkable() {
			continue
		}
		h := byID[c.ID]
		if h == nil || r.isDue(c, h, requested, now) {
			due = append(due, refDue{c, h})
		}
	}
	slices.SortStableFunc(due, func(a, b refDue) int {
		var ta, tb time.Time
		if a.h != nil {
			ta = a.h.TriedAt
		}
		if b.h != nil {
			tb = b.h.TriedAt
		}
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return cmp.Compare(a.c.Key, b.c.Key)
	})
	return due
}

func (r *refChecks) isDue(c *Citation, h *CitationHealth, requested, now time.Time) bool {
	if h.TriedAt.Before(requested) {
		return true
	}
	if h.LastError != "" && now.Sub(h.TriedAt) < min(refRetryAfter, r.cfg.Every) {
		return false // a busy service: not again so soon
	}
	if !h.Current(c) {
		return true
	}
	f := fnv.New32a()
	f.Write([]byte(c.ID))
	early := time.Duration(int64(r.cfg.Every/10) * int64(f.Sum32()%1000) / 1000)
	return !now.Before(h.CheckedAt.Add(r.cfg.Every - early))
}

// refCycle checks the references due, one after another.
func (s *Service) refCycle(ctx context.Context, run *ReferenceCheckRun) error {
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return err
	}
	cites, err := s.store.ListCitations(ctx)
	if err != nil {
		return err
	}
	recs, err := s.store.ListCitationHealth(ctx)
	if err != nil {
		return err
	}
	requested, err := s.store.ReferenceCheckRequest(ctx)
	if err != nil {
		return err
	}
	r := s.refs
	due := r.dueReferences(cites, recs, requested, s.timeNow())
	run.Due = len(due)
	if len(due) == 0 {
		return nil
	}
	checker := r.engine(st.ContactEmail)
	unannounced := false
	defer func() {
		if unannounced || (run.Checked > 0 && s.now().Sub(r.lastAnnounce) >= refAnnounceDatesEvery) {
			s.announceHealth(context.WithoutCancel(ctx))
		}
	}()
	for _, d := range due {
		if ctx.Err() != nil {
			return nil
		}
		changed, err := s.checkOne(ctx, checker, d, run)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if changed {
			unannounced = true
		}
		if unannounced && s.now().Sub(r.lastAnnounce) >= refAnnounceEvery {
			s.announceHealth(ctx)
			unannounced = false
		}
	}
	return nil
}

// announceHealth tells readers that reference health changed.
func (s *Service) announceHealth(ctx context.Context) {
	s.refs.lastAnnounce = s.now()
	s.published(ctx)
}

// checkOne checks one citation and stores the outcome; it reports
// whether something readers see changed. A record written meanwhile by
// another instance (a Conflict) is left as it is.
func (s *Service) checkOne(ctx context.Context, checker *refcheck.Checker, d refDue, run *ReferenceCheckRun) (bool, error) {
	c, prev := d.c, d.h
	ref := refcheck.Reference{DOI: c.DOI, URL: c.URL}
	if t, err := time.Parse(time.DateOnly, c.Accessed); err == nil {
		ref.Accessed = t
	}
	same := prev != nil && prev.DOI == c.DOI && prev.URL == c.URL && !prev.CheckedAt.IsZero()
	if same {
		ref.Previous = prev.result()
	}
	res, err := checker.Check(ctx, ref)
	if err != nil {
		return false, err
	}
	now := s.timeNow()
	prevVersion := 0
	if prev != nil {
		prevVersion = prev.Version
	}
	var next CitationHealth
	changed := false
	if res.TryLater {
		run.Deferred++
		if same {
			next = *prev
		} else {
			next = CitationHealth{CitationID: c.ID, DOI: c.DOI, URL: c.URL}
		}
		next.LastError = res.Why
		if next.LastError == "" {
			next.LastError = "a service asked to be left alone for now"
		}
	} else {
		run.Checked++
		next = healthOf(c, res, now)
		switch {
		case same && prev.Status == next.Status:
			next.ChangedAt = prev.ChangedAt
		case same || next.Status != HealthOK:
			next.ChangedAt = now
		default:
			// The first check of a reference (or of its new DOI or URL)
			// finding it ok is no news: enabling the checker must not
			// mark the whole library "changed this week".
		}
		changed = !same || prev.publicChange(&next)
	}
	next.TriedAt = now
	next.Version = prevVersion + 1
	if err := s.store.SaveCitationHealth(ctx, &next, prevVersion); err != nil {
		if IsKind(err, KindConflict) || IsKind(err, KindNotFound) {
			return false, nil
		}
		return false, err
	}
	if changed {
		run.Changed++
		s.log.Info("reference health changed", "key", c.Key, "status", next.Status, "notice", next.Notice)
	}
	return changed, nil
}

// healthOf is the record of a completed check of c.
func healthOf(c *Citation, res refcheck.Result, now time.Time) CitationHealth {
	h := CitationHealth{CitationID: c.ID, DOI: c.DOI, URL: c.URL, Status: HealthStatus(res.Status),
		Notice: res.Notice, NoticeDOI: res.NoticeDOI, NoticeDate: res.NoticeDate, Link: string(res.Link), Detail: res.Detail,
		ArchiveURL: res.ArchiveURL, ArchiveDate: res.ArchiveDate, CheckedAt: now,
		Crossref: HealthValidators(res.Crossref), Page: HealthValidators(res.Page)}
	if h.Status == "" {
		h.Status = HealthOK
	}
	if h.NoticeDOI != "" {
		h.NoticeURL = "https://doi.org/" + h.NoticeDOI
	}
	return h
}

// result is h as the engine's previous result.
func (h *CitationHealth) result() *refcheck.Result {
	return &refcheck.Result{Status: refcheck.Status(h.Status), Notice: h.Notice, NoticeDOI: h.NoticeDOI, NoticeDate: h.NoticeDate,
		Link: refcheck.Link(h.Link), Detail: h.Detail, ArchiveURL: h.ArchiveURL, ArchiveDate: h.ArchiveDate, CheckedAt: h.CheckedAt,
		Crossref: refcheck.Validators(h.Crossref), Page: refcheck.Validators(h.Page)}
}

// publicChange reports whether next differs from h in what readers see
// besides the date: status, notice, link state or archived copy.
func (h *CitationHealth) publicChange(next *CitationHealth) bool {
	return h.Status != next.Status || h.Notice != next.Notice || h.NoticeDOI != next.NoticeDOI ||
		h.LinkArchived() != next.LinkArchived() || h.ArchiveURL != next.ArchiveURL || h.ArchiveDate != next.ArchiveDate
}
