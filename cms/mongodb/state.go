package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Documents of the state collection are told apart by their _id.
const (
	contentVersionID = "contentVersion"
	postsVersionID   = "postsVersion"
	leasePrefix      = "lease:"
	secretPrefix     = "secret:"
	nextDueID        = "nextDue"
	attemptPrefix    = "attempts:"
)

type counterDoc struct {
	N int64 `bson:"n"`
}

type secretDoc struct {
	ID    string `bson:"_id"`
	Value []byte `bson:"value"`
}

// ContentVersion returns the current content version, 0 if it was never
// bumped. Errors: KindUnavailable, KindInternal.
func (db *DB) ContentVersion(ctx context.Context) (int64, error) {
	return db.counter(ctx, "mongodb.ContentVersion", contentVersionID)
}

// BumpContentVersion increments the content version atomically and returns
// the new value. Errors: KindUnavailable, KindInternal.
func (db *DB) BumpContentVersion(ctx context.Context) (int64, error) {
	return db.bump(ctx, "mongodb.BumpContentVersion", contentVersionID)
}

// PostsVersion returns the posts version, 0 if it was never bumped.
// Errors: KindUnavailable, KindInternal.
func (db *DB) PostsVersion(ctx context.Context) (int64, error) {
	return db.counter(ctx, "mongodb.PostsVersion", postsVersionID)
}

// BumpPostsVersion increments the posts version atomically and returns
// the new value. Errors: KindUnavailable, KindInternal.
func (db *DB) BumpPostsVersion(ctx context.Context) (int64, error) {
	return db.bump(ctx, "mongodb.BumpPostsVersion", postsVersionID)
}

// counter reads the counter document id of the state collection.
func (db *DB) counter(ctx context.Context, op, id string) (int64, error) {
	var d counterDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, storeError(op, collState, err)
	}
	return d.N, nil
}

// bump increments the counter document id atomically, creating it at 1.
func (db *DB) bump(ctx context.Context, op, id string) (int64, error) {
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}}
	var err error
	for range 3 { // two first bumps racing: one upsert loses with a duplicate key; retry it
		var d counterDoc
		err = db.findOneAndUpdate(ctx, db.state, bson.D{{Key: "_id", Value: id}}, inc, &d, opts)
		if err == nil {
			return d.N, nil
		}
		if !duplicateKey(err) {
			break
		}
	}
	return 0, storeError(op, collState, err)
}

// Secret returns the named secret, storing the output of generate on first
// use. Instances racing to create it all get the value that was stored
// first. Errors: KindUnavailable, KindInternal (also when generate fails).
func (db *DB) Secret(ctx context.Context, name string, generate func() ([]byte, error)) ([]byte, error) {
	const op = "mongodb.Secret"
	filter := bson.D{{Key: "_id", Value: secretPrefix + name}}
	var d secretDoc
	err := db.state.FindOne(ctx, filter).Decode(&d)
	if err == nil {
		return d.Value, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError(op, collState, err)
	}
	value, err := generate()
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
	}
	_, err = db.state.InsertOne(ctx, secretDoc{ID: secretPrefix + name, Value: value})
	if err == nil {
		return value, nil
	}
	if !duplicateKey(err) {
		return nil, storeError(op, collState, err)
	}
	if err := db.state.FindOne(ctx, filter).Decode(&d); err != nil { // another instance won
		return nil, storeError(op, collState, err)
	}
	return d.Value, nil
}

// LookupSecret returns the named secret if one is stored, without creating
// it. Errors: KindUnavailable, KindInternal.
func (db *DB) LookupSecret(ctx context.Context, name string) ([]byte, bool, error) {
	var d secretDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: secretPrefix + name}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, false, nil
	case err != nil:
		return nil, false, storeError("mongodb.LookupSecret", collState, err)
	}
	return d.Value, true, nil
}

// DeleteSecret removes the named secret; a missing one is no error.
// Errors: KindUnavailable, KindInternal.
func (db *DB) DeleteSecret(ctx context.Context, name string) error {
	_, err := db.deleteOne(ctx, db.state, bson.D{{Key: "_id", Value: secretPrefix + name}})
	return storeError("mongodb.DeleteSecret", collState, err)
}

type nextDueDoc struct {
	ID      string     `bson:"_id"`
	Next    *time.Time `bson:"next"`
	Version int        `bson:"version"`
}

