package readmodel

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The WordPress REST API dialect (docs/wordpress-api.md): the published
// content in the shapes of WordPress's wp/v2 namespace, read-only, so that
// a frontend written for WordPress (wpapi, Astro and Next.js loaders)
// reads Lullaby by changing one URL.
//
// As for the Ghost dialect, what does not depend on the snapshot is made
// once per post and kept with its entry (wpPost); the numeric ids, terms,
// media and author are made per snapshot on its first WordPress request
// (wpIndex); whole bodies are cached per snapshot by the query normalised
// and by the raw query string, within a byte bound (cache.go).

// WordPress clients need integer ids; ours are 24 hex digits. A post
// imported from WordPress keeps its WordPress id (from its Source,
// "wordpress:<site>:<id>"), so that links and caches of the old site still
// name it. Every other post, and every category, tag, media item and the
// author, gets an id derived from its own id by hashing: the same on every
// instance and in every snapshot, without a stored counter. Derived ids
// lie in [2^32, 2^53): above the ids of any real WordPress site (so an
// imported id never meets a derived one) and below 2^53, the largest
// integer a JavaScript number holds exactly. A collision within a
// snapshot (about one in 10^8 for a million items) is settled by hashing
// again, in the order of the items' own ids, imported ids first.
const (
	wpDerivedMin = 1 << 32
	wpDerivedMax = 1<<53 - 1
)

// wpDerivedID is the n-th candidate id of the item kind/id.
func wpDerivedID(kind, id string, n int) int64 {
	sum := sha256.Sum256([]byte(kind + "\x00" + id + "\x00" + strconv.Itoa(n)))
	return wpDerivedMin + int64(binary.BigEndian.Uint64(sum[:8])%(wpDerivedMax-wpDerivedMin))
}

// wpImportedID is the WordPress id a post imported from WordPress had,
// from its Source, or 0.
func wpImportedID(source string) int64 {
	if !strings.HasPrefix(source, "wordpress:") {
		return 0
	}
	n, err := strconv.ParseInt(source[strings.LastIndexByte(source, ':')+1:], 10, 64)
	if err != nil || n < 1 || n >= wpDerivedMin {
		return 0
	}
	return n
}

// wpIDs hands out the numeric ids of one snapshot.
type wpIDs map[int64]bool

// claim returns want if free, else the first free derived id of kind/id.
func (ids wpIDs) claim(want int64, kind, id string) int64 {
	for n := 0; want == 0 || ids[want]; n++ {
		want = wpDerivedID(kind, id, n)
	}
	ids[want] = true
	return want
}

// wpTerm is a category or a tag.
type wpTerm struct {
	id       int64
	slug     string
	name     string
	category bool
	count    int
	obj      wpObject
	json     []byte // obj whole, shared by the bodies that embed it
}

// wpMedia is a cover image of a published post.
type wpMedia struct {
	id   int64
	obj  wpObject
	json []byte     // obj whole, shared by the bodies that embed it
	post *postEntry // the newest post with this cover
}

// wpIndex is a snapshot's WordPress view.
type wpIndex struct {
	api string // <public URL>/wp-json

	postID   map[*postEntry]int64
	byPostID map[int64]*postEntry
	cats     []*wpTerm // by name
	tags     []*wpTerm // by name
	termByID map[int64]*wpTerm
	catsOf   map[*postEntry][]*wpTerm
	tagsOf   map[*postEntry][]*wpTerm
	media    map[string]*wpMedia // by media id
	mediaByN map[int64]*wpMedia
	sticky   map[string]bool // post ids on Featured

	authorID   int64
	author     wpObject
	authorJSON []byte // author whole, shared by the bodies that embed it
	root       *Body

	servedCache[*WPResult] // the results served so far (cache.go)
}

// WPResult is a body of the dialect with its paging totals (X-WP-Total,
// X-WP-TotalPages; -1 for a single item).
type WPResult struct {
	Body         *Body
	Total, Pages int
}

func (r *WPResult) body() *Body { return r.Body }

// wpState is what a Snapshot keeps for the WordPress dialect.
type wpState struct {
	wpOnce sync.Once
	wpIdx  *wpIndex
}

