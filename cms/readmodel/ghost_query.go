package readmodel

import (
	"bytes"
	"cmp"
	"encoding/json"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/lullabycms/lullaby/cms"
)

// GhostResource names a resource of the Ghost dialect.
type GhostResource byte

// The Ghost dialect's resources.
const (
	GhostPosts   GhostResource = 'p'
	GhostPages   GhostResource = 'g'
	GhostTags    GhostResource = 't'
	GhostAuthors GhostResource = 'a'
)

// Name is the resource's name in URLs and bodies ("posts", "pages"...).
func (r GhostResource) Name() string {
	switch r {
	case GhostPages:
		return "pages"
	case GhostTags:
		return "tags"
	case GhostAuthors:
		return "authors"
	}
	return "posts"
}

// singular is the resource's name in Ghost's "not found" messages.
func (r GhostResource) singular() string {
	switch r {
	case GhostPages:
		return "Page"
	case GhostTags:
		return "Tag"
	case GhostAuthors:
		return "Author"
	}
	return "Post"
}

// NotFound is the error of a read of r that finds nothing: NotFound,
// worded as Ghost words it ("Post not found.").
func (r GhostResource) NotFound() error {
	return cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.GhostRead", "%s not found.", r.singular())
}

// GhostParams are the raw query values of a Ghost request; unknown
// parameters (key, absolute_urls, cache busters) are not read.
type GhostParams struct {
	Limit, Page, Order, Fields, Formats, Include, Filter string
}

// Ghost's page sizes: 15 by default; at most 100, which is also what
// limit=all gives (Ghost 6 caps both the same way, silently).
const (
	GhostDefaultLimit = 15
	GhostMaxLimit     = 100
)

// ghostQuery is a parsed Ghost request.
type ghostQuery struct {
	limit, page int
	order       []ghostOrder
	sel         fieldMask // posts and pages
	fields      []string  // tags and authors; nil: all
	counts      bool      // include=count.posts
	filter      *nqlNode
}

type ghostOrder struct {
	field string
	desc  bool
}

// ghostOrderFields are the fields each resource can be ordered by.
var ghostOrderFields = map[GhostResource][]string{
	GhostPosts:   {"published_at", "updated_at", "created_at", "title", "slug", "id", "featured", "reading_time"},
	GhostTags:    {"name", "slug", "id", "count.posts"},
	GhostAuthors: {"name", "slug", "id", "count.posts"},
}

// ghostObjectFields are the keys of tag and author objects, in order.
var ghostObjectFields = map[GhostResource][]string{
	GhostTags: {"id", "name", "slug", "description", "feature_image", "visibility", "og_image", "og_title", "og_description",
		"twitter_image", "twitter_title", "twitter_description", "meta_title", "meta_description", "codeinjection_head",
		"codeinjection_foot", "canonical_url", "accent_color", "url", "count", "lullaby"},
	GhostAuthors: {"id", "name", "slug", "profile_image", "cover_image", "bio", "website", "location", "facebook", "twitter",
		"threads", "bluesky", "mastodon", "tiktok", "youtube", "instagram", "linkedin", "meta_title", "meta_description",
		"url", "count", "lullaby"},
}

func init() { ghostOrderFields[GhostPages] = ghostOrderFields[GhostPosts] }

