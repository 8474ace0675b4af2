package cms

import (
	"bytes"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	xhtml "golang.org/x/net/html"
)

// Search over published posts: a bleve index (scorch, in memory: an empty
// path) kept beside the read model. The read model updates it on every
// reload with only the posts that changed (by id, version and the names
// of their categories and references), before it swaps the new snapshot
// in; snapshots only query it, so the request path never indexes.

// Limits of a search request.
const (
	MaxSearchQueryLen = 200   // runes of q
	maxSearchWindow   = 10000 // page*limit: deeper pages cost bleve memory
	searchSnippetLen  = 200   // bytes of text around the hits in a body snippet
	maxHighlightText  = 64 << 10
	highlightPrefix   = 3 << 10 // bytes of body text tried first
	maxSearchTerms    = 16      // words (and phrases) of a query used; the rest is ignored
)

// Field names of the index and their boosts: a hit in the title outranks
// one in tags or categories, which outranks one in the excerpt, then the
// body. Few fields keep queries fast: each is a searcher per word.
const (
	fieldTitle      = "title"
	fieldLabels     = "labels" // tags and category names
	fieldExcerpt    = "excerpt"
	fieldBody       = "body"       // the text and the titles of cited works
	fieldTitleWords = "titleWords" // the title, unstemmed: typo matches
	fieldWords      = "words"      // excerpt, tags, categories, cited titles, unstemmed: typo matches

	plainAnalyzer = "plain"
)

var stemFields = []struct {
	name  string
	boost float64
}{
	{fieldTitle, 6}, {fieldLabels, 3}, {fieldExcerpt, 2}, {fieldBody, 1},
}

// searchIndex is the full-text index of the published posts.
type searchIndex struct {
	mu          sync.Mutex        // serialises updates
	keys        map[string]string // post id -> what its document was made from
	segments    int               // batches since the index was made
	maxSegments int               // maxSearchSegments; tests lower it
	rebuilding  bool
	built       atomic.Bool // a sync has completed
	lastPosts   []*Post     // what the last sync was given
	lastCats    []*Category
	lastCites   map[string]*Citation

	idxMu sync.RWMutex
	idx   bleve.Index // swapped by rebuild
	en    analysis.Analyzer
	plain analysis.Analyzer

	stemMu sync.RWMutex
	stems  map[string]string // lower-case word -> stem, for highlighting
}

func newSearchMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(plainAnalyzer, map[string]any{
		"type": custom.Name, "tokenizer": unicodetok.Name, "token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // the configuration is constant
	}
	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = vectors // phrases need positions
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range stemFields {
		doc.AddFieldMappingsAt(f.name, text(en.AnalyzerName, true))
	}
	doc.AddFieldMappingsAt(fieldTitleWords, text(plainAnalyzer, false))
	doc.AddFieldMappingsAt(fieldWords, text(plainAnalyzer, false))
	im.DefaultMapping = doc
	im.DefaultAnalyzer = en.AnalyzerName
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	im.ScoringModel = bleveindex.BM25Scoring
	return im
}

func newSearchIndex() (*searchIndex, error) {
	im := newSearchMapping()
	idx, err := bleve.New("", im) // scorch in memory; NOT NewMemOnly (25x slower)
	if err != nil {
		return nil, err
	}
	return &searchIndex{idx: idx, keys: map[string]string{}, stems: map[string]string{}, maxSegments: maxSearchSegments, en: im.AnalyzerNamed(en.AnalyzerName),
		plain: im.AnalyzerNamed(plainAnalyzer)}, nil
}

// docKey is what a post's document depends on.
func docKey(p *Post, cats map[string]string, cites map[string]*Citation) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(p.Version))
	b.WriteString(p.ID)
	for _, id := range p.CategoryIDs {
		b.WriteByte(0)
		b.WriteString(cats[id])
	}
	for _, id := range p.References {
		if c := cites[id]; c != nil {
			b.WriteByte(1)
			b.WriteString(c.Title)
		}
	}
	return b.String()
}

