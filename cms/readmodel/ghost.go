package readmodel

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The Ghost Content API dialect (docs/ghost-api.md): the same published
// content in Ghost 5's shapes, so that a frontend written for Ghost reads
// Lullaby by changing one URL.
//
// What every request would otherwise rebuild is made once: each post's
// field values as JSON (ghostPost, made on first use and kept with the
// post's entry, which later snapshots reuse while the post and what it
// embeds are unchanged), and per snapshot the tags, the author, the
// settings and which posts are pages or featured (ghostIndex, made on the
// first Ghost request a snapshot serves). Whole response bodies are then
// cached per snapshot by the query normalised and by the raw query string
// (cache.go), as the post lists of our own API are, so a repeated
// request costs one map read.

// GhostPagesCategory is the slug of the category whose posts the Ghost
// dialect serves as pages (/pages/) rather than posts: the WordPress
// import files pages under it (cms/wpimport.PagesCategory).
const GhostPagesCategory = "pages"

// ghostTime is Ghost's date format: milliseconds and a numeric offset.
const ghostTime = "2006-01-02T15:04:05.000-07:00"

// The fields of a Ghost post, in the order Ghost's serializer writes
// them; "plaintext" and "lullaby" (our own data) are additions.
const (
	gfID = iota
	gfUUID
	gfTitle
	gfSlug
	gfHTML
	gfPlaintext
	gfCommentID
	gfFeatureImage
	gfFeatured
	gfVisibility
	gfCreatedAt
	gfUpdatedAt
	gfPublishedAt
	gfCustomExcerpt
	gfCodeinjectionHead
	gfCodeinjectionFoot
	gfCustomTemplate
	gfCanonicalURL
	gfTags
	gfAuthors
	gfPrimaryAuthor
	gfPrimaryTag
	gfURL
	gfExcerpt
	gfReadingTime
	gfAccess
	gfComments
	gfOGImage
	gfOGTitle
	gfOGDescription
	gfTwitterImage
	gfTwitterTitle
	gfTwitterDescription
	gfMetaTitle
	gfMetaDescription
	gfEmailSubject
	gfFrontmatter
	gfFeatureImageAlt
	gfFeatureImageCaption
	gfLullaby
	ghostPostFieldCount
)

var ghostPostFields = [ghostPostFieldCount]string{
	"id", "uuid", "title", "slug", "html", "plaintext", "comment_id", "feature_image", "featured", "visibility",
	"created_at", "updated_at", "published_at", "custom_excerpt", "codeinjection_head", "codeinjection_foot",
	"custom_template", "canonical_url", "tags", "authors", "primary_author", "primary_tag", "url", "excerpt",
	"reading_time", "access", "comments", "og_image", "og_title", "og_description", "twitter_image",
	"twitter_title", "twitter_description", "meta_title", "meta_description", "email_subject", "frontmatter",
	"feature_image_alt", "feature_image_caption", "lullaby",
}

// ghostPostKeys are `"name":` for each field, ready to write.
var ghostPostKeys = func() (keys [ghostPostFieldCount][]byte) {
	for i, n := range ghostPostFields {
		keys[i] = []byte(`"` + n + `":`)
	}
	return keys
}()

// fieldMask selects fields by their index.
type fieldMask uint64

const (
	maskFormats   = fieldMask(1)<<gfHTML | fieldMask(1)<<gfPlaintext
	maskRelations = fieldMask(1)<<gfTags | fieldMask(1)<<gfAuthors | fieldMask(1)<<gfPrimaryAuthor | fieldMask(1)<<gfPrimaryTag
	maskPrimary   = fieldMask(1)<<gfPrimaryAuthor | fieldMask(1)<<gfPrimaryTag
	// maskPostBase is what a post shows without fields=: all but the
	// formats and the relations, which formats= and include= add.
	maskPostBase = (fieldMask(1)<<ghostPostFieldCount - 1) &^ maskFormats &^ maskRelations
)

// ghostPost is one post's field values as JSON; featured and the
// relations are the snapshot's (ghostIndex) and left nil here.
type ghostPost struct {
	vals [ghostPostFieldCount][]byte
}

