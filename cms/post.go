package cms

import (
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// PostStatus is where a post stands in its life.
type PostStatus string

// Post statuses. Trash is not a status: a trashed post keeps its status and
// has DeletedAt set, so restoring it puts it back exactly where it was,
// except that a trashed post is never public.
const (
	StatusDraft     PostStatus = "draft"
	StatusScheduled PostStatus = "scheduled"
	StatusPublished PostStatus = "published"
	StatusArchived  PostStatus = "archived"
)

// Valid reports whether s is a known status.
func (s PostStatus) Valid() bool {
	switch s {
	case StatusDraft, StatusScheduled, StatusPublished, StatusArchived:
		return true
	}
	return false
}

// Limits on post fields, in characters (runes) unless said otherwise.
const (
	MaxTitleLen          = 200
	MaxSlugLen           = 120
	MaxExcerptLen        = 1000
	MaxBodyBytes         = 512 << 10 // 512 KiB of Markdown
	MaxTags              = 30
	MaxTagLen            = 50
	MaxPostCategories    = 20
	MaxSEOTitleLen       = 120
	MaxSEODescriptionLen = 320
	MaxURLLen            = 2048
	MaxRevisions         = 50 // revisions kept per post; older ones are pruned
	MaxPostReferences    = 500
)

// SEO holds what search engines and link previews read.
type SEO struct {
	Title        string `json:"title"`
	Description  string `json:"description"`
	CanonicalURL string `json:"canonicalUrl"`
}

// Post is one article. Body is Markdown; HTML is its rendered, sanitised form.
type Post struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Slug        string        `json:"slug"`
	Redirects   []Redirect    `json:"redirects"` // old slugs and paths that answer 301 to the post (redirect.go)
	Excerpt     string        `json:"excerpt"`
	Body        string        `json:"body"`
	HTML        string        `json:"html"`
	Status      PostStatus    `json:"status"`
	PublishAt   time.Time     `json:"publishAt,omitzero"`
	PublishedAt time.Time     `json:"publishedAt,omitzero"`
	CategoryIDs []string      `json:"categoryIds"`
	Tags        []string      `json:"tags"`
	AuthorID    string        `json:"authorId"`
	SEO         SEO           `json:"seo"`
	ReadingTime int           `json:"readingTime"` // minutes
	WordCount   int           `json:"wordCount"`
	Version     int           `json:"version"`
	CreatedAt   time.Time     `json:"createdAt"`
	UpdatedAt   time.Time     `json:"updatedAt"`
	DeletedAt   time.Time     `json:"deletedAt,omitzero"`
	Revisions   []RevisionRef `json:"-"` // newest last; at most MaxRevisions

	Cover         *PostImage `json:"cover"`         // nil: no cover
	Pins          []Pin      `json:"pins"`          // in her order
	NoPinMediaIDs []string   `json:"noPinMediaIds"` // body images marked not pinnable
	MediaIDs      []string   `json:"mediaIds"`      // every media the post uses (cover, pins, body); set on save
	References    []string   `json:"references"`    // citation ids, in her order; works cited in the body are added on save

	// RelatedIDs are the posts she picked as related, in her order (at
	// most MaxRelated); unpublished ones are left out publicly.
	RelatedIDs []string `json:"relatedIds,omitempty"`

	// CallToAction is her own call to action for this post, shown instead
	// of the site's; nil: the site's (see PostCTA).
	CallToAction *CallToAction `json:"callToAction"`

	// UnresolvedCitations are the keys the body cites that are not in the
	// reference library, in order of first citation: a warning on a
	// draft, which publishing refuses. Set by the saves that return the
	// post; never stored.
	UnresolvedCitations []string `json:"unresolvedCitations,omitempty"`

	// ReviewerIDs are the people who medically reviewed the post, in her
	// order (at most MaxPostReviewers); LastReviewed is the date of their
	// last review (DateLayout, "" for none). Both or neither are set.
	ReviewerIDs  []string `json:"reviewerIds"`
	LastReviewed string   `json:"lastReviewed,omitempty"`
	// ContentUpdatedAt is when the post's words last changed (title,
	// excerpt or body): "Last updated" for readers, apart from UpdatedAt,
	// which every save moves (a review, a category, a status). Zero for
	// posts saved before it was kept.
	ContentUpdatedAt time.Time `json:"contentUpdatedAt,omitzero"`

	// Source names the item an import made this post from, e.g.
	// "wordpress:https://example.com:42"; a re-run of the import updates
	// the post it names instead of adding another. "" for her own posts.
	Source string `json:"source,omitempty"`
}

