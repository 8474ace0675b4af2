package readmodel

import (
	"bytes"
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/lullabycms/lullaby/cms"
)

// WPResource names a collection of the WordPress dialect.
type WPResource byte

// The dialect's collections.
const (
	WPPosts      WPResource = 'p'
	WPCategories WPResource = 'c'
	WPTags       WPResource = 't'
	WPUsers      WPResource = 'u'
	WPMedia      WPResource = 'm'
)

// WPParams are the raw query values of a WordPress request; parameters
// the dialect does not know are ignored, as WordPress does.
type WPParams struct {
	Page, PerPage, Categories, Tags, Slug, Search, Sticky, Orderby, Order, Fields, Include, Post, HideEmpty, Context string
	Embed                                                                                                            bool
}

// WordPress's page sizes.
const (
	WPDefaultPerPage = 10
	WPMaxPerPage     = 100
)

type wpQuery struct {
	page, perPage   int
	cats, tags, ids []int64
	slugs           []string
	search          string
	sticky          *bool
	orderby         string
	desc            bool
	fields          map[string]bool
	embed           bool
	post            int64
	hideEmpty       bool
}

// wpOrderby are the orderby values each collection answers.
var wpOrderby = map[WPResource][]string{
	WPPosts:      {"date", "modified", "title", "id", "slug", "include", "relevance"},
	WPCategories: {"name", "id", "slug", "count", "include"},
	WPTags:       {"name", "id", "slug", "count", "include"},
	WPUsers:      {"name", "id", "slug"},
}

// wpObjectFields are the top-level members of each collection's objects.
var wpObjectFields = map[WPResource][]string{
	WPCategories: {"id", "count", "description", "link", "name", "slug", "taxonomy", "parent", "meta", "_links"},
	WPTags:       {"id", "count", "description", "link", "name", "slug", "taxonomy", "meta", "_links"},
	WPUsers:      {"id", "name", "url", "description", "link", "slug", "avatar_urls", "meta", "lullaby", "_links"},
	WPMedia: {"id", "date", "date_gmt", "guid", "modified", "modified_gmt", "slug", "status", "type", "link", "title", "author",
		"caption", "alt_text", "media_type", "mime_type", "media_details", "post", "source_url", "_links"},
}

func init() { wpObjectFields[WPPosts] = wpPostFields[:] }

func parseIDs(name, raw string, pr cms.Problems) []int64 {
	var out []int64
	for _, f := range splitList(raw) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 {
			pr.Add(name, name+" must be a list of integers.")
			return nil
		}
		out = append(out, n)
	}
	return out
}

