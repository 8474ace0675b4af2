package mongodb

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// GetPost returns the post with its body and revisions: the metadata from
// posts, the Markdown and HTML from the current revision. A body document
// found stale (a save stopped after its commit point) is repaired. Errors:
// KindInvalid, KindNotFound, KindUnavailable, KindInternal.
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
	var r revisionDoc
	err = db.revisions.FindOne(ctx, bson.D{{Key: "_id", Value: d.ContentID}}).Decode(&r)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return db.lastBody(ctx, op, pid, p, d.ContentID)
	case err != nil:
		return nil, storeError(op, collRevisions, err)
	}
	p.Body, p.HTML = r.Body, r.HTML
	var b bodyDoc
	err = db.bodies.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}, options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&b)
	switch {
	case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
		return nil, storeError(op, collBodies, err)
	case err != nil || b.Version < p.Version:
		db.saveBody(ctx, op, pid, p) // missing or stale
	}
	return p, nil
}

// lastBody fills p from its body document when its current revision is
// missing, which no save leaves: the HTML, and the Markdown if the
// document is one written before they went lean.
func (db *DB) lastBody(ctx context.Context, op string, pid bson.ObjectID, p *cms.Post, contentID bson.ObjectID) (*cms.Post, error) {
	db.log.Error("mongodb: the current revision of a post is missing; serving the last stored body", "post", p.ID, "revision", contentID.Hex())
	var b bodyDoc
	err := db.bodies.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Decode(&b)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError(op, collBodies, err)
	}
	p.Body, p.HTML = b.Body, b.HTML
	return p, nil
}

// FindPostBySlug returns the post whose current slug is slug, without its
// body. Errors: KindNotFound, KindUnavailable, KindInternal.
func (db *DB) FindPostBySlug(ctx context.Context, slug string) (*cms.Post, error) {
	return db.findPostBy(ctx, "mongodb.FindPostBySlug", "slug", slug)
}

// FindPostBySource returns the post, live or trashed, an import made from
// source, without its body. Errors: KindNotFound, KindUnavailable,
// KindInternal.
func (db *DB) FindPostBySource(ctx context.Context, source string) (*cms.Post, error) {
	return db.findPostBy(ctx, "mongodb.FindPostBySource", "source", source)
}

// ImportedPosts returns the id, source and version of every post an
// import made, live or trashed, in one scan. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ImportedPosts(ctx context.Context) ([]*cms.Post, error) {
	filter := bson.D{{Key: "source", Value: bson.D{{Key: "$exists", Value: true}}}}
	proj := bson.D{{Key: "_id", Value: 1}, {Key: "source", Value: 1}, {Key: "version", Value: 1}}
	return db.findPosts(ctx, "mongodb.ImportedPosts", filter, options.Find().SetProjection(proj))
}

// findPostBy returns the one post whose field has value.
func (db *DB) findPostBy(ctx context.Context, op, field, value string) (*cms.Post, error) {
	var d postDoc
	if err := db.posts.FindOne(ctx, bson.D{{Key: field, Value: value}}).Decode(&d); err != nil {
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

// scanBodiesFrom is the number of ids from which PostBodies reads every
// body document and keeps those asked for, rather than asking for them.
// FerretDB reads every document of the collection for an $in all the
// same, and then tests each against every id in it (10,000 ids: ~1.3 s
// of the 10,000 bodies' load); MongoDB finds a few by the _id index, but
// many cost it as much as the whole collection does.
const scanBodiesFrom = 64

// PostBodies returns the stored current bodies (HTML, no Markdown) of the
// posts with the given ids, keyed by id; malformed and unknown ids are
// left out. Errors: KindUnavailable, KindInternal.
func (db *DB) PostBodies(ctx context.Context, ids []string) (map[string]cms.PostBody, error) {
	want := make(map[bson.ObjectID]bool, len(ids))
	for _, id := range ids {
		if oid, err := bson.ObjectIDFromHex(id); err == nil {
			want[oid] = true
		}
	}
	if len(want) == 0 {
		return map[string]cms.PostBody{}, nil
	}
	filter := bson.D{}
	if len(want) < scanBodiesFrom {
		oids := make([]bson.ObjectID, 0, len(want))
		for oid := range want {
			oids = append(oids, oid)
		}
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}
	}
	return db.postBodies(ctx, "mongodb.PostBodies", filter, len(want), func(id bson.ObjectID) bool { return want[id] })
}

// AllPostBodies returns every stored current body (HTML, no Markdown),
// drafts' too, keyed by post id, in one scan. Errors: KindUnavailable,
// KindInternal.
func (db *DB) AllPostBodies(ctx context.Context) (map[string]cms.PostBody, error) {
	return db.postBodies(ctx, "mongodb.AllPostBodies", bson.D{}, 0, func(bson.ObjectID) bool { return true })
}

// postBodies returns the body documents matching filter that keep wants.
func (db *DB) postBodies(ctx context.Context, op string, filter bson.D, size int, keep func(bson.ObjectID) bool) (map[string]cms.PostBody, error) {
	cur, err := db.bodies.Find(ctx, filter, options.Find().SetProjection(bodyHTML))
	if err != nil {
		return nil, storeError(op, collBodies, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	out := make(map[string]cms.PostBody, size)
	for cur.Next(ctx) {
		var d bodyDoc
		if err := cur.Decode(&d); err != nil {
			return nil, storeError(op, collBodies, err)
		}
		if keep(d.ID) {
			out[d.ID.Hex()] = cms.PostBody{Version: d.Version, HTML: d.HTML}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, storeError(op, collBodies, err)
	}
	return out, nil
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