// NextDue returns the recorded earliest due time of a scheduled post and
// the record's version (0 when there is none). Errors: KindUnavailable,
// KindInternal.
func (db *DB) NextDue(ctx context.Context) (time.Time, int, error) {
	var d nextDueDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: nextDueID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return time.Time{}, 0, nil
	}
	if err != nil {
		return time.Time{}, 0, storeError("mongodb.NextDue", collState, err)
	}
	return fromTime(d.Next), d.Version, nil
}

// LowerNextDue sets the recorded next due time to at when the record is
// empty or later, and creates the record with at when there is none (so
// that a scheduler which scanned before this post was saved cannot record
// "nothing scheduled" over it: its first write is an insert, which then
// fails). It always bumps the record's version, so a scheduler that read
// the record before this post was saved cannot overwrite it with a due
// time computed without the post. Errors: KindUnavailable, KindInternal.
func (db *DB) LowerNextDue(ctx context.Context, at time.Time) error {
	const op = "mongodb.LowerNextDue"
	if at.IsZero() {
		return nil
	}
	t := toTime(at)
	bump := bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
	res, err := db.updateOne(ctx, db.state, bson.D{{Key: "_id", Value: nextDueID}}, bump)
	if err != nil {
		return storeError(op, collState, err)
	}
	if res.MatchedCount == 0 {
		_, err := db.state.InsertOne(ctx, nextDueDoc{ID: nextDueID, Next: t, Version: 1})
		if err == nil {
			return nil
		}
		if !duplicateKey(err) {
			return storeError(op, collState, err)
		}
		// Created meanwhile: lower it like any other.
		if _, err := db.updateOne(ctx, db.state, bson.D{{Key: "_id", Value: nextDueID}}, bump); err != nil {
			return storeError(op, collState, err)
		}
	}
	filter := bson.D{
		{Key: "_id", Value: nextDueID},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "next", Value: nil}},
			bson.D{{Key: "next", Value: bson.D{{Key: "$gt", Value: *t}}}},
		}},
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "next", Value: t}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
	_, err = db.updateOne(ctx, db.state, filter, update)
	return storeError(op, collState, err)
}

// SetNextDue records next if the record is still at prevVersion.
// Errors: KindUnavailable, KindInternal.
func (db *DB) SetNextDue(ctx context.Context, next time.Time, prevVersion int) (bool, error) {
	const op = "mongodb.SetNextDue"
	if prevVersion == 0 {
		_, err := db.state.InsertOne(ctx, nextDueDoc{ID: nextDueID, Next: toTime(next), Version: 1})
		if duplicateKey(err) {
			return false, nil
		}
		return err == nil, storeError(op, collState, err)
	}
	filter := bson.D{{Key: "_id", Value: nextDueID}, {Key: "version", Value: prevVersion}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "next", Value: toTime(next)}, {Key: "version", Value: prevVersion + 1}}}}
	res, err := db.updateOne(ctx, db.state, filter, update)
	if err != nil {
		return false, storeError(op, collState, err)
	}
	return res.MatchedCount == 1, nil
}

// An attempts document counts the attempts under one key in one fixed
// window: {_id: "attempts:<window start, Unix seconds, 12 digits>:<key>",
// n}. The start leads the id, so that the windows that are over go by _id
// range.

// CountAttempt increments the window's count with an upsert, returns it
// with the count of the window that started at prev, and deletes the
// windows that started before prev. Errors: KindUnavailable,
// KindInternal.
func (db *DB) CountAttempt(ctx context.Context, key string, window, prev time.Time) (int64, int64, error) {
	const op = "mongodb.CountAttempt"
	start := fmt.Sprintf("%s%012d:", attemptPrefix, window.Unix())
	prevStart := fmt.Sprintf("%s%012d:", attemptPrefix, prev.Unix())
	filter := bson.D{{Key: "_id", Value: start + key}}
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var d counterDoc
	var err error
	for range 2 { // two first attempts racing: one upsert loses with a duplicate key
		if err = db.findOneAndUpdate(ctx, db.state, filter, inc, &d, opts); err == nil || !duplicateKey(err) {
			break
		}
	}
	if err != nil {
		return 0, 0, storeError(op, collState, err)
	}
	var before counterDoc
	err = db.state.FindOne(ctx, bson.D{{Key: "_id", Value: prevStart + key}}).Decode(&before)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, 0, storeError(op, collState, err)
	}
	old := bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: attemptPrefix}, {Key: "$lt", Value: min(prevStart, start)}}}}
	if _, err := db.deleteMany(ctx, db.state, old); err != nil {
		db.log.Warn("cannot delete the attempt counts of past windows", "err", storeError(op, collState, err))
	}
	return d.N, before.N, nil
}
