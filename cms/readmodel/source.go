package readmodel

import (
	"sync"

	"github.com/klauspost/compress/s2"
	"github.com/lullabycms/lullaby/cms"
)

// The read model keeps each published post once, in its entry, and
// without the HTML the post was rendered from (cms.Post.HTML): that HTML
// is read again only when the entry is made anew (a category, the
// settings or a reference it shows changed), when the search index takes
// the post, for related-post suggestions and for search snippets. So the
// entry keeps it compressed (source), at about 60% of its size, and
// what is served (the public HTML, as a JSON string) is the one full
// copy in memory.

// source is a post's HTML, compressed with S2 (to about 60% of its size;
// encoding or decoding ~10 KB takes microseconds).
type source []byte

// newSource compresses html, keeping the bytes in s (nil: an allocation
// of their own).
func newSource(html string, s *slab) source {
	if html == "" {
		return nil
	}
	scratch := sourceScratch.Get().(*[]byte)
	defer sourceScratch.Put(scratch)
	if n := s2.MaxEncodedLen(len(html)); cap(*scratch) < n {
		*scratch = make([]byte, n)
	}
	return source(s.keep(s2.EncodeBetter((*scratch)[:cap(*scratch)], []byte(html))))
}

// sourceScratch holds the buffers newSource compresses into.
var sourceScratch = sync.Pool{New: func() any { return new([]byte) }}

// html returns the HTML; "" for a source that does not decode, which
// cannot happen for one made by newSource.
func (s source) html() string {
	if len(s) == 0 {
		return ""
	}
	b, err := s2.Decode(nil, s)
	if err != nil {
		return ""
	}
	return string(b)
}

// sourced returns the entry's post with its HTML.
func (e *postEntry) sourced() *cms.Post {
	p := *e.post
	p.HTML = e.src.html()
	return &p
}

// sourceHTML returns the HTML p was rendered from: p's own, or, for a
// post kept without it (the read model's posts once a snapshot holds
// them), the one s's entry of p keeps.
func (s *Snapshot) sourceHTML(p *cms.Post) string {
	if p.HTML != "" {
		return p.HTML
	}
	if e := s.entryOf(p); e != nil {
		return e.src.html()
	}
	return ""
}

// entryOf returns s's entry of p at p's version, nil if s has none.
func (s *Snapshot) entryOf(p *cms.Post) *postEntry {
	if s == nil {
		return nil
	}
	if e := s.bySlug[p.Slug]; e != nil && e.post.ID == p.ID && e.post.Version == p.Version {
		return e
	}
	return nil
}

// withSource returns p with its HTML: p itself when it has HTML or when
// prev holds no entry of it at its version (a post that is new, or whose
// HTML is empty), or else a copy with the HTML prev's entry keeps.
func withSource(p *cms.Post, prev *Snapshot) *cms.Post {
	if p.HTML != "" {
		return p
	}
	if e := prev.entryOf(p); e != nil {
		return e.sourced()
	}
	return p
}

// lighten replaces the posts of m that snap holds by its entries' posts,
// which keep no HTML, so that the HTML read from the database is not
// held beside the entries' compressed copies.
func lighten(m map[string]*cms.Post, snap *Snapshot) {
	for id, p := range m {
		if p.HTML == "" {
			continue
		}
		if e := snap.entryOf(p); e != nil {
			m[id] = e.post
		}
	}
}
