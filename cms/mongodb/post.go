package mongodb

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A post is stored as three kinds of documents:
//   - posts: the metadata (no body), the list of revisions, and contentId,
//     the id of the revision holding the current body; lists scan only these;
//   - post_bodies: {_id: post id, version, body, html}, the current body,
//     tagged with the post version it belongs to;
//   - post_revisions: the full content of each save.
//
// A save inserts the revision, then replaces the post document with a
// version check (the commit point), then upserts the body. A body document
// whose version differs from its post's is stale and is repaired from the
// revision contentId when the post is read.

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
	OldSlugs    []string         `bson:"oldSlugs"`
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
}

type bodyDoc struct {
	ID      bson.ObjectID `bson:"_id"`
	Version int           `bson:"version"`
	Body    string        `bson:"body"`
	HTML    string        `bson:"html"`
}

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
		OldSlugs:    strs(p.OldSlugs),
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
		Revisions:   make([]revisionRefDoc, len(p.Revisions)),
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
	return d
}

// post converts d to a domain post without Body and HTML. Revisions is nil
// when the query left them out.
func (d *postDoc) post() *cms.Post {
	p := &cms.Post{
		ID:          d.ID.Hex(),
		Title:       d.Title,
		Slug:        d.Slug,
		OldSlugs:    strs(d.OldSlugs),
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

// CreatePost stores the new post p with rev as its first revision, and its
// body. Errors: KindInvalid for a malformed id, KindConflict with
// Fields["slug"] for a taken slug, KindUnavailable, KindInternal.
func (db *DB) CreatePost(ctx context.Context, p *cms.Post, rev *cms.Revision) error {
	const op = "mongodb.CreatePost"
	pid, err := objectID(op, "id", p.ID)
	if err != nil {
		return err
	}
	if rev == nil {
		return &cms.Error{Kind: cms.KindInternal, Op: op, Err: errors.New("a new post needs its first revision")}
	}
	rid, err := objectID(op, "revisionId", rev.ID)
	if err != nil {
		return err
	}
	inserted, err := db.insertRevision(ctx, op, pid, rid, rev)
	if err != nil {
		return err
	}
	if _, err := db.posts.InsertOne(ctx, toPostDoc(pid, p, rid)); err != nil {
		if inserted && duplicateKey(err) { // the revision is an orphan
			db.deleteRevisions(ctx, op, pid, []bson.ObjectID{rid})
		}
		return insertError(ctx, op, db.posts, pid, err)
	}
	db.saveBody(ctx, op, pid, p)
	return nil
}

// UpdatePost replaces the post stored at prevVersion with p, stores rev as
// a new revision and deletes the pruned revisions. With a nil rev, the last
// entry of p.Revisions stays the current content. Errors: KindInvalid,
// KindNotFound, KindConflict (Fields["version"] for a stale version,
// Fields["slug"] for a taken slug), KindUnavailable, KindInternal.
func (db *DB) UpdatePost(ctx context.Context, p *cms.Post, prevVersion int, rev *cms.Revision, pruned []string) error {
	const op = "mongodb.UpdatePost"
	pid, err := objectID(op, "id", p.ID)
	if err != nil {
		return err
	}
	var contentID bson.ObjectID
	inserted := false
	if rev != nil {
		if contentID, err = objectID(op, "revisionId", rev.ID); err != nil {
			return err
		}
		if inserted, err = db.insertRevision(ctx, op, pid, contentID, rev); err != nil {
			return err
		}
	} else if n := len(p.Revisions); n > 0 {
		contentID, _ = bson.ObjectIDFromHex(p.Revisions[n-1].ID)
	}
	if err := db.replaceVersioned(ctx, op, db.posts, pid, prevVersion, toPostDoc(pid, p, contentID)); err != nil {
		// Not written (gone, stale or a taken slug): the new revision is
		// an orphan.
		if k := cms.ErrorKind(err); inserted && (k == cms.KindNotFound || k == cms.KindConflict) {
			db.deleteRevisions(ctx, op, pid, []bson.ObjectID{contentID})
		}
		return err
	}
	db.saveBody(ctx, op, pid, p)

	var old []bson.ObjectID
	for _, id := range pruned {
		if oid, err := bson.ObjectIDFromHex(id); err == nil && oid != contentID {
			old = append(old, oid)
		}
	}
	db.deleteRevisions(ctx, op, pid, old)
	return nil
}

// insertRevision stores rev as revision rid of post pid. It reports false
// when that revision was already stored (a retried save).
func (db *DB) insertRevision(ctx context.Context, op string, pid, rid bson.ObjectID, rev *cms.Revision) (bool, error) {
	_, err := db.revisions.InsertOne(ctx, toRevisionDoc(rid, pid, rev))
	switch {
	case err == nil:
		return true, nil
	case duplicateKey(err):
		return false, nil
	}
	return false, storeError(op, collRevisions, err)
}

// deleteRevisions deletes the given revisions of post pid, best effort: an
// orphan revision is harmless, so failures are only logged.
func (db *DB) deleteRevisions(ctx context.Context, op string, pid bson.ObjectID, ids []bson.ObjectID) {
	if len(ids) == 0 {
		return
	}
	// One delete by _id each: FerretDB scans for an $in, and revision
	// documents are the largest there are.
	for _, id := range ids {
		if _, err := db.deleteOne(context.WithoutCancel(ctx), db.revisions, bson.D{{Key: "_id", Value: id}}); err != nil {
			db.log.Warn("mongodb: cannot delete an old revision", "op", op, "post", pid.Hex(), "revision", id.Hex(), "err", err)
		}
	}
}

// saveBody stores p's body as the current body of post pid unless a newer
// one is already there. A failure is only logged: the post is committed and
// readers repair a stale body from its revision.
func (db *DB) saveBody(ctx context.Context, op string, pid bson.ObjectID, p *cms.Post) {
	filter := bson.D{{Key: "_id", Value: pid}, {Key: "version", Value: bson.D{{Key: "$lt", Value: p.Version}}}}
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "version", Value: p.Version},
		{Key: "body", Value: p.Body},
		{Key: "html", Value: p.HTML},
	}}}
	_, err := db.updateOne(ctx, db.bodies, filter, update, options.UpdateOne().SetUpsert(true))
	if err != nil && !duplicateKey(err) { // a duplicate key: a newer body is stored
		db.log.Warn("mongodb: cannot store the post body; it will be repaired when read", "op", op, "post", pid.Hex(), "err", err)
	}
}

