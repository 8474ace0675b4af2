package readmodel

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// PostIndex keeps the metadata of every post (no bodies) in memory, so
// that the admin panel's lists and dashboard, and the admin API's post
// list, filter, sort and count in
// memory rather than querying the posts. On the embedded database every
// query other than by id scans the collection (about 100 ms per 1,000
// posts); with the index a page costs one small read that checks it is
// fresh, and one scan only after a post changed.
//
// It is fresh across instances: every change to a post, its creation
// included, bumps the shared posts version, and each read checks it and
// reloads when it moved; the version is read before the scan, so a change
// made during a reload is caught by the next read.
type PostIndex struct {
	store    cms.Store
	indexing cms.PostIndexStore // nil: the store cannot be indexed

	mu      sync.Mutex // one reload at a time
	cur     atomic.Pointer[postSnapshot]
	lastUse atomic.Int64 // unix nanoseconds of the last List or Dashboard
}

// warmFor is how long after the index was last read Run keeps it warm.
const warmFor = 30 * time.Minute

type postSnapshot struct {
	version int64
	posts   []*cms.Post // live and trashed, most recently edited first
}

// NewPostIndex returns an index of the posts in store, loaded on first use.
func NewPostIndex(store cms.Store) *PostIndex {
	ix := &PostIndex{store: store}
	ix.indexing, _ = store.(cms.PostIndexStore)
	return ix
}

// snapshot returns a fresh snapshot, reloading it if a post changed since
// it was taken; nil when the store cannot be indexed.
func (ix *PostIndex) snapshot(ctx context.Context) (*postSnapshot, error) {
	if ix.indexing == nil {
		return nil, nil
	}
	version, err := ix.indexing.PostsVersion(ctx)
	if err != nil {
		return nil, err
	}
	if s := ix.cur.Load(); s != nil && s.version == version {
		return s, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s := ix.cur.Load(); s != nil && s.version == version {
		return s, nil // reloaded by someone else meanwhile
	}
	posts, err := ix.indexing.AllPosts(ctx)
	if err != nil {
		return nil, err
	}
	sortPosts(posts, cms.SortUpdated)
	s := &postSnapshot{version: version, posts: posts}
	ix.cur.Store(s)
	return s, nil
}

// Run keeps the index fresh in the background until ctx ends: every
// interval, while the index was read in the last half hour (the panel is
// in use), it checks for changes and reloads, so that the first list after
// a change seldom waits for the scan. Reads check freshness themselves
// whether Run runs or not; it only spares them the wait. Errors are left
// for the next read to meet.
func (ix *PostIndex) Run(ctx context.Context, interval time.Duration) {
	if ix.indexing == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, ix.lastUse.Load())) > warmFor {
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, max(interval, 10*time.Second))
		_, _ = ix.snapshot(tctx)
		cancel()
	}
}

// List returns the page of posts (without bodies) that f asks for and the
// number of matches, exactly as Service.ListPosts does. The posts are
// shared: do not change them. Invalid for a bad filter.
func (ix *PostIndex) List(ctx context.Context, f cms.PostFilter) ([]*cms.Post, int, error) {
	if err := f.Normalise(); err != nil {
		return nil, 0, err
	}
	ix.lastUse.Store(time.Now().UnixNano())
	s, err := ix.snapshot(ctx)
	if err != nil || s == nil {
		if err != nil {
			return nil, 0, err
		}
		return ix.store.ListPosts(ctx, f)
	}
	q := strings.ToLower(f.Query)
	var out []*cms.Post
	for _, p := range s.posts {
		if p.Trashed() != f.Trashed ||
			(f.Status != "" && p.Status != f.Status) ||
			(f.CategoryID != "" && !slices.ContainsFunc(p.CategoryIDs, func(id string) bool { return strings.EqualFold(id, f.CategoryID) })) ||
			(f.Tag != "" && !slices.ContainsFunc(p.Tags, func(t string) bool { return strings.EqualFold(t, f.Tag) })) ||
			(q != "" && !strings.Contains(strings.ToLower(p.Title), q)) {
			continue
		}
		out = append(out, p)
	}
	sortPosts(out, f.Sort)
	from := min((f.Page-1)*f.Limit, len(out))
	return slices.Clone(out[from:min(from+f.Limit, len(out))]), len(out), nil
}

