package readmodel

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Redirect types: what PublicRedirect.From is.
const (
	RedirectSlug = "slug" // an old slug: GET /api/v1/posts/{from} answers 301
	RedirectPath = "path" // an old URL path of the site, with its query if it had one
)

// PublicRedirect is one old address of a published post, as GET
// /api/v1/redirects lists it. To is always the post's current slug: a
// frontend knows where it serves a slug (e.g. /blog/{slug}/), and so
// turns each entry into a rule of its own (Netlify's _redirects, Next.js
// redirects(), an nginx map).
type PublicRedirect struct {
	From   string `json:"from"`
	Type   string `json:"type"` // RedirectSlug or RedirectPath
	To     string `json:"to"`   // the post's current slug
	PostID string `json:"postId"`
	Status int    `json:"status"` // 301
}

// redirectsState is the snapshot's old addresses, settled: an old slug
// that is some post's live slug is left out (the live post wins), and of
// two posts claiming one address the newer claim wins (cms.Redirect).
type redirectsState struct {
	list  []PublicRedirect          // paths first, each type by From
	paths map[string]PublicRedirect // old path -> where it goes

	once sync.Once
	body *Body
}

// redirectClaim is a post claiming an old address.
type redirectClaim struct {
	post  *cms.Post
	since time.Time
}

// newer reports whether c wins over the claim o already recorded.
func (c redirectClaim) newer(o redirectClaim, ok bool) bool {
	if !ok {
		return true
	}
	if d := c.since.Compare(o.since); d != 0 {
		return d > 0
	}
	return c.post.ID > o.post.ID
}

// buildRedirects settles the old addresses of the published posts of s
// (whose bySlug is built) into s.oldSlugs and s.redirects.
func (s *Snapshot) buildRedirects() {
	slugs, paths := map[string]redirectClaim{}, map[string]redirectClaim{}
	for _, e := range s.posts {
		for _, r := range e.post.Redirects {
			m := slugs
			if r.IsPath() {
				m = paths
			}
			c := redirectClaim{post: e.post, since: r.Since}
			if old, ok := m[r.From]; c.newer(old, ok) {
				m[r.From] = c
			}
		}
	}
	s.oldSlugs = make(map[string]string, len(slugs))
	st := &redirectsState{paths: make(map[string]PublicRedirect, len(paths)), list: make([]PublicRedirect, 0, len(slugs)+len(paths))}
	for from, c := range paths {
		r := PublicRedirect{From: from, Type: RedirectPath, To: c.post.Slug, PostID: c.post.ID, Status: 301}
		st.paths[from] = r
		st.list = append(st.list, r)
	}
	for from, c := range slugs {
		if s.bySlug[from] != nil {
			continue // a live slug wins over another post's old one
		}
		s.oldSlugs[from] = c.post.Slug
		st.list = append(st.list, PublicRedirect{From: from, Type: RedirectSlug, To: c.post.Slug, PostID: c.post.ID, Status: 301})
	}
	slices.SortFunc(st.list, func(a, b PublicRedirect) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.From, b.From))
	})
	s.redirects = st
}

// Redirects returns the body of GET /api/v1/redirects: every old address
// of every published post, made on first request and kept.
func (s *Snapshot) Redirects() *Body {
	st := s.redirects
	st.once.Do(func() {
		b, err := marshal(struct {
			Data []PublicRedirect `json:"data"`
		}{st.list})
		if err != nil { // a slice of plain structs always marshals
			panic(err)
		}
		st.body = NewBody(b)
	})
	return st.body
}

// RedirectForPath returns the body of GET /api/v1/redirects?path=: where
// the old URL path goes. A path is matched as stored (normalised, see
// cms.NormaliseRedirect), then with its trailing slash added or taken
// away. Errors: KindInvalid naming "path" for a path that cannot be an
// old address; KindNotFound.
func (s *Snapshot) RedirectForPath(path string) (*Body, error) {
	const op = "readmodel.Snapshot.RedirectForPath"
	if !strings.HasPrefix(path, "/") {
		return nil, cms.Problems{"path": "Must be a URL path starting with / (e.g. /2024/03/early-waking/)."}.Err(op)
	}
	if msg := cms.RedirectProblem(path); msg != "" {
		return nil, cms.Problems{"path": msg}.Err(op)
	}
	p, _ := cms.NormaliseRedirect(path)
	r, ok := s.redirects.paths[p]
	if !ok {
		r, ok = s.redirects.paths[toggleSlash(p)]
	}
	if !ok {
		return nil, cms.Errorf(cms.KindNotFound, op, "No published post answered at %q.", truncate(path, 200))
	}
	b, err := marshal(struct {
		Data PublicRedirect `json:"data"`
	}{r})
	if err != nil {
		return nil, err
	}
	return NewBody(b), nil
}

// toggleSlash adds a trailing slash to the path part of p, or takes it
// away.
func toggleSlash(p string) string {
	path, query, hasQuery := strings.Cut(p, "?")
	if strings.HasSuffix(path, "/") {
		path = strings.TrimSuffix(path, "/")
	} else {
		path += "/"
	}
	if hasQuery {
		return path + "?" + query
	}
	return path
}