// parseWPQuery checks p for collection r. Errors: Invalid naming each bad
// parameter, with WordPress's messages.
func parseWPQuery(r WPResource, p WPParams) (wpQuery, error) {
	q := wpQuery{page: 1, perPage: WPDefaultPerPage, embed: p.Embed}
	pr := cms.Problems{}
	if p.Page != "" {
		n, err := strconv.Atoi(strings.TrimSpace(p.Page))
		if err != nil || n < 1 || n > 100000 {
			pr.Add("page", "page must be greater than or equal to 1 (and at most 100000).")
		}
		q.page = max(n, 1)
	}
	if p.PerPage != "" {
		n, err := strconv.Atoi(strings.TrimSpace(p.PerPage))
		if err != nil || n < 1 || n > WPMaxPerPage {
			pr.Add("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
		}
		q.perPage = min(max(n, 1), WPMaxPerPage)
	}
	switch p.Context {
	case "", "view", "embed":
	default:
		pr.Add("context", "context is not one of view, embed (this API is read-only: there is no edit context).")
	}
	q.cats = parseIDs("categories", p.Categories, pr)
	q.tags = parseIDs("tags", p.Tags, pr)
	q.ids = parseIDs("include", p.Include, pr)
	if p.Post != "" {
		if ids := parseIDs("post", p.Post, pr); len(ids) == 1 {
			q.post = ids[0]
		} else if len(ids) > 1 {
			pr.Add("post", "post is not of type integer.")
		}
	}
	q.slugs = splitList(p.Slug)
	q.search = strings.TrimSpace(p.Search)
	if len(q.search) > 200 {
		pr.Add("search", "search must be at most 200 characters long.")
	}
	for _, b := range []struct {
		name, raw string
		dst       **bool
	}{{"sticky", p.Sticky, &q.sticky}, {"hide_empty", p.HideEmpty, nil}} {
		if b.raw == "" {
			continue
		}
		v, err := strconv.ParseBool(b.raw)
		if err != nil {
			pr.Add(b.name, b.name+" is not of type boolean.")
		}
		if b.dst != nil {
			*b.dst = &v
		} else {
			q.hideEmpty = v
		}
	}
	if r == WPPosts {
		q.orderby, q.desc = "date", true
		if q.search != "" {
			q.orderby = "relevance"
		}
	} else {
		q.orderby = "name"
	}
	if p.Orderby != "" {
		if !slices.Contains(wpOrderby[r], p.Orderby) {
			pr.Add("orderby", "orderby is not one of "+strings.Join(wpOrderby[r], ", ")+".")
		}
		q.orderby = p.Orderby
	}
	switch p.Order {
	case "":
	case "asc":
		q.desc = false
	case "desc":
		q.desc = true
	default:
		pr.Add("order", "order is not one of desc, asc.")
	}
	q.fields = parseWPFields(r, p.Fields, pr)
	if err := pr.Err("readmodel.parseWPQuery"); err != nil {
		return q, err
	}
	return q, nil
}

// parseWPFields reads _fields: top-level members, or nested ones
// ("title.rendered") whose top-level member is then served whole. An
// unknown member is refused (WordPress drops it silently, which hides a
// typo behind an empty object).
func parseWPFields(r WPResource, raw string, pr cms.Problems) map[string]bool {
	list := splitList(raw)
	if len(list) == 0 {
		return nil
	}
	fields := map[string]bool{}
	for _, f := range list {
		top, _, _ := strings.Cut(f, ".")
		if !slices.Contains(wpObjectFields[r], top) {
			pr.Add("_fields", "Unknown field "+strconv.Quote(truncate(f, 60))+"; use "+strings.Join(wpObjectFields[r], ", ")+".")
			continue
		}
		fields[top] = true
	}
	return fields
}

// WPCached returns the result served before in this snapshot for the
// collection (or item, when id is not "") and the raw query string, or nil.
func (s *Snapshot) WPCached(r WPResource, id string, raw []byte) *WPResult {
	var buf [512]byte
	return s.wp().cached(append(wpRawKey(buf[:0], r, id), raw...))
}

// wpRawKey starts the raw-cache key of a list (id "") or read: resource
// and id as asked, then a 0 byte before the query string.
func wpRawKey(buf []byte, r WPResource, id string) []byte {
	buf = append(buf, byte(r))
	buf = append(buf, id...)
	return append(buf, 0)
}

// WPList returns a page of a collection of the dialect, made once per
// snapshot for each distinct query (normalised, as the Ghost dialect's
// lists are: cache.go) and kept for the raw query string. Errors:
// Invalid naming the bad parameters; Internal if search fails.
func (s *Snapshot) WPList(r WPResource, raw []byte, p WPParams) (*WPResult, error) {
	g := s.wp()
	q, err := parseWPQuery(r, p)
	if err != nil {
		return nil, err
	}
	var kb [256]byte
	res, kept, err := g.answer(q.appendKey(append(kb[:0], byte(r), 'l')), func() (*WPResult, error) { return s.wpList(g, r, q) })
	if kept {
		g.remember(wpRawKey(kb[:0], r, ""), raw, res)
	}
	return res, err
}

// appendKey appends q normalised: two lists with the same key are the
// same.
func (q *wpQuery) appendKey(b []byte) []byte {
	for _, n := range []int64{int64(q.page), int64(q.perPage), q.post} {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, ',')
	}
	for _, ids := range [][]int64{q.cats, q.tags, q.ids} {
		for _, n := range ids {
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ' ')
		}
		b = append(b, ',')
	}
	for _, s := range q.slugs {
		b = strconv.AppendQuote(b, s)
	}
	b = strconv.AppendQuote(append(b, ','), q.search)
	switch {
	case q.sticky == nil:
		b = append(b, 'n')
	case *q.sticky:
		b = append(b, 't')
	default:
		b = append(b, 'f')
	}
	b = append(append(b, q.orderby...), "+-"[b2i(q.desc)], "xe"[b2i(q.embed)], "xh"[b2i(q.hideEmpty)])
	if q.fields != nil {
		b = append(b, 'f')
		for _, f := range slices.Sorted(maps.Keys(q.fields)) {
			if q.fields[f] {
				b = strconv.AppendQuote(b, f)
			}
		}
	}
	return b
}