// Posts returns the posts (live and trashed, without bodies) with the
// given ids, by id; unknown ids are left out. The posts are shared: do
// not change them.
func (ix *PostIndex) Posts(ctx context.Context, ids []string) (map[string]*cms.Post, error) {
	out := make(map[string]*cms.Post, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	ix.lastUse.Store(time.Now().UnixNano())
	s, err := ix.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if s == nil { // the store cannot be indexed: read each post
		for _, id := range ids {
			p, err := ix.store.GetPost(ctx, id)
			if cms.IsKind(err, cms.KindNotFound) || cms.IsKind(err, cms.KindInvalid) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[p.ID] = p
		}
		return out, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[strings.ToLower(id)] = true
	}
	for _, p := range s.posts {
		if want[p.ID] {
			out[p.ID] = p
		}
	}
	return out, nil
}

// sortPosts orders posts as the store's lists do, ids breaking ties.
func sortPosts(posts []*cms.Post, by cms.PostSort) {
	sortTime := func(p *cms.Post) int64 {
		if !p.PublishedAt.IsZero() {
			return p.PublishedAt.UnixMilli()
		}
		return p.CreatedAt.UnixMilli()
	}
	slices.SortFunc(posts, func(a, b *cms.Post) int {
		switch by {
		case cms.SortNewest:
			return cmp.Or(cmp.Compare(sortTime(b), sortTime(a)), strings.Compare(b.ID, a.ID))
		case cms.SortOldest:
			return cmp.Or(cmp.Compare(sortTime(a), sortTime(b)), strings.Compare(a.ID, b.ID))
		case cms.SortTitle:
			return cmp.Or(strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.ID, b.ID))
		}
		return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), strings.Compare(b.ID, a.ID))
	})
}

// DashboardLimit is how many drafts and recently published posts the
// dashboard shows.
const DashboardLimit = 8

// Dashboard is what the admin panel's first page shows: what she is
// working on, what is coming up and what went out last.
type Dashboard struct {
	Drafts    []*cms.Post            // most recently edited first, at most DashboardLimit
	Scheduled []*cms.Post            // soonest first, every one of them
	Published []*cms.Post            // most recently published first, at most DashboardLimit
	Counts    map[cms.PostStatus]int // posts not in the trash, per status

	published []*cms.Post // every published post, for DueForReview
}

// DueForReview returns the published posts whose medical review is more
// than months old at now, oldest first (see cms.DueForReview).
func (d *Dashboard) DueForReview(months int, now time.Time) []cms.DueReview {
	return cms.DueForReview(d.published, months, now)
}

// Dashboard returns the dashboard's posts (without bodies; shared: do not
// change them), from one query at most.
func (ix *PostIndex) Dashboard(ctx context.Context) (*Dashboard, error) {
	ix.lastUse.Store(time.Now().UnixNano())
	var posts []*cms.Post
	if s, err := ix.snapshot(ctx); err != nil {
		return nil, err
	} else if s != nil {
		posts = s.posts
	} else if posts, _, err = ix.store.ListPosts(ctx, cms.PostFilter{Sort: cms.SortUpdated, Page: 1, Limit: 1 << 30}); err != nil {
		return nil, err
	}
	d := &Dashboard{Counts: map[cms.PostStatus]int{}}
	var published []*cms.Post
	for _, p := range posts { // most recently edited first
		if p.Trashed() {
			continue
		}
		d.Counts[p.Status]++
		switch p.Status {
		case cms.StatusDraft:
			if len(d.Drafts) < DashboardLimit {
				d.Drafts = append(d.Drafts, p)
			}
		case cms.StatusScheduled:
			d.Scheduled = append(d.Scheduled, p)
		case cms.StatusPublished:
			published = append(published, p)
		}
	}
	slices.SortStableFunc(d.Scheduled, func(a, b *cms.Post) int { return a.PublishAt.Compare(b.PublishAt) })
	slices.SortStableFunc(published, func(a, b *cms.Post) int { return b.PublishedAt.Compare(a.PublishedAt) })
	d.Published, d.published = published[:min(len(published), DashboardLimit)], published
	return d, nil
}
