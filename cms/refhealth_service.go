package cms

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// ReferenceChecksEnabled reports whether the reference checker fetches
// anything: some network source is configured
// (ServiceConfig.ReferenceChecks).
func (s *Service) ReferenceChecksEnabled() bool { return s.refs.enabled() }

// currentHealth reads every health record and keeps, per citation id,
// those that describe the citation as it is now.
func (s *Service) currentHealth(ctx context.Context, cites []*Citation) (map[string]*CitationHealth, error) {
	recs, err := s.store.ListCitationHealth(ctx)
	if err != nil {
		return nil, err
	}
	return CurrentHealth(cites, recs), nil
}

// CurrentHealth matches health records to citations: the result holds,
// by citation id, the records that describe their citation as it is now
// (CitationHealth.Current). The read model uses it too.
func CurrentHealth(cites []*Citation, recs []*CitationHealth) map[string]*CitationHealth {
	byID := make(map[string]*CitationHealth, len(recs))
	for _, h := range recs {
		byID[h.CitationID] = h
	}
	out := make(map[string]*CitationHealth, len(recs))
	for _, c := range cites {
		if h := byID[c.ID]; h.Current(c) {
			out[c.ID] = h
		}
	}
	return out
}

// WithHealth returns cites with their current health records joined
// (Citation.Health), as readers should see them: a citation whose web
// link is broken and has an archived copy (CitationHealth.LinkArchived)
// gets the copy as its URL (the original stays in Health.URL), so every
// formatted form links to what still answers. The citations are copies;
// cites is left as it is.
func WithHealth(cites []*Citation, recs []*CitationHealth) []*Citation {
	health := CurrentHealth(cites, recs)
	out := make([]*Citation, len(cites))
	for i, c := range cites {
		h := health[c.ID]
		if h == nil {
			out[i] = c
			continue
		}
		cp := *c
		cp.Health = h
		if h.LinkArchived() {
			cp.URL = h.ArchiveURL
		}
		out[i] = &cp
	}
	return out
}

// CitationHealthByID returns the current health of every checked
// citation, by citation id (for badges in lists). Errors:
// KindUnavailable, KindInternal.
func (s *Service) CitationHealthByID(ctx context.Context) (map[string]*CitationHealth, error) {
	cites, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	return s.currentHealth(ctx, cites)
}

// ReferenceHealth lists every citation with a DOI or a web URL and its
// health for the "Reference health" screen: those whose status changed at
// or after since first (latest change first; a zero since marks none),
// then those that are not ok (worst first), then those not checked yet,
// then the rest, by key within each group. Errors: KindUnavailable,
// KindInternal.
func (s *Service) ReferenceHealth(ctx context.Context, since time.Time) (*ReferenceHealthReport, error) {
	cites, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.ListCitationHealth(ctx)
	if err != nil {
		return nil, err
	}
	health := CurrentHealth(cites, recs)
	lastErrors := make(map[string]string)
	for _, h := range recs {
		if h.LastError != "" {
			lastErrors[h.CitationID] = h.LastError
		}
	}
	req, err := s.store.ReferenceCheckRequest(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ReferenceHealthReport{Enabled: s.refs.enabled(), Items: []ReferenceHealthItem{}, Requested: req}
	for _, c := range cites {
		if !c.Checkable() {
			continue
		}
		h := health[c.ID]
		it := ReferenceHealthItem{Citation: c, Health: h, LastError: lastErrors[c.ID]}
		if h != nil {
			it.Changed = !since.IsZero() && !h.ChangedAt.Before(since)
			if h.CheckedAt.After(rep.LastCheckedAt) {
				rep.LastCheckedAt = h.CheckedAt
			}
		}
		rep.Items = append(rep.Items, it)
	}
	group := func(it ReferenceHealthItem) int {
		switch {
		case it.Changed:
			return 0
		case it.Health == nil:
			return 2
		case it.Health.Status.Severity() > 0:
			return 1
		}
		return 3
	}
	slices.SortStableFunc(rep.Items, func(a, b ReferenceHealthItem) int {
		ga, gb := group(a), group(b)
		if ga != gb {
			return ga - gb
		}
		switch ga {
		case 0:
			if c := b.Health.ChangedAt.Compare(a.Health.ChangedAt); c != 0 {
				return c
			}
		case 1:
			if c := b.Health.Status.Severity() - a.Health.Status.Severity(); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Citation.Key, b.Citation.Key)
	})
	return rep, nil
}

// RequestReferenceCheck is "Check now": every checkable citation not
// tried since now is checked at once, by whichever instance runs the
// checker (this one is woken; another notices within its poll interval),
// at the engine's polite rate. It returns at once. Errors: KindForbidden
// (an editor: only owners may), KindUnavailable (the database, or the
// checker is off: no network source configured), KindInternal.
func (s *Service) RequestReferenceCheck(ctx context.Context, actor *User) error {
	const op = "cms.RequestReferenceCheck"
	if actor == nil || !actor.CanManageSettings() {
		return forbidden(op, "Only owners can start a reference check.")
	}
	if !s.refs.enabled() {
		return &Error{Kind: KindUnavailable, Op: op, Message: "Reference checks are off: no Crossref, doi.org, Wayback Machine or link checking is configured on this server."}
	}
	if err := s.store.RequestReferenceCheck(ctx, s.timeNow()); err != nil {
		return err
	}
	s.refs.wakeUp()
	return nil
}