// searchBatchSize bounds the documents of one bleve batch (a segment).
const searchBatchSize = 500

// sync makes the index hold exactly posts: it indexes the new and changed
// ones and deletes the others. Scorch without a path never merges its
// segments (one per batch), so once there are maxSearchSegments of them
// sync starts a rebuild in the background, and swaps the new index in
// when it has caught up. It keeps posts: the slice must not change after.
func (si *searchIndex) sync(posts []*Post, cats []*Category, cites map[string]*Citation) error {
	si.mu.Lock()
	defer si.mu.Unlock()
	si.lastPosts, si.lastCats, si.lastCites = posts, cats, cites
	n, err := applyPosts(si.current(), si.keys, posts, cats, cites)
	si.segments += n
	if err == nil {
		si.built.Store(true)
	}
	if err == nil && si.segments > si.maxSegments && !si.rebuilding {
		si.rebuilding = true
		go si.rebuild(posts, cats, cites)
	}
	return err
}

// maxSearchSegments is the number of segments (batches) past which the
// index is rebuilt.
const maxSearchSegments = 100

// rebuild makes a fresh index of posts, brings it up to the last sync and
// swaps it in. The old index is closed a minute later, when no search can
// still be using it.
func (si *searchIndex) rebuild(posts []*Post, cats []*Category, cites map[string]*Citation) {
	fresh, err := bleve.New("", newSearchMapping())
	if err != nil {
		si.mu.Lock()
		si.rebuilding, si.segments = false, 0 // try again after as many batches
		si.mu.Unlock()
		return
	}
	keys := map[string]string{}
	n, err := applyPosts(fresh, keys, posts, cats, cites)
	si.mu.Lock()
	defer si.mu.Unlock()
	si.rebuilding = false
	if err == nil {
		var more int
		more, err = applyPosts(fresh, keys, si.lastPosts, si.lastCats, si.lastCites)
		n += more
	}
	if err != nil {
		_ = fresh.Close()
		si.segments = 0 // try again after as many batches
		return
	}
	si.idxMu.Lock()
	old := si.idx
	si.idx = fresh
	si.idxMu.Unlock()
	si.keys, si.segments = keys, n
	time.AfterFunc(time.Minute, func() { _ = old.Close() })
}

// current returns the index searches use.
func (si *searchIndex) current() bleve.Index {
	si.idxMu.RLock()
	defer si.idxMu.RUnlock()
	return si.idx
}

// applyPosts makes idx, whose documents keys describes, hold exactly
// posts, updating keys; it returns the number of batches it ran.
func applyPosts(idx bleve.Index, keys map[string]string, posts []*Post, cats []*Category, cites map[string]*Citation) (int, error) {
	catNames := make(map[string]string, len(cats))
	for _, c := range cats {
		catNames[c.ID] = c.Name
	}
	seen := make(map[string]bool, len(posts))
	b := idx.NewBatch()
	next := map[string]string{}
	batches := 0
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := idx.Batch(b); err != nil {
			return err
		}
		batches++
		b.Reset()
		return nil
	}
	for _, p := range posts {
		seen[p.ID] = true
		k := docKey(p, catNames, cites)
		if keys[p.ID] == k {
			continue
		}
		if err := b.Index(p.ID, searchDocument(p, catNames, cites)); err != nil {
			return batches, err
		}
		next[p.ID] = k
		if b.Size() >= searchBatchSize {
			if err := flush(); err != nil {
				return batches, err
			}
		}
	}
	var gone []string
	for id := range keys {
		if !seen[id] {
			b.Delete(id)
			gone = append(gone, id)
		}
	}
	if err := flush(); err != nil {
		return batches, err
	}
	for id, k := range next {
		keys[id] = k
	}
	for _, id := range gone {
		delete(keys, id)
	}
	return batches, nil
}

