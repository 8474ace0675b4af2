package readmodel

import (
	"bytes"
	"strconv"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// SearchPosts runs q over the published posts of the snapshot: a page of
// hits, best first, with highlights. Internal if the index fails.
func (s *Snapshot) SearchPosts(q SearchQuery) (SearchResult, error) {
	res, _, err := s.searchPosts(q)
	return res, err
}

func (s *Snapshot) searchPosts(q SearchQuery) (SearchResult, []*postEntry, error) {
	si := s.ext.search
	if si == nil || len(s.posts) == 0 {
		return SearchResult{Hits: []SearchHit{}}, nil, nil
	}
	pq := si.parse(q.Q)
	hits, err := si.search(pq, (q.Page-1)*q.Limit, q.Limit, s.sourcedPost)
	if err != nil {
		return SearchResult{}, nil, &cms.Error{Kind: cms.KindInternal, Op: "readmodel.Snapshot.SearchPosts", Err: err}
	}
	res := SearchResult{Hits: make([]SearchHit, 0, len(hits.ids)), Total: hits.total}
	entries := make([]*postEntry, 0, len(hits.ids))
	for i, id := range hits.ids {
		// The index runs ahead of the snapshot while a new one is swapped in.
		j := s.index(id)
		if j < 0 {
			res.Total--
			continue
		}
		e := s.posts[j]
		res.Hits = append(res.Hits, SearchHit{Post: e.post, Score: hits.scores[i], Highlights: e.highlights(si, pq)})
		entries = append(entries, e)
	}
	res.Total = max(res.Total, len(res.Hits))
	return res, entries, nil
}

// Search returns the body of GET /api/v1/search for q, made once per
// snapshot for each query (up to maxCachedPages of them). Internal if the
// index fails.
func (s *Snapshot) Search(q SearchQuery) (*Body, error) {
	key := strconv.Itoa(q.Page) + "\x00" + strconv.Itoa(q.Limit) + "\x00" + q.Q
	if b := s.ext.results.get([]byte(key)); b != nil {
		return b, nil
	}
	res, entries, err := s.searchPosts(q)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeSearchBody(&b, res.Hits, entries, res.Total, q)
	body := NewBody(b.Bytes())
	if s.ext.search == nil || !s.ext.search.built.Load() {
		return body, nil // the first build is still running
	}
	return s.ext.results.put(key, body), nil
}

// Search runs q over the published posts of the current snapshot, for the
// admin posts list. Drafts are not in the read model: to search them the
// admin would keep a second searchIndex over every live post, updated by
// the Service on each save, with the same parse and highlight. Internal
// if the index fails.
func (rm *ReadModel) Search(q SearchQuery) (SearchResult, error) {
	return rm.Snapshot().SearchPosts(q)
}

// indexSearch brings the search index up to the posts of snap (those of
// its entries, which keep their HTML for it: Snapshot.sourceHTML), before
// snap is swapped in, and hands it to snap. Call with rm.mu held. A
// failure is logged: search keeps the last index, and the next reload
// retries what changed. The first build of a large index (about 1 s per
// 1,000 posts) runs in the background so that it does not hold up the
// start: until it ends, searches answer from what is indexed so far and
// their bodies are not cached. The channel returned is closed when the
// index is up to the posts of snap (or failed).
func (rm *ReadModel) indexSearch(snap *Snapshot, cats []*cms.Category, cites []*cms.Citation) <-chan struct{} {
	done := make(chan struct{})
	posts := make([]*cms.Post, len(snap.posts))
	for i, e := range snap.posts {
		posts[i] = e.post
	}
	byID := make(map[string]*cms.Citation, len(cites))
	for _, c := range cites {
		byID[c.ID] = c
	}
	if rm.search == nil {
		si, err := newSearchIndex()
		if err != nil {
			rm.log.Error("creating the search index", "err", err)
			close(done)
			return done
		}
		rm.search = si
		if len(posts) > backgroundIndexPosts {
			snap.ext.search = si
			go func() {
				defer close(done)
				t0 := time.Now()
				if err := si.sync(posts, cats, byID, snap.sourceHTML); err != nil {
					rm.log.Error("building the search index", "err", err)
					return
				}
				rm.log.Info("search index built", "posts", len(posts), "took", time.Since(t0).Round(time.Millisecond))
			}()
			return done
		}
	}
	if err := rm.search.sync(posts, cats, byID, snap.sourceHTML); err != nil {
		rm.log.Error("updating the search index", "err", err)
	}
	snap.ext.search = rm.search
	close(done)
	return done
}

// backgroundIndexPosts is the number of posts past which the first build
// of the search index runs in the background.
const backgroundIndexPosts = 200
