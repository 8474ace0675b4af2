package mongodb

import (
	"context"
	"encoding/hex"
	"errors"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A post_views document is the views one store handle (one process)
// counted of one post on one UTC day: {_id:
// "<postId>:<YYYY-MM-DD>:<counter>", postId, day, by: "<counter>", views},
// where counter is the handle's own mark, made when it opens. Every
// instance adds to its own buckets only, so no two processes ever update
// one document: FerretDB applies an $inc by reading the document and
// writing it back, and two processes adding to one bucket at the same
// moment could lose one of the adds (write.go). A process's own updates go
// through its gate; MongoDB's $inc is atomic anyway. Readers sum the
// buckets of a post and day, whoever wrote them; buckets written before
// this shape ({_id: "<postId>:<YYYY-MM-DD>"}, no by) are summed alike.
type viewDoc struct {
	ID     string `bson:"_id"`
	PostID string `bson:"postId"`
	Day    string `bson:"day"`
	By     string `bson:"by,omitempty"`
	Views  int64  `bson:"views"`
}

// viewSaltPrefix names the daily salts among the secrets of the state
// collection: "views:<YYYY-MM-DD>".
const viewSaltPrefix = "views:"

// AddViews adds each count to this handle's daily bucket of the post with
// an $inc upsert, one bucket at a time. When it fails part way, the counts it did write have
// their Views set to 0, so that the caller can keep the rest for a retry.
// Errors: KindUnavailable, KindInternal.
func (db *DB) AddViews(ctx context.Context, counts []cms.ViewCount) error {
	const op = "mongodb.AddViews"
	upsert := options.UpdateOne().SetUpsert(true)
	for i := range counts {
		c := &counts[i]
		if c.Views == 0 {
			continue
		}
		postID := ref(c.PostID)
		filter := bson.D{{Key: "_id", Value: postID + ":" + c.Day + ":" + db.countMark}}
		update := bson.D{
			{Key: "$inc", Value: bson.D{{Key: "views", Value: c.Views}}},
			{Key: "$set", Value: bson.D{{Key: "postId", Value: postID}, {Key: "day", Value: c.Day}, {Key: "by", Value: db.countMark}}},
		}
		var err error
		for range 2 { // two first upserts of a bucket racing: one loses with a duplicate key
			if _, err = db.updateOne(ctx, db.views, filter, update, upsert); err == nil || !duplicateKey(err) {
				break
			}
		}
		if err != nil {
			return storeError(op, collViews, err)
		}
		c.Views = 0
	}
	return nil
}

// ViewTotals sums each post's views over the days from fromDay on (""
// for every day) with one aggregation. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ViewTotals(ctx context.Context, fromDay string) (map[string]int64, error) {
	const op = "mongodb.ViewTotals"
	pipeline := bson.A{}
	if fromDay != "" {
		pipeline = append(pipeline, bson.D{{Key: "$match", Value: bson.D{{Key: "day", Value: bson.D{{Key: "$gte", Value: fromDay}}}}}})
	}
	pipeline = append(pipeline, bson.D{{Key: "$group", Value: bson.D{
		{Key: "_id", Value: "$postId"},
		{Key: "views", Value: bson.D{{Key: "$sum", Value: "$views"}}},
	}}})
	cur, err := db.views.Aggregate(ctx, pipeline)
	if err != nil {
		return nil, storeError(op, collViews, err)
	}
	var rows []struct {
		ID    string `bson:"_id"`
		Views int64  `bson:"views"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, storeError(op, collViews, err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Views
	}
	return out, nil
}

// PostViews returns one post's views on each day from fromDay on that has
// any, by day: the sum of the day's buckets. Errors: KindUnavailable,
// KindInternal.
func (db *DB) PostViews(ctx context.Context, postID, fromDay string) ([]cms.ViewCount, error) {
	const op = "mongodb.PostViews"
	filter := bson.D{{Key: "postId", Value: ref(postID)}, {Key: "day", Value: bson.D{{Key: "$gte", Value: fromDay}}}}
	cur, err := db.views.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "day", Value: 1}}))
	if err != nil {
		return nil, storeError(op, collViews, err)
	}
	var docs []viewDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, collViews, err)
	}
	out := make([]cms.ViewCount, 0, len(docs))
	for _, d := range docs {
		if n := len(out); n > 0 && out[n-1].Day == d.Day {
			out[n-1].Views += d.Views
			continue
		}
		out = append(out, cms.ViewCount{PostID: d.PostID, Day: d.Day, Views: d.Views})
	}
	return out, nil
}

// ViewSalt returns the salt of day, stored as a secret so that every
// instance hashes readers alike, and deletes the salts of earlier days: a
// reader key cannot be recomputed once its day is over. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ViewSalt(ctx context.Context, day string, generate func() ([]byte, error)) ([]byte, error) {
	salt, err := db.Secret(ctx, viewSaltPrefix+day, generate)
	if err != nil {
		return nil, err
	}
	old := bson.D{{Key: "_id", Value: bson.D{
		{Key: "$gte", Value: secretPrefix + viewSaltPrefix},
		{Key: "$lt", Value: secretPrefix + viewSaltPrefix + day},
	}}}
	if _, err := db.deleteMany(ctx, db.state, old); err != nil {
		db.log.Warn("views: cannot delete old daily salts", "err", storeError("mongodb.ViewSalt", collState, err))
	}
	return salt, nil
}

// A post_view_keys document records that one reader read one post on one
// day, for every instance: {_id: "<YYYY-MM-DD>:<reader key, hex>", by:
// "<owner>"}. The unique _id makes the first insert of a key the one that
// counts, and the leading day lets the keys of past days go by _id range.
type viewKeyDoc struct {
	ID string `bson:"_id"`
	By string `bson:"by"`
}

func viewKeyID(k *cms.ViewKey) string { return k.Day + ":" + hex.EncodeToString(k.Reader[:]) }

// ClaimViewKeys inserts one document per key with one unordered insert: a
// key inserted is ClaimNew, a duplicate ClaimSeen (or, for a key marked
// Retry and recorded by owner, ClaimNew), and every key stays
// ClaimUnknown when the insert has no clear answer. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ClaimViewKeys(ctx context.Context, owner string, keys []cms.ViewKey) error {
	const op = "mongodb.ClaimViewKeys"
	if len(keys) == 0 {
		return nil
	}
	docs := make([]any, len(keys))
	for i := range keys {
		keys[i].Claim = cms.ClaimUnknown
		docs[i] = viewKeyDoc{ID: viewKeyID(&keys[i]), By: owner}
	}
	_, err := db.viewKeys.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err != nil && (!errors.As(err, &bwe) || bwe.WriteConcernError != nil) {
		return storeError(op, collViewKeys, err)
	}
	failed := make(map[int]bool, len(bwe.WriteErrors))
	var unknown error
	var retried []string
	for _, we := range bwe.WriteErrors {
		if we.Index < 0 || we.Index >= len(keys) {
			continue
		}
		failed[we.Index] = true
		switch {
		case !mongo.IsDuplicateKeyError(we.WriteError):
			unknown = storeError(op, collViewKeys, we.WriteError)
		case keys[we.Index].Retry:
			retried = append(retried, docs[we.Index].(viewKeyDoc).ID)
		default:
			keys[we.Index].Claim = cms.ClaimSeen
		}
	}
	for i := range keys {
		if !failed[i] {
			keys[i].Claim = cms.ClaimNew
		}
	}
	if len(retried) > 0 {
		if err := db.settleRetried(ctx, owner, keys, retried); err != nil {
			return storeError(op, collViewKeys, err)
		}
	}
	return unknown
}

// settleRetried decides the retried keys found recorded: those recorded
// by owner (its earlier insert went through unanswered) are its own.
func (db *DB) settleRetried(ctx context.Context, owner string, keys []cms.ViewKey, ids []string) error {
	cur, err := db.viewKeys.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return err
	}
	var found []viewKeyDoc
	if err := cur.All(ctx, &found); err != nil {
		return err
	}
	by := make(map[string]string, len(found))
	for _, d := range found {
		by[d.ID] = d.By
	}
	for i := range keys {
		if !keys[i].Retry || keys[i].Claim != cms.ClaimUnknown {
			continue
		}
		switch who, ok := by[viewKeyID(&keys[i])]; {
		case ok && who == owner:
			keys[i].Claim = cms.ClaimNew
		case ok:
			keys[i].Claim = cms.ClaimSeen
		}
	}
	return nil
}

// DropViewKeys deletes the reader keys of the days before beforeDay.
// Errors: KindUnavailable, KindInternal.
func (db *DB) DropViewKeys(ctx context.Context, beforeDay string) error {
	_, err := db.deleteMany(ctx, db.viewKeys, bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: beforeDay}}}})
	return storeError("mongodb.DropViewKeys", collViewKeys, err)
}
