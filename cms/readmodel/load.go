package readmodel

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// content is what one load read from the database: everything a snapshot
// is built from, and the fingerprint of the stored documents it came
// from.
type content struct {
	version   int64     // the content version, read before the content
	start     time.Time // when the load began
	posts     map[string]*cms.Post
	cats      []*cms.Category
	settings  *cms.Settings   // with the byline fallback
	citations []*cms.Citation // with their health
	lists     []*cms.List     // settled
	quizzes   []*cms.Quiz
	keys      []*cms.ContentKey
	reviewers []*cms.Reviewer
	fp        cms.ContentFingerprint
	byline    bool // the byline came from the users: fp.Users counts
}

// load reads the content version, then the whole content. It holds no
// lock and changes nothing: known is a posts map of the read model (never
// changed once set), whose posts at an unchanged version keep their
// bodies, and now is the time featured marks are settled at.
func (rm *ReadModel) load(ctx context.Context, known map[string]*cms.Post, now time.Time) (*content, error) {
	// Read the version first: a write that lands during the load bumps
	// it again, and the next poll picks that write up.
	c := &content{start: time.Now()}
	var err error
	if c.version, err = rm.store.ContentVersion(ctx); err != nil {
		return nil, err
	}
	var early <-chan prefetched
	if !rm.loaded.Load() { // the first load: every post is new
		early = rm.prefetchBodies(ctx)
	}
	heads, err := rm.store.PublishedPosts(ctx)
	if err != nil {
		return nil, err
	}
	c.posts = make(map[string]*cms.Post, len(heads))
	var need []*cms.Post
	for _, h := range heads {
		if old := known[h.ID]; old != nil && old.Version == h.Version {
			c.posts[h.ID] = old
			continue
		}
		need = append(need, h)
	}
	if err := rm.fillBodies(ctx, need, early); err != nil {
		return nil, err
	}
	for _, h := range need {
		c.posts[h.ID] = h
	}
	for _, p := range c.posts {
		c.fp.Posts.Add(p.ID, p.Version)
	}
	if c.cats, err = rm.store.ListCategories(ctx); err != nil {
		return nil, err
	}
	for _, x := range c.cats {
		c.fp.Categories.Add(x.ID, x.Version)
	}
	st, err := rm.store.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	if st.Version > 0 {
		c.fp.Settings.Add("", st.Version)
	}
	if c.settings, err = rm.bylineFallback(ctx, st, c); err != nil {
		return nil, err
	}
	cites, err := rm.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	health, err := rm.store.ListCitationHealth(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range cites {
		c.fp.Citations.Add(x.ID, x.Version)
	}
	for _, h := range health {
		c.fp.CitationHealth.Add(h.CitationID, h.Version)
	}
	// References carry their health, and a broken link its archived copy.
	c.citations = cms.WithHealth(cites, health)
	if c.lists, err = rm.store.ListLists(ctx); err != nil {
		return nil, err
	}
	for i, l := range c.lists {
		c.fp.Lists.Add(l.ID, l.Version)
		// A save that features a post commits on the post: see featured.go.
		if c.lists[i], _, err = cms.SettleFeatured(ctx, rm.store, l, now); err != nil {
			return nil, err
		}
	}
	if c.quizzes, err = rm.store.ListQuizzes(ctx); err != nil {
		return nil, err
	}
	for _, q := range c.quizzes {
		c.fp.Quizzes.Add(q.Slug, q.Version)
	}
	if c.keys, err = rm.store.ListContentKeys(ctx); err != nil {
		return nil, err
	}
	for _, k := range c.keys {
		c.fp.ContentKeys.Add(k.ID, k.Version)
	}
	if c.reviewers, err = rm.store.ListReviewers(ctx); err != nil {
		return nil, err
	}
	for _, r := range c.reviewers {
		c.fp.Reviewers.Add(r.ID, r.Version)
	}
	return c, nil
}

// bylineFallback returns st with the author's name set to the name of the
// first owner (the oldest) while the settings name no author, so that
// posts never answer an empty byline; st itself when they do. When it
// reads the users, it counts them in c's fingerprint.
func (rm *ReadModel) bylineFallback(ctx context.Context, st *cms.Settings, c *content) (*cms.Settings, error) {
	if st.Author.Name != "" {
		return st, nil
	}
	users, err := rm.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	c.byline = true
	for _, u := range users {
		c.fp.Users.Add(u.ID, u.Version)
	}
	for _, u := range users {
		if u.Role == cms.RoleOwner && u.Name != "" {
			withName := *st
			withName.Author.Name = u.Name
			return &withName, nil
		}
	}
	return st, nil
}

// prefetched is what prefetchBodies read.
type prefetched struct {
	bodies map[string]cms.PostBody
	err    error
}

// prefetchBodies starts reading every body, as a first load does while it
// reads the posts: two scans, which the database serves on two
// processors (at 10,000 posts on the embedded database, ~4.5 s of
// processor time for the posts and ~6.4 s for their bodies).
func (rm *ReadModel) prefetchBodies(ctx context.Context) <-chan prefetched {
	ch := make(chan prefetched, 1)
	go func() {
		b, err := rm.store.AllPostBodies(ctx)
		ch <- prefetched{b, err}
	}()
	return ch
}

// fillBodies sets HTML on each post, from the current-body documents
// (those early brings, when not nil), or from the post's own revision
// where a body document lags behind.
func (rm *ReadModel) fillBodies(ctx context.Context, posts []*cms.Post, early <-chan prefetched) error {
	var bodies map[string]cms.PostBody
	switch {
	case early != nil:
		r := <-early
		if r.err != nil {
			return r.err
		}
		bodies = r.bodies
	case len(posts) == 0:
		return nil
	case len(posts) > smallReload:
		ids := make([]string, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		var err error
		if bodies, err = rm.store.PostBodies(ctx, ids); err != nil {
			return err
		}
	}
	for _, p := range posts {
		if b, ok := bodies[p.ID]; ok && b.Version == p.Version {
			p.HTML = b.HTML
			continue
		}
		full, err := rm.store.GetPost(ctx, p.ID)
		if cms.IsKind(err, cms.KindNotFound) {
			continue // deleted meanwhile; it goes at the next reload
		}
		if err != nil {
			return err
		}
		if full.Version == p.Version {
			p.HTML = full.HTML
		} else {
			*p = *full // changed meanwhile: take the newer one
		}
		p.Body = ""
		p.Revisions = nil
	}
	return nil
}

// Run polls the content version every interval and reloads when it moved,