func searchDocument(p *Post, catNames map[string]string, cites map[string]*Citation) map[string]any {
	var cats, refs []string
	for _, id := range p.CategoryIDs {
		if n := catNames[id]; n != "" {
			cats = append(cats, n)
		}
	}
	for _, id := range p.References {
		if c := cites[id]; c != nil {
			refs = append(refs, c.Title)
		}
	}
	body := htmlText(p.HTML)
	tags := strings.Join(p.Tags, " . ")
	catText := strings.Join(cats, " . ")
	refText := strings.Join(refs, " . ")
	return map[string]any{
		fieldTitle: p.Title, fieldLabels: tags + " . " + catText, fieldExcerpt: p.Excerpt,
		fieldBody: body + " . " + refText, fieldTitleWords: p.Title,
		fieldWords: strings.Join([]string{p.Excerpt, catText, tags, refText}, " . "),
	}
}

// htmlText is the text of rendered HTML: tags dropped, entities decoded,
// white space collapsed, block elements separated by a space.
func htmlText(s string) string { return htmlTextPrefix(s, -1) }

// htmlTextPrefix is htmlText stopped once about limit bytes of text are
// made (limit < 0: all of it).
func htmlTextPrefix(s string, limit int) string {
	var b strings.Builder
	b.Grow(min(len(s), max(limit, 0)+1024))
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		if limit >= 0 && b.Len() >= limit {
			return strings.Join(strings.Fields(b.String()), " ")
		}
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "sup": // footnote markers
			default:
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip = max(skip-1, 0)
			case "sup":
			default:
				b.WriteByte(' ')
			}
		}
	}
}

// SearchQuery is a parsed search request.
type SearchQuery struct {
	Q     string // as typed (trimmed)
	Page  int
	Limit int
}

// ParseSearchQuery validates raw query values, naming the bad ones: q is
// required and at most 200 characters; page and limit are as for lists,
// and page*limit may not pass 10,000.
func ParseSearchQuery(q, page, limit string) (SearchQuery, error) {
	pq, err := ParsePostQuery(page, limit, "", "", "")
	pr := Problems{}
	if fe := ErrorFields(err); fe != nil {
		for k, v := range fe {
			pr.Add(k, v)
		}
	}
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		pr.Add("q", "A search query is required.")
	case !utf8.ValidString(q):
		pr.Add("q", "Must be UTF-8 text.")
	case utf8.RuneCountInString(q) > MaxSearchQueryLen:
		pr.Add("q", "Must be at most 200 characters.")
	}
	if err == nil && pq.Page*pq.Limit > maxSearchWindow {
		pr.Add("page", "Results stop at 10000: page × limit must be at most 10000.")
	}
	return SearchQuery{Q: q, Page: pq.Page, Limit: pq.Limit}, pr.Err("cms.ParseSearchQuery")
}

// parsedQuery is q split into what bleve is asked and what highlighting
// marks. User input never reaches bleve's query-string syntax.
type parsedQuery struct {
	clauses []query.Query // each must match (one per word or phrase): exact and stemmed
	typos   []query.Query // the same, allowing typos (nil: no word is long enough)
	stems   map[string]bool
	fuzzy   []fuzzyWord
	// useTypos is set by search when typo matches were needed: only then
	// does highlighting mark them.
	useTypos bool
}

type fuzzyWord struct {
	word  string
	fuzz  int
	runes []rune
}

// fuzziness is the typo allowance of a word: 1 for 4-7 letters, 2 for 8+.
func fuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// querySyntax turns the characters of query languages into spaces: they
// are text, and ':' would otherwise join words ("title:sleep").
var querySyntax = strings.NewReplacer(":", " ", "*", " ", "~", " ", "^", " ", "+", " ", "(", " ", ")", " ",
	"\"", " ", "\\", " ", "/", " ", "[", " ", "]", " ", "{", " ", "}", " ", "!", " ", "?", " ", "|", " ", "&", " ")

