package readmodel

import (
	"sync"

	"github.com/lullabycms/lullaby/cms"
)

// snapshotExt is what a Snapshot holds for search, related posts, feeds
// and the sitemap: each made lazily, once per snapshot, and kept in it.
type snapshotExt struct {
	search    *searchIndex // shared with the read model; nil: nothing indexed
	st        *cms.Settings
	publicURL string

	byIDOnce sync.Once
	byID     map[string]int // post id -> index in Snapshot.posts

	results bodyCache // search bodies by page, limit and q

	links  sync.Map   // post id -> *Body: the post with related, previous and next
	shared *linkCache // composed post bodies and related-post features, along snapshots

	featOnce sync.Once
	feats    []*postFeatures // aligned with Snapshot.posts

	feeds bodyCache // feed, sitemap and robots bodies by name

	freshPosts []*postEntry // entries new in this snapshot; see warmPosts
}

// init fills x from what the snapshot was built from; prev lends its
// caches of work that does not depend on the snapshot.
func (x *snapshotExt) init(in snapshotInput, prev *Snapshot) {
	x.st, x.publicURL = in.settings, in.publicURL
	if prev != nil && prev.ext.shared != nil {
		x.shared = prev.ext.shared
		x.search = prev.ext.search
		x.shared.prune(in.posts)
	} else {
		x.shared = &linkCache{bodies: map[string]*composedPost{}, feats: map[string]*postFeatures{}}
	}
}

// index returns the position of the published post with the id in
// s.posts, or -1.
func (s *Snapshot) index(id string) int {
	s.ext.byIDOnce.Do(func() {
		s.ext.byID = make(map[string]int, len(s.posts))
		for i, e := range s.posts {
			s.ext.byID[e.post.ID] = i
		}
	})
	if i, ok := s.ext.byID[id]; ok {
		return i
	}
	return -1
}

// sourcedPost returns the published post with the id and its HTML, or
// nil.
func (s *Snapshot) sourcedPost(id string) *cms.Post {
	if i := s.index(id); i >= 0 {
		return s.posts[i].sourced()
	}
	return nil
}

// publishedPost returns the published post with the id (without its
// HTML), or nil.
func (s *Snapshot) publishedPost(id string) *cms.Post {
	if i := s.index(id); i >= 0 {
		return s.posts[i].post
	}
	return nil
}