// parseGhostQuery checks p for resource r. Errors: Invalid naming each
// bad parameter.
func parseGhostQuery(r GhostResource, p GhostParams) (ghostQuery, error) {
	q := ghostQuery{limit: GhostDefaultLimit, page: 1}
	pr := cms.Problems{}
	switch l := strings.TrimSpace(p.Limit); l {
	case "":
	case "all":
		q.limit = GhostMaxLimit
	default:
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			pr.Add("limit", "Must be a whole number from 1 (more than 100 gives 100) or \"all\".")
		}
		q.limit = min(max(n, 1), GhostMaxLimit)
	}
	if p.Page != "" {
		n, err := strconv.Atoi(strings.TrimSpace(p.Page))
		if err != nil || n < 1 || n > 100000 {
			pr.Add("page", "Must be a whole number from 1 to 100000.")
		}
		q.page = max(n, 1)
	}
	if p.Order != "" {
		q.order = parseGhostOrder(r, p.Order, pr)
	}
	isPost := r == GhostPosts || r == GhostPages
	var included fieldMask // the relations include= asks for
	for inc := range listItems(p.Include) {
		switch {
		case isPost && inc == "tags":
			included |= 1<<gfTags | 1<<gfPrimaryTag
		case isPost && inc == "authors":
			included |= 1<<gfAuthors | 1<<gfPrimaryAuthor
		case !isPost && inc == "count.posts":
			q.counts = true
		}
		// Anything else is dropped without an error, as Ghost's input
		// validator drops includes it does not know (a theme may ask for
		// Ghost's tiers or counts that Lullaby does not have).
	}
	formats := fieldMask(1) << gfHTML
	if p.Formats != "" {
		formats = 0
		for f := range listItems(p.Formats) {
			switch f {
			case "html":
				formats |= 1 << gfHTML
			case "plaintext":
				formats |= 1 << gfPlaintext
			case "mobiledoc", "lexical":
				pr.Add("formats", "The "+f+" format is not available: posts are written in Markdown and served as html or plaintext.")
			default:
				pr.Add("formats", "Unknown format "+strconv.Quote(truncate(f, 60))+": use html or plaintext.")
			}
		}
		if !isPost {
			pr.Add("formats", "Only posts and pages have formats.")
		}
	}
	if fields := listItems(p.Fields); hasItems(fields) {
		if isPost {
			for f := range fields {
				i := slices.Index(ghostPostFields[:], f)
				if i < 0 {
					pr.Add("fields", "Unknown field "+strconv.Quote(truncate(f, 60))+".")
					continue
				}
				q.sel |= 1 << i
			}
			if p.Formats != "" {
				q.sel |= formats
			}
		} else {
			q.fields = slices.Collect(fields)
			for _, f := range q.fields {
				if !slices.Contains(ghostObjectFields[r], f) {
					pr.Add("fields", "Unknown field "+strconv.Quote(truncate(f, 60))+".")
				}
			}
		}
	} else if isPost {
		q.sel |= maskPostBase | formats | maskRelations
	}
	// As Ghost: tags and authors come with include= only, and with fields=
	// their primary_tag and primary_author only when fields= names them.
	q.sel = q.sel&^maskRelations | q.sel&included&maskPrimary | included&^maskPrimary
	if p.Filter != "" {
		n, err := parseGhostFilter(r, p.Filter)
		if err != nil {
			if len(pr) == 0 {
				return q, err
			}
			pr.Add("filter", err.(*cms.Error).Fields["filter"])
		}
		q.filter = n
	}
	if err := pr.Err("readmodel.parseGhostQuery"); err != nil {
		err.(*cms.Error).Message = "Validation error, cannot list " + r.Name() + "."
		return q, err
	}
	return q, nil
}

func parseGhostOrder(r GhostResource, raw string, pr cms.Problems) []ghostOrder {
	var out []ghostOrder
	for _, part := range strings.Split(raw, ",") {
		words := strings.Fields(strings.ToLower(part))
		if len(words) == 0 || len(words) > 2 || !slices.Contains(ghostOrderFields[r], words[0]) {
			pr.Add("order", "Cannot order by "+strconv.Quote(truncate(strings.TrimSpace(part), 60))+"; use one of "+
				strings.Join(ghostOrderFields[r], ", ")+", each with asc or desc.")
			return nil
		}
		o := ghostOrder{field: words[0]}
		if len(words) == 2 {
			switch words[1] {
			case "asc":
			case "desc":
				o.desc = true
			default:
				pr.Add("order", "The direction is asc or desc, not "+strconv.Quote(truncate(words[1], 20))+".")
				return nil
			}
		}
		out = append(out, o)
	}
	return out
}

// listItems yields the items of a comma-separated parameter, trimmed,
// skipping blanks, without allocating.
func listItems(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for f := range strings.SplitSeq(s, ",") {
			if f = strings.TrimSpace(f); f != "" && !yield(f) {
				return
			}
		}
	}
}

