package mongodb

import (
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// A post is stored as three kinds of documents:
//   - posts: the metadata (no body), the list of revisions, and contentId,
//     the id of the revision holding the current body; lists scan only these;
//   - post_bodies: {_id: post id, version, html}, the current HTML, tagged
//     with the post version it belongs to: what the read model loads, and
//     all it loads, so a start reads no Markdown;
//   - post_revisions: the full content of each save; the editor reads the
//     Markdown from the current one (contentId).
//
// A save inserts the revision, then replaces the post document with a
// version check (the commit point), then upserts the body. A body document
// whose version differs from its post's is stale and is repaired from the
// revision contentId when the post is read. Body documents written before
// they went lean also held the Markdown ("body"); migrate.go removes it
// once, and until then readers leave it unread.

type seoDoc struct {
	Title        string `bson:"title"`
	Description  string `bson:"description"`
	CanonicalURL string `bson:"canonicalUrl"`
}

type revisionRefDoc struct {
	ID      string     `bson:"id"`
	Version int        `bson:"version"`
	SavedAt *time.Time `bson:"savedAt"`
	SavedBy string     `bson:"savedBy"`
	Note    string     `bson:"note"`
}

type imageVariantDoc struct {
	Name        string `bson:"name"`
	ContentType string `bson:"contentType"`
	Width       int    `bson:"width"`
	Height      int    `bson:"height"`
}

type imageDoc struct {
	MediaID  string            `bson:"mediaId"`
	Alt      string            `bson:"alt"`
	Width    int               `bson:"width"`
	Height   int               `bson:"height"`
	Variants []imageVariantDoc `bson:"variants"`
}

type pinDoc struct {
	Image       imageDoc `bson:"image"`
	Title       string   `bson:"title"`
	Description string   `bson:"description"`
	Hidden      bool     `bson:"hidden"`
}

func toImageDoc(im *cms.PostImage) imageDoc {
	d := imageDoc{MediaID: ref(im.MediaID), Alt: im.Alt, Width: im.Width, Height: im.Height,
		Variants: make([]imageVariantDoc, len(im.Variants))}
	for i, v := range im.Variants {
		d.Variants[i] = imageVariantDoc(v)
	}
	return d
}

func (d *imageDoc) image() cms.PostImage {
	im := cms.PostImage{MediaID: d.MediaID, Alt: d.Alt, Width: d.Width, Height: d.Height,
		Variants: make([]cms.ImageVariant, len(d.Variants))}
	for i, v := range d.Variants {
		im.Variants[i] = cms.ImageVariant(v)
	}
	return im
}

type postDoc struct {
	ID          bson.ObjectID    `bson:"_id"`
	Title       string           `bson:"title"`
	TitleKey    string           `bson:"titleKey"` // lower-cased title, for sorting A to Z
	Slug        string           `bson:"slug"`
	Redirects   []redirectDoc    `bson:"redirects"`
	OldSlugs    []string         `bson:"oldSlugs,omitempty"` // before redirects: read, never written
	Excerpt     string           `bson:"excerpt"`
	Status      string           `bson:"status"`
	PublishAt   *time.Time       `bson:"publishAt"`
	PublishedAt *time.Time       `bson:"publishedAt"`
	SortTime    *time.Time       `bson:"sortTime"` // publishedAt, else createdAt: the "newest" order
	CategoryIDs []string         `bson:"categoryIds"`
	Tags        []string         `bson:"tags"`
	AuthorID    string           `bson:"authorId"`
	SEO         seoDoc           `bson:"seo"`
	ReadingTime int              `bson:"readingTime"`
	WordCount   int              `bson:"wordCount"`
	Version     int              `bson:"version"`
	CreatedAt   *time.Time       `bson:"createdAt"`
	UpdatedAt   *time.Time       `bson:"updatedAt"`
	DeletedAt   *time.Time       `bson:"deletedAt"`
	ContentID   bson.ObjectID    `bson:"contentId"`
	Revisions   []revisionRefDoc `bson:"revisions"`
	Cover       *imageDoc        `bson:"cover"`
	Pins        []pinDoc         `bson:"pins"`
	NoPin       []string         `bson:"noPinMediaIds"`
	MediaIDs    []string         `bson:"mediaIds"` // cover, pins and body images: "where is this image used"
	References  []string         `bson:"references"`
	Related     []string         `bson:"relatedIds,omitempty"`
	CTA         *callToActionDoc `bson:"callToAction,omitempty"` // nil: the site's
	Reviewers   []string         `bson:"reviewerIds,omitempty"`
	Reviewed    string           `bson:"lastReviewed,omitempty"` // a date, "2026-03-01": sorts as text
	ContentAt   *time.Time       `bson:"contentUpdatedAt,omitempty"`
	Source      string           `bson:"source,omitempty"` // the imported item it came from
}

// redirectDoc is an old address of a post (cms.Redirect).
type redirectDoc struct {
	From  string     `bson:"from"`
	Since *time.Time `bson:"since"`
}

// redirects returns the post's old addresses; a post saved before they
// were kept this way has its old slugs in oldSlugs, which count from
// its last save.
func (d *postDoc) redirects() []cms.Redirect {
	out := make([]cms.Redirect, 0, len(d.Redirects)+len(d.OldSlugs))
	for _, r := range d.Redirects {
		out = append(out, cms.Redirect{From: r.From, Since: fromTime(r.Since)})
	}
	if len(d.Redirects) == 0 {
		for _, s := range d.OldSlugs {
			out = append(out, cms.Redirect{From: s, Since: fromTime(d.UpdatedAt)})
		}
	}
	return out
}

type bodyDoc struct {
	ID      bson.ObjectID `bson:"_id"`
	Version int           `bson:"version"`
	HTML    string        `bson:"html"`
	// Body is the Markdown a body document written before they went lean
	// may still hold (see migrate.go); it is never written.
	Body string `bson:"body,omitempty"`
}

// bodyHTML is the projection of a body document readers load: never the
// Markdown an old one may still hold.
var bodyHTML = bson.D{{Key: "_id", Value: 1}, {Key: "version", Value: 1}, {Key: "html", Value: 1}}

type revisionDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	PostID      string        `bson:"postId"`
	Version     int           `bson:"version"`
	Title       string        `bson:"title"`
	Slug        string        `bson:"slug"`
	Excerpt     string        `bson:"excerpt"`
	Body        string        `bson:"body"`
	HTML        string        `bson:"html"`
	Status      string        `bson:"status"`
	CategoryIDs []string      `bson:"categoryIds"`
	Tags        []string      `bson:"tags"`
	SEO         seoDoc        `bson:"seo"`
	SavedAt     *time.Time    `bson:"savedAt"`
	SavedBy     string        `bson:"savedBy"`
	Note        string        `bson:"note"`
}