// GetPost returns the post with its body and revisions. Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) GetPost(ctx context.Context, id string) (*cms.Post, error) {
	const op = "mongodb.GetPost"
	pid, err := objectID(op, "id", id)
	if err != nil {
		return nil, err
	}
	var d postDoc
	if err := db.posts.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Decode(&d); err != nil {
		return nil, storeError(op, collPosts, err)
	}
	p := d.post()
	var b bodyDoc
	err = db.bodies.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Decode(&b)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError(op, collBodies, err)
	}
	p.Body, p.HTML = b.Body, b.HTML
	if err == nil && b.Version == p.Version {
		return p, nil
	}

	// The body is missing or stale: a save stopped after its commit point.
	var r revisionDoc
	err = db.revisions.FindOne(ctx, bson.D{{Key: "_id", Value: d.ContentID}}).Decode(&r)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		db.log.Error("mongodb: the current revision of a post is missing; serving the last stored body", "post", id, "revision", d.ContentID.Hex())
		return p, nil
	case err != nil:
		return nil, storeError(op, collRevisions, err)
	}
	p.Body, p.HTML = r.Body, r.HTML
	db.saveBody(ctx, op, pid, p)
	return p, nil
}

// FindPostBySlug returns the post whose current slug is slug, without its
// body. Errors: KindNotFound, KindUnavailable, KindInternal.
func (db *DB) FindPostBySlug(ctx context.Context, slug string) (*cms.Post, error) {
	const op = "mongodb.FindPostBySlug"
	var d postDoc
	if err := db.posts.FindOne(ctx, bson.D{{Key: "slug", Value: slug}}).Decode(&d); err != nil {
		return nil, storeError(op, collPosts, err)
	}
	return d.post(), nil
}

