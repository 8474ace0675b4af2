package readmodel

import (
	"bytes"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/lullabycms/lullaby/cms"
)

// Running a parsed query over the index: a page of hits, phrases checked
// against the post text, and the body of GET /api/v1/search.

// searchHits are the ids of one page of hits, best first, and the total.
type searchHits struct {
	ids    []string
	scores []float64
	total  int
}

// maxPhraseCandidates bounds the posts, best first, whose text is checked
// for the phrases of a query: past it a post is not found. The total of a
// query with phrases counts the posts found among these candidates.
const maxPhraseCandidates = 1000

// search runs q: every word and phrase must match exactly (stemmed); when
// no post matches, typos are allowed; when still none does, any word or
// phrase may match. Typo matches are only looked for when needed: fuzzy
// queries cost the most. post returns the published post with an id (nil:
// none): the text phrases are checked against; it may be nil when pq has
// no phrase of two words or more.
func (si *searchIndex) search(pq *parsedQuery, from, size int, post func(id string) *cms.Post) (searchHits, error) {
	if len(pq.clauses) == 0 {
		return searchHits{}, nil
	}
	idx := si.current()
	all := func(cs []query.Query) query.Query {
		if len(cs) == 1 {
			return cs[0]
		}
		return bleve.NewConjunctionQuery(cs...)
	}
	h, err := si.run(idx, pq, all(pq.clauses), nil, from, size, post)
	if err != nil || h.total > 0 {
		return h, err
	}
	last := pq.clauses
	if pq.typos != nil {
		pq.useTypos = true
		last = pq.typos
		if h, err = si.run(idx, pq, all(pq.typos), nil, from, size, post); err != nil || h.total > 0 {
			return h, err
		}
	}
	if len(last) == 1 {
		return h, nil
	}
	return si.run(idx, pq, bleve.NewDisjunctionQuery(last...), last[:pq.words], from, size, post)
}

// run runs q and returns hits from..from+size. With phrases, it checks
// the best maxPhraseCandidates: a hit must hold every phrase, or, when
// anyOf is given (q is a disjunction), one phrase or one of anyOf.
func (si *searchIndex) run(idx bleve.Index, pq *parsedQuery, q query.Query, anyOf []query.Query, from, size int, post func(string) *cms.Post) (searchHits, error) {
	if len(pq.phrases) == 0 {
		res, err := idx.Search(bleve.NewSearchRequestOptions(q, size, from, false))
		if err != nil {
			return searchHits{}, err
		}
		h := searchHits{total: int(res.Total)}
		for _, d := range res.Hits {
			h.ids = append(h.ids, d.ID)
			h.scores = append(h.scores, d.Score)
		}
		return h, nil
	}
	res, err := idx.Search(bleve.NewSearchRequestOptions(q, maxPhraseCandidates, 0, false))
	if err != nil {
		return searchHits{}, err
	}
	// Each candidate's number of phrases found, -1 for none published.
	found := make([]int, len(res.Hits))
	names := si.names.Load()
	var buf []byte
	for i, d := range res.Hits {
		p := post(d.ID)
		if p == nil {
			found[i] = -1
			continue
		}
		for _, ph := range pq.phrases {
			var ok bool
			if ok, buf = si.postHasPhrase(p, names, ph, buf); ok {
				found[i]++
			}
		}
	}
	keep := make([]bool, len(res.Hits))
	var unsure []string // candidates holding no phrase
	for i, d := range res.Hits {
		switch n := found[i]; {
		case n < 0:
		case n == len(pq.phrases) || anyOf != nil && n > 0:
			keep[i] = true
		case len(anyOf) > 0:
			unsure = append(unsure, d.ID)
		}
	}
	if len(unsure) > 0 {
		// Those match q by a word if one of anyOf matches them.
		wq := bleve.NewConjunctionQuery(bleve.NewDisjunctionQuery(anyOf...), bleve.NewDocIDQuery(unsure))
		wres, err := idx.Search(bleve.NewSearchRequestOptions(wq, len(unsure), 0, false))
		if err != nil {
			return searchHits{}, err
		}
		byWord := make(map[string]bool, len(wres.Hits))
		for _, d := range wres.Hits {
			byWord[d.ID] = true
		}
		for i, d := range res.Hits {
			keep[i] = keep[i] || byWord[d.ID]
		}
	}
	var h searchHits
	for i, d := range res.Hits {
		if !keep[i] {
			continue
		}
		if h.total >= from && h.total < from+size {
			h.ids = append(h.ids, d.ID)
			h.scores = append(h.scores, d.Score)
		}
		h.total++
	}
	return h, nil
}

// postHasPhrase reports whether the text of p that its search document is
// made of holds the phrase ph (stems by position, "" for any word).
func (si *searchIndex) postHasPhrase(p *cms.Post, names *searchNames, ph []string, buf []byte) (bool, []byte) {
	var ok bool
	check := func(text string, isHTML bool) bool {
		ok, buf = si.hasPhrase(text, isHTML, ph, buf)
		return ok
	}
	if check(p.Title, false) || check(p.Excerpt, false) {
		return true, buf
	}
	for _, t := range p.Tags {
		if check(t, false) {
			return true, buf
		}
	}
	if names != nil {
		for _, id := range p.CategoryIDs {
			if check(names.cats[id], false) {
				return true, buf
			}
		}
		for _, id := range p.References {
			if c := names.cites[id]; c != nil && check(citedText(c), false) {
				return true, buf
			}
		}
	}
	return check(p.HTML, true), buf
}

// SearchHit is one post found, with its score and highlighted snippets
// (HTML-escaped text with <mark> around the hits).
type SearchHit struct {
	Post       *cms.Post // published, without the Markdown body
	Score      float64
	Highlights SearchHighlights
}

// SearchHighlights are the parts of a hit that matched; empty when that
// part did not.
type SearchHighlights struct {
	Title string `json:"title,omitempty"`
	Body  string `json:"body,omitempty"`
}

// SearchResult is one page of hits and the number of posts that match.
type SearchResult struct {
	Hits  []SearchHit
	Total int
}

func (e *postEntry) highlights(si *searchIndex, pq *parsedQuery) SearchHighlights {
	h := SearchHighlights{Title: si.highlight(pq, e.post.Title, false)}
	// Most hits are near the start: try the first few KB before it all.
	html := cms.StripCitations(e.src.html())
	text := htmlTextPrefix(html, highlightPrefix)
	h.Body = si.highlight(pq, text, true)
	if h.Body == "" && len(text) >= highlightPrefix {
		h.Body = si.highlight(pq, htmlText(html), true)
	}
	if h.Body == "" && e.post.Excerpt != "" {
		h.Body = si.highlight(pq, e.post.Excerpt, true)
	}
	return h
}

// writeSearchBody writes the body of GET /api/v1/search.
func writeSearchBody(b *bytes.Buffer, hits []SearchHit, entries []*postEntry, total int, q SearchQuery) {
	b.WriteString(`{"data":[`)
	for i, h := range hits {
		if i > 0 {
			b.WriteByte(',')
		}
		sum := entries[i].summary
		b.Write(sum[:len(sum)-1])
		b.WriteString(`,"score":`)
		b.WriteString(strconv.FormatFloat(h.Score, 'f', 4, 64))
		hl, _ := marshal(h.Highlights)
		b.WriteString(`,"highlights":`)
		b.Write(hl)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	writeMeta(b, total, PostQuery{Page: q.Page, Limit: q.Limit})
}
