package mongodb

import (
	"context"
	"errors"
	"maps"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// MigrateViews folds the view documents of the earlier shape (one per post
// and day, views.go) of the days before beforeDay into one document per
// day, {_id: "<day>:fold", day, v, from}, and returns how many it folded.
// (The days from beforeDay on are left: an instance of an earlier version
// may still be adding to them.) A fold is safe to run on several instances
// at once and to stop anywhere:
//
//  1. The day's fold is inserted with the ids of the documents it counts
//     in from. Only one insert of a day's fold succeeds; an instance whose
//     insert fails goes on with the fold that is there.
//  2. The documents the fold lists are deleted. Meanwhile readers count
//     the fold and leave out the old documents it lists.
//  3. from is removed, the same by every instance that does it.
//
// An old document written after its day was folded (by an instance of an
// earlier version still running) is not listed, so readers keep counting
// it as it is. Errors: KindUnavailable, KindInternal.
func (db *DB) MigrateViews(ctx context.Context, beforeDay string) (int, error) {
	const op = "mongodb.MigrateViews"
	filter := bson.D{{Key: "postId", Value: bson.D{{Key: "$exists", Value: true}}}, {Key: "day", Value: bson.D{{Key: "$lt", Value: beforeDay}}}}
	cur, err := db.views.Find(ctx, filter)
	if err != nil {
		return 0, storeError(op, collViews, err)
	}
	var old []viewDayDoc
	if err := cur.All(ctx, &old); err != nil {
		return 0, storeError(op, collViews, err)
	}
	folds := map[string]*viewDayDoc{}
	for _, d := range old {
		f := folds[d.Day]
		if f == nil {
			f = &viewDayDoc{ID: d.Day + ":fold", Day: d.Day, V: map[string]int64{}}
			folds[d.Day] = f
		}
		f.V[viewField(d.PostID)] += d.Views
		f.From = append(f.From, d.ID)
	}
	folded := 0
	for _, day := range slices.Sorted(maps.Keys(folds)) {
		n, err := db.fold(ctx, folds[day])
		folded += n
		if err != nil {
			return folded, storeError(op, collViews, err)
		}
	}
	return folded, nil
}

// fold inserts f, or takes the day's fold already there, deletes the old
// documents it lists and then the list; it returns how many it listed.
func (db *DB) fold(ctx context.Context, f *viewDayDoc) (int, error) {
	_, err := db.views.InsertOne(ctx, f)
	if duplicateKey(err) {
		var there viewDayDoc
		err = db.views.FindOne(ctx, bson.D{{Key: "_id", Value: f.ID}}, options.FindOne().SetProjection(bson.D{{Key: "from", Value: 1}})).Decode(&there)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return 0, nil
		}
		f.From = there.From
	}
	if err != nil {
		return 0, err
	}
	for ids := range slices.Chunk(f.From, 1000) {
		if _, err := db.deleteMany(ctx, db.views, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
			return 0, err
		}
	}
	if len(f.From) > 0 {
		if _, err := db.updateOne(ctx, db.views, bson.D{{Key: "_id", Value: f.ID}}, bson.D{{Key: "$unset", Value: bson.D{{Key: "from", Value: ""}}}}); err != nil {
			return 0, err
		}
	}
	return len(f.From), nil
}