// ghostPost returns the Ghost fields of the entry's post, made once.
func (e *postEntry) ghostPost() *ghostPost {
	e.ghostOnce.Do(func() { e.ghost = e.env.ghostPost(e.post, e.public(), e.html) })
	return e.ghost
}

// ghostPost renders p's fields in Ghost's shapes, with html (its entry's
// HTML, shared). Our own data (pins, references, call to action,
// categories by name) rides along under "lullaby", in the shapes of our
// own API.
func (env *entryEnv) ghostPost(p *cms.Post, full *PublicPost, html []byte) *ghostPost {
	sum := &full.PublicPostSummary
	g := &ghostPost{}
	v := &g.vals
	v[gfID] = jsonString(p.ID)
	v[gfUUID] = jsonString(ghostUUID(p.ID))
	v[gfTitle] = jsonString(p.Title)
	v[gfSlug] = jsonString(p.Slug)
	v[gfHTML] = html
	// gfPlaintext is made when asked for (ghostPlaintext): it is rarely
	// asked for, and kept it would be one more copy of every post's text.
	v[gfCommentID] = v[gfID]
	v[gfVisibility] = jsonString("public")
	v[gfCreatedAt] = jsonTime(p.CreatedAt)
	v[gfUpdatedAt] = jsonTime(p.UpdatedAt)
	v[gfPublishedAt] = jsonTime(p.PublishedAt)
	v[gfCustomExcerpt] = jsonOrNull(p.Excerpt)
	v[gfCanonicalURL] = jsonOrNull(p.SEO.CanonicalURL)
	v[gfURL] = jsonOrNull(sum.URL)
	v[gfExcerpt] = jsonString(sum.Excerpt)
	v[gfReadingTime] = jsonInt(p.ReadingTime)
	v[gfAccess] = jsonTrue
	v[gfComments] = jsonFalse
	v[gfMetaTitle] = jsonOrNull(p.SEO.Title)
	v[gfMetaDescription] = jsonOrNull(p.SEO.Description)
	v[gfFeatureImage], v[gfFeatureImageAlt], v[gfOGImage] = jsonNull, jsonNull, jsonNull
	if sum.CoverImage != nil {
		v[gfFeatureImage] = jsonString(sum.CoverImage.URL)
		v[gfFeatureImageAlt] = jsonOrNull(sum.CoverImage.Alt)
		v[gfOGImage] = jsonString(env.links.image(p.Cover, socialVariant, coverVariant, "original").URL)
	}
	v[gfTwitterImage] = v[gfOGImage]
	for _, i := range []int{gfCodeinjectionHead, gfCodeinjectionFoot, gfCustomTemplate, gfOGTitle, gfOGDescription,
		gfTwitterTitle, gfTwitterDescription, gfEmailSubject, gfFrontmatter, gfFeatureImageCaption} {
		v[i] = jsonNull
	}
	ours, err := marshal(ghostExtra{Categories: sum.Categories, Pins: full.Pins, References: full.References, Footnotes: full.Footnotes,
		CallToAction: full.CallToAction, WordCount: p.WordCount, SEO: full.SEO,
		Reviewers: full.Reviewers, LastReviewed: full.LastReviewed, LastUpdated: full.LastUpdated})
	if err != nil {
		ours = jsonNull // plain data: cannot fail
	}
	v[gfLullaby] = ours
	packValues(v[:], gfHTML)
	return g
}

// ghostExtra is what a Ghost post carries of ours, under "lullaby".
type ghostExtra struct {
	Categories   []PublicCategoryRef `json:"categories"`
	Pins         []PublicPin         `json:"pins"`
	References   []PublicReference   `json:"references"`
	Footnotes    []cms.Footnote      `json:"footnotes"`
	CallToAction *cms.PublicCTA      `json:"callToAction"`
	WordCount    int                 `json:"wordCount"`
	SEO          PublicSEO           `json:"seo"`
	// The medical review, as in our own API.
	Reviewers    []PublicReviewer `json:"reviewers"`
	LastReviewed *string          `json:"lastReviewed"`
	LastUpdated  time.Time        `json:"lastUpdated"`
}

