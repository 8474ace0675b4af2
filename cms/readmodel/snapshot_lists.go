package readmodel

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Curated lists and popularity in the read model.
//
// Time windows of list entries are applied when a snapshot is built: the
// snapshot records the earliest start or end still to come (NextListChange)
// and the read model's Run loop rebuilds it from memory, without reading
// the database, once that time has passed: a window opens or closes within
// one sync interval (LULLABY_SYNC_INTERVAL, 1 s by default).
//
// Popularity (view totals per post over 7 days, 30 days, every day and the
// popular list's window) is computed by each instance from post_views
// (RefreshPopularity, every few minutes) and swapped into the read path by
// rebuilding the snapshot from memory with the new totals.

// SortPopular orders posts by views over a window, most viewed first.
const SortPopular cms.PostSort = "popular"

// PopularListSize is the number of posts GET /api/v1/lists/popular shows.
const PopularListSize = 10

// DefaultPopularWindow is the span of the popular list by default.
const DefaultPopularWindow = cms.Window30d

// postWindows are the windows GET /api/v1/posts?sort=popular accepts.
var postWindows = map[string]cms.ViewWindow{"7d": cms.Window7d, "30d": cms.Window30d, "all": cms.WindowAll}

// SetWindow sets the popularity window of a sort=popular query from its
// raw value ("" is 30d); other sorts ignore it, but a bad value is an
// error with any sort. Errors: Invalid naming "window".
func (q *PostQuery) SetWindow(raw string) error {
	w := "30d"
	switch raw {
	case "", "30d":
	case "7d":
		w = "7d"
	case "all":
		w = "all"
	default:
		return cms.Problems{"window": "Must be 7d, 30d or all."}.Err("readmodel.PostQuery.SetWindow")
	}
	if q.Sort == SortPopular {
		q.Window = w
	}
	return nil
}

// viewTotals are the views per post over each window, as last computed.
type viewTotals map[cms.ViewWindow]map[string]int64

// listViews is the read model's state for lists and popularity; guarded
// by ReadModel.mu.
type listViews struct {
	lists  []*cms.List // as last loaded, popular included
	totals viewTotals
	window cms.ViewWindow // of the popular list
	now    func() time.Time
}

// listsInput is what a snapshot's lists are built from.
type listsInput struct {
	lists  []*cms.List
	totals viewTotals
	window cms.ViewWindow
	now    time.Time
}

// listsState is what a snapshot serves for lists and popularity.
type listsState struct {
	all     *Body
	bySlug  map[string]*Body // curated lists and "popular"
	next    time.Time        // the earliest entry start or end after the build
	totals  viewTotals
	byID    map[string]*postEntry
	ordered map[cms.ViewWindow][]*postEntry // every published post by views
	// featured are the ids of the posts the featured list shows now.
	featured map[string]bool
}

func (rm *ReadModel) clock() time.Time {
	if rm.lv.now != nil {
		return rm.lv.now()
	}
	return time.Now()
}

// listsInput returns the lists part of a snapshot input. Call with rm.mu
// held.
func (rm *ReadModel) listsInput(lists []*cms.List) listsInput {
	return listsInput{lists: lists, totals: rm.lv.totals, window: rm.popularWindow(), now: rm.clock()}
}

// SetClock replaces the clock list windows are judged by (tests); call it
// before the first Reload.
func (rm *ReadModel) SetClock(now func() time.Time) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.lv.now = now
}

// SetPopularWindow sets the span of the popular list (default 30 days;
// WindowAll counts every day). Call it before RefreshPopularity.
func (rm *ReadModel) SetPopularWindow(w cms.ViewWindow) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if w == 0 {
		w = -1 // every day, told apart from "not set"
	}
	rm.lv.window = w
}

// popularWindow is the popular list's window. Call with rm.mu held.
func (rm *ReadModel) popularWindow() cms.ViewWindow {
	switch w := rm.lv.window; {
	case w == 0:
		return DefaultPopularWindow
	case w < 0:
		return cms.WindowAll
	default:
		return w
	}
}

