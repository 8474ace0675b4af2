package mongodb

import (
	"context"
	"errors"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// FerretDB 1.24 (SQLite handler) applies an update by reading the matching
// documents, changing them in Go and writing them back, with nothing to
// stop another connection in between: two updates filtered on the same
// version can both match, and concurrent $inc lose counts (measured: 20
// concurrent $inc of one field added 14; 20 concurrent replaces filtered on
// version 1 matched twice). So on FerretDB every update and delete of this
// process goes through one gate per server. The embedded server belongs to
// one process, so that is enough; on MongoDB the gate is not used.

// gates holds one gate per FerretDB server address, shared by every DB of
// the process that talks to it.
var gates sync.Map // string -> chan struct{}

func gateFor(uri string) chan struct{} {
	key := uri
	if cs, err := connstring.Parse(uri); err == nil {
		key = strings.Join(cs.Hosts, ",")
	}
	g, _ := gates.LoadOrStore(key, make(chan struct{}, 1))
	return g.(chan struct{})
}

// isFerretDB reports whether the server is FerretDB rather than MongoDB.
func isFerretDB(ctx context.Context, client *mongo.Client) (bool, error) {
	var info struct {
		FerretDBVersion string `bson:"ferretdbVersion"`
	}
	err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info)
	return info.FerretDBVersion != "", err
}

// lock passes the gate, if there is one; the returned func releases it.
func (db *DB) lock(ctx context.Context) (func(), error) {
	if db.gate == nil {
		return func() {}, nil
	}
	select {
	case db.gate <- struct{}{}:
		return func() { <-db.gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (db *DB) updateOne(ctx context.Context, coll *mongo.Collection, filter, update any, opts ...options.Lister[options.UpdateOneOptions]) (*mongo.UpdateResult, error) {
	upsert := false
	if o, err := mongoUpdateOptions(opts); err == nil && o.Upsert != nil {
		upsert = *o.Upsert
	}
	return unmatched(db.gated(ctx, coll, filter, upsert, func(filter any) (*mongo.UpdateResult, error) {
		return coll.UpdateOne(ctx, filter, update, opts...)
	}))
}

func (db *DB) replaceOne(ctx context.Context, coll *mongo.Collection, filter, doc any) (*mongo.UpdateResult, error) {
	return unmatched(db.gated(ctx, coll, filter, false, func(filter any) (*mongo.UpdateResult, error) {
		return coll.ReplaceOne(ctx, filter, doc)
	}))
}

// gated passes the gate, narrows filter (narrow.go) and calls write with
// the filter to use. When the filter was narrowed, a document that does
// not match is reported as errNoMatch and a missing one (unless upsert) as
// mongo.ErrNoDocuments, without writing; otherwise a miss is a zero
// MatchedCount.
func (db *DB) gated(ctx context.Context, coll *mongo.Collection, filter any, upsert bool, write func(filter any) (*mongo.UpdateResult, error)) (*mongo.UpdateResult, error) {
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	idOnly, narrowed, err := db.narrow(ctx, coll, filter)
	if narrowed {
		switch {
		case errors.Is(err, errNoMatch) && upsert:
			// MongoDB would try to insert a document with the same _id.
			return nil, errDuplicateUpsert
		case errors.Is(err, mongo.ErrNoDocuments) && upsert:
		case err != nil:
			return nil, err
		}
		filter = idOnly
	}
	return write(filter)
}

// unmatched turns gated's errNoMatch and mongo.ErrNoDocuments into the
// zero MatchedCount MongoDB reports.
func unmatched(res *mongo.UpdateResult, err error) (*mongo.UpdateResult, error) {
	if errors.Is(err, errNoMatch) || errors.Is(err, mongo.ErrNoDocuments) {
		return &mongo.UpdateResult{}, nil
	}
	return res, err
}

// updateVersioned and replaceVersioned write document id of coll if its
// version is prevVersion. Errors: KindNotFound, KindConflict
// (Fields["version"], or the collection's unique field), KindUnavailable,
// KindInternal. On FerretDB the narrowing read already tells a missing
// document from a stale one; on MongoDB a miss costs one more read.
func (db *DB) updateVersioned(ctx context.Context, op string, coll *mongo.Collection, id any, prevVersion int, update any) error {
	return db.versioned(ctx, op, coll, id, prevVersion, func(filter any) (*mongo.UpdateResult, error) {
		return coll.UpdateOne(ctx, filter, update)
	})
}

func (db *DB) replaceVersioned(ctx context.Context, op string, coll *mongo.Collection, id any, prevVersion int, doc any) error {
	return db.versioned(ctx, op, coll, id, prevVersion, func(filter any) (*mongo.UpdateResult, error) {
		return coll.ReplaceOne(ctx, filter, doc)
	})
}

func (db *DB) versioned(ctx context.Context, op string, coll *mongo.Collection, id any, prevVersion int, write func(filter any) (*mongo.UpdateResult, error)) error {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "version", Value: prevVersion}}
	res, err := db.gated(ctx, coll, filter, false, write)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return notFound(op, coll.Name())
	case errors.Is(err, errNoMatch):
		return staleVersion(op, coll.Name())
	case err != nil:
		return storeError(op, coll.Name(), err)
	case res.MatchedCount > 0:
		return nil
	}
	// MongoDB, or a document deleted between the narrowing read and the
	// write: find out which.
	err = coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return notFound(op, coll.Name())
	case err != nil:
		return storeError(op, coll.Name(), err)
	}
	return staleVersion(op, coll.Name())
}

// mongoUpdateOptions folds option listers into their values.
func mongoUpdateOptions(opts []options.Lister[options.UpdateOneOptions]) (*options.UpdateOneOptions, error) {
	o := &options.UpdateOneOptions{}
	for _, l := range opts {
		for _, set := range l.List() {
			if err := set(o); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

// errDuplicateUpsert stands for the duplicate-key error MongoDB returns
// when an upsert's filter misses an existing _id.
var errDuplicateUpsert = mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000 duplicate key error (upsert filter did not match the existing document)"}}}

// findOneAndUpdate updates one document and decodes the result into out.
func (db *DB) findOneAndUpdate(ctx context.Context, coll *mongo.Collection, filter, update, out any, opts ...options.Lister[options.FindOneAndUpdateOptions]) error {
	unlock, err := db.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return coll.FindOneAndUpdate(ctx, filter, update, opts...).Decode(out)
}

func (db *DB) deleteOne(ctx context.Context, coll *mongo.Collection, filter any) (*mongo.DeleteResult, error) {
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return coll.DeleteOne(ctx, filter)
}

func (db *DB) deleteMany(ctx context.Context, coll *mongo.Collection, filter any) (*mongo.DeleteResult, error) {
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return coll.DeleteMany(ctx, filter)
}
