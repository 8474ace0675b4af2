package readmodel

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lullabycms/lullaby/cms"
)

// Snapshot is an immutable view of everything public at one content
// version, with JSON bodies made ahead of time. Its lookups keep none of
// the strings they are given (cache keys are new strings), so callers may
// pass strings that point into reused request buffers. Lookups never touch the
// database, so the public API keeps answering while the database is away.
type Snapshot struct {
	version int64

	site       *Body
	categories *Body

	posts     []*postEntry          // newest first
	bySlug    map[string]*postEntry // current slugs
	oldSlugs  map[string]string     // old slug -> current slug (redirect.go)
	redirects *redirectsState       // old slugs and paths, settled (redirect.go)
	byCatSlug map[string]*catEntry
	byTag     map[string][]*postEntry // lower-cased tag -> posts, newest first

	cors map[string]bool // lower-cased origins from the settings
	keys contentKeys     // the content keys that work (contentkey.go)

	fresh []*Body // bodies made for this snapshot (not lent by the previous one)

	deps string // what entries embed besides the post: settings and categories

	citations map[string]*Body // reference key -> GET /api/v1/citations/{key}

	pages    bodyCache // canonical query -> list body
	rawPosts bodyCache // raw query string of a post list -> its body

	lists *listsState // curated lists and popularity (snapshot_lists.go)

	ext snapshotExt // search, related posts, feeds, sitemap (snapshot_search.go)

	quizzes map[string]*quizEntry // by slug (snapshot_quiz.go)

	ghostState // the Ghost dialect (ghost.go)
	wpState    // the WordPress dialect (wp.go)
}

// maxCachedPages bounds the list pages a snapshot keeps, so that a client
// walking every page and filter cannot grow memory without limit.
const maxCachedPages = 4096

type postEntry struct {
	post    *cms.Post // without Body (Markdown) and HTML: the HTML is src
	src     source    // the HTML the post was rendered from, compressed
	summary []byte
	full    *Body
	html    []byte // the post's HTML as a JSON string: a part of full that its other bodies share
	split   bool   // full's parts are head, html and tail (newFullBody)

	env       *entryEnv // what the post was rendered with, detached (see entryEnv.detached)
	ghostOnce sync.Once
	ghost     *ghostPost // the Ghost dialect's fields (ghost.go), made on first use
	wpOnce    sync.Once
	wp        *wpPost // the WordPress dialect's fields (wp_post.go), made on first use
}

type catEntry struct {
	cat   PublicCategory
	json  []byte // PublicCategory
	posts []*postEntry
}

// Version is the content version the snapshot was built from.
func (s *Snapshot) Version() int64 { return s.version }

// PostCount is the number of published posts.
func (s *Snapshot) PostCount() int { return len(s.posts) }

// CORSOrigins returns the lower-cased origins the settings allow to call
// the public API. The map must not be modified.
func (s *Snapshot) CORSOrigins() map[string]bool { return s.cors }

// Site returns the body of GET /api/v1/site.
func (s *Snapshot) Site() *Body { return s.site }

// Categories returns the body of GET /api/v1/categories.
func (s *Snapshot) Categories() *Body { return s.categories }

// Post returns the body of the published post with the given slug. When
// slug is an old slug of a post, it returns "" and the current slug instead.
// NotFound if neither.
func (s *Snapshot) Post(slug string) (*Body, string, error) {
	if e := s.bySlug[slug]; e != nil {
		return s.postBody(e), "", nil
	}
	if cur, ok := s.oldSlugs[slug]; ok {
		return nil, cur, nil
	}
	return nil, "", cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.Post", "No published post has the slug %q.", truncate(slug, 120))
}

// PostQuery selects a page of published posts.
type PostQuery struct {
	Page     int
	Limit    int
	Category string // category slug, "" for all
	Tag      string // "" for all
	Sort     cms.PostSort
	Window   string   // sort=popular: "7d", "30d" or "all" (see SetWindow)
	Full     bool     // view=full: whole posts instead of summaries (see SetView)
	Fields   []string // fields: only these members of each item, sorted; nil: all
}

