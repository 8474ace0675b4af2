package readmodel

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/lullabycms/lullaby/cms"
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
	lastHTML    htmlOf

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
// html gives the HTML of the posts (nil: their own, cms.Post.HTML).
func (si *searchIndex) sync(posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation, html htmlOf) error {
	if html == nil {
		html = ownHTML
	}
	si.mu.Lock()
	defer si.mu.Unlock()
	si.lastPosts, si.lastCats, si.lastCites, si.lastHTML = posts, cats, cites, html
	names := &searchNames{cats: make(map[string]string, len(cats)), cites: cites}
	for _, c := range cats {
		names.cats[c.ID] = c.Name
	}
	si.names.Store(names)
	n, err := applyPosts(si.current(), si.keys, posts, cats, cites, html)
	si.segments += n
	if err == nil {
		si.built.Store(true)
	}
	if err == nil && si.segments > si.maxSegments && !si.rebuilding {
		si.rebuilding = true
		go si.rebuild(posts, cats, cites, html)
	}
	return err
}

// maxSearchSegments is the number of segments (batches) past which the
// index is rebuilt.
const maxSearchSegments = 100

// rebuild makes a fresh index of posts, brings it up to the last sync and
// swaps it in. The old index is closed a minute later, when no search can
// still be using it.
func (si *searchIndex) rebuild(posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation, html htmlOf) {
	fresh, err := bleve.New("", newSearchMapping())
	if err != nil {
		si.mu.Lock()
		si.rebuilding, si.segments = false, 0 // try again after as many batches
		si.mu.Unlock()
		return
	}
	keys := map[string]string{}
	n, err := applyPosts(fresh, keys, posts, cats, cites, html)
	si.mu.Lock()
	defer si.mu.Unlock()
	si.rebuilding = false
	if err == nil {
		var more int
		more, err = applyPosts(fresh, keys, si.lastPosts, si.lastCats, si.lastCites, si.lastHTML)
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
func applyPosts(idx bleve.Index, keys map[string]string, posts []*cms.Post, cats []*cms.Category, cites map[string]*cms.Citation, html htmlOf) (int, error) {
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
		if err := b.Index(p.ID, searchDocument(p, html(p), catNames, cites)); err != nil {
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

// htmlOf returns the HTML a post was rendered from.
type htmlOf func(p *cms.Post) string

func ownHTML(p *cms.Post) string { return p.HTML }

func searchDocument(p *cms.Post, html string, catNames map[string]string, cites map[string]*cms.Citation) map[string]any {
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
	body := htmlText(html)
	tags := strings.Join(p.Tags, " . ")
	catText := strings.Join(cats, " . ")
	refText := strings.Join(refs, " . ")
	return map[string]any{
		fieldTitle: p.Title, fieldLabels: tags + " . " + catText, fieldExcerpt: p.Excerpt,
		fieldBody: body + " . " + refText, fieldTitleWords: p.Title,
		fieldWords: strings.Join([]string{p.Excerpt, catText, tags, refText}, " . "),
	}
}
