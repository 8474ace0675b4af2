package mongodb

import (
	"context"
	"errors"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

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
	db.insertBody(ctx, op, pid, p)
	return nil
}

// insertBody stores the body of the new post p (id pid): an insert, with
// no read first. A body already there can only be this same save's, made
// by an earlier try of it. A failure is only logged, as in saveBody.
func (db *DB) insertBody(ctx context.Context, op string, pid bson.ObjectID, p *cms.Post) {
	_, err := db.bodies.InsertOne(ctx, bodyDoc{ID: pid, Version: p.Version, HTML: p.HTML})
	if err != nil && !duplicateKey(err) {
		db.log.Warn("mongodb: cannot store the post body; it will be repaired when read", "op", op, "post", pid.Hex(), "err", err)
	}
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
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "version", Value: p.Version}, {Key: "html", Value: p.HTML}}},
		{Key: "$unset", Value: bson.D{{Key: "body", Value: ""}}}, // the Markdown an old one held
	}
	_, err := db.updateOne(ctx, db.bodies, filter, update, options.UpdateOne().SetUpsert(true))
	if err != nil && !duplicateKey(err) { // a duplicate key: a newer body is stored
		db.log.Warn("mongodb: cannot store the post body; it will be repaired when read", "op", op, "post", pid.Hex(), "err", err)
	}
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