func (s *Snapshot) wp() *wpIndex {
	s.wpOnce.Do(func() { s.wpIdx = s.buildWP() })
	return s.wpIdx
}

// wpKV is one member of a JSON object.
type wpKV struct {
	key string
	val []byte
}

// wpObject is a JSON object as its members in order, so that _fields can
// pick some without parsing.
type wpObject []wpKV

// write writes o, only the members in fields when fields is not nil.
func (o wpObject) write(b *bytes.Buffer, fields map[string]bool) {
	b.WriteByte('{')
	n := 0
	for _, kv := range o {
		if fields != nil && !fields[kv.key] {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.Write(jsonString(kv.key))
		b.WriteByte(':')
		b.Write(kv.val)
	}
	b.WriteByte('}')
}

// bytes is o whole.
func (o wpObject) bytes() []byte {
	var b bytes.Buffer
	o.write(&b, nil)
	return exact(b.Bytes())
}

func (s *Snapshot) buildWP() *wpIndex {
	st := s.ext.st
	if st == nil {
		st = ptr(cms.DefaultSettings())
	}
	base := strings.TrimRight(s.ext.publicURL, "/")
	siteURL := strings.TrimRight(st.Site.URL, "/")
	g := &wpIndex{api: base + "/wp-json", postID: make(map[*postEntry]int64, len(s.posts)),
		byPostID: make(map[int64]*postEntry, len(s.posts)), termByID: map[int64]*wpTerm{},
		catsOf: map[*postEntry][]*wpTerm{}, tagsOf: map[*postEntry][]*wpTerm{}, media: map[string]*wpMedia{},
		mediaByN: map[int64]*wpMedia{}, sticky: map[string]bool{}}
	g.budget.max = servedBudget(len(s.posts))
	if s.lists != nil {
		g.sticky = s.lists.featured
	}
	ids := wpIDs{}

	// Posts: imported ids first, then the others in the order of their ids.
	byID := slices.Clone(s.posts)
	slices.SortFunc(byID, func(a, b *postEntry) int { return strings.Compare(a.post.ID, b.post.ID) })
	for _, e := range byID {
		if n := wpImportedID(e.post.Source); n > 0 && !ids[n] {
			ids[n] = true
			g.postID[e], g.byPostID[n] = n, e
		}
	}
	for _, e := range byID {
		if _, ok := g.postID[e]; !ok {
			n := ids.claim(0, "post", e.post.ID)
			g.postID[e], g.byPostID[n] = n, e
		}
	}
	g.authorID = ids.claim(0, "user", "author")

	// Categories, then tags (by slug), then covers.
	cats := make([]*catEntry, 0, len(s.byCatSlug))
	for _, c := range s.byCatSlug {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(a, b *catEntry) int { return strings.Compare(a.cat.ID, b.cat.ID) })
	catByID := map[string]*wpTerm{}
	for _, c := range cats {
		t := &wpTerm{id: ids.claim(0, "category", c.cat.ID), slug: c.cat.Slug, name: c.cat.Name, category: true, count: len(c.posts)}
		t.obj = g.termObject(t, c.cat.Description, siteLink(siteURL, "/category/"+t.slug+"/"))
		catByID[c.cat.ID] = t
		g.cats = append(g.cats, t)
	}
	tagBySlug := map[string]*wpTerm{}
	for _, e := range s.posts {
		for _, id := range e.post.CategoryIDs {
			if t := catByID[id]; t != nil {
				g.catsOf[e] = append(g.catsOf[e], t)
			}
		}
		for _, name := range e.post.Tags {
			slug := cms.Slugify(name)
			if slug == "" {
				continue
			}
			t := tagBySlug[slug]
			if t == nil {
				t = &wpTerm{slug: slug, name: name}
				tagBySlug[slug] = t
			}
			if !slices.Contains(g.tagsOf[e], t) {
				t.count++
				g.tagsOf[e] = append(g.tagsOf[e], t)
			}
		}
	}
	slugs := make([]string, 0, len(tagBySlug))
	for slug := range tagBySlug {
		slugs = append(slugs, slug)
	}
	slices.Sort(slugs)
	for _, slug := range slugs {
		t := tagBySlug[slug]
		t.id = ids.claim(0, "tag", slug)
		t.obj = g.termObject(t, "", siteLink(siteURL, "/tag/"+slug+"/"))
		g.tags = append(g.tags, t)
	}
	byName := func(a, b *wpTerm) int {
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	}
	slices.SortStableFunc(g.cats, byName)
	slices.SortStableFunc(g.tags, byName)
	for _, t := range append(slices.Clone(g.cats), g.tags...) {
		g.termByID[t.id] = t
	}
	links := imageLinks{base: base}
	for _, e := range byID {
		if c := e.post.Cover; c != nil && c.MediaID != "" && g.media[c.MediaID] == nil {
			m := &wpMedia{id: ids.claim(0, "media", c.MediaID)}
			g.media[c.MediaID], g.mediaByN[m.id] = m, m
		}
	}
	for _, e := range s.posts { // newest first: a media item's post is the newest using it
		if c := e.post.Cover; c != nil && c.MediaID != "" {
			if m := g.media[c.MediaID]; m.post == nil {
				m.post = e
				m.obj = g.mediaObject(m, c, links)
				m.json = m.obj.bytes()
			}
		}
	}

	photo := st.Author.PhotoURL
	if st.Author.Photo != nil {
		photo = links.author(&st.Author).PhotoURL
	}
	g.author = g.userObject(st, siteURL, photo)
	g.authorJSON = g.author.bytes()
	for _, t := range g.termByID {
		t.json = t.obj.bytes()
	}
	g.root = NewBody(g.rootJSON(st, base, siteURL))
	return g
}

// href is the _links entry [{"href":…}] (embeddable when asked).
func href(url string, embeddable bool, extra ...string) []byte {
	var b strings.Builder
	b.WriteString(`{`)
	for i := 0; i+1 < len(extra); i += 2 {
		b.Write(jsonString(extra[i]))
		b.WriteByte(':')
		b.Write(jsonString(extra[i+1]))
		b.WriteByte(',')
	}
	if embeddable {
		b.WriteString(`"embeddable":true,`)
	}
	b.WriteString(`"href":`)
	b.Write(jsonString(url))
	b.WriteString(`}`)
	return []byte(b.String())
}

func jsonArray(items ...[]byte) []byte {
	return append(append([]byte{'['}, bytes.Join(items, []byte{','})...), ']')
}

// rendered is WordPress's {"rendered":…} wrapper.
func rendered(s string, protected bool) []byte {
	b := []byte(`{"rendered":`)
	b = append(b, jsonString(s)...)
	if protected {
		b = append(b, `,"protected":false`...)
	}
	return append(b, '}')
}

var wpCuries = []byte(`[{"name":"wp","href":"https://api.w.org/{rel}","templated":true}]`)

func (g *wpIndex) termObject(t *wpTerm, description, link string) wpObject {
	id := strconv.FormatInt(t.id, 10)
	taxonomy, route := "post_tag", "tags"
	if t.category {
		taxonomy, route = "category", "categories"
	}
	o := wpObject{{"id", []byte(id)}, {"count", jsonInt(t.count)}, {"description", jsonString(description)},
		{"link", jsonString(link)}, {"name", jsonString(t.name)}, {"slug", jsonString(t.slug)}, {"taxonomy", jsonString(taxonomy)}}
	if t.category {
		o = append(o, wpKV{"parent", []byte("0")})
	}
	o = append(o, wpKV{"meta", []byte("[]")}, wpKV{"_links", []byte(`{"self":` + string(jsonArray(href(g.api+"/wp/v2/"+route+"/"+id, false))) +
		`,"collection":` + string(jsonArray(href(g.api+"/wp/v2/"+route, false))) +
		`,"about":` + string(jsonArray(href(g.api+"/wp/v2/taxonomies/"+taxonomy, false))) +
		`,"wp:post_type":` + string(jsonArray(href(g.api+"/wp/v2/posts?"+map[bool]string{true: "categories", false: "tags"}[t.category]+"="+id, false))) +
		`,"curies":` + string(wpCuries) + `}`)})
	return o
}

func (g *wpIndex) userObject(st *cms.Settings, siteURL, photo string) wpObject {
	id := strconv.FormatInt(g.authorID, 10)
	slug := cms.Slugify(st.Author.Name)
	if slug == "" {
		slug = "author"
	}
	avatars := []byte(`{}`)
	if photo != "" {
		p := string(jsonString(photo))
		avatars = []byte(`{"24":` + p + `,"48":` + p + `,"96":` + p + `}`)
	}
	ours, _ := marshal(struct {
		Title string `json:"title"`
	}{st.Author.Title})
	return wpObject{{"id", []byte(id)}, {"name", jsonString(st.Author.Name)}, {"url", jsonString(siteURL)},
		{"description", jsonString(st.Author.Bio)}, {"link", jsonString(siteLink(siteURL, "/author/"+slug+"/"))},
		{"slug", jsonString(slug)}, {"avatar_urls", avatars}, {"meta", []byte("[]")}, {"lullaby", ours},
		{"_links", []byte(`{"self":` + string(jsonArray(href(g.api+"/wp/v2/users/"+id, false))) +
			`,"collection":` + string(jsonArray(href(g.api+"/wp/v2/users", false))) + `}`)}}
}

func (g *wpIndex) mediaObject(m *wpMedia, c *cms.PostImage, links imageLinks) wpObject {
	id := strconv.FormatInt(m.id, 10)
	p := m.post.post
	orig := pick(c, "original")
	src := links.variantURL(c.MediaID, orig.Name)
	var sizes strings.Builder
	sizes.WriteByte('{')
	for i, v := range c.Variants {
		if i > 0 {
			sizes.WriteByte(',')
		}
		name := v.Name
		if name == "original" {
			name = "full"
		}
		sizes.Write(jsonString(name))
		sizes.WriteString(`:{"file":`)
		sizes.Write(jsonString(c.MediaID + "/" + v.Name))
		sizes.WriteString(`,"width":` + strconv.Itoa(v.Width) + `,"height":` + strconv.Itoa(v.Height) + `,"mime_type":`)
		sizes.Write(jsonString(v.ContentType))
		sizes.WriteString(`,"source_url":`)
		sizes.Write(jsonString(links.variantURL(c.MediaID, v.Name)))
		sizes.WriteByte('}')
	}
	sizes.WriteByte('}')
	details := `{"width":` + strconv.Itoa(c.Width) + `,"height":` + strconv.Itoa(c.Height) + `,"file":` +
		string(jsonString(c.MediaID)) + `,"sizes":` + sizes.String() + `}`
	title := c.Alt
	if title == "" {
		title = p.Title
	}
	return wpObject{{"id", []byte(id)}, {"date", wpTime(p.PublishedAt)}, {"date_gmt", wpTime(p.PublishedAt)},
		{"guid", rendered(src, false)}, {"modified", wpTime(p.UpdatedAt)}, {"modified_gmt", wpTime(p.UpdatedAt)},
		{"slug", jsonString(c.MediaID)}, {"status", []byte(`"inherit"`)}, {"type", []byte(`"attachment"`)},
		{"link", jsonString(src)}, {"title", rendered(title, false)}, {"author", []byte(strconv.FormatInt(g.authorID, 10))},
		{"caption", rendered("", false)}, {"alt_text", jsonString(c.Alt)}, {"media_type", []byte(`"image"`)},
		{"mime_type", jsonString(orig.ContentType)}, {"media_details", []byte(details)},
		{"post", []byte(strconv.FormatInt(g.postID[m.post], 10))}, {"source_url", jsonString(src)},
		{"_links", []byte(`{"self":` + string(jsonArray(href(g.api+"/wp/v2/media/"+id, false))) +
			`,"collection":` + string(jsonArray(href(g.api+"/wp/v2/media", false))) + `}`)}}
}

// wpTime is WordPress's date format: seconds, no offset (we give UTC for
// both date and date_gmt).
func wpTime(t time.Time) []byte {
	if t.IsZero() {
		return jsonNull
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05") + `"`)
}

// WPRoot returns the body of GET /wp-json/, the discovery index.
func (s *Snapshot) WPRoot() *Body { return s.wp().root }

// WPAPIURL is the dialect's root, <public URL>/wp-json/, for the Link
// header by which clients discover it.
func (s *Snapshot) WPAPIURL() string { return s.wp().api + "/" }