// ghostTag is one Ghost tag: a category, or a free-form tag. A category
// and a tag whose slugs are the same are one Ghost tag (the category's),
// since Ghost has one namespace and a frontend's tag page should list
// every post on the topic.
type ghostTag struct {
	id, slug, name string
	category       bool
	posts          int    // published posts (pages not counted)
	json           []byte // the tag object
	counted        []byte // the same with "count":{"posts":n}
}

// ghostTagID is the id of a free-form tag: 24 hex digits, like the
// ObjectIDs of categories and posts, derived from the slug so that it is
// stable across snapshots and instances.
func ghostTagID(slug string) string { return derivedID("tag\x00" + slug) }

// derivedID is 24 hex digits derived from s.
func derivedID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// ghostUUID is a post's uuid: a version-4-shaped UUID derived from its id,
// so that it is stable.
func ghostUUID(id string) string {
	sum := sha256.Sum256([]byte("uuid\x00" + id))
	sum[6] = sum[6]&0x0f | 0x40
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ghostIndex is a snapshot's Ghost view: tags, author, settings, which
// posts are pages or featured, and the bodies served so far.
type ghostIndex struct {
	posts, pages []*postEntry // newest first
	isPage       map[*postEntry]bool
	tagsOf       map[*postEntry][]*ghostTag // primary first
	tags         []*ghostTag                // by name
	tagBySlug    map[string]*ghostTag
	tagByID      map[string]*ghostTag
	featured     map[string]bool // post ids

	author, authorCounted []byte // the one author object
	authorID, authorSlug  string
	settings              *Body

	servedCache[*Body] // the bodies served so far (cache.go)
}

// ghost returns the snapshot's Ghost view, made on first use.
func (s *Snapshot) ghost() *ghostIndex {
	s.ghostOnce.Do(func() { s.ghostIdx = s.buildGhost() })
	return s.ghostIdx
}

func (s *Snapshot) buildGhost() *ghostIndex {
	st := s.ext.st
	if st == nil {
		st = ptr(cms.DefaultSettings())
	}
	g := &ghostIndex{isPage: map[*postEntry]bool{}, tagsOf: make(map[*postEntry][]*ghostTag, len(s.posts)),
		tagBySlug: map[string]*ghostTag{}, tagByID: map[string]*ghostTag{}, featured: map[string]bool{}}
	g.budget.max = servedBudget(len(s.posts))
	if s.lists != nil {
		g.featured = s.lists.featured
	}
	siteURL := strings.TrimRight(st.Site.URL, "/")
	cats := make([]*catEntry, 0, len(s.byCatSlug))
	for _, c := range s.byCatSlug {
		cats = append(cats, c)
	}
	for _, c := range cats {
		if c.cat.Slug == GhostPagesCategory {
			for _, e := range c.posts {
				g.isPage[e] = true
			}
			continue
		}
		t := &ghostTag{id: c.cat.ID, slug: c.cat.Slug, name: c.cat.Name, category: true}
		g.tagBySlug[t.slug], g.tagByID[t.id] = t, t
	}
	catByID := make(map[string]*catEntry, len(cats))
	for _, c := range cats {
		catByID[c.cat.ID] = c
	}
	for _, e := range s.posts {
		if g.isPage[e] {
			g.pages = append(g.pages, e)
		} else {
			g.posts = append(g.posts, e)
		}
		var tags []*ghostTag
		add := func(t *ghostTag) {
			for _, have := range tags {
				if have == t {
					return
				}
			}
			tags = append(tags, t)
			if !g.isPage[e] {
				t.posts++
			}
		}
		for _, id := range e.post.CategoryIDs {
			if c := catByID[id]; c != nil && c.cat.Slug != GhostPagesCategory {
				add(g.tagBySlug[c.cat.Slug])
			}
		}
		for _, name := range e.post.Tags {
			slug := cms.Slugify(name)
			if slug == "" {
				continue
			}
			t := g.tagBySlug[slug]
			if t == nil {
				t = &ghostTag{id: ghostTagID(slug), slug: slug, name: name}
				g.tagBySlug[slug], g.tagByID[t.id] = t, t
			}
			add(t)
		}
		g.tagsOf[e] = tags
	}
	descs := make(map[string]string, len(cats))
	for _, c := range cats {
		descs[c.cat.Slug] = c.cat.Description
	}
	for _, t := range g.tagBySlug {
		t.json = ghostTagJSON(t, descs[t.slug], siteURL, -1)
		t.counted = ghostTagJSON(t, descs[t.slug], siteURL, t.posts)
		g.tags = append(g.tags, t)
	}
	sortGhostTags(g.tags, []ghostOrder{{field: "name"}})

	a := &st.Author
	g.authorID = derivedID("author")
	g.authorSlug = cms.Slugify(a.Name)
	if g.authorSlug == "" {
		g.authorSlug = "author"
	}
	photo := a.PhotoURL
	if a.Photo != nil {
		photo = imageLinks{base: s.ext.publicURL}.author(a).PhotoURL
	}
	g.author = ghostAuthorJSON(g, a, photo, siteURL, -1)
	g.authorCounted = ghostAuthorJSON(g, a, photo, siteURL, len(g.posts))
	g.settings = NewBody(ghostSettingsJSON(st, siteURL, photo))
	return g
}

// ghostTagJSON is a tag object; with count >= 0, with its post count.
func ghostTagJSON(t *ghostTag, description, siteURL string, count int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":`)
	b.Write(jsonString(t.id))
	b.WriteString(`,"name":`)
	b.Write(jsonString(t.name))
	b.WriteString(`,"slug":`)
	b.Write(jsonString(t.slug))
	b.WriteString(`,"description":`)
	b.Write(jsonOrNull(description))
	b.WriteString(`,"feature_image":null,"visibility":"public","og_image":null,"og_title":null,"og_description":null,` +
		`"twitter_image":null,"twitter_title":null,"twitter_description":null,"meta_title":null,"meta_description":null,` +
		`"codeinjection_head":null,"codeinjection_foot":null,"canonical_url":null,"accent_color":null,"url":`)
	b.Write(jsonOrNull(siteLink(siteURL, "/tag/"+t.slug+"/")))
	if count >= 0 {
		b.WriteString(`,"count":{"posts":`)
		b.Write(jsonInt(count))
		b.WriteString(`}`)
	}
	b.WriteString(`,"lullaby":{"kind":`)
	if t.category {
		b.WriteString(`"category"}}`)
	} else {
		b.WriteString(`"tag"}}`)
	}
	return []byte(b.String())
}

// ghostAuthorJSON is the author object of the site's author; with count
// >= 0, with her post count.
func ghostAuthorJSON(g *ghostIndex, a *cms.AuthorProfile, photo, siteURL string, count int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":`)
	b.Write(jsonString(g.authorID))
	b.WriteString(`,"name":`)
	b.Write(jsonString(a.Name))
	b.WriteString(`,"slug":`)
	b.Write(jsonString(g.authorSlug))
	b.WriteString(`,"profile_image":`)
	b.Write(jsonOrNull(photo))
	b.WriteString(`,"cover_image":null,"bio":`)
	b.Write(jsonOrNull(a.Bio))
	b.WriteString(`,"website":`)
	b.Write(jsonOrNull(siteURL))
	b.WriteString(`,"location":null,"facebook":null,"twitter":null,"threads":null,"bluesky":null,"mastodon":null,` +
		`"tiktok":null,"youtube":null,"instagram":null,"linkedin":null,"meta_title":null,"meta_description":null,"url":`)
	b.Write(jsonOrNull(siteLink(siteURL, "/author/"+g.authorSlug+"/")))
	if count >= 0 {
		b.WriteString(`,"count":{"posts":`)
		b.Write(jsonInt(count))
		b.WriteString(`}`)
	}
	b.WriteString(`,"lullaby":{"title":`)
	b.Write(jsonString(a.Title))
	b.WriteString(`}}`)
	return []byte(b.String())
}

// ghostSettings is GET /settings/: Ghost's public settings, with ours
// under "lullaby".
type ghostSettings struct {
	Title                 string         `json:"title"`
	Description           string         `json:"description"`
	Logo                  *string        `json:"logo"`
	Icon                  *string        `json:"icon"`
	AccentColor           *string        `json:"accent_color"`
	CoverImage            *string        `json:"cover_image"`
	Facebook              *string        `json:"facebook"`
	Twitter               *string        `json:"twitter"`
	Lang                  string         `json:"lang"`
	Locale                string         `json:"locale"`
	Timezone              string         `json:"timezone"`
	CodeinjectionHead     *string        `json:"codeinjection_head"`
	CodeinjectionFoot     *string        `json:"codeinjection_foot"`
	Navigation            []ghostNavItem `json:"navigation"`
	SecondaryNavigation   []ghostNavItem `json:"secondary_navigation"`
	MetaTitle             *string        `json:"meta_title"`
	MetaDescription       *string        `json:"meta_description"`
	OGImage               *string        `json:"og_image"`
	OGTitle               *string        `json:"og_title"`
	OGDescription         *string        `json:"og_description"`
	TwitterImage          *string        `json:"twitter_image"`
	TwitterTitle          *string        `json:"twitter_title"`
	TwitterDescription    *string        `json:"twitter_description"`
	MembersSupportAddress string         `json:"members_support_address"`
	MembersEnabled        bool           `json:"members_enabled"`
	MembersInviteOnly     bool           `json:"members_invite_only"`
	PaidMembersEnabled    bool           `json:"paid_members_enabled"`
	FirstpromoterAccount  *string        `json:"firstpromoter_account"`
	PortalButton          bool           `json:"portal_button"`
	PortalName            bool           `json:"portal_name"`
	PortalPlans           []string       `json:"portal_plans"`
	CommentsEnabled       string         `json:"comments_enabled"`
	RecommendationsOn     bool           `json:"recommendations_enabled"`
	URL                   string         `json:"url"`
	Version               string         `json:"version"`
	Lullaby               ghostSiteExtra `json:"lullaby"`
}

type ghostNavItem struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// ghostSiteExtra is what the settings carry of ours.
type ghostSiteExtra struct {
	Author        ghostAuthorExtra  `json:"author"`
	CallToAction  cms.CallToAction  `json:"callToAction"`
	CitationStyle cms.CitationStyle `json:"citationStyle"`
}

type ghostAuthorExtra struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	PhotoURL string `json:"photoUrl"`
}