// wpList renders the page of collection r that q asks for.
func (s *Snapshot) wpList(g *wpIndex, r WPResource, q wpQuery) (*WPResult, error) {
	var b bodyBuilder
	b.WriteByte('[')
	var total int
	switch r {
	case WPPosts:
		list, err := s.wpSelectPosts(g, q)
		if err != nil {
			return nil, err
		}
		total = len(list)
		item := q.item()
		for i, e := range wpPage(list, q) {
			if i > 0 {
				b.WriteByte(',')
			}
			if res, kept := g.postItem(e, item); kept {
				b.ShareBody(res.Body, 0, 0)
			} else {
				// Past the budget: a copy, so that what the list keeps
				// alive is its own bytes, which the budget counts.
				b.Write(res.Body.Bytes())
			}
		}
	case WPCategories, WPTags:
		list := g.selectTerms(r, q)
		total = len(list)
		for i, t := range wpPage(list, q) {
			if i > 0 {
				b.WriteByte(',')
			}
			t.obj.write(&b.Buffer, q.fields)
		}
	case WPUsers:
		if len(q.slugs) == 0 || slices.Contains(q.slugs, string(g.authorSlug())) {
			total = 1
			if q.page == 1 {
				g.author.write(&b.Buffer, q.fields)
			}
		}
	}
	b.WriteByte(']')
	pages := (total + q.perPage - 1) / q.perPage
	if total > 0 && q.page > pages {
		// WordPress refuses a page past the last.
		pr := cms.Problems{}
		pr.Add("page", "The page number requested is larger than the number of pages available.")
		return nil, pr.Err("readmodel.Snapshot.WPList")
	}
	return &WPResult{Body: b.Body(), Total: total, Pages: pages}, nil
}

func (g *wpIndex) authorSlug() []byte {
	for _, kv := range g.author {
		if kv.key == "slug" {
			return bytes.Trim(kv.val, `"`)
		}
	}
	return nil
}

func wpPage[T any](list []T, q wpQuery) []T {
	start := min((q.page-1)*q.perPage, len(list))
	return list[start:min(start+q.perPage, len(list))]
}

// wpSelectPosts filters and orders the published posts for q.
func (s *Snapshot) wpSelectPosts(g *wpIndex, q wpQuery) ([]*postEntry, error) {
	list := s.posts
	if q.search != "" {
		_, hits, err := s.searchPosts(SearchQuery{Q: q.search, Page: 1, Limit: maxWPSearchHits})
		if err != nil {
			return nil, err
		}
		list = hits
	}
	keep := func(e *postEntry) bool {
		if len(q.ids) > 0 && !slices.Contains(q.ids, g.postID[e]) {
			return false
		}
		if len(q.slugs) > 0 && !slices.Contains(q.slugs, e.post.Slug) {
			return false
		}
		if q.sticky != nil && g.sticky[e.post.ID] != *q.sticky {
			return false
		}
		if len(q.cats) > 0 && !hasTerm(g.catsOf[e], q.cats) {
			return false
		}
		if len(q.tags) > 0 && !hasTerm(g.tagsOf[e], q.tags) {
			return false
		}
		return true
	}
	if len(q.ids) > 0 || len(q.slugs) > 0 || q.sticky != nil || len(q.cats) > 0 || len(q.tags) > 0 {
		var out []*postEntry
		for _, e := range list {
			if keep(e) {
				out = append(out, e)
			}
		}
		list = out
	}
	if q.orderby == "relevance" && q.search == "" {
		q.orderby = "date"
	}
	if (q.orderby == "date" && q.desc) || q.orderby == "relevance" {
		return list, nil
	}
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b *postEntry) int {
		var c int
		pa, pb := a.post, b.post
		switch q.orderby {
		case "modified":
			c = pa.UpdatedAt.Compare(pb.UpdatedAt)
		case "title":
			c = cmp.Compare(strings.ToLower(pa.Title), strings.ToLower(pb.Title))
		case "slug":
			c = cmp.Compare(pa.Slug, pb.Slug)
		case "id":
			c = cmp.Compare(g.postID[a], g.postID[b])
		case "include":
			c = cmp.Compare(slices.Index(q.ids, g.postID[a]), slices.Index(q.ids, g.postID[b]))
		default:
			c = pa.PublishedAt.Compare(pb.PublishedAt)
		}
		if q.desc {
			return -c
		}
		return c
	})
	return list, nil
}

// maxWPSearchHits bounds the hits a search of the dialect pages through.
const maxWPSearchHits = 1000

func hasTerm(terms []*wpTerm, ids []int64) bool {
	for _, t := range terms {
		if slices.Contains(ids, t.id) {
			return true
		}
	}
	return false
}

