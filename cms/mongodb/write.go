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
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	idOnly, narrowed, err := db.narrow(ctx, coll, filter)
	if narrowed {
		upsert := false
		if o, e := mongoUpdateOptions(opts); e == nil && o.Upsert != nil {
			upsert = *o.Upsert
		}
		switch {
		case errors.Is(err, errNoMatch) && upsert:
			// MongoDB would try to insert a document with the same _id.
			return nil, errDuplicateUpsert
		case errors.Is(err, errNoMatch), errors.Is(err, mongo.ErrNoDocuments) && !upsert:
			return &mongo.UpdateResult{}, nil
		case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
			return nil, err
		}
		filter = idOnly
	}
	return coll.UpdateOne(ctx, filter, update, opts...)
}

func (db *DB) replaceOne(ctx context.Context, coll *mongo.Collection, filter, doc any) (*mongo.UpdateResult, error) {
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	idOnly, narrowed, err := db.narrow(ctx, coll, filter)
	if narrowed {
		switch {
		case errors.Is(err, errNoMatch), errors.Is(err, mongo.ErrNoDocuments):
			return &mongo.UpdateResult{}, nil
		case err != nil:
			return nil, err
		}
		filter = idOnly
	}
	return coll.ReplaceOne(ctx, filter, doc)
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
