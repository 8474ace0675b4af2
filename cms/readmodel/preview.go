package readmodel

import "github.com/lullabycms/lullaby/cms"

// PublicPreview returns the public shape of the post in pv, as
// GET /api/v1/posts/{slug} would answer it were the post published: built
// by the code that builds the public snapshot, with this read model's
// public URL.
func (rm *ReadModel) PublicPreview(pv *cms.Preview) *PublicPost {
	byID := make(map[string]*catEntry, len(pv.Categories))
	for _, c := range pv.Categories {
		byID[c.ID] = &catEntry{cat: PublicCategory{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position}}
	}
	_, full := newEntryEnv(byID, pv.Settings, rm.PublicURL(), pv.Citations, pv.Reviewers).publicPost(pv.Post)
	return &full
}

// WithDraft returns a snapshot that is the current one with post p (a
// draft, as cms.Service.OpenPreview returns it) among the published
// posts, so that the public API and its dialects answer it by the code
// that answers published posts, in exactly their shapes: related posts,
// previous and next, tags, numeric ids and all. The snapshot is built
// for one answer and never served to others; it costs about what a save
// costs (post entries are lent by the current snapshot). Errors:
// Unavailable before the first load, Internal.
func (rm *ReadModel) WithDraft(p *cms.Post) (*Snapshot, error) {
	const op = "readmodel.ReadModel.WithDraft"
	rm.mu.Lock()
	if !rm.loaded.Load() || rm.settings == nil {
		rm.mu.Unlock()
		return nil, cms.Errorf(cms.KindUnavailable, op, "The content is not loaded yet; try again in a moment.")
	}
	light := *p
	// Version -1 is no stored version: the current snapshot never lends
	// its entry of the post (a published post's pending edit shares its
	// id and version).
	light.Body, light.Revisions, light.Version = "", nil, -1
	posts := make([]*cms.Post, 0, len(rm.posts)+1)
	for id, q := range rm.posts {
		if id != p.ID {
			posts = append(posts, q)
		}
	}
	posts = append(posts, &light)
	cur := rm.cur.Load()
	in := rm.input(cur.Version(), posts)
	rm.mu.Unlock()
	snap, err := buildSnapshot(in, cur)
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
	}
	return snap, nil
}

// PostByID returns the body of GET /api/v1/posts/{slug} for the post
// with the id. NotFound if it is not in the snapshot.
func (s *Snapshot) PostByID(id string) (*Body, error) {
	i := s.index(id)
	if i < 0 {
		return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.PostByID", "No published post has this id.")
	}
	return s.postBody(s.posts[i]), nil
}

// PostSlug returns the current slug of the post with the id, "" when it
// is not in the snapshot.
func (s *Snapshot) PostSlug(id string) string {
	if p := s.publishedPost(id); p != nil {
		return p.Slug
	}
	return ""
}

// WPPostID returns the WordPress dialect's numeric id of the post with
// the id, 0 when it is not in the snapshot.
func (s *Snapshot) WPPostID(id string) int64 {
	if i := s.index(id); i >= 0 {
		return s.wp().postID[s.posts[i]]
	}
	return 0
}