// hasItems reports whether items yields any.
func hasItems(items iter.Seq[string]) bool {
	for range items {
		return true
	}
	return false
}

// splitList splits a comma-separated parameter, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// GhostCachedList returns the list body served before in this snapshot
// for the raw query string, or nil. It allocates nothing.
func (s *Snapshot) GhostCachedList(r GhostResource, raw []byte) *Body {
	var buf [512]byte
	return s.ghost().cached(append(append(buf[:0], byte(r)), raw...))
}

// GhostList returns the body of a Ghost browse request (posts, pages,
// tags or authors), made once per snapshot for each distinct query
// (cache.go) and found next time by the raw query string. Errors:
// Invalid naming the bad parameter.
func (s *Snapshot) GhostList(r GhostResource, raw []byte, p GhostParams) (*Body, error) {
	g := s.ghost()
	q, err := parseGhostQuery(r, p)
	if err != nil {
		return nil, err
	}
	var kb [256]byte
	b, kept, _ := g.answer(q.appendKey(append(kb[:0], byte(r), 'l')), func() (*Body, error) {
		return s.ghostListBody(g, r, q), nil
	})
	if kept {
		g.remember(append(kb[:0], byte(r)), raw, b)
	}
	return b, nil
}

// ghostListBody renders the page of resource r that q asks for.
func (s *Snapshot) ghostListBody(g *ghostIndex, r GhostResource, q ghostQuery) *Body {
	var b bodyBuilder
	b.WriteString(`{"` + r.Name() + `":[`)
	var total int
	switch r {
	case GhostPosts, GhostPages:
		list := g.posts
		if r == GhostPages {
			list = g.pages
		}
		list = s.ghostSelectPosts(g, list, q)
		total = len(list)
		for i, e := range ghostPage(list, q) {
			if i > 0 {
				b.WriteByte(',')
			}
			g.writePost(&b, e, q.sel)
		}
	case GhostTags:
		var list []*ghostTag
		for _, t := range g.tags {
			if q.filter.match(tagFacts{t}) {
				list = append(list, t)
			}
		}
		if q.order != nil {
			list = slices.Clone(list)
			sortGhostTags(list, q.order)
		}
		total = len(list)
		for i, t := range ghostPage(list, q) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeObject(&b.Buffer, map[bool][]byte{false: t.json, true: t.counted}[q.counts], q.fields, GhostTags)
		}
	case GhostAuthors:
		a := s.ext.st
		name := ""
		if a != nil {
			name = a.Author.Name
		}
		if q.filter.match(authorFacts{g, name}) {
			total = 1
			if q.page == 1 {
				writeObject(&b.Buffer, map[bool][]byte{false: g.author, true: g.authorCounted}[q.counts], q.fields, GhostAuthors)
			}
		}
	}
	b.WriteString(`],"meta":{"pagination":`)
	writeGhostPagination(&b.Buffer, q, total)
	b.WriteString(`}}`)
	return b.Body()
}

// ghostSelectPosts filters and orders list (newest first) for q.
func (s *Snapshot) ghostSelectPosts(g *ghostIndex, list []*postEntry, q ghostQuery) []*postEntry {
	if q.filter != nil {
		var out []*postEntry
		for _, e := range list {
			if q.filter.match(postFacts{e, g}) {
				out = append(out, e)
			}
		}
		list = out
	}
	if len(q.order) > 0 && !(len(q.order) == 1 && q.order[0] == ghostOrder{field: "published_at", desc: true}) {
		list = slices.Clone(list)
		slices.SortStableFunc(list, func(a, b *postEntry) int {
			for _, o := range q.order {
				if c := comparePosts(g, a, b, o.field); c != 0 {
					if o.desc {
						return -c
					}
					return c
				}
			}
			return 0
		})
	}
	return list
}