// Trashed reports whether the post is in the trash.
func (p *Post) Trashed() bool { return !p.DeletedAt.IsZero() }

// Public reports whether readers may see the post.
func (p *Post) Public() bool { return p.Status == StatusPublished && !p.Trashed() }

// PostInput carries a create or a partial update: nil fields are left as they
// are. Version is the version the edit started from; it is required for
// updates and a stale one is a conflict.
type PostInput struct {
	Title          *string     `json:"title"`
	Slug           *string     `json:"slug"`
	Excerpt        *string     `json:"excerpt"`
	Body           *string     `json:"body"`
	CategoryIDs    *[]string   `json:"categoryIds"`
	Tags           *[]string   `json:"tags"`
	SEOTitle       *string     `json:"seoTitle"`
	SEODescription *string     `json:"seoDescription"`
	CanonicalURL   *string     `json:"canonicalUrl"`
	Cover          *ImageInput `json:"cover"` // an empty mediaId removes the cover
	Pins           *[]PinInput `json:"pins"`
	NoPinMediaIDs  *[]string   `json:"noPinMediaIds"`
	References     *[]string   `json:"references"` // citation ids in order
	Related        *[]string   `json:"relatedIds"` // post ids in order, at most MaxRelated
	// CallToAction sets the post's own call to action; one with every
	// field empty removes it (the post shows the site's again).
	CallToAction *CallToAction `json:"callToAction"`
	// ReviewerIDs names the post's medical reviewers (reviewer ids, in
	// order); LastReviewed is the date of their review, "2026-03-01".
	ReviewerIDs  *[]string `json:"reviewerIds"`
	LastReviewed *string   `json:"lastReviewed"`
	// Redirects replaces the post's old addresses (old slugs and old URL
	// paths that answer 301 to it): one already there keeps its date, one
	// not in the list is removed.
	Redirects *[]string `json:"redirects"`

	// Status moves the post in the same save: "published" (now),
	// "scheduled" (at PublishAt, which must be in the future), "draft"
	// (unpublished) or "archived". PublishAt goes only with "scheduled".
	Status    *PostStatus `json:"status"`
	PublishAt *time.Time  `json:"publishAt"`
	// Featured puts the post on the featured list (at the end; a post
	// already there keeps its place) or takes it off, in the same save.
	Featured *bool `json:"featured"`

	Version *int `json:"version"`

	// Confirmed is what she confirmed for this save: that it may put the
	// post live citing retracted or withdrawn works (post_retracted.go).
	// It belongs to one request: never decoded from a post's JSON nor
	// kept with a pending edit.
	Confirmed Confirmed `json:"-"`

	// Set by SaveImported only, never from a request: the post's Source,
	// the publication time and the old addresses the import found (nil:
	// none given; see importRedirects).
	source      string
	publishedAt time.Time
	imported    []string
}

// hasContent reports whether in sets any of the post's own fields, as
// opposed to its status, its place on the featured list and the version.
// A field added to PostInput later counts as content without a change
// here.
func (in *PostInput) hasContent() bool {
	c := *in
	c.Status, c.PublishAt, c.Featured, c.Version, c.Confirmed = nil, nil, nil, nil, Confirmed{}
	return !reflect.ValueOf(c).IsZero()
}