func (g *wpIndex) selectTerms(r WPResource, q wpQuery) []*wpTerm {
	all := g.cats
	if r == WPTags {
		all = g.tags
	}
	var of []*wpTerm
	if q.post != 0 {
		if e := g.byPostID[q.post]; e != nil {
			of = append(slices.Clone(g.catsOf[e]), g.tagsOf[e]...)
		} else {
			return nil
		}
	}
	search := strings.ToLower(q.search)
	var list []*wpTerm
	for _, t := range all {
		if (q.post != 0 && !slices.Contains(of, t)) || (len(q.ids) > 0 && !slices.Contains(q.ids, t.id)) ||
			(len(q.slugs) > 0 && !slices.Contains(q.slugs, t.slug)) || (q.hideEmpty && t.count == 0) ||
			(search != "" && !strings.Contains(strings.ToLower(t.name), search) && !strings.Contains(t.slug, search)) {
			continue
		}
		list = append(list, t)
	}
	if q.orderby != "name" || q.desc {
		slices.SortStableFunc(list, func(a, b *wpTerm) int {
			var c int
			switch q.orderby {
			case "id":
				c = cmp.Compare(a.id, b.id)
			case "slug":
				c = cmp.Compare(a.slug, b.slug)
			case "count":
				c = cmp.Compare(a.count, b.count)
			case "include":
				c = cmp.Compare(slices.Index(q.ids, a.id), slices.Index(q.ids, b.id))
			default:
				c = cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
			}
			if q.desc {
				return -c
			}
			return c
		})
	}
	return list
}

// WPRead returns one item of the dialect by its numeric id. Errors:
// Invalid naming the bad parameters, NotFound.
func (s *Snapshot) WPRead(r WPResource, id string, raw []byte, p WPParams) (*WPResult, error) {
	g := s.wp()
	q, err := parseWPQuery(r, WPParams{Fields: p.Fields, Context: p.Context, Embed: p.Embed})
	if err != nil {
		return nil, err
	}
	n, perr := strconv.ParseInt(id, 10, 64)
	notFound := cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.WPRead", "No %s has the id %s.", r.singular(), truncate(id, 30))
	if perr != nil || n < 1 {
		return nil, notFound
	}
	var write func(*bodyBuilder)
	var res *WPResult
	var kept bool
	switch r {
	case WPPosts:
		e := g.byPostID[n]
		if e == nil {
			return nil, notFound
		}
		res, kept = g.postItem(e, q)
	case WPCategories, WPTags:
		t := g.termByID[n]
		if t == nil || t.category != (r == WPCategories) {
			return nil, notFound
		}
		write = func(b *bodyBuilder) { t.obj.write(&b.Buffer, q.fields) }
	case WPUsers:
		if n != g.authorID {
			return nil, notFound
		}
		write = func(b *bodyBuilder) { g.author.write(&b.Buffer, q.fields) }
	case WPMedia:
		m := g.mediaByN[n]
		if m == nil {
			return nil, notFound
		}
		write = func(b *bodyBuilder) { m.obj.write(&b.Buffer, q.fields) }
	}
	// Kept by the item read (a post by its numeric id or its own id has
	// one body) and the query normalised, then for the id and query as
	// asked.
	if write != nil {
		var kb [256]byte
		key := strconv.AppendInt(append(kb[:0], byte(r), 'r'), n, 10)
		res, kept, _ = g.answer(q.appendKey(append(key, 0)), func() (*WPResult, error) {
			var b bodyBuilder
			write(&b)
			return &WPResult{Body: b.Body(), Total: -1, Pages: -1}, nil
		})
	}
	if kept {
		var rb [512]byte
		g.remember(wpRawKey(rb[:0], r, id), raw, res)
	}
	return res, nil
}

// item is the query of a read of one post that shows the posts of q as
// q shows them: lists share the bodies of these reads (postItem).
func (q *wpQuery) item() wpQuery {
	return wpQuery{page: 1, perPage: WPDefaultPerPage, orderby: "date", desc: true, fields: q.fields, embed: q.embed}
}

// postItem is the body of a read of the post of e (WPRead) with q, a read
// query: kept by the post's numeric id and the query normalised, as
// WPRead keeps the items it reads. Lists made of whole posts share these
// bodies, so that a post read by its id and by its slug (a list of one)
// holds its bytes once.
func (g *wpIndex) postItem(e *postEntry, q wpQuery) (res *WPResult, kept bool) {
	var kb [256]byte
	key := strconv.AppendInt(append(kb[:0], byte(WPPosts), 'r'), g.postID[e], 10)
	res, kept, _ = g.answer(q.appendKey(append(key, 0)), func() (*WPResult, error) {
		var b bodyBuilder
		g.writePost(&b, e, q.fields, q.embed)
		return &WPResult{Body: b.Body(), Total: -1, Pages: -1}, nil
	})
	return res, kept
}

func (r WPResource) singular() string {
	switch r {
	case WPCategories:
		return "category"
	case WPTags:
		return "tag"
	case WPUsers:
		return "user"
	case WPMedia:
		return "media item"
	}
	return "post"
}