// splitPhrases returns the quoted phrases of q and the text outside them;
// an unbalanced quote is text.
func splitPhrases(q string) (phrases []string, rest string) {
	var b strings.Builder
	for {
		i := strings.IndexByte(q, '"')
		if i < 0 {
			break
		}
		j := strings.IndexByte(q[i+1:], '"')
		if j < 0 {
			break
		}
		b.WriteString(q[:i])
		b.WriteByte(' ')
		if p := strings.TrimSpace(q[i+1 : i+1+j]); p != "" {
			phrases = append(phrases, p)
		}
		q = q[i+1+j+1:]
	}
	b.WriteString(q)
	return phrases, b.String()
}

func (si *searchIndex) parse(q string) *parsedQuery {
	pq := &parsedQuery{stems: map[string]bool{}}
	phrases, rest := splitPhrases(q)
	rest = querySyntax.Replace(rest)
	seen := map[string]bool{}
	for _, tok := range si.plain.Analyze([]byte(rest)) {
		w := string(tok.Term)
		if seen[w] || len(seen) >= maxSearchTerms {
			continue
		}
		seen[w] = true
		stems := si.en.Analyze(tok.Term)
		if len(stems) == 0 {
			continue // a stop word
		}
		stem := string(stems[0].Term)
		pq.stems[stem] = true
		var any []query.Query
		for _, f := range stemFields {
			tq := bleve.NewTermQuery(stem)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			any = append(any, tq)
		}
		pq.clauses = append(pq.clauses, bleve.NewDisjunctionQuery(any...))
		if fz := fuzziness(w); fz > 0 {
			pq.fuzzy = append(pq.fuzzy, fuzzyWord{word: w, fuzz: fz, runes: []rune(w)})
			any = slices.Clip(any)
			// Unstemmed fields take the word as typed; the body (not kept
			// twice, to save memory) takes its stem, so a typo in an
			// inflected word ("trainng") may miss the body but not a title.
			for _, f := range []struct {
				name, term string
				boost      float64
			}{{fieldTitleWords, w, 3}, {fieldWords, w, 1}, {fieldBody, stem, 0.5}} {
				fq := bleve.NewFuzzyQuery(f.term)
				fq.SetField(f.name)
				fq.SetFuzziness(fz)
				fq.SetPrefix(1) // typos rarely hit the first letter; it keeps the automaton small
				fq.SetBoost(f.boost)
				any = append(any, fq)
			}
		}
		pq.typos = append(pq.typos, bleve.NewDisjunctionQuery(any...))
	}
	for _, ph := range phrases[:min(len(phrases), maxSearchTerms)] {
		toks := si.en.Analyze([]byte(ph))
		if len(toks) == 0 {
			continue
		}
		for _, t := range toks {
			pq.stems[string(t.Term)] = true
		}
		var any []query.Query
		for _, f := range stemFields {
			mq := bleve.NewMatchPhraseQuery(ph)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			any = append(any, mq)
		}
		pq.clauses = append(pq.clauses, bleve.NewDisjunctionQuery(any...))
		pq.typos = append(pq.typos, pq.clauses[len(pq.clauses)-1])
	}
	if len(pq.fuzzy) == 0 {
		pq.typos = nil
	}
	return pq
}

// searchHits are the ids of one page of hits, best first, and the total.
type searchHits struct {
	ids    []string
	scores []float64
	total  int
}