// apply copies the set fields of in onto p, normalising them, and records
// problems for values that can never be valid. now dates the old
// addresses it adds.
func (in *PostInput) apply(p *Post, now time.Time) {
	// A change to the words is what readers call an update.
	before := [3]string{p.Title, p.Excerpt, p.Body}
	defer func() {
		switch {
		case !in.publishedAt.IsZero():
			// An imported post was last updated, as far as we know,
			// when it was published where it came from.
			p.ContentUpdatedAt = p.PublishedAt
		case [3]string{p.Title, p.Excerpt, p.Body} != before:
			p.ContentUpdatedAt = now
		}
	}()
	if in.Title != nil {
		p.Title = strings.TrimSpace(*in.Title)
	}
	if in.Slug != nil {
		p.Slug = strings.TrimSpace(*in.Slug)
	}
	if in.Excerpt != nil {
		p.Excerpt = strings.TrimSpace(*in.Excerpt)
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	if in.CategoryIDs != nil {
		p.CategoryIDs = dedupe(*in.CategoryIDs, false)
	}
	if in.Tags != nil {
		p.Tags = normaliseTags(*in.Tags)
	}
	if in.SEOTitle != nil {
		p.SEO.Title = strings.TrimSpace(*in.SEOTitle)
	}
	if in.SEODescription != nil {
		p.SEO.Description = strings.TrimSpace(*in.SEODescription)
	}
	if in.CanonicalURL != nil {
		p.SEO.CanonicalURL = strings.TrimSpace(*in.CanonicalURL)
	}
	in.applyImages(p)
	if in.source != "" {
		p.Source = in.source
	}
	if !in.publishedAt.IsZero() {
		p.PublishedAt = in.publishedAt.UTC().Truncate(time.Millisecond)
	}
	if in.Redirects != nil {
		p.setRedirects(*in.Redirects, now)
	}
	if in.imported != nil {
		p.importRedirects(in.imported, now)
	}
	if in.References != nil {
		ids := make([]string, 0, len(*in.References))
		for _, id := range *in.References {
			ids = append(ids, strings.ToLower(strings.TrimSpace(id)))
		}
		p.References = dedupe(ids, false)
	}
	if in.Related != nil {
		ids := make([]string, 0, len(*in.Related))
		for _, id := range *in.Related {
			if id = strings.ToLower(strings.TrimSpace(id)); id != p.ID {
				ids = append(ids, id)
			}
		}
		p.RelatedIDs = dedupe(ids, false)
	}
	if in.ReviewerIDs != nil {
		ids := make([]string, 0, len(*in.ReviewerIDs))
		for _, id := range *in.ReviewerIDs {
			ids = append(ids, strings.ToLower(strings.TrimSpace(id)))
		}
		p.ReviewerIDs = dedupe(ids, false)
	}
	if in.LastReviewed != nil {
		p.LastReviewed = strings.TrimSpace(*in.LastReviewed)
	}
	if in.CallToAction != nil {
		p.CallToAction = nil
		if c := in.CallToAction.normalised(); !c.IsZero() {
			p.CallToAction = &c
		}
	}
}

// Validate checks every field of the post and returns an Invalid error naming
// each bad one.
func (p *Post) Validate() error {
	pr := Problems{}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		pr.Add("title", "A title is required.")
	case n > MaxTitleLen:
		pr.Add("title", "The title must be at most 200 characters.")
	}
	// With no title there is nothing to make a slug from: one message is
	// enough.
	if msg := slugProblem(p.Slug); msg != "" && !(p.Slug == "" && p.Title == "") {
		pr.Add("slug", msg)
	}
	if utf8.RuneCountInString(p.Excerpt) > MaxExcerptLen {
		pr.Add("excerpt", "The excerpt must be at most 1000 characters.")
	}
	if len(p.Body) > MaxBodyBytes {
		pr.Add("body", "The body must be at most 512 KiB.")
	}
	if !p.Status.Valid() {
		pr.Add("status", "Unknown status.")
	}
	if len(p.CategoryIDs) > MaxPostCategories {
		pr.Add("categoryIds", "A post can be in at most 20 categories.")
	}
	for _, id := range p.CategoryIDs {
		if !ValidID(id) {
			pr.Add("categoryIds", "Each category id must be a 24-character hexadecimal id.")
		}
	}
	if len(p.Tags) > MaxTags {
		pr.Add("tags", "A post can have at most 30 tags.")
	}
	for _, t := range p.Tags {
		if utf8.RuneCountInString(t) > MaxTagLen {
			pr.Add("tags", "Each tag must be at most 50 characters.")
		}
	}
	if utf8.RuneCountInString(p.SEO.Title) > MaxSEOTitleLen {
		pr.Add("seoTitle", "The SEO title must be at most 120 characters.")
	}
	if utf8.RuneCountInString(p.SEO.Description) > MaxSEODescriptionLen {
		pr.Add("seoDescription", "The SEO description must be at most 320 characters.")
	}
	if p.SEO.CanonicalURL != "" {
		if msg := URLProblem(p.SEO.CanonicalURL); msg != "" {
			pr.Add("canonicalUrl", msg)
		}
	}
	if p.Status == StatusScheduled && p.PublishAt.IsZero() {
		pr.Add("publishAt", "A scheduled post needs a publication time.")
	}
	checkLine(pr, "title", p.Title)
	checkText(pr, "excerpt", p.Excerpt)
	checkText(pr, "body", p.Body)
	for _, t := range p.Tags {
		checkLine(pr, "tags", t)
	}
	checkLine(pr, "seoTitle", p.SEO.Title)
	checkText(pr, "seoDescription", p.SEO.Description)
	p.validateImages(pr)
	if len(p.References) > MaxPostReferences {
		pr.Add("references", "A post can have at most 500 references.")
	}
	for _, id := range p.References {
		if !ValidID(id) {
			pr.Add("references", "Each reference must be a citation id.")
			break
		}
	}
	if len(p.RelatedIDs) > MaxRelated {
		pr.Add("relatedIds", "A post can list at most 10 related posts.")
	}
	for _, id := range p.RelatedIDs {
		if !ValidID(id) {
			pr.Add("relatedIds", "Each related post must be a post id.")
			break
		}
	}
	validatePostCTA(p.CallToAction, pr)
	p.validateReview(pr)
	p.validateRedirects(pr)
	return pr.Err("cms.Post.Validate")
}