func toPostDoc(id bson.ObjectID, p *cms.Post, contentID bson.ObjectID) *postDoc {
	sortTime := p.PublishedAt
	if sortTime.IsZero() {
		sortTime = p.CreatedAt
	}
	d := &postDoc{
		ID:          id,
		Title:       p.Title,
		TitleKey:    strings.ToLower(p.Title),
		Slug:        p.Slug,
		Redirects:   make([]redirectDoc, len(p.Redirects)),
		Excerpt:     p.Excerpt,
		Status:      string(p.Status),
		PublishAt:   toTime(p.PublishAt),
		PublishedAt: toTime(p.PublishedAt),
		SortTime:    toTime(sortTime),
		CategoryIDs: refs(p.CategoryIDs),
		Tags:        strs(p.Tags),
		AuthorID:    ref(p.AuthorID),
		SEO:         seoDoc(p.SEO),
		ReadingTime: p.ReadingTime,
		WordCount:   p.WordCount,
		Version:     p.Version,
		CreatedAt:   toTime(p.CreatedAt),
		UpdatedAt:   toTime(p.UpdatedAt),
		DeletedAt:   toTime(p.DeletedAt),
		ContentID:   contentID,
		Source:      p.Source,
		Revisions:   make([]revisionRefDoc, len(p.Revisions)),
	}
	for i, r := range p.Redirects {
		d.Redirects[i] = redirectDoc{From: r.From, Since: toTime(r.Since)}
	}
	for i, r := range p.Revisions {
		d.Revisions[i] = revisionRefDoc{ID: ref(r.ID), Version: r.Version, SavedAt: toTime(r.SavedAt), SavedBy: ref(r.SavedBy), Note: r.Note}
	}
	if p.Cover != nil {
		c := toImageDoc(p.Cover)
		d.Cover = &c
	}
	d.Pins = make([]pinDoc, len(p.Pins))
	for i, pin := range p.Pins {
		d.Pins[i] = pinDoc{Image: toImageDoc(&pin.PostImage), Title: pin.Title, Description: pin.Description, Hidden: pin.Hidden}
	}
	d.NoPin = refs(p.NoPinMediaIDs)
	d.MediaIDs = refs(p.MediaIDs)
	d.References = refs(p.References)
	if len(p.RelatedIDs) > 0 {
		d.Related = refs(p.RelatedIDs)
	}
	if p.CallToAction != nil {
		c := callToActionDoc(*p.CallToAction)
		d.CTA = &c
	}
	if len(p.ReviewerIDs) > 0 {
		d.Reviewers = refs(p.ReviewerIDs)
	}
	d.Reviewed, d.ContentAt = p.LastReviewed, toTime(p.ContentUpdatedAt)
	return d
}

