package readmodel

import (
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/lullabycms/lullaby/cms"
)

// Related posts and previous/next links. They depend on other posts, so
// they are not part of a post's entry (which is reused while the post does
// not change): a snapshot adds them to the post's body on first request,
// and reuses the body made for an earlier snapshot when the post and the
// posts it links to are the same entries.

// suggestedRelated is the number of related posts suggested when she
// picked none.
const suggestedRelated = 3

// linkCache is shared along snapshots: composed post bodies and the
// features of posts for suggestions.
type linkCache struct {
	mu     sync.Mutex
	bodies map[string]*composedPost // post id ->
	feats  map[string]*postFeatures // post id ->
}

// composedPost is a post's body with its links, and what it was made from.
type composedPost struct {
	full  *Body
	links []*postEntry // related..., previous, next (nil at the ends)
	body  *Body
}

// postFeatures is what suggestions compare.
type postFeatures struct {
	version int
	cats    []string // ids
	tags    []string // lower-cased
	terms   map[string]bool
}

var enAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	return newSearchMapping().AnalyzerNamed(en.AnalyzerName)
})

func newPostFeatures(e *postEntry) *postFeatures {
	p := e.post
	f := &postFeatures{version: p.Version, cats: p.CategoryIDs, terms: map[string]bool{}}
	for _, t := range p.Tags {
		f.tags = append(f.tags, strings.ToLower(t))
	}
	text := p.Title + " . " + p.Excerpt
	if p.Excerpt == "" {
		text += " " + cms.Excerpt(cms.StripCitations(e.src.html()), 400)
	}
	for _, t := range enAnalyzer().Analyze([]byte(text)) {
		if len(t.Term) >= 3 {
			f.terms[string(t.Term)] = true
		}
	}
	return f
}

// features returns the features of every post of s, aligned with s.posts.
func (s *Snapshot) features() []*postFeatures {
	s.ext.featOnce.Do(func() {
		lc := s.ext.shared
		lc.mu.Lock()
		defer lc.mu.Unlock()
		s.ext.feats = make([]*postFeatures, len(s.posts))
		for i, e := range s.posts {
			f := lc.feats[e.post.ID]
			if f == nil || f.version != e.post.Version {
				f = newPostFeatures(e)
				lc.feats[e.post.ID] = f
			}
			s.ext.feats[i] = f
		}
	})
	return s.ext.feats
}

// relatedScore weighs what two posts share: categories, tags and words
// of their titles and excerpts.
func relatedScore(a, b *postFeatures) int {
	n := 0
	for _, c := range a.cats {
		if slices.Contains(b.cats, c) {
			n += 3
		}
	}
	for _, t := range a.tags {
		if slices.Contains(b.tags, t) {
			n += 2
		}
	}
	small, big := a.terms, b.terms
	if len(small) > len(big) {
		small, big = big, small
	}
	for t := range small {
		if big[t] {
			n++
		}
	}
	return n
}

// related returns the published posts she picked for the post at i, or
// else up to three suggestions, best first (newer first among equals).
func (s *Snapshot) related(i int) []*postEntry {
	e := s.posts[i]
	var out []*postEntry
	for _, id := range e.post.RelatedIDs {
		if j := s.index(id); j >= 0 && j != i && !slices.Contains(out, s.posts[j]) {
			out = append(out, s.posts[j])
		}
	}
	if len(out) > 0 {
		return out
	}
	feats := s.features()
	type cand struct{ j, score int }
	var best []cand
	for j, f := range feats {
		if j == i {
			continue
		}
		sc := relatedScore(feats[i], f)
		if sc == 0 || (len(best) == suggestedRelated && sc <= best[len(best)-1].score) {
			continue
		}
		// Posts are newest first: among equals the earlier one stays ahead.
		k := len(best)
		for k > 0 && best[k-1].score < sc {
			k--
		}
		best = slices.Insert(best, k, cand{j, sc})
		if len(best) > suggestedRelated {
			best = best[:suggestedRelated]
		}
	}
	for _, c := range best {
		out = append(out, s.posts[c.j])
	}
	return out
}

// maxWarmPosts is the number of changed posts up to which warm composes
// and compresses their bodies ahead of requests; past it (a full reload)
// each is made on its first request, as suggestions cost a scan each.
const maxWarmPosts = 16

// warmPosts composes and compresses the bodies of the posts new in s,
// when they are few (a save).
func (s *Snapshot) warmPosts() {
	s.features() // the first request for a post should not pay for them
	if len(s.ext.freshPosts) <= maxWarmPosts {
		for _, e := range s.ext.freshPosts {
			b := s.postBody(e)
			b.Brotli()
			b.Gzip()
		}
	}
	s.ext.freshPosts = nil
}

// postBody returns the body of GET /api/v1/posts/{slug} for e: its entry's
// body with related, previous (the next older post) and next (the next
// newer one) added.
func (s *Snapshot) postBody(e *postEntry) *Body {
	if b, ok := s.ext.links.Load(e.post.ID); ok {
		return b.(*Body)
	}
	i := s.index(e.post.ID)
	if i < 0 || s.posts[i] != e {
		return e.full
	}
	links := s.related(i)
	var prev, next *postEntry
	if i+1 < len(s.posts) {
		prev = s.posts[i+1]
	}
	if i > 0 {
		next = s.posts[i-1]
	}
	links = append(links, prev, next)

	lc := s.ext.shared
	lc.mu.Lock()
	c := lc.bodies[e.post.ID]
	lc.mu.Unlock()
	if c == nil || c.full != e.full || !slices.Equal(c.links, links) {
		c = &composedPost{full: e.full, links: links, body: composePost(e.full, links)}
		lc.mu.Lock()
		lc.bodies[e.post.ID] = c
		lc.mu.Unlock()
	}
	b, _ := s.ext.links.LoadOrStore(e.post.ID, c.body)
	return b.(*Body)
}

// composePost adds `"related":[…],"previous":…,"next":…` to a post body
// `{"data":{…}}`, sharing its parts; links ends with previous and next.
func composePost(full *Body, links []*postEntry) *Body {
	var b bodyBuilder
	b.Grow(1024 * len(links))
	b.ShareBody(full, 0, 2)
	b.WriteString(`,"related":[`)
	rel := links[:len(links)-2]
	for k, r := range rel {
		if k > 0 {
			b.WriteByte(',')
		}
		b.Share(r.summary)
	}
	b.WriteString(`],"previous":`)
	writeSummaryOrNull(&b, links[len(links)-2])
	b.WriteString(`,"next":`)
	writeSummaryOrNull(&b, links[len(links)-1])
	b.WriteString(`}}`)
	return b.Body()
}

func writeSummaryOrNull(b *bodyBuilder, e *postEntry) {
	if e == nil {
		b.WriteString("null")
		return
	}
	b.Share(e.summary)
}

// prune forgets posts no longer published, once they are many.
func (lc *linkCache) prune(posts []*cms.Post) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if len(lc.bodies)+len(lc.feats) <= 2*len(posts)+128 {
		return
	}
	live := make(map[string]bool, len(posts))
	for _, p := range posts {
		live[p.ID] = true
	}
	for id := range lc.bodies {
		if !live[id] {
			delete(lc.bodies, id)
		}
	}
	for id := range lc.feats {
		if !live[id] {
			delete(lc.feats, id)
		}
	}
}