// ValidID reports whether s looks like a store id (24 hexadecimal digits).
func ValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func normaliseTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		if t != "" {
			out = append(out, t)
		}
	}
	return dedupe(out, true)
}

// dedupe drops empty and repeated strings, keeping the first occurrence.
func dedupe(in []string, foldCase bool) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		k := s
		if foldCase {
			k = strings.ToLower(s)
		}
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// PostSort orders post lists.
type PostSort string

// Sort orders.
const (
	SortNewest  PostSort = "newest"  // by publication (or creation) time, newest first
	SortOldest  PostSort = "oldest"  // the reverse
	SortUpdated PostSort = "updated" // most recently edited first
	SortTitle   PostSort = "title"   // A to Z
)

// Valid reports whether s is a known sort order.
func (s PostSort) Valid() bool {
	switch s {
	case SortNewest, SortOldest, SortUpdated, SortTitle:
		return true
	}
	return false
}

// PostFilter selects posts for the admin lists.
type PostFilter struct {
	Status     PostStatus // "" for any status
	CategoryID string     // "" for any
	Tag        string     // "" for any
	Query      string     // case-insensitive substring of the title
	Trashed    bool       // list the trash instead of live posts
	Sort       PostSort   // default SortUpdated
	Page       int        // from 1
	Limit      int        // 1..100
}

// Normalise fills defaults and validates the filter.
func (f *PostFilter) Normalise() error {
	pr := Problems{}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Sort == "" {
		f.Sort = SortUpdated
	}
	if f.Page < 1 || f.Page > 100000 {
		pr.Add("page", "Must be between 1 and 100000.")
	}
	if f.Limit < 1 || f.Limit > 100 {
		pr.Add("limit", "Must be between 1 and 100.")
	}
	if f.Status != "" && !f.Status.Valid() {
		pr.Add("status", "Must be one of draft, scheduled, published, archived.")
	}
	if f.CategoryID != "" && !ValidID(f.CategoryID) {
		pr.Add("category", "Must be a category id.")
	}
	if !f.Sort.Valid() {
		pr.Add("sort", "Must be one of newest, oldest, updated, title.")
	}
	if utf8.RuneCountInString(f.Query) > 200 {
		pr.Add("q", "Must be at most 200 characters.")
	}
	return pr.Err("cms.PostFilter")
}

// RevisionRef lists one stored revision on its post, newest last.
type RevisionRef struct {
	ID      string    `json:"id"`
	Version int       `json:"version"`
	SavedAt time.Time `json:"savedAt"`
	SavedBy string    `json:"savedBy"` // user id
	Note    string    `json:"note"`    // what the save did: "created", "edited", "published", ...
}

// Revision is the full content of a post as one save left it.
type Revision struct {
	ID          string     `json:"id"`
	PostID      string     `json:"postId"`
	Version     int        `json:"version"`
	Title       string     `json:"title"`
	Slug        string     `json:"slug"`
	Excerpt     string     `json:"excerpt"`
	Body        string     `json:"body"`
	HTML        string     `json:"-"` // the body rendered when it was saved
	Status      PostStatus `json:"status"`
	CategoryIDs []string   `json:"categoryIds"`
	Tags        []string   `json:"tags"`
	SEO         SEO        `json:"seo"`
	SavedAt     time.Time  `json:"savedAt"`
	SavedBy     string     `json:"savedBy"`
	Note        string     `json:"note"`
}

// MaxRelated is the number of related posts she can pick for one post.
const MaxRelated = 10
