package cms

import (
	"context"
	"slices"
	"strings"
)

// A post that cites a retracted or withdrawn work (as the reference
// checker last found it, refhealth.go) does not go live unnoticed: a save
// that publishes or schedules a post (CreatePost, UpdatePost with a
// status, PublishPost, SchedulePost), or that changes the text or the
// reference list of a post that is published or scheduled (UpdatePost,
// PublishChanges, PublishPending), is refused with a Conflict whose cause
// is a *RetractedError listing the works, and nothing is written, unless
// she confirmed them (Confirmed). A draft is never held back, nor a save
// that leaves what a live post cites as it was (a title change), nor one
// that takes a post off the site; imports, the scheduler's publication
// of a post scheduled earlier and the restore of unpublished changes over
// a post that is no longer published are not asked about either.

// Confirmed is what she confirmed for one save after a warning: that the
// post may go live citing retracted or withdrawn works. The zero value
// confirms nothing.
type Confirmed struct {
	// Retracted confirms every such work: the admin API's
	// "confirmRetracted": true.
	Retracted bool
	// RetractedIDs confirms the works with these citation ids only: the
	// panel's "Publish anyway" names the works she was shown, so one
	// retracted since is asked about again.
	RetractedIDs []string
}

// RetractedError is the cause of the Conflict that refuses to put a post
// live citing retracted or withdrawn works she has not confirmed: each
// surface lists Works (errors.As finds it through the *Error).
type RetractedError struct {
	// Works are the retracted or withdrawn works, with their health
	// records, in the order the post cites them.
	Works []ReferenceHealthItem
}

func (e *RetractedError) Error() string {
	return "cites retracted or withdrawn works: " + e.keys()
}

// keys lists the works' citation keys as the text cites them: "@a, @b".
func (e *RetractedError) keys() string {
	keys := make([]string, len(e.Works))
	for i, w := range e.Works {
		keys[i] = "@" + w.Citation.Key
	}
	return strings.Join(keys, ", ")
}

// retractedConflict is the Conflict naming "confirmRetracted" whose cause
// lists works.
func retractedConflict(op string, works []ReferenceHealthItem) error {
	re := &RetractedError{Works: works}
	what := "a retracted or withdrawn work"
	if len(works) > 1 {
		what = "retracted or withdrawn works"
	}
	keys := re.keys()
	return &Error{Kind: KindConflict, Op: op, Err: re,
		Message: "This post cites " + what + ": " + keys + ". Remove the reference, or confirm that you cite it on purpose to publish anyway.",
		Fields:  map[string]string{"confirmRetracted": "Cites " + keys + ": confirm to publish anyway."}}
}

// live reports whether readers see p or will at a set time.
func (p *Post) live() bool {
	return p.Public() || p.Status == StatusScheduled && !p.Trashed()
}

// liveContent is what the retracted-work check compares of a post before
// and after a save: whether it was live, its text and its reference list.
type liveContent struct {
	live bool
	body string
	refs []string
}

func liveContentOf(p *Post) liveContent {
	return liveContent{live: p.live(), body: p.Body, refs: slices.Clone(p.References)}
}

// checksRetracted reports whether the save of in that made p from a post
// that was before (nil: a new post) must be checked for retracted works:
// it publishes or schedules the post, or the post was live and the save
// changes its text or its reference list.
func checksRetracted(in *PostInput, before *liveContent, p *Post) bool {
	if in.Status != nil {
		return *in.Status == StatusPublished || *in.Status == StatusScheduled
	}
	return before != nil && before.live && p.live() &&
		(p.Body != before.body || !slices.Equal(p.References, before.refs))
}

// checkRetracted refuses (retractedConflict) the save of in that made p
// (before: the post as it was, nil for a new one) when checksRetracted
// says it must be checked and p cites retracted or withdrawn works that
// in.Confirmed does not confirm. The works are those p would cite once
// saved: its reference list, then the works its body cites. It reads the
// health records (a small collection), and the library only when some
// work is retracted. Errors: KindConflict, KindUnavailable, KindInternal.
func (s *Service) checkRetracted(ctx context.Context, op string, in *PostInput, before *liveContent, p *Post) error {
	if in.Confirmed.Retracted || !checksRetracted(in, before, p) {
		return nil
	}
	recs, err := s.store.ListCitationHealth(ctx)
	if err != nil {
		return err
	}
	retracted := map[string]*CitationHealth{}
	for _, h := range recs {
		if h.Retracted() && !slices.Contains(in.Confirmed.RetractedIDs, h.CitationID) {
			retracted[h.CitationID] = h
		}
	}
	if len(retracted) == 0 {
		return nil
	}
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return err
	}
	refs, _, _ := matchReferences(all, p.References, CitationKeys(p.Body))
	var works []ReferenceHealthItem
	for _, c := range refs {
		if h := retracted[c.ID]; h.Current(c) {
			works = append(works, ReferenceHealthItem{Citation: c, Health: h})
		}
	}
	if len(works) == 0 {
		return nil
	}
	return retractedConflict(op, works)
}