// ParsePostQuery validates raw query values, naming the bad ones. Empty
// values take the defaults (page 1, limit 20, newest first).
func ParsePostQuery(page, limit, category, tag, sort string) (PostQuery, error) {
	q := PostQuery{Page: 1, Limit: 20, Category: category, Tag: tag, Sort: cms.SortNewest}
	pr := cms.Problems{}
	if page != "" {
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 || n > 100000 {
			pr.Add("page", "Must be a whole number from 1 to 100000.")
		}
		q.Page = n
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > 100 {
			pr.Add("limit", "Must be a whole number from 1 to 100.")
		}
		q.Limit = n
	}
	if sort != "" {
		q.Sort = cms.PostSort(sort)
		if q.Sort != cms.SortNewest && q.Sort != cms.SortOldest && q.Sort != SortPopular {
			pr.Add("sort", "Must be newest, oldest or popular.")
		}
	}
	if len(category) > cms.MaxSlugLen {
		pr.Add("category", "Too long.")
	}
	if len(tag) > 4*cms.MaxTagLen {
		pr.Add("tag", "Too long.")
	}
	return q, pr.Err("readmodel.ParsePostQuery")
}

// Posts returns the body of one page of published posts (GET
// /api/v1/posts). An unknown category or tag gives an empty page.
func (s *Snapshot) Posts(q PostQuery) *Body {
	key := "posts\x00" + strconv.Itoa(q.Page) + "\x00" + strconv.Itoa(q.Limit) + "\x00" + q.Category + "\x00" + q.Tag + "\x00" + string(q.Sort) + "\x00" + q.Window + q.viewKey()
	return s.cached(key, func(b *bodyBuilder) {
		list := s.posts
		if q.Category != "" {
			list = nil
			if c := s.byCatSlug[q.Category]; c != nil {
				list = c.posts
			}
		}
		if q.Tag != "" {
			list = filterTag(list, s.byTag[strings.ToLower(q.Tag)])
		}
		if q.Sort == SortPopular {
			list = s.byPopularity(list, q.Window)
		}
		b.WriteString(`{"data":`)
		s.writeSummaries(b, list, q)
		writeMeta(&b.Buffer, len(list), q)
	})
}

// PostsForQuery returns the post-list body last remembered for the raw
// query string, or nil. Lookups allocate nothing, so a hot list page costs
// one map read.
func (s *Snapshot) PostsForQuery(raw []byte) *Body { return s.rawPosts.get(raw) }

// RememberPostsForQuery records b as the post-list body for the raw query
// string, unless the snapshot already holds maxCachedPages of them.
func (s *Snapshot) RememberPostsForQuery(raw []byte, b *Body) { s.rawPosts.put(string(raw), b) }

// Category returns the body of GET /api/v1/categories/{slug}: the category
// and one page of its posts. NotFound for an unknown slug.
func (s *Snapshot) Category(slug string, q PostQuery) (*Body, error) {
	c := s.byCatSlug[slug]
	if c == nil {
		return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.Category", "No category has the slug %q.", truncate(slug, 120))
	}
	key := "cat\x00" + slug + "\x00" + strconv.Itoa(q.Page) + "\x00" + strconv.Itoa(q.Limit) + "\x00" + string(q.Sort) + q.viewKey()
	return s.cached(key, func(b *bodyBuilder) {
		b.WriteString(`{"data":`)
		b.Write(c.json[:len(c.json)-1])
		b.WriteString(`,"posts":`)
		list := c.posts
		if q.Sort == SortPopular {
			list = s.byPopularity(list, q.Window)
		}
		s.writeSummaries(b, list, q)
		b.WriteString(`}`)
		writeMeta(&b.Buffer, len(c.posts), q)
	}), nil
}

// cached returns the body stored under key, building and storing it first
// if needed (unless the cache is full).
func (s *Snapshot) cached(key string, build func(*bodyBuilder)) *Body {
	if b := s.pages.get([]byte(key)); b != nil {
		return b
	}
	var bb bodyBuilder
	build(&bb)
	return s.pages.put(key, bb.Body())
}

// writeSummaries writes the JSON array of one page of list, in q's view.
func (s *Snapshot) writeSummaries(b *bodyBuilder, list []*postEntry, q PostQuery) {
	total := len(list)
	start := min((q.Page-1)*q.Limit, total)
	end := min(start+q.Limit, total)
	b.WriteByte('[')
	for i := start; i < end; i++ {
		idx := i
		if q.Sort == cms.SortOldest {
			idx = total - 1 - i
		}
		if i > start {
			b.WriteByte(',')
		}
		s.writeItem(b, list[idx], q)
	}
	b.WriteByte(']')
}

