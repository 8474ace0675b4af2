package cms

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// A save of a post can also put it on the featured list or take it off
// (PostInput.Featured), and from her side that is one change: all of it
// happens or none of it. The post and the list are two documents and the
// database has no transactions, so the save writes them in this order:
//
//  1. everything is checked first: the post's fields and publishing
//     rules, and that the list has room;
//  2. the featured list gets a mark (PendingFeature) naming the post, the
//     wanted state and the revision the save is about to make. A mark
//     changes nothing anyone sees: until its post carries that revision,
//     the list reads as before;
//  3. the post is saved, with that revision: the commit point. From here
//     on every reader of the list counts the change as made;
//  4. the mark is applied to the entries and removed (an idempotent write,
//     retried on a concurrent edit of the list).
//
// If the process dies between 3 and 4, the next reader settles the mark:
// the service when it reads the featured list (and writes it settled),
// the read model when it loads (without writing). If the save fails or
// dies before 3, its mark is dropped; one left behind by a crash is
// recognised as lost once the post has moved to its version without the
// revision, or after markTTL, and dropped by the next settle.

// markTTL is how long a mark whose post does not (yet) carry its
// revision is kept: far longer than a save takes between writing the
// mark and committing the post.
const markTTL = 10 * time.Minute

// PendingFeature marks a change of the featured list made by a save of a
// post that may not have committed yet (see above).
type PendingFeature struct {
	PostID string
	On     bool // put the post on the list (at the end) or take it off
	// RevisionID is the revision the save makes; "" for the save that
	// creates the post (it is committed once the post exists).
	RevisionID string
	Version    int // the post version the save makes
	At         time.Time
}

// markState is where a mark stands against its post as stored now.
type markState int

const (
	markOpen      markState = iota // the save may still commit
	markCommitted                  // the save committed: the change holds
	markLost                       // the save failed: the change never happened
)

// stateOf decides mark m against post p as stored (nil: no such post).
func (m PendingFeature) stateOf(p *Post, now time.Time) markState {
	switch {
	case p != nil && (m.RevisionID == "" || slices.ContainsFunc(p.Revisions, func(r RevisionRef) bool { return r.ID == m.RevisionID })):
		return markCommitted
	case p != nil && p.Version >= m.Version, now.Sub(m.At) > markTTL:
		return markLost
	}
	return markOpen
}

// apply brings the entries of l in line with m.
func (m PendingFeature) apply(l *List) {
	i := slices.IndexFunc(l.Entries, func(e ListEntry) bool { return e.PostID == m.PostID })
	switch {
	case m.On && i < 0:
		l.Entries = append(l.Entries, ListEntry{PostID: m.PostID})
	case !m.On && i >= 0:
		l.Entries = slices.Delete(l.Entries, i, i+1)
	}
}

// PostGetter reads one post with its revisions (a PostStore does).
type PostGetter interface {
	GetPost(ctx context.Context, id string) (*Post, error)
}

// SettleFeatured returns l with its marks decided (see above): the
// committed ones applied to the entries, the lost ones dropped, the open
// ones kept. It reads the post of each mark by id (a list without marks
// costs nothing) and never writes; changed reports whether the result
// differs from l, which is left as it is. The read model calls it on the
// lists it loads. Errors: KindUnavailable, KindInternal.
func SettleFeatured(ctx context.Context, posts PostGetter, l *List, now time.Time) (settled *List, changed bool, err error) {
	if l == nil || len(l.Pending) == 0 {
		return l, false, nil
	}
	out := *l
	out.Entries, out.Pending = slices.Clone(l.Entries), nil
	marks := slices.Clone(l.Pending)
	slices.SortStableFunc(marks, func(a, b PendingFeature) int { return a.Version - b.Version })
	for _, m := range marks {
		p, err := posts.GetPost(ctx, m.PostID)
		if err != nil && !IsKind(err, KindNotFound) {
			return nil, false, err
		}
		switch m.stateOf(p, now) {
		case markCommitted:
			m.apply(&out)
			changed = true
		case markLost:
			changed = true
		default:
			out.Pending = append(out.Pending, m)
		}
	}
	return &out, changed, nil
}