// GhostVersion is the Ghost version the dialect answers as (the
// settings' "version" and the Content-Version header).
const GhostVersion = "5.0"

func ghostSettingsJSON(st *cms.Settings, siteURL, photo string) []byte {
	gs := ghostSettings{Title: st.Site.Title, Description: st.Site.Description, Lang: "en", Locale: "en", Timezone: "Etc/UTC",
		Navigation: []ghostNavItem{}, SecondaryNavigation: []ghostNavItem{}, PortalPlans: []string{"free"}, CommentsEnabled: "off",
		MembersSupportAddress: "noreply", URL: siteLink(siteURL, "/"), Version: GhostVersion,
		Lullaby: ghostSiteExtra{Author: ghostAuthorExtra{Name: st.Author.Name, Title: st.Author.Title, PhotoURL: photo},
			CallToAction: st.CallToAction, CitationStyle: st.CitationStyle}}
	if st.Site.Description != "" {
		gs.MetaDescription = &gs.Description
	}
	b, err := marshal(struct {
		Settings ghostSettings `json:"settings"`
		Meta     struct{}      `json:"meta"`
	}{Settings: gs})
	if err != nil {
		return []byte(`{"settings":{},"meta":{}}`)
	}
	return b
}

// siteLink is siteURL + path, or "" without a site URL.
func siteLink(siteURL, path string) string {
	if siteURL == "" {
		return ""
	}
	return siteURL + path
}

var (
	jsonNull  = []byte("null")
	jsonTrue  = []byte("true")
	jsonFalse = []byte("false")
)

func jsonString(s string) []byte {
	b, err := marshal(s)
	if err != nil {
		return []byte(`""`)
	}
	return b
}

func jsonOrNull(s string) []byte {
	if s == "" {
		return jsonNull
	}
	return jsonString(s)
}

func jsonInt(n int) []byte { return strconv.AppendInt(nil, int64(n), 10) }

func jsonTime(t time.Time) []byte {
	if t.IsZero() {
		return jsonNull
	}
	return []byte(`"` + t.UTC().Format(ghostTime) + `"`)
}

// ghostState is what a Snapshot keeps for the Ghost dialect.
type ghostState struct {
	ghostOnce sync.Once
	ghostIdx  *ghostIndex
}