// writeMeta closes a list body with `,"meta":{"pagination":{...}}}`.
func writeMeta(b *bytes.Buffer, total int, q PostQuery) {
	b.WriteString(`,"meta":{"pagination":`)
	p, _ := marshal(Pagination{Page: q.Page, Limit: q.Limit, Total: total, TotalPages: (total + q.Limit - 1) / q.Limit})
	b.Write(p)
	b.WriteString(`}}`)
}

// filterTag keeps the entries of list that are also in tagged (both newest
// first).
func filterTag(list, tagged []*postEntry) []*postEntry {
	if len(tagged) == 0 || len(list) == 0 {
		return nil
	}
	in := make(map[*postEntry]bool, len(tagged))
	for _, e := range tagged {
		in[e] = true
	}
	out := make([]*postEntry, 0, len(tagged))
	for _, e := range list {
		if in[e] {
			out = append(out, e)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// snapshotInput is everything a snapshot is built from.
type snapshotInput struct {
	version   int64
	posts     []*cms.Post // published, with HTML
	cats      []*cms.Category
	settings  *cms.Settings
	citations []*cms.Citation // the whole reference library
	publicURL string          // image and media URLs start with it
	lists     listsInput      // curated lists and view totals
	quizzes   []*cms.Quiz     // stored quizzes; the built-in ones are added when missing
	keys      []*cms.ContentKey
	reviewers []*cms.Reviewer
}

// buildSnapshot renders every public body from in. prev, if not nil,
// lends the entries of posts that did not change.
func buildSnapshot(in snapshotInput, prev *Snapshot) (*Snapshot, error) {
	version, posts, cats, st, publicURL := in.version, in.posts, in.cats, in.settings, in.publicURL
	s := &Snapshot{
		version:   version,
		bySlug:    make(map[string]*postEntry, len(posts)),
		byCatSlug: make(map[string]*catEntry, len(cats)),
		byTag:     map[string][]*postEntry{},
		cors:      make(map[string]bool, len(st.CORSOrigins)),
		keys:      newContentKeys(st.RequireContentKey, in.keys),
	}
	for _, o := range st.CORSOrigins {
		s.cors[strings.ToLower(o)] = true
	}
	site, err := marshal(struct {
		Data PublicSite `json:"data"`
	}{PublicSite{Title: st.Site.Title, URL: st.Site.URL, Description: st.Site.Description, Author: imageLinks{base: publicURL}.author(&st.Author),
		CallToAction: st.CallToAction, CitationStyle: st.CitationStyle}})
	if err != nil {
		return nil, err
	}
	s.site = NewBody(site)
	s.fresh = append(s.fresh, s.site)

	catByID := make(map[string]*catEntry, len(cats))
	sortedCats := slices.Clone(cats)
	slices.SortStableFunc(sortedCats, func(a, b *cms.Category) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, c := range sortedCats {
		e := &catEntry{cat: PublicCategory{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position}}
		catByID[c.ID] = e
		s.byCatSlug[c.Slug] = e
	}

	sorted := slices.Clone(posts)
	slices.SortFunc(sorted, func(a, b *cms.Post) int {
		if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	// Entries embed category names, the settings (author, site title and
	// URL) and the public URL: reuse old ones only when none changed.
	// and the references they cite.
	deps := publicURL + "\x00" + string(site) + "\x00" + catDeps(sortedCats) + "\x00" + citationDeps(in.citations) + "\x00" + reviewerDeps(in.reviewers)
	var reuse map[string]*postEntry
	if prev != nil && prev.deps == deps {
		reuse = prev.bySlug
	}
	s.deps = deps
	env := newEntryEnv(catByID, st, publicURL, in.citations, in.reviewers)
	kept := env.detached()
	entries := make([]*postEntry, len(sorted))
	var build []int // the posts whose entries are made anew
	for i, p := range sorted {
		if e := reuse[p.Slug]; e != nil && e.post.ID == p.ID && e.post.Version == p.Version {
			entries[i] = e
		} else {
			build = append(build, i)
		}
	}
	if err := buildEntries(sorted, build, entries, env, prev); err != nil {
		return nil, err
	}
	s.posts = make([]*postEntry, 0, len(sorted))
	for _, i := range build {
		entries[i].env = kept
		s.ext.freshPosts = append(s.ext.freshPosts, entries[i]) // served composed: see warmPosts
	}
	for i, p := range sorted {
		e := entries[i]
		s.posts = append(s.posts, e)
		s.bySlug[p.Slug] = e
		for _, id := range p.CategoryIDs {
			if c := catByID[id]; c != nil {
				c.posts = append(c.posts, e)
			}
		}
		for _, t := range p.Tags {
			k := strings.ToLower(t)
			s.byTag[k] = append(s.byTag[k], e)
		}
	}
	s.buildRedirects()

	list := make([]PublicCategory, 0, len(sortedCats))
	for _, c := range sortedCats {
		e := catByID[c.ID]
		e.cat.PostCount = len(e.posts)
		if e.json, err = marshal(e.cat); err != nil {
			return nil, err
		}
		list = append(list, e.cat)
	}
	catsJSON, err := marshal(struct {
		Data []PublicCategory `json:"data"`
	}{list})
	if err != nil {
		return nil, err
	}
	s.categories = NewBody(catsJSON)
	s.fresh = append(s.fresh, s.categories)
	if err := s.buildCitations(in.citations); err != nil {
		return nil, err
	}
	if err := s.buildLists(in.lists); err != nil {
		return nil, err
	}
	if err := s.buildQuizzes(in.quizzes, in.citations, st.CallToAction); err != nil {
		return nil, err
	}
	s.ext.init(in, prev)
	return s, nil
}

func catDeps(cats []*cms.Category) string {
	var b strings.Builder
	for _, c := range cats {
		b.WriteString(c.ID)
		b.WriteString(strconv.Itoa(c.Version))
	}
	return b.String()
}

// entryEnv is what post entries embed besides the post itself.
type entryEnv struct {
	cats   map[string]*catEntry
	author PublicAuthor
	st     *cms.Settings
	links  imageLinks
	media  *strings.Replacer // makes body media links absolute; nil: keep them

	citations map[string]*cms.Citation // the library by id
	reviewers map[string]*PublicReviewer
}

// detached is a copy of env whose categories do not hold their posts:
// an entry keeps it to render the post later (the Ghost dialect) without
// keeping the posts of the snapshot it was made in alive.
func (env *entryEnv) detached() *entryEnv {
	d := *env
	d.cats = make(map[string]*catEntry, len(env.cats))
	for id, c := range env.cats {
		d.cats[id] = &catEntry{cat: c.cat}
	}
	return &d
}

// newEntryEnv is the entryEnv of posts rendered with these categories (by
// id), settings, public URL, reference library and reviewers.
func newEntryEnv(cats map[string]*catEntry, st *cms.Settings, publicURL string, citations []*cms.Citation, reviewers []*cms.Reviewer) *entryEnv {
	env := &entryEnv{cats: cats, st: st, links: imageLinks{base: publicURL},
		citations: make(map[string]*cms.Citation, len(citations)), reviewers: make(map[string]*PublicReviewer, len(reviewers))}
	for _, r := range reviewers {
		env.reviewers[r.ID] = ptr(env.links.reviewer(r))
	}
	env.author = PublicAuthor(env.links.author(&st.Author))
	for _, c := range citations {
		env.citations[c.ID] = c
	}
	env.media = env.links.absoluteMedia()
	return env
}

// parallelEntries is the number of entries to make from which
// buildEntries shares the work among the processors: a start makes one
// per published post (~0.3 ms each for 8,000 bytes of Markdown).
const parallelEntries = 64

// buildEntries sets entries[i] to the new entry of posts[i] for each i in
// build, on every processor when there are many. A post kept without its
// HTML takes it from prev's entry (withSource). Each processor carves
// what its entries keep from a slab of its own (compact.go).
func buildEntries(posts []*cms.Post, build []int, entries []*postEntry, env *entryEnv, prev *Snapshot) error {
	workers := min(runtime.GOMAXPROCS(0), len(build)/parallelEntries+1)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, workers)
	)
	work := func(w int) {
		var s slab
		for {
			k := int(next.Add(1)) - 1
			if k >= len(build) || errs[w] != nil {
				return
			}
			i := build[k]
			entries[i], errs[w] = newPostEntry(withSource(posts[i], prev), env, &s)
		}
	}
	for w := 1; w < workers; w++ {
		wg.Go(func() { work(w) })
	}
	work(0) // this goroutine is one of the workers
	wg.Wait()
	return errors.Join(errs...)
}

// newPostEntry makes the entry of p, carving the bytes it keeps from s.
func newPostEntry(p *cms.Post, env *entryEnv, s *slab) (*postEntry, error) {
	sum, full := env.publicPost(p)
	summary, err := encodeKept(sum, s)
	if err != nil {
		return nil, err
	}
	body, html, split, err := newFullBody(full, s)
	if err != nil {
		return nil, err
	}
	light := *p
	light.Body, light.HTML, light.Revisions = "", "", nil
	return &postEntry{post: &light, src: newSource(p.HTML, s), summary: summary, full: body, html: html, split: split}, nil
}

// publicPost is p as the public API shows it: in lists, and alone.
func (env *entryEnv) publicPost(p *cms.Post) (PublicPostSummary, PublicPost) {
	sum := PublicPostSummary{
		ID: p.ID, Slug: p.Slug, Title: p.Title, Excerpt: p.Excerpt,
		PublishedAt: p.PublishedAt, UpdatedAt: p.UpdatedAt,
		ReadingTime: p.ReadingTime, WordCount: p.WordCount,
		Categories: []PublicCategoryRef{}, Tags: p.Tags, Author: PublicAuthor{Name: env.author.Name, Title: env.author.Title, Credentials: env.author.Credentials},
		URL: postURL(p, env.st),
	}
	if sum.Tags == nil {
		sum.Tags = []string{}
	}
	if sum.Excerpt == "" {
		sum.Excerpt = cms.Excerpt(cms.StripCitations(p.HTML), 240)
	}
	for _, id := range p.CategoryIDs {
		if c := env.cats[id]; c != nil {
			sum.Categories = append(sum.Categories, PublicCategoryRef{ID: c.cat.ID, Slug: c.cat.Slug, Name: c.cat.Name})
		}
	}
	if p.Cover != nil {
		sum.CoverImage = ptr(env.links.image(p.Cover, coverVariant, "original"))
	}
	html := p.HTML
	if env.media != nil {
		html = env.media.Replace(html)
	}
	refs := make([]*cms.Citation, 0, len(p.References))
	for _, id := range p.References {
		if c := env.citations[id]; c != nil {
			refs = append(refs, c)
		}
	}
	list := cms.NewReferenceList(env.st.CitationStyle, refs, html)
	html, notes := cms.PostFootnotes(list.FormatCitations(html), p.ID)
	if notes == nil {
		notes = []cms.Footnote{}
	}
	full := PublicPost{PublicPostSummary: sum, HTML: html, References: publicReferences(list), Footnotes: notes, SEO: PublicSEO{
		Title: p.SEO.Title, Description: p.SEO.Description, CanonicalURL: p.SEO.CanonicalURL,
	}}
	full.Author = env.author
	full.CallToAction = cms.PostCTA(p, env.st.CallToAction)
	env.review(p, &full)
	if full.SEO.Title == "" {
		full.SEO.Title = p.Title
	}
	if full.SEO.Description == "" {
		full.SEO.Description = cms.CutText(sum.Excerpt, 160)
	}
	if full.SEO.CanonicalURL == "" {
		full.SEO.CanonicalURL = sum.URL
	}
	env.links.addImages(&full, p, env.st)
	full.JSONLD = jsonLD(p, &full, list.Citations(), env.st)
	return sum, full
}

// marshal encodes v as JSON without escaping <, > and & (the bodies are
// served as application/json, never inlined into HTML by us).
func marshal(v any) ([]byte, error) { return encodeKept(v, nil) }

// warm makes the compressed encodings of the bodies new in s, so that no
// reader waits for them; it runs in the background after a reload.
func (s *Snapshot) warm() {
	s.warmPosts()
	for _, b := range s.fresh {
		b.Brotli()
		b.Gzip()
	}
	s.fresh = nil
}