// post converts d to a domain post without Body and HTML. Revisions is nil
// when the query left them out.
func (d *postDoc) post() *cms.Post {
	p := &cms.Post{
		ID:          d.ID.Hex(),
		Title:       d.Title,
		Slug:        d.Slug,
		Redirects:   d.redirects(),
		Excerpt:     d.Excerpt,
		Status:      cms.PostStatus(d.Status),
		PublishAt:   fromTime(d.PublishAt),
		PublishedAt: fromTime(d.PublishedAt),
		CategoryIDs: strs(d.CategoryIDs),
		Tags:        strs(d.Tags),
		AuthorID:    d.AuthorID,
		SEO:         cms.SEO(d.SEO),
		ReadingTime: d.ReadingTime,
		WordCount:   d.WordCount,
		Version:     d.Version,
		CreatedAt:   fromTime(d.CreatedAt),
		UpdatedAt:   fromTime(d.UpdatedAt),
		DeletedAt:   fromTime(d.DeletedAt),
		Source:      d.Source,

		ReviewerIDs:      strs(d.Reviewers),
		LastReviewed:     d.Reviewed,
		ContentUpdatedAt: fromTime(d.ContentAt),
	}
	if d.Cover != nil {
		c := d.Cover.image()
		p.Cover = &c
	}
	p.Pins = make([]cms.Pin, len(d.Pins))
	for i, pin := range d.Pins {
		p.Pins[i] = cms.Pin{PostImage: pin.Image.image(), Title: pin.Title, Description: pin.Description, Hidden: pin.Hidden}
	}
	p.NoPinMediaIDs = strs(d.NoPin)
	p.MediaIDs = strs(d.MediaIDs)
	p.References = strs(d.References)
	p.RelatedIDs = d.Related // nil when she picked none
	if d.CTA != nil {
		c := cms.CallToAction(*d.CTA)
		p.CallToAction = &c
	}
	if d.Revisions != nil {
		p.Revisions = make([]cms.RevisionRef, len(d.Revisions))
		for i, r := range d.Revisions {
			p.Revisions[i] = cms.RevisionRef{ID: r.ID, Version: r.Version, SavedAt: fromTime(r.SavedAt), SavedBy: r.SavedBy, Note: r.Note}
		}
	}
	return p
}

func toRevisionDoc(id, postID bson.ObjectID, r *cms.Revision) *revisionDoc {
	return &revisionDoc{
		ID:          id,
		PostID:      postID.Hex(),
		Version:     r.Version,
		Title:       r.Title,
		Slug:        r.Slug,
		Excerpt:     r.Excerpt,
		Body:        r.Body,
		HTML:        r.HTML,
		Status:      string(r.Status),
		CategoryIDs: refs(r.CategoryIDs),
		Tags:        strs(r.Tags),
		SEO:         seoDoc(r.SEO),
		SavedAt:     toTime(r.SavedAt),
		SavedBy:     ref(r.SavedBy),
		Note:        r.Note,
	}
}

func (d *revisionDoc) revision() *cms.Revision {
	return &cms.Revision{
		ID:          d.ID.Hex(),
		PostID:      d.PostID,
		Version:     d.Version,
		Title:       d.Title,
		Slug:        d.Slug,
		Excerpt:     d.Excerpt,
		Body:        d.Body,
		HTML:        d.HTML,
		Status:      cms.PostStatus(d.Status),
		CategoryIDs: strs(d.CategoryIDs),
		Tags:        strs(d.Tags),
		SEO:         cms.SEO(d.SEO),
		SavedAt:     fromTime(d.SavedAt),
		SavedBy:     d.SavedBy,
		Note:        d.Note,
	}
}

// noRevisions leaves the revision list out of list scans.
var noRevisions = bson.D{{Key: "revisions", Value: 0}}