// RefreshPopularity recomputes the view totals of every post in every
// window from one read of the daily counts, and swaps them into the read
// path, rebuilding the current snapshot from memory. On error the old
// totals stay. Errors: those of the store.
func (rm *ReadModel) RefreshPopularity(ctx context.Context) error {
	rm.mu.Lock()
	pw := rm.popularWindow()
	now := rm.clock()
	rm.mu.Unlock()
	byDay, err := rm.store.ViewsByDay(ctx, "")
	if err != nil {
		return err
	}
	totals := viewTotals{}
	for _, w := range []cms.ViewWindow{cms.Window7d, cms.Window30d, cms.WindowAll, pw} {
		if _, done := totals[w]; done {
			continue
		}
		totals[w] = cms.SumViews(byDay, w.FromDay(now))
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.lv.totals = totals
	rm.rebuildLocked("popularity")
	return nil
}

// RunPopularity refreshes popularity at once and then every interval until
// ctx ends; failures are logged and retried at the next tick.
func (rm *ReadModel) RunPopularity(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, max(30*time.Second, interval))
		if err := rm.RefreshPopularity(rctx); err != nil && ctx.Err() == nil {
			rm.log.Warn("popular posts: cannot count views; keeping the last ranking", "err", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RefreshListWindows rebuilds the snapshot from memory when a list
// entry's start or end has passed since it was built, and reports whether
// it did. Run calls it at every tick.
func (rm *ReadModel) RefreshListWindows() bool {
	next := rm.Snapshot().NextListChange()
	if next.IsZero() {
		return false
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.clock().Before(next) {
		return false
	}
	return rm.rebuildLocked("list window")
}

// NextListChange is the earliest start or end of a list entry after the
// snapshot was built; zero if none.
func (s *Snapshot) NextListChange() time.Time {
	if s.lists == nil {
		return time.Time{}
	}
	return s.lists.next
}

// Lists returns the body of GET /api/v1/lists: every curated list with
// its public posts, featured first.
func (s *Snapshot) Lists() *Body {
	if s.lists == nil || s.lists.all == nil {
		return emptyLists
	}
	return s.lists.all
}

var emptyLists = NewBody([]byte(`{"data":[]}`))

// List returns the body of GET /api/v1/lists/{slug}; "popular" is the
// popular list. NotFound for an unknown slug.
func (s *Snapshot) List(slug string) (*Body, error) {
	if s.lists != nil {
		if b := s.lists.bySlug[slug]; b != nil {
			return b, nil
		}
	}
	return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.List", "No list has the slug %q.", truncate(slug, 120))
}

// PostID returns the id of the published post with the given current or
// old slug.
func (s *Snapshot) PostID(slug string) (string, bool) {
	e := s.bySlug[slug]
	if e == nil {
		if cur, ok := s.oldSlugs[slug]; ok {
			e = s.bySlug[cur]
		}
	}
	if e == nil {
		return "", false
	}
	return e.post.ID, true
}

// PublicList is a curated list as GET /api/v1/lists returns it.
type PublicList struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// buildLists renders the list bodies of s, whose posts are built.
func (s *Snapshot) buildLists(in listsInput) error {
	st := &listsState{bySlug: map[string]*Body{}, totals: in.totals, byID: make(map[string]*postEntry, len(s.posts)),
		ordered: map[cms.ViewWindow][]*postEntry{}, featured: map[string]bool{}}
	s.lists = st
	for _, e := range s.posts {
		st.byID[e.post.ID] = e
	}
	for w := range postWindows {
		win := postWindows[w]
		ordered := slices.Clone(s.posts) // newest first: ties stay so
		m := in.totals[win]
		slices.SortStableFunc(ordered, func(a, b *postEntry) int { return cmp.Compare(m[b.post.ID], m[a.post.ID]) })
		st.ordered[win] = ordered
	}

	curated := make([]*cms.List, 0, len(in.lists))
	var popular *cms.List
	for _, l := range in.lists {
		if l.Slug == cms.PopularSlug {
			popular = l
			continue
		}
		curated = append(curated, l)
	}
	slices.SortStableFunc(curated, func(a, b *cms.List) int {
		if (a.Slug == cms.FeaturedSlug) != (b.Slug == cms.FeaturedSlug) {
			if a.Slug == cms.FeaturedSlug {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	if !slices.ContainsFunc(curated, func(l *cms.List) bool { return l.Slug == cms.FeaturedSlug }) {
		curated = append([]*cms.List{{Slug: cms.FeaturedSlug, Name: cms.ReservedListName(cms.FeaturedSlug)}}, curated...)
	}

	var all bytes.Buffer
	all.WriteString(`{"data":[`)
	for i, l := range curated {
		one, err := s.listJSON(l, in.now)
		if err != nil {
			return err
		}
		if i > 0 {
			all.WriteByte(',')
		}
		all.Write(one)
		st.bySlug[l.Slug] = NewBody(append(append([]byte(`{"data":`), one...), '}'))
		s.fresh = append(s.fresh, st.bySlug[l.Slug])
	}
	all.WriteString(`]}`)
	st.all = NewBody(all.Bytes())
	s.fresh = append(s.fresh, st.all)

	pop, err := s.popularJSON(popular, in)
	if err != nil {
		return err
	}
	st.bySlug[cms.PopularSlug] = NewBody(pop)
	s.fresh = append(s.fresh, st.bySlug[cms.PopularSlug])
	return nil
}

// listJSON renders one curated list with its public posts in order, and
// notes the next time an entry's window opens or closes.
func (s *Snapshot) listJSON(l *cms.List, now time.Time) ([]byte, error) {
	head, err := marshal(PublicList{ID: l.ID, Slug: l.Slug, Name: l.Name, UpdatedAt: l.UpdatedAt})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	b.WriteString(`,"posts":[`)
	n := 0
	for _, e := range l.Entries {
		for _, t := range []time.Time{e.Start, e.End} {
			if t.After(now) && (s.lists.next.IsZero() || t.Before(s.lists.next)) {
				s.lists.next = t
			}
		}
		pe := s.lists.byID[e.PostID]
		if pe == nil || !e.Open(now) {
			continue // not public now: it keeps its place for later
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(pe.summary)
		n++
		if l.Slug == cms.FeaturedSlug {
			s.lists.featured[pe.post.ID] = true
		}
	}
	b.WriteString(`]}`)
	return b.Bytes(), nil
}

// popularJSON renders GET /api/v1/lists/popular: the pinned published
// posts in her order, then the most viewed over the window, leaving out
// excluded posts and posts without views, up to PopularListSize.
func (s *Snapshot) popularJSON(settings *cms.List, in listsInput) ([]byte, error) {
	w := in.window
	name := cms.ReservedListName(cms.PopularSlug)
	var pinned []string
	excluded := map[string]bool{}
	if settings != nil {
		name = settings.Name
		for _, e := range settings.Entries {
			pinned = append(pinned, e.PostID)
		}
		for _, id := range settings.Excluded {
			excluded[id] = true
		}
	}
	totals := in.totals[w]
	var b bytes.Buffer
	b.WriteString(`{"data":{"slug":"popular","name":`)
	nameJSON, err := marshal(name)
	if err != nil {
		return nil, err
	}
	b.Write(nameJSON)
	b.WriteString(`,"window":"` + w.String() + `","posts":[`)
	n := 0
	shown := map[string]bool{}
	add := func(pe *postEntry, pin bool) {
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(pe.summary[:len(pe.summary)-1])
		b.WriteString(`,"views":` + strconv.FormatInt(totals[pe.post.ID], 10) + `,"pinned":` + strconv.FormatBool(pin) + `}`)
		shown[pe.post.ID] = true
		n++
	}
	for _, id := range pinned {
		if pe := s.lists.byID[id]; pe != nil && !shown[id] && n < PopularListSize {
			add(pe, true)
		}
	}
	for _, pv := range cms.RankViews(totals) {
		if n >= PopularListSize {
			break
		}
		if pe := s.lists.byID[pv.PostID]; pe != nil && !shown[pv.PostID] && !excluded[pv.PostID] {
			add(pe, false)
		}
	}
	b.WriteString(`]}}`)
	return b.Bytes(), nil
}

// byPopularity returns list (newest first) ordered by views over the
// query's window, most viewed first; ties stay newest first.
func (s *Snapshot) byPopularity(list []*postEntry, window string) []*postEntry {
	w, ok := postWindows[window]
	if !ok {
		w = cms.Window30d
	}
	if s.lists == nil {
		return list
	}
	if len(list) == len(s.posts) {
		return s.lists.ordered[w]
	}
	m := s.lists.totals[w]
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b *postEntry) int { return cmp.Compare(m[b.post.ID], m[a.post.ID]) })
	return out
}
