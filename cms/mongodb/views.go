package mongodb

import (
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A post_views document holds the views one store handle (one process)
// counted on one UTC day, of every post it counted that day: {_id:
// "<YYYY-MM-DD>:<mark>", day, by: "<mark>", v: {<postId>: views, ...}},
// where mark is the handle's own, made when it opens. A flush adds to the
// day's document with one $inc upsert of all the posts it counted.
//
// Every instance adds to its own documents only, so no two processes
// ever update one: FerretDB applies an $inc by reading the document and
// writing it back, and two processes adding to one document at the same
// moment could lose one of the adds (write.go). A process's own updates
// go through its gate; MongoDB's $inc is atomic anyway. Readers sum the
// documents of the days they want, whoever wrote them. One document per
// instance and day, rather than one per post and day, keeps the reads
// cheap: FerretDB's cost goes with the documents it decodes, and a reader
// of 30 days reads 30 documents per instance instead of 30 per post.
//
// Before this shape, a document counted one post's day for every
// instance: {_id: "<postId>:<YYYY-MM-DD>", postId, day, views}. Readers
// count those too, and MigrateViews folds them into documents of the new
// shape (views_migrate.go).
type viewDayDoc struct {
	ID   string           `bson:"_id"`
	Day  string           `bson:"day"`
	By   string           `bson:"by,omitempty"`
	V    map[string]int64 `bson:"v"`
	From []string         `bson:"from,omitempty"` // a fold's old documents (views_migrate.go)
	// The fields of an old-shape document.
	PostID string `bson:"postId,omitempty"`
	Views  int64  `bson:"views,omitempty"`
}

// viewField escapes a post id into a field name of v: a name may hold
// neither a dot nor a leading $ (ids are hex, so this never changes one
// the service made).
var (
	viewField   = strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24").Replace
	viewFieldID = strings.NewReplacer("%2E", ".", "%24", "$", "%25", "%").Replace
)

// AddViews adds each count to this handle's document of its day, with one
// $inc upsert per day. When it fails part way, the counts of the days it
// did write have their Views set to 0, so that the caller can keep the
// rest for a retry. Errors: KindUnavailable, KindInternal.
func (db *DB) AddViews(ctx context.Context, counts []cms.ViewCount) error {
	const op = "mongodb.AddViews"
	byDay := map[string]bson.D{}
	var days []string
	for _, c := range counts {
		if c.Views == 0 {
			continue
		}
		if _, ok := byDay[c.Day]; !ok {
			days = append(days, c.Day)
		}
		byDay[c.Day] = append(byDay[c.Day], bson.E{Key: "v." + viewField(ref(c.PostID)), Value: c.Views})
	}
	upsert := options.UpdateOne().SetUpsert(true)
	for _, day := range days {
		filter := bson.D{{Key: "_id", Value: day + ":" + db.countMark}}
		update := bson.D{
			{Key: "$inc", Value: byDay[day]},
			{Key: "$set", Value: bson.D{{Key: "day", Value: day}, {Key: "by", Value: db.countMark}}},
		}
		var err error
		for range 2 { // two first upserts of a document racing: one loses with a duplicate key
			if _, err = db.updateOne(ctx, db.views, filter, update, upsert); err == nil || !duplicateKey(err) {
				break
			}
		}
		if err != nil {
			return storeError(op, collViews, err)
		}
		for i := range counts {
			if counts[i].Day == day {
				counts[i].Views = 0
			}
		}
	}
	return nil
}

// viewDays reads the documents of the days from fromDay on ("" for every
// day), of both shapes, and calls add for each post's views of a day.
// An old-shape document that a fold of its day lists is left out: the
// fold counts it (views_migrate.go).
func (db *DB) viewDays(ctx context.Context, fromDay string, projection bson.D, add func(postID, day string, views int64)) error {
	filter := bson.D{}
	if fromDay != "" {
		filter = bson.D{{Key: "day", Value: bson.D{{Key: "$gte", Value: fromDay}}}}
	}
	opts := options.Find()
	if projection != nil {
		opts.SetProjection(projection)
	}
	cur, err := db.views.Find(ctx, filter, opts)
	if err != nil {
		return err
	}
	var docs []viewDayDoc
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	folded := map[string]bool{}
	for _, d := range docs {
		for _, id := range d.From {
			folded[id] = true
		}
	}
	for _, d := range docs {
		if d.PostID != "" {
			if !folded[d.ID] {
				add(d.PostID, d.Day, d.Views)
			}
			continue
		}
		for f, n := range d.V {
			add(viewFieldID(f), d.Day, n)
		}
	}
	return nil
}

// ViewTotals sums each post's views over the days from fromDay on (""
// for every day) with one read of those days' documents. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ViewTotals(ctx context.Context, fromDay string) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.viewDays(ctx, fromDay, nil, func(postID, _ string, views int64) { out[postID] += views })
	if err != nil {
		return nil, storeError("mongodb.ViewTotals", collViews, err)
	}
	return out, nil
}

// ViewsByDay returns each post's views on each day from fromDay on (""
// for every day) that has any, keyed by post id and then day, with one
// read of those days' documents. Errors: KindUnavailable, KindInternal.
func (db *DB) ViewsByDay(ctx context.Context, fromDay string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	err := db.viewDays(ctx, fromDay, nil, func(postID, day string, views int64) {
		m := out[postID]
		if m == nil {
			m = map[string]int64{}
			out[postID] = m
		}
		m[day] += views
	})
	if err != nil {
		return nil, storeError("mongodb.ViewsByDay", collViews, err)
	}
	return out, nil
}

// PostViews returns one post's views on each day from fromDay on that has
// any, by day. Errors: KindUnavailable, KindInternal.
func (db *DB) PostViews(ctx context.Context, postID, fromDay string) ([]cms.ViewCount, error) {
	id := ref(postID)
	projection := bson.D{{Key: "day", Value: 1}, {Key: "postId", Value: 1}, {Key: "views", Value: 1}, {Key: "from", Value: 1},
		{Key: "v." + viewField(id), Value: 1}}
	byDay := map[string]int64{}
	err := db.viewDays(ctx, fromDay, projection, func(p, day string, views int64) {
		if p == id {
			byDay[day] += views
		}
	})
	if err != nil {
		return nil, storeError("mongodb.PostViews", collViews, err)
	}
	out := make([]cms.ViewCount, 0, len(byDay))
	for day, n := range byDay {
		out = append(out, cms.ViewCount{PostID: id, Day: day, Views: n})
	}
	slices.SortFunc(out, func(a, b cms.ViewCount) int { return strings.Compare(a.Day, b.Day) })
	return out, nil
}

// viewSaltPrefix names the daily salts among the secrets of the state
// collection: "views:<YYYY-MM-DD>".
const viewSaltPrefix = "views:"

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
