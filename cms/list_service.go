package cms

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reservedNames are the names the lists that always exist start with.
var reservedNames = map[string]string{FeaturedSlug: "Featured", PopularSlug: "Popular posts"}

// ReservedListName is the name the list slug starts with when it is one
// of the lists that always exist ("featured", "popular"); "" otherwise.
func ReservedListName(slug string) string { return reservedNames[slug] }

// ensureList returns the list with a reserved slug, creating it on first
// use. Instances racing to create it all get the one stored first.
func (s *Service) ensureList(ctx context.Context, slug string) (*List, error) {
	l, err := s.store.GetListBySlug(ctx, slug)
	if !IsKind(err, KindNotFound) {
		return l, err
	}
	now := s.timeNow()
	l = &List{ID: NewID(), Slug: slug, Name: reservedNames[slug], Entries: []ListEntry{}, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateList(ctx, l); err != nil {
		if IsKind(err, KindConflict) {
			return s.store.GetListBySlug(ctx, slug)
		}
		return nil, err
	}
	s.publishedList(ctx, l) // an empty list is public too
	return l, nil
}

// FeaturedList returns the featured list, creating it on first use.
// Errors: Unavailable, Internal.
func (s *Service) FeaturedList(ctx context.Context) (*List, error) {
	l, err := s.ensureList(ctx, FeaturedSlug)
	if err != nil {
		return nil, err
	}
	return s.settled(ctx, l, nil)
}

// ListLists returns the curated lists, featured first, then by creation
// (the popular list's pins are not among them: see PopularSettings).
func (s *Service) ListLists(ctx context.Context) ([]*List, error) {
	if _, err := s.FeaturedList(ctx); err != nil {
		return nil, err
	}
	all, err := s.store.ListLists(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*List, 0, len(all))
	for _, l := range all {
		if l.Slug != PopularSlug {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b *List) int {
		switch {
		case a.Slug == FeaturedSlug && b.Slug != FeaturedSlug:
			return -1
		case b.Slug == FeaturedSlug && a.Slug != FeaturedSlug:
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return out, nil
}

// GetList returns the curated list id. Errors: Invalid, NotFound.
func (s *Service) GetList(ctx context.Context, id string) (*List, error) {
	l, err := s.store.GetList(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.Slug == PopularSlug {
		return nil, Errorf(KindNotFound, "cms.GetList", "The list does not exist.")
	}
	return s.settled(ctx, l, nil)
}

// CreateList stores a new, empty curated list. An empty slug is made from
// the name. Errors: Invalid (name, slug; the reserved slugs), Conflict
// with Fields["slug"] when taken, Unavailable.
func (s *Service) CreateList(ctx context.Context, actor *User, in ListInput) (*List, error) {
	const op = "cms.CreateList"
	now := s.timeNow()
	l := &List{ID: NewID(), Entries: []ListEntry{}, Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.Name != nil {
		l.Name = strings.TrimSpace(*in.Name)
	}
	if in.Slug != nil {
		l.Slug = strings.TrimSpace(*in.Slug)
	}
	if l.Slug == "" {
		l.Slug = Slugify(l.Name)
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if _, ok := reservedNames[l.Slug]; ok {
		return nil, Problems{"slug": "The slug " + l.Slug + " is reserved."}.Err(op)
	}
	all, err := s.store.ListLists(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) >= MaxLists {
		return nil, Problems{"name": "There can be at most " + strconv.Itoa(MaxLists) + " lists."}.Err(op)
	}
	if err := s.store.CreateList(ctx, l); err != nil {
		return nil, err
	}
	s.publishedList(ctx, l)
	return l, nil
}

// RenameList changes the name and, except for the featured list, the slug
// of list id. in.Version is required. Errors: Invalid, NotFound,
// Conflict (stale version, taken slug).
func (s *Service) RenameList(ctx context.Context, actor *User, id string, in ListInput) (*List, error) {
	const op = "cms.RenameList"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	l, err := s.GetList(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.Version != version {
		return nil, staleError(op, l.Version)
	}
	if in.Name != nil {
		l.Name = strings.TrimSpace(*in.Name)
	}
	if in.Slug != nil {
		slug := strings.TrimSpace(*in.Slug)
		if slug == "" {
			slug = Slugify(l.Name)
		}
		_, reserved := reservedNames[slug]
		switch {
		case l.Reserved() && slug != l.Slug:
			return nil, Problems{"slug": "The slug of the " + l.Slug + " list cannot change."}.Err(op)
		case !l.Reserved() && reserved:
			return nil, Problems{"slug": "The slug " + slug + " is reserved."}.Err(op)
		}
		l.Slug = slug
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	l.Version, l.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateList(ctx, l, version); err != nil {
		return nil, err
	}
	s.publishedList(ctx, l)
	return l, nil
}

// DeleteList removes curated list id. The featured list cannot be
// deleted. Errors: Invalid, NotFound.
func (s *Service) DeleteList(ctx context.Context, actor *User, id string) error {
	l, err := s.GetList(ctx, id)
	if err != nil {
		return err
	}
	if l.Reserved() {
		return Problems{"id": "The " + l.Name + " list cannot be deleted."}.Err("cms.DeleteList")
	}
	if err := s.store.DeleteList(ctx, id); err != nil {
		return err
	}
	s.published(ctx)
	return nil
}

// SetListEntries replaces the entries of list id with entries, in order,
// if the list is still at version. Every post must exist (in any state:
// drafts and unpublished posts keep their place and show once public).
// Errors: Invalid naming entries[i].postId (unknown or duplicate id) or
// entries[i].end (not after its start), NotFound, Conflict (stale
// version).
func (s *Service) SetListEntries(ctx context.Context, actor *User, id string, entries []ListEntry, version int) (*List, error) {
	const op = "cms.SetListEntries"
	if version < 1 {
		return nil, Problems{"version": "Must be a positive integer."}.Err(op)
	}
	l, err := s.GetList(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.Version != version {
		return nil, staleError(op, l.Version)
	}
	prev := l.Entries
	l.Entries = normaliseEntries(entries)
	if err := s.saveEntries(ctx, op, l, prev, version); err != nil {
		return nil, err
	}
	return l, nil
}

// saveEntries checks l's entries (posts exist) and stores l over
// prevVersion. Entries of prev (the stored list) whose post was deleted
// for good since are dropped silently, so that a deleted post never
// blocks a reorder; a new entry for an unknown post is an error.
func (s *Service) saveEntries(ctx context.Context, op string, l *List, prev []ListEntry, prevVersion int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	ids := make([]string, len(l.Entries))
	for i, e := range l.Entries {
		ids[i] = e.PostID
	}
	states, err := s.store.PostStates(ctx, ids)
	if err != nil {
		return err
	}
	had := make(map[string]bool, len(prev))
	for _, e := range prev {
		had[e.PostID] = true
	}
	pr := Problems{}
	for i, e := range l.Entries {
		if _, ok := states[e.PostID]; !ok && !had[e.PostID] {
			pr.Add("entries["+strconv.Itoa(i)+"].postId", "No post has this id.")
		}
	}
	if err := pr.Err(op); err != nil {
		return err
	}
	l.Entries = slices.DeleteFunc(l.Entries, func(e ListEntry) bool { _, ok := states[e.PostID]; return !ok })
	l.Version, l.UpdatedAt = prevVersion+1, s.timeNow()
	if err := s.store.UpdateList(ctx, l, prevVersion); err != nil {
		return err
	}
	s.publishedList(ctx, l)
	return nil
}

// AddToList puts post postID at the end of list id (the featured list:
// FeaturedList's id), with an optional time window; a post already there
// keeps its place and takes the new window. It retries on concurrent
// edits. Errors: Invalid (unknown post, end before start), NotFound.
func (s *Service) AddToList(ctx context.Context, actor *User, id, postID string, start, end time.Time) (*List, error) {
	return s.editEntries(ctx, "cms.AddToList", id, func(entries []ListEntry) []ListEntry {
		e := ListEntry{PostID: strings.ToLower(postID), Start: start, End: end}
		for i := range entries {
			if entries[i].PostID == e.PostID {
				entries[i] = e
				return entries
			}
		}
		return append(entries, e)
	})
}

// RemoveFromList takes post postID out of list id; removing a post that
// is not there is no error. Errors: Invalid, NotFound.
func (s *Service) RemoveFromList(ctx context.Context, actor *User, id, postID string) (*List, error) {
	postID = strings.ToLower(postID)
	return s.editEntries(ctx, "cms.RemoveFromList", id, func(entries []ListEntry) []ListEntry {
		return slices.DeleteFunc(entries, func(e ListEntry) bool { return e.PostID == postID })
	})
}

// editEntries applies edit to the current entries of list id and saves,
// retrying a few times when another edit landed in between.
func (s *Service) editEntries(ctx context.Context, op, id string, edit func([]ListEntry) []ListEntry) (*List, error) {
	var err error
	for range 3 {
		var l *List
		if l, err = s.GetList(ctx, id); err != nil {
			return nil, err
		}
		prev, old := l.Version, l.Entries
		l.Entries = normaliseEntries(edit(slices.Clone(l.Entries)))
		if err = s.saveEntries(ctx, op, l, old, prev); err == nil {
			return l, nil
		}
		if !IsKind(err, KindConflict) {
			return nil, err
		}
	}
	return nil, err
}

// PopularSettings returns the popular list's pins (Entries, in order) and
// exclusions (Excluded), creating the document on first use.
func (s *Service) PopularSettings(ctx context.Context) (*List, error) {
	return s.ensureList(ctx, PopularSlug)
}

// SetPopular pins posts to the top of the popular list (in order) and
// keeps others out of it, if the settings are still at version. Pinned
// posts must be published: Invalid naming pinned[i] otherwise (also for
// an unknown or repeated id); excluded posts must exist (excluded[i]).
// Errors: Invalid, Conflict (stale version).
func (s *Service) SetPopular(ctx context.Context, actor *User, pinned, excluded []string, version int) (*List, error) {
	const op = "cms.SetPopular"
	l, err := s.PopularSettings(ctx)
	if err != nil {
		return nil, err
	}
	if l.Version != version {
		return nil, staleError(op, l.Version)
	}
	pr := Problems{}
	if len(pinned) > MaxListEntries {
		pr.Add("pinned", "At most "+strconv.Itoa(MaxListEntries)+" posts.")
	}
	if len(excluded) > 10*MaxListEntries {
		pr.Add("excluded", "At most "+strconv.Itoa(10*MaxListEntries)+" posts.")
	}
	if err := pr.Err(op); err != nil {
		return nil, err
	}
	pins := make([]string, len(pinned))
	for i, id := range pinned {
		pins[i] = strings.ToLower(strings.TrimSpace(id))
	}
	exs := make([]string, len(excluded))
	for i, id := range excluded {
		exs[i] = strings.ToLower(strings.TrimSpace(id))
	}
	states, err := s.store.PostStates(ctx, append(slices.Clone(pins), exs...))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, id := range pins {
		f := "pinned[" + strconv.Itoa(i) + "]"
		st, ok := states[id]
		switch {
		case !ok:
			pr.Add(f, "No post has this id.")
		case !st.Public():
			pr.Add(f, "Only published posts can be pinned.")
		case seen[id]:
			pr.Add(f, "This post is already pinned.")
		}
		seen[id] = true
	}
	for i, id := range exs {
		if _, ok := states[id]; !ok {
			pr.Add("excluded["+strconv.Itoa(i)+"]", "No post has this id.")
		}
	}
	if err := pr.Err(op); err != nil {
		return nil, err
	}
	l.Entries = make([]ListEntry, len(pins))
	for i, id := range pins {
		l.Entries[i] = ListEntry{PostID: id}
	}
	l.Excluded = slices.Compact(slices.Sorted(slices.Values(exs)))
	l.Version, l.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateList(ctx, l, version); err != nil {
		return nil, err
	}
	s.publishedList(ctx, l)
	return l, nil
}