func comparePosts(g *ghostIndex, a, b *postEntry, field string) int {
	pa, pb := a.post, b.post
	switch field {
	case "updated_at":
		return pa.UpdatedAt.Compare(pb.UpdatedAt)
	case "created_at":
		return pa.CreatedAt.Compare(pb.CreatedAt)
	case "title":
		return cmp.Compare(strings.ToLower(pa.Title), strings.ToLower(pb.Title))
	case "slug":
		return cmp.Compare(pa.Slug, pb.Slug)
	case "id":
		return cmp.Compare(pa.ID, pb.ID)
	case "featured":
		return cmp.Compare(b2i(g.featured[pa.ID]), b2i(g.featured[pb.ID]))
	case "reading_time":
		return cmp.Compare(pa.ReadingTime, pb.ReadingTime)
	}
	return pa.PublishedAt.Compare(pb.PublishedAt)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortGhostTags(list []*ghostTag, order []ghostOrder) {
	slices.SortStableFunc(list, func(a, b *ghostTag) int {
		for _, o := range order {
			var c int
			switch o.field {
			case "slug":
				c = cmp.Compare(a.slug, b.slug)
			case "id":
				c = cmp.Compare(a.id, b.id)
			case "count.posts":
				c = cmp.Compare(a.posts, b.posts)
			default:
				c = cmp.Or(cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.slug, b.slug))
			}
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// ghostPage is the part of list on q's page.
func ghostPage[T any](list []T, q ghostQuery) []T {
	start := min((q.page-1)*q.limit, len(list))
	return list[start:min(start+q.limit, len(list))]
}

// writeGhostPagination writes Ghost's meta.pagination object.
func writeGhostPagination(b *bytes.Buffer, q ghostQuery, total int) {
	pages := max((total+q.limit-1)/q.limit, 1)
	b.WriteString(`{"page":`)
	b.WriteString(strconv.Itoa(q.page))
	b.WriteString(`,"limit":`)
	b.WriteString(strconv.Itoa(q.limit))
	b.WriteString(`,"pages":`)
	b.WriteString(strconv.Itoa(pages))
	b.WriteString(`,"total":`)
	b.WriteString(strconv.Itoa(total))
	b.WriteString(`,"next":`)
	if q.page < pages {
		b.WriteString(strconv.Itoa(q.page + 1))
	} else {
		b.WriteString("null")
	}
	b.WriteString(`,"prev":`)
	if q.page > 1 {
		b.WriteString(strconv.Itoa(min(q.page-1, pages)))
	} else {
		b.WriteString("null")
	}
	b.WriteByte('}')
}

// writePost writes the post of e with the fields sel selects.
// ghostPlaintext is the "plaintext" format of a post from its "html"
// field (a JSON string).
func ghostPlaintext(html []byte) []byte {
	var s string
	if err := json.Unmarshal(html, &s); err != nil {
		return []byte(`""`)
	}
	return jsonString(htmlText(s))
}

func (g *ghostIndex) writePost(b *bodyBuilder, e *postEntry, sel fieldMask) {
	gp := e.ghostPost()
	b.WriteByte('{')
	first := true
	for i := range ghostPostFieldCount {
		if sel&(1<<i) == 0 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(ghostPostKeys[i])
		switch i {
		case gfFeatured:
			b.WriteString(strconv.FormatBool(g.featured[e.post.ID]))
		case gfTags:
			b.WriteByte('[')
			for j, t := range g.tagsOf[e] {
				if j > 0 {
					b.WriteByte(',')
				}
				b.Share(t.json)
			}
			b.WriteByte(']')
		case gfPrimaryTag:
			if tags := g.tagsOf[e]; len(tags) > 0 {
				b.Share(tags[0].json)
			} else {
				b.WriteString("null")
			}
		case gfAuthors:
			b.WriteByte('[')
			b.Share(g.author)
			b.WriteByte(']')
		case gfPrimaryAuthor:
			b.Share(g.author)
		case gfPlaintext:
			b.Write(ghostPlaintext(gp.vals[gfHTML]))
		default:
			b.Share(gp.vals[i])
		}
	}
	b.WriteByte('}')
}

// writeObject writes a ready tag or author object, only its fields when
// fields is not nil (in the object's order).
func writeObject(b *bytes.Buffer, obj []byte, fields []string, r GhostResource) {
	if fields == nil {
		b.Write(obj)
		return
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(obj, &m) // our own JSON
	b.WriteByte('{')
	n := 0
	for _, k := range ghostObjectFields[r] {
		v, ok := m[k]
		if !ok || !slices.Contains(fields, k) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
}

// GhostCachedRead returns the body of a read by id (bySlug false) or slug
// served before in this snapshot for the raw query string, or nil. It
// allocates nothing for keys and queries of ordinary length.
func (s *Snapshot) GhostCachedRead(r GhostResource, bySlug bool, key string, raw []byte) *Body {
	var buf [512]byte
	return s.ghost().cached(append(readKey(buf[:0], r, bySlug, key), raw...))
}

// readKey starts the raw-cache key of a read: resource, kind and the id
// or slug as asked, then a 0 byte before the query string.
func readKey(buf []byte, r GhostResource, bySlug bool, key string) []byte {
	kind := byte('i')
	if bySlug {
		kind = 's'
	}
	buf = append(buf, byte(r), kind)
	buf = append(buf, key...)
	return append(buf, 0)
}

// GhostRead returns the body of a Ghost read: the post, page, tag or
// author with the id (bySlug false) or slug, as a list of one without
// meta, as Ghost answers. A post's old slug reads the post; its id, slug
// and old slugs share one body. Errors: Invalid naming the bad parameter,
// NotFound.
func (s *Snapshot) GhostRead(r GhostResource, bySlug bool, key string, raw []byte, p GhostParams) (*Body, error) {
	g := s.ghost()
	p.Limit, p.Page, p.Order, p.Filter = "", "", "", ""
	q, err := parseGhostQuery(r, p)
	if err != nil {
		err.(*cms.Error).Message = "Validation error, cannot read " + strings.ToLower(r.singular()) + "."
		return nil, err
	}
	notFound := r.NotFound()
	var obj []byte // a tag's or the author's object
	var e *postEntry
	var id string // what the body is of
	switch r {
	case GhostPosts, GhostPages:
		if e = s.ghostEntry(key, bySlug); e == nil || g.isPage[e] != (r == GhostPages) {
			return nil, notFound
		}
		id = e.post.ID
	case GhostTags:
		t := g.tagByID[strings.ToLower(key)]
		if bySlug {
			t = g.tagBySlug[key]
		}
		if t == nil {
			return nil, notFound
		}
		obj, id = map[bool][]byte{false: t.json, true: t.counted}[q.counts], t.id
	case GhostAuthors:
		if (bySlug && key != g.authorSlug) || (!bySlug && strings.ToLower(key) != g.authorID) {
			return nil, notFound
		}
		obj, id = map[bool][]byte{false: g.author, true: g.authorCounted}[q.counts], g.authorID
	}
	var kb [256]byte
	body, kept, _ := g.answer(q.appendKey(append(append(kb[:0], byte(r), 'r'), id...)), func() (*Body, error) {
		var b bodyBuilder
		b.WriteString(`{"` + r.Name() + `":[`)
		if e != nil {
			g.writePost(&b, e, q.sel)
		} else {
			writeObject(&b.Buffer, obj, q.fields, r)
		}
		b.WriteString(`]}`)
		return b.Body(), nil
	})
	if kept {
		var rb [512]byte
		g.remember(readKey(rb[:0], r, bySlug, key), raw, body)
	}
	return body, nil
}

// ghostEntry is the published post with the id or the (current or old)
// slug, or nil.
func (s *Snapshot) ghostEntry(key string, bySlug bool) *postEntry {
	if !bySlug {
		if i := s.index(strings.ToLower(key)); i >= 0 {
			return s.posts[i]
		}
		return nil
	}
	if e := s.bySlug[key]; e != nil {
		return e
	}
	return s.bySlug[s.oldSlugs[key]]
}

// GhostSettings returns the body of GET /settings/.
func (s *Snapshot) GhostSettings() *Body { return s.ghost().settings }
