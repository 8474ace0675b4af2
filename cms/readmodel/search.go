package readmodel

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
	"github.com/lullabycms/lullaby/cms"
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
	lastPosts   []*cms.Post // what the last sync was given
	lastCats    []*cms.Category
	lastCites   map[string]*cms.Citation

	idxMu sync.RWMutex
	idx   bleve.Index // swapped by rebuild
	en    analysis.Analyzer
	plain analysis.Analyzer

	stemMu sync.RWMutex
	stems  map[string]string // lower-case word -> stem, for highlighting and phrases

	names atomic.Pointer[searchNames] // of the last sync, for checking phrases
}

// searchNames are the category names and citations a post's document
// was made with.
type searchNames struct {
	cats  map[string]string // category id -> name
	cites map[string]*cms.Citation
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
		// Positions only where the text is short: in the body they would
		// take most of the index (see searchIndex.run).
		doc.AddFieldMappingsAt(f.name, text(en.AnalyzerName, f.name != fieldBody))
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
func docKey(p *cms.Post, cats map[string]string, cites map[string]*cms.Citation) string {
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
			b.WriteString(citedText(c))
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
func (si *searchIndex) sync(posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation) error {
	si.mu.Lock()
	defer si.mu.Unlock()
	si.lastPosts, si.lastCats, si.lastCites = posts, cats, cites
	names := &searchNames{cats: make(map[string]string, len(cats)), cites: cites}
	for _, c := range cats {
		names.cats[c.ID] = c.Name
	}
	si.names.Store(names)
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
func (si *searchIndex) rebuild(posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation) {
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
func applyPosts(idx bleve.Index, keys map[string]string, posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation) (int, error) {
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
		b = idx.NewBatch() // not Reset: scorch may still read the last one (go test -race)
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

// citedText is what a post's search document holds of a work it cites:
// its title and the names of its authors ("Rovee" finds the posts citing
// Rovee-Collier). It goes with the body, below title, tags and excerpt.
func citedText(c *cms.Citation) string {
	var b strings.Builder
	b.WriteString(c.Title)
	for _, n := range c.Authors {
		b.WriteString(" . ")
		if n.Literal != "" {
			b.WriteString(n.Literal)
			continue
		}
		b.WriteString(n.Family)
		b.WriteByte(' ')
		b.WriteString(n.Given)
	}
	return b.String()
}

func searchDocument(p *cms.Post, catNames map[string]string, cites map[string]*cms.Citation) map[string]any {
	var cats, refs []string
	for _, id := range p.CategoryIDs {
		if n := catNames[id]; n != "" {
			cats = append(cats, n)
		}
	}
	for _, id := range p.References {
		if c := cites[id]; c != nil {
			refs = append(refs, citedText(c))
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
			switch n := string(name); {
			case n == "script" || n == "style":
				skip = max(skip-1, 0)
			case n == "sup":
			case blockTags[n]:
				endBlock(&b)
			default:
				b.WriteByte(' ')
			}
		}
	}
}

// blockTags are the elements whose end closes a block of text.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "li": true, "dt": true, "dd": true,
	"blockquote": true, "pre": true, "td": true, "th": true, "caption": true, "figcaption": true, "div": true, "summary": true,
}

// endBlock ends a block of text in b: a heading or list item that ends
// without punctuation gets " · ", so that a snippet does not run it into
// the next paragraph ("Sleep cycles · Babies …").
func endBlock(b *strings.Builder) {
	text := strings.TrimRightFunc(b.String(), unicode.IsSpace)
	if r, _ := utf8.DecodeLastRuneInString(text); text != "" && !strings.ContainsRune(".!?:;…·", r) {
		b.WriteString(" · ")
		return
	}
	b.WriteByte(' ')
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
	pr := cms.Problems{}
	if fe := cms.ErrorFields(err); fe != nil {
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
	words   int           // clauses[:words] and typos[:words] are words, the rest phrases
	// phrases are the stems of each phrase of two words or more, by
	// position ("" for a stop word, which any word fills), aligned with
	// clauses[words:]. Bleve only finds candidates for them in the body:
	// search checks them against the text.
	phrases [][]string
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
	pq.words = len(pq.clauses)
	for _, ph := range phrases[:min(len(phrases), maxSearchTerms)] {
		toks := si.en.Analyze([]byte(ph))
		if len(toks) == 0 {
			continue
		}
		first, last := toks[0].Position, toks[0].Position
		for _, t := range toks {
			pq.stems[string(t.Term)] = true
			first, last = min(first, t.Position), max(last, t.Position)
		}
		if first == last { // one word: no positions to check
			var any []query.Query
			for _, f := range stemFields {
				tq := bleve.NewTermQuery(string(toks[0].Term))
				tq.SetField(f.name)
				tq.SetBoost(f.boost)
				any = append(any, tq)
			}
			c := bleve.NewDisjunctionQuery(any...)
			pq.clauses = slices.Insert(pq.clauses, pq.words, query.Query(c))
			pq.typos = slices.Insert(pq.typos, pq.words, query.Query(c))
			pq.words++
			continue
		}
		stems := make([]string, last-first+1)
		var any, inBody []query.Query
		for _, t := range toks {
			stems[t.Position-first] = string(t.Term)
			tq := bleve.NewTermQuery(string(t.Term))
			tq.SetField(fieldBody)
			inBody = append(inBody, tq)
		}
		for _, f := range stemFields {
			if f.name == fieldBody {
				// No positions in the body: its words, then the check.
				cq := bleve.NewConjunctionQuery(inBody...)
				cq.SetBoost(f.boost)
				any = append(any, cq)
				continue
			}
			mq := bleve.NewMatchPhraseQuery(ph)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			any = append(any, mq)
		}
		pq.phrases = append(pq.phrases, stems)
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
	html := cms.StripCitations(e.post.HTML)
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

// Phrases in the body are checked against its text, since the index keeps
// no positions there. The text is read the way the index's analyzer reads
// it (words as its tokenizer splits them, lower-cased, stemmed through the
// stem cache; tags and entities of HTML handled), so that a phrase found
// here is one bleve would have found with positions. Words are found from
// an anchor: the start of the first stem, searched for in lower, title
// and upper case (a first word in mixed case, "sLeep", is missed; the
// words after it are lower-cased as they are read).

// hasPhrase reports whether text (HTML when isHTML) holds the phrase ph;
// buf is scratch space, returned for reuse.
func (si *searchIndex) hasPhrase(text string, isHTML bool, ph []string, buf []byte) (bool, []byte) {
	if len(ph) == 0 || text == "" {
		return false, buf
	}
	r := wordReader{s: text, html: isHTML, buf: buf}
	anchor := ph[0][:max(1, len(ph[0])-2)] // a stem keeps its word's start but its last letters
	if !isASCII(anchor) {
		// Every word, in order.
		for {
			start := r.i
			if !r.next() {
				return false, r.buf
			}
			if si.stemBytes(r.buf) == ph[0] {
				end := r.i
				r.i = start
				if si.phraseAt(&r, ph) {
					return true, r.buf
				}
				r.i = end
			}
		}
	}
	// Lower case by comparing many positions at once; title and upper
	// case from the capital, which is rare.
	try := func(o int) bool {
		if !wordStartsAt(text, o) {
			return false
		}
		r.i = o
		return si.phraseAt(&r, ph) && (!isHTML || !inTag(text, o))
	}
	for off := 0; ; off++ {
		if off = indexShort(text, off, anchor); off < 0 {
			break
		}
		if try(off) {
			return true, r.buf
		}
	}
	upper := strings.ToUpper(anchor)
	if upper == anchor {
		return false, r.buf // digits
	}
	for off := 0; off < len(text); {
		j := strings.IndexByte(text[off:], upper[0])
		if j < 0 {
			break
		}
		o := off + j
		off = o + 1
		if rest := text[off:]; (strings.HasPrefix(rest, anchor[1:]) || strings.HasPrefix(rest, upper[1:])) && try(o) {
			return true, r.buf
		}
	}
	return false, r.buf
}

// indexShort is strings.Index(s[from:], sub)+from (or -1) for a short sub,
// made faster than it where sub's first byte is frequent: strings.Index
// then calls IndexByte at each, while on up to 64 bytes it compares many
// positions at once.
func indexShort(s string, from int, sub string) int {
	const window = 64 // bytealg.MaxBruteForce on amd64
	if len(sub) >= window/2 {
		if i := strings.Index(s[from:], sub); i >= 0 {
			return from + i
		}
		return -1
	}
	for from+len(sub) <= len(s) {
		end := min(from+window, len(s))
		if i := strings.Index(s[from:end], sub); i >= 0 {
			return from + i
		}
		from = end - len(sub) + 1
	}
	return -1
}

// phraseAt reports whether the words read by r from where it is make ph.
func (si *searchIndex) phraseAt(r *wordReader, ph []string) bool {
	for _, want := range ph {
		if !r.next() {
			return false
		}
		if want != "" && si.stemBytes(r.buf) != want {
			return false
		}
	}
	return true
}

// wordStartsAt reports whether a word of text may start at byte i: not
// after a letter or digit.
func wordStartsAt(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// inTag reports whether byte i of HTML is inside a tag.
func inTag(html string, i int) bool {
	return strings.LastIndexByte(html[:i], '<') > strings.LastIndexByte(html[:i], '>')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isMidWord reports whether r joins the word runes either side of it into
// one word, as in "don't", "e.g", "5:00" or "1,000" (the last two digits only).
func isMidWord(r rune, digits bool) bool {
	switch r {
	case '\'', '’', '.', ':', '·':
		return true
	case ',', ';':
		return digits
	}
	return false
}

// wordReader reads the lower-cased words of text or HTML.
type wordReader struct {
	s    string
	i    int
	html bool
	buf  []byte // the word read
}

// Kinds of what wordReader.read reads.
const (
	readRune  = iota
	readBreak // a tag between words
	readSkip  // a tag inside a word (<sup>: footnote markers)
	readEnd
)

// read reads a rune of text, decoding entities and reading tags.
func (r *wordReader) read() (rune, int) {
	if r.i >= len(r.s) {
		return 0, readEnd
	}
	c := r.s[r.i]
	if r.html && c == '<' {
		end := strings.IndexByte(r.s[r.i:], '>')
		if end < 0 {
			r.i = len(r.s)
			return 0, readEnd
		}
		tag := strings.ToLower(strings.TrimLeft(r.s[r.i+1:r.i+end], "/"))
		r.i += end + 1
		if tag == "sup" || strings.HasPrefix(tag, "sup ") {
			return 0, readSkip
		}
		return 0, readBreak
	}
	if r.html && c == '&' {
		if end := strings.IndexByte(r.s[r.i:min(r.i+12, len(r.s))], ';'); end > 1 {
			if u := html.UnescapeString(r.s[r.i : r.i+end+1]); u != r.s[r.i:r.i+end+1] {
				r.i += end + 1
				d, _ := utf8.DecodeRuneInString(u)
				return d, readRune
			}
		}
	}
	if c < utf8.RuneSelf {
		r.i++
		return rune(c), readRune
	}
	d, n := utf8.DecodeRuneInString(r.s[r.i:])
	r.i += n
	return d, readRune
}

// next reads the next word into r.buf, lower-cased; false at the end.
func (r *wordReader) next() bool {
	r.buf = r.buf[:0]
	prevDigit := false
	for {
		c, kind := r.read()
		switch {
		case kind == readSkip:
			continue
		case kind == readEnd:
			return len(r.buf) > 0
		case kind == readRune && isWordRune(c):
			r.buf = utf8.AppendRune(r.buf, unicode.ToLower(c))
			prevDigit = '0' <= c && c <= '9'
			continue
		case len(r.buf) == 0:
			continue
		case kind == readRune && isMidWord(c, prevDigit):
			// Part of the word if a word rune follows.
			at := r.i
			if d, k := r.read(); k == readRune && isWordRune(d) && (c != ',' && c != ';' || '0' <= d && d <= '9') {
				r.buf = utf8.AppendRune(r.buf, unicode.ToLower(c))
				r.buf = utf8.AppendRune(r.buf, unicode.ToLower(d))
				prevDigit = '0' <= d && d <= '9'
				continue
			}
			r.i = at
		}
		return true
	}
}

// stemBytes is stem for a word in a scratch buffer.
func (si *searchIndex) stemBytes(w []byte) string {
	si.stemMu.RLock()
	st, ok := si.stems[string(w)]
	si.stemMu.RUnlock()
	if ok {
		return st
	}
	return si.stem(string(w))
}