// ListPosts returns one page of the posts matching f, without bodies and
// revisions, and the number of matches. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ListPosts(ctx context.Context, f cms.PostFilter) ([]*cms.Post, int, error) {
	const op = "mongodb.ListPosts"
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Limit < 1 {
		f.Limit = 20
	}
	filter := postFilter(f)
	skip := (f.Page - 1) * f.Limit
	opts := options.Find().
		SetSort(postSort(f.Sort)).
		SetSkip(int64(skip)).
		SetLimit(int64(f.Limit)).
		SetProjection(noRevisions)
	posts, err := db.findPosts(ctx, op, filter, opts)
	if err != nil {
		return nil, 0, err
	}
	if len(posts) < f.Limit && (len(posts) > 0 || f.Page == 1) {
		return posts, skip + len(posts), nil // the last page: no need to count
	}
	n, err := db.posts.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError(op, collPosts, err)
	}
	return posts, int(n), nil
}

// postFilter translates f into a query. Every value is a typed Go value,
// never a user-supplied document, so no operator can be injected.
func postFilter(f cms.PostFilter) bson.D {
	filter := bson.D{{Key: "deletedAt", Value: nil}}
	if f.Trashed {
		filter = bson.D{{Key: "deletedAt", Value: bson.D{{Key: "$ne", Value: nil}}}}
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	if f.CategoryID != "" {
		filter = append(filter, bson.E{Key: "categoryIds", Value: ref(f.CategoryID)})
	}
	if f.Tag != "" {
		re := bson.Regex{Pattern: "^" + regexp.QuoteMeta(f.Tag) + "$", Options: "i"}
		filter = append(filter, bson.E{Key: "tags", Value: re})
	}
	if f.Query != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(f.Query), Options: "i"}
		filter = append(filter, bson.E{Key: "title", Value: re})
	}
	return filter
}

// postSort returns the sort document for s, with _id breaking ties.
func postSort(s cms.PostSort) bson.D {
	switch s {
	case cms.SortNewest:
		return bson.D{{Key: "sortTime", Value: -1}, {Key: "_id", Value: -1}}
	case cms.SortOldest:
		return bson.D{{Key: "sortTime", Value: 1}, {Key: "_id", Value: 1}}
	case cms.SortTitle:
		return bson.D{{Key: "titleKey", Value: 1}, {Key: "_id", Value: 1}}
	}
	return bson.D{{Key: "updatedAt", Value: -1}, {Key: "_id", Value: -1}}
}

// DuePosts returns the scheduled, untrashed posts whose time has come,
// oldest first, without bodies. Errors: KindUnavailable, KindInternal.
func (db *DB) DuePosts(ctx context.Context, now time.Time) ([]*cms.Post, error) {
	filter := bson.D{
		{Key: "status", Value: string(cms.StatusScheduled)},
		{Key: "deletedAt", Value: nil},
		{Key: "publishAt", Value: bson.D{{Key: "$lte", Value: now.UTC()}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "publishAt", Value: 1}, {Key: "_id", Value: 1}})
	return db.findPosts(ctx, "mongodb.DuePosts", filter, opts)
}

// PublishedPosts returns every published, untrashed post without bodies and
// revisions, in one scan. Errors: KindUnavailable, KindInternal.
func (db *DB) PublishedPosts(ctx context.Context) ([]*cms.Post, error) {
	filter := bson.D{{Key: "status", Value: string(cms.StatusPublished)}, {Key: "deletedAt", Value: nil}}
	return db.findPosts(ctx, "mongodb.PublishedPosts", filter, options.Find().SetProjection(noRevisions))
}