// search runs q: every word and phrase must match exactly (stemmed); when
// no post matches, typos are allowed; when still none does, any word or
// phrase may match. Typo matches are only looked for when needed: fuzzy
// queries cost the most.
func (si *searchIndex) search(pq *parsedQuery, from, size int) (searchHits, error) {
	if len(pq.clauses) == 0 {
		return searchHits{}, nil
	}
	run := func(q query.Query) (searchHits, error) {
		req := bleve.NewSearchRequestOptions(q, size, from, false)
		res, err := si.current().Search(req)
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
	all := func(cs []query.Query) query.Query {
		if len(cs) == 1 {
			return cs[0]
		}
		return bleve.NewConjunctionQuery(cs...)
	}
	h, err := run(all(pq.clauses))
	if err != nil || h.total > 0 {
		return h, err
	}
	last := pq.clauses
	if pq.typos != nil {
		pq.useTypos = true
		last = pq.typos
		if h, err = run(all(pq.typos)); err != nil || h.total > 0 {
			return h, err
		}
	}
	if len(last) == 1 {
		return h, nil
	}
	return run(bleve.NewDisjunctionQuery(last...))
}

// highlight returns text HTML-escaped with <mark> around the words that
// match pq, cut to about searchSnippetLen bytes around the densest hits
// when snippet is set; "" when nothing matches.
func (si *searchIndex) highlight(pq *parsedQuery, text string, snippet bool) string {
	if len(text) > maxHighlightText {
		i := maxHighlightText
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i]
	}
	// Words are found with a plain scan and stemmed through a cache: the
	// analyzer over a whole body costs more than the search. A snippet
	// needs the hits after the first one only as far as the window goes.
	var hits [][2]int
	limit := len(text)
	for i := 0; i < len(text) && i < limit; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += n
		}
		w := strings.ToLower(text[i:j])
		if pq.matches(si.stem(w), w) {
			if snippet && len(hits) == 0 {
				limit = i + searchSnippetLen
			}
			hits = append(hits, [2]int{i, j})
		}
		i = j
	}
	if len(hits) == 0 {
		return ""
	}
	start, end := 0, len(text)
	if snippet && len(text) > searchSnippetLen {
		// The window holding the most hits, starting a little before one.
		best, bestN := 0, 0
		for i := range hits {
			n := 0
			for j := i; j < len(hits) && hits[j][1] <= hits[i][0]+searchSnippetLen-40; j++ {
				n++
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		start = wordStart(text, max(hits[best][0]-40, 0))
		end = wordEnd(text, min(start+searchSnippetLen, len(text)))
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	cur := start
	for _, h := range hits {
		if h[0] < cur || h[1] > end {
			continue
		}
		b.WriteString(html.EscapeString(text[cur:h[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[h[0]:h[1]]))
		b.WriteString("</mark>")
		cur = h[1]
	}
	b.WriteString(html.EscapeString(text[cur:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// maxStemCache bounds the words whose stems the index remembers.
const maxStemCache = 200000

// stem returns the analyzer's stem of a lower-case word, "" for a stop
// word, remembering it.
func (si *searchIndex) stem(w string) string {
	si.stemMu.RLock()
	st, ok := si.stems[w]
	si.stemMu.RUnlock()
	if ok {
		return st
	}
	if toks := si.en.Analyze([]byte(w)); len(toks) > 0 {
		st = string(toks[0].Term)
	}
	si.stemMu.Lock()
	if len(si.stems) < maxStemCache {
		si.stems[w] = st
	}
	si.stemMu.Unlock()
	return st
}

// wordStart moves i back to the start of the word it is in.
func wordStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	return i
}

// wordEnd moves i forward to the end of the word it is in.
func wordEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// matches reports whether a token (its stem and its text) is one the query
// looked for.
func (pq *parsedQuery) matches(stem, orig string) bool {
	if pq.stems[stem] {
		return true
	}
	if !pq.useTypos {
		return false
	}
	n := utf8.RuneCountInString(orig)
	var lower []rune
	for _, f := range pq.fuzzy {
		if d := n - len(f.runes); d > f.fuzz || -d > f.fuzz {
			continue
		}
		if lower == nil {
			lower = []rune(strings.ToLower(orig))
		}
		if withinDistance(lower, f.runes, f.fuzz) {
			return true
		}
	}
	return false
}

// withinDistance reports whether the Levenshtein distance of a and b is at
// most k.
func withinDistance(a, b []rune, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}

// SearchHit is one post found, with its score and highlighted snippets
// (HTML-escaped text with <mark> around the hits).
type SearchHit struct {
	Post       *Post // published, without the Markdown body
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
	html := stripCitations(e.post.HTML)
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