// settled returns the featured list l with its marks settled (and drop,
// if given, removed), writing it back when that changed anything; a
// concurrent write wins, and the list is read again. Settling changes
// nothing readers see (they settle the same way), so nothing is
// announced. Other lists are returned as they are.
func (s *Service) settled(ctx context.Context, l *List, drop *PendingFeature) (*List, error) {
	for attempt := 0; l.Slug == FeaturedSlug && len(l.Pending) > 0; attempt++ {
		cur := l
		if drop != nil {
			c := *l
			c.Pending = slices.DeleteFunc(slices.Clone(l.Pending), func(m PendingFeature) bool { return m == *drop })
			cur = &c
		}
		next, changed, err := SettleFeatured(ctx, s.store, cur, s.now())
		if err != nil {
			return l, err
		}
		if !changed && len(cur.Pending) == len(l.Pending) {
			return l, nil
		}
		next.Version, next.UpdatedAt = l.Version+1, s.timeNow()
		err = s.store.UpdateList(ctx, next, l.Version)
		if err == nil {
			return next, nil
		}
		if !IsKind(err, KindConflict) || attempt >= 3 {
			// The marks stay; readers settle them the same way.
			s.log.Warn("cannot store the settled featured list", "err", err)
			return next, nil
		}
		if l, err = s.store.GetList(ctx, l.ID); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// markFeatured checks that the featured list can take the change of post
// p to on (room on the list) and records it as a mark for the save that
// makes revision revisionID (see above); nil when the list already reads
// as wanted. Errors: KindInvalid naming "featured" (the list is full),
// KindUnavailable, KindInternal.
func (s *Service) markFeatured(ctx context.Context, op string, p *Post, on bool, revisionID string) (*PendingFeature, error) {
	for attempt := 0; ; attempt++ {
		l, err := s.FeaturedList(ctx)
		if err != nil {
			return nil, err
		}
		listed := slices.ContainsFunc(l.Entries, func(e ListEntry) bool { return e.PostID == p.ID })
		inFlight := slices.ContainsFunc(l.Pending, func(m PendingFeature) bool { return m.PostID == p.ID })
		if listed == on && !inFlight {
			return nil, nil
		}
		if members := l.members(); on && !members[p.ID] && len(members) >= MaxListEntries {
			return nil, fullError(op)
		}
		m := PendingFeature{PostID: p.ID, On: on, RevisionID: revisionID, Version: p.Version, At: s.timeNow()}
		prev := l.Version
		l.Pending = append(l.Pending, m)
		l.Version, l.UpdatedAt = prev+1, s.timeNow()
		err = s.store.UpdateList(ctx, l, prev)
		if err == nil {
			return &m, nil
		}
		if !IsKind(err, KindConflict) || attempt >= 3 {
			return nil, err
		}
	}
}

// members returns the posts of l counting its open marks as made: what
// the list will hold once the saves in flight commit.
func (l *List) members() map[string]bool {
	out := make(map[string]bool, len(l.Entries)+len(l.Pending))
	for _, e := range l.Entries {
		out[e.PostID] = true
	}
	for _, m := range l.Pending {
		if m.On {
			out[m.PostID] = true
		} else {
			delete(out, m.PostID)
		}
	}
	return out
}

// finishFeatured settles mark m after its save, which returned saveErr:
// applied when the save committed, dropped when the store refused it
// (a stale version, a taken slug), kept for the next reader when the
// outcome is unknown (the database did not answer). It is safe to repeat
// and to race with readers settling the list; a failure leaves the mark
// to them, so it is only logged. It runs with its own context, so that a
// canceled request still finishes what its save began.
func (s *Service) finishFeatured(ctx context.Context, m *PendingFeature, saveErr error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var drop *PendingFeature
	if saveErr != nil && (IsKind(saveErr, KindConflict) || IsKind(saveErr, KindInvalid)) {
		drop = m
	}
	l, err := s.ensureList(ctx, FeaturedSlug)
	if err == nil {
		_, err = s.settled(ctx, l, drop)
	}
	if err != nil {
		s.log.Warn("cannot settle a featured-list change; readers will", "post", m.PostID, "err", err)
	}
}

// IsFeatured reports whether post id is on the featured list.
// Errors: KindUnavailable, KindInternal.
func (s *Service) IsFeatured(ctx context.Context, id string) (bool, error) {
	l, err := s.FeaturedList(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(l.Entries, func(e ListEntry) bool { return e.PostID == id }), nil
}

// fullError refuses to feature a post on a full featured list.
func fullError(op string) error {
	return Problems{"featured": "The featured list is full (" + strconv.Itoa(MaxListEntries) + " posts): take a post off it first."}.Err(op)
}
