package mongodb

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// MigrateViews folds the view documents of the earlier shape (one per post
// and day, views.go) of the days before beforeDay into documents of the
// current shape, one per day and fold, {_id: "<day>:fold", day, v, from},
// and returns how many it folded and how many of the earlier shape, of any
// day, it left in place. (The days from beforeDay on are left: an instance
// of an earlier version may still be adding to them.) A fold is safe to
// run on several instances at once and to stop anywhere:
//
//  1. The day's fold is inserted with the ids of the documents it counts
//     in from. Only one insert of a fold's id succeeds; an instance whose
//     insert fails goes on with the fold that is there.
//  2. The documents the fold lists are deleted. Meanwhile readers count
//     the fold and leave out the old documents it lists.
//  3. from is removed, the same by every instance that does it.
//
// An old document written after its day was folded (by an instance of an
// earlier version still running, with its counts held back by an outage,
// or brought back by a load) is not listed, so readers count it as it is
// until a later run folds it into the day's next fold, "<day>:fold:2",
// then ":3" and so on. The id of a day's next fold is chosen from the
// folds read before the documents to fold: while the day's last fold still
// lists documents the run finishes that one instead, so no document is
// ever listed by two folds (which readers would count twice).
//
// left is what lets a caller stop calling: 0 means the run found no
// document of the earlier shape that it did not fold, of any day, today's
// included. Errors: KindUnavailable, KindInternal.
func (db *DB) MigrateViews(ctx context.Context, beforeDay string) (folded, left int, err error) {
	const op = "mongodb.MigrateViews"
	next, err := db.nextFolds(ctx, beforeDay)
	if err != nil {
		return 0, 0, storeError(op, collViews, err)
	}
	cur, err := db.views.Find(ctx, bson.D{{Key: "postId", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil {
		return 0, 0, storeError(op, collViews, err)
	}
	var old []viewDayDoc
	if err := cur.All(ctx, &old); err != nil {
		return 0, 0, storeError(op, collViews, err)
	}
	folds := map[string]*viewDayDoc{}
	for _, d := range old {
		if d.Day >= beforeDay {
			left++
			continue
		}
		f := folds[d.Day]
		if f == nil {
			f = &viewDayDoc{ID: next(d.Day), Day: d.Day, V: map[string]int64{}}
			folds[d.Day] = f
		}
		f.V[viewField(d.PostID)] += d.Views
		f.From = append(f.From, d.ID)
	}
	for _, day := range slices.Sorted(maps.Keys(folds)) {
		f := folds[day]
		found := f.From
		n, err := db.fold(ctx, f)
		folded += n
		if err != nil {
			return folded, left + len(found), storeError(op, collViews, err)
		}
		listed := make(map[string]bool, len(f.From))
		for _, id := range f.From {
			listed[id] = true
		}
		for _, id := range found {
			if !listed[id] {
				left++ // in no fold this run finished: the next run's
			}
		}
	}
	return folded, left, nil
}

// nextFolds reads the folds of the days before beforeDay and returns the
// id of each day's next fold: its last fold's while that still lists
// documents, else the one after it.
func (db *DB) nextFolds(ctx context.Context, beforeDay string) (func(day string) string, error) {
	filter := bson.D{
		{Key: "day", Value: bson.D{{Key: "$lt", Value: beforeDay}}},
		{Key: "postId", Value: bson.D{{Key: "$exists", Value: false}}},
		{Key: "by", Value: bson.D{{Key: "$exists", Value: false}}},
	}
	cur, err := db.views.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "day", Value: 1}, {Key: "from", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []viewDayDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	type last struct {
		n    int
		open bool
	}
	lasts := map[string]last{}
	for _, d := range docs {
		n := foldNumber(d.ID, d.Day)
		if n > lasts[d.Day].n {
			lasts[d.Day] = last{n, len(d.From) > 0}
		}
	}
	return func(day string) string {
		l := lasts[day]
		if !l.open {
			l.n++
		}
		return foldID(day, l.n)
	}, nil
}

// foldID is the id of a day's nth fold, counting from 1.
func foldID(day string, n int) string {
	if n <= 1 {
		return day + ":fold"
	}
	return day + ":fold:" + strconv.Itoa(n)
}

// foldNumber is the n of foldID(day, n), or 0 when id is no fold's.
func foldNumber(id, day string) int {
	rest, ok := strings.CutPrefix(id, day+":fold")
	if !ok {
		return 0
	}
	if rest == "" {
		return 1
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, ":"))
	if err != nil || n < 2 || rest != ":"+strconv.Itoa(n) {
		return 0
	}
	return n
}

// fold inserts f, or takes the fold of its id already there, deletes the
// old documents it lists and then the list; it returns how many it
// listed, and leaves in f.From the list it went by.
func (db *DB) fold(ctx context.Context, f *viewDayDoc) (int, error) {
	_, err := db.views.InsertOne(ctx, f)
	if duplicateKey(err) {
		var there viewDayDoc
		err = db.views.FindOne(ctx, bson.D{{Key: "_id", Value: f.ID}}, options.FindOne().SetProjection(bson.D{{Key: "from", Value: 1}})).Decode(&there)
		f.From = there.From
		if errors.Is(err, mongo.ErrNoDocuments) {
			return 0, nil
		}
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