func (db *DB) findPosts(ctx context.Context, op string, filter bson.D, opts *options.FindOptionsBuilder) ([]*cms.Post, error) {
	cur, err := db.posts.Find(ctx, filter, opts)
	if err != nil {
		return nil, storeError(op, collPosts, err)
	}
	var docs []postDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, collPosts, err)
	}
	posts := make([]*cms.Post, len(docs))
	for i := range docs {
		posts[i] = docs[i].post()
	}
	return posts, nil
}

// PostBodies returns the stored current bodies of the posts with the given
// ids, keyed by id; malformed and unknown ids are left out. Errors:
// KindUnavailable, KindInternal.
func (db *DB) PostBodies(ctx context.Context, ids []string) (map[string]cms.PostBody, error) {
	const op = "mongodb.PostBodies"
	oids := make([]bson.ObjectID, 0, len(ids))
	for _, id := range ids {
		if oid, err := bson.ObjectIDFromHex(id); err == nil {
			oids = append(oids, oid)
		}
	}
	out := make(map[string]cms.PostBody, len(oids))
	if len(oids) == 0 {
		return out, nil
	}
	// The Markdown stays in the database: readers need only the HTML.
	opts := options.Find().SetProjection(bson.D{{Key: "body", Value: 0}})
	cur, err := db.bodies.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}, opts)
	if err != nil {
		return nil, storeError(op, collBodies, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d bodyDoc
		if err := cur.Decode(&d); err != nil {
			return nil, storeError(op, collBodies, err)
		}
		out[d.ID.Hex()] = cms.PostBody{Version: d.Version, HTML: d.HTML}
	}
	if err := cur.Err(); err != nil {
		return nil, storeError(op, collBodies, err)
	}
	return out, nil
}

// DeletePost removes the post, its body, its pending edit and all its
// revisions for good. The body, pending edit and revisions are removed even when the post is already gone, so a
// retry finishes an interrupted delete. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) DeletePost(ctx context.Context, id string) error {
	const op = "mongodb.DeletePost"
	pid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	res, err := db.deleteOne(ctx, db.posts, bson.D{{Key: "_id", Value: pid}})
	if err != nil {
		return storeError(op, collPosts, err)
	}
	if _, err := db.deleteOne(ctx, db.bodies, bson.D{{Key: "_id", Value: pid}}); err != nil {
		return storeError(op, collBodies, err)
	}
	if _, err := db.deleteOne(ctx, db.pending, bson.D{{Key: "_id", Value: pid}}); err != nil {
		return storeError(op, collPending, err)
	}
	if _, err := db.deleteMany(ctx, db.revisions, bson.D{{Key: "postId", Value: pid.Hex()}}); err != nil {
		return storeError(op, collRevisions, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op, collPosts)
	}
	return nil
}

// GetRevision returns revision revisionID of post postID. Errors:
// KindInvalid, KindNotFound (also when the revision belongs to another
// post), KindUnavailable, KindInternal.
func (db *DB) GetRevision(ctx context.Context, postID, revisionID string) (*cms.Revision, error) {
	const op = "mongodb.GetRevision"
	pid, err := objectID(op, "id", postID)
	if err != nil {
		return nil, err
	}
	rid, err := objectID(op, "revisionId", revisionID)
	if err != nil {
		return nil, err
	}
	var d revisionDoc
	if err := db.revisions.FindOne(ctx, bson.D{{Key: "_id", Value: rid}}).Decode(&d); err != nil {
		return nil, storeError(op, collRevisions, err)
	}
	if d.PostID != pid.Hex() {
		return nil, notFound(op, collRevisions)
	}
	return d.revision(), nil
}
