package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The reads and deletes every editable collection shares: documents of
// type D converted to domain values with conv. Errors are named by op and
// the collection.

// findAll returns every document of coll in sort order, in one scan.
// Errors: KindUnavailable, KindInternal.
func findAll[D, T any](ctx context.Context, op string, coll *mongo.Collection, sort bson.D, conv func(*D) *T) ([]*T, error) {
	return findSome(ctx, op, coll, bson.D{}, options.Find().SetSort(sort), conv)
}

// findSome returns the documents of coll matching filter, sorted and
// limited by opts. Errors: KindUnavailable, KindInternal.
func findSome[D, T any](ctx context.Context, op string, coll *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder, conv func(*D) *T) ([]*T, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, storeError(op, coll.Name(), err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, coll.Name(), err)
	}
	out := make([]*T, len(docs))
	for i := range docs {
		out[i] = conv(&docs[i])
	}
	return out, nil
}

// findByID returns the document of coll whose _id is the ObjectID hex id.
// Errors: KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func findByID[D, T any](ctx context.Context, op string, coll *mongo.Collection, id string, conv func(*D) *T) (*T, error) {
	oid, err := objectID(op, "id", id)
	if err != nil {
		return nil, err
	}
	var d D
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, storeError(op, coll.Name(), err)
	}
	return conv(&d), nil
}

// deleteByID removes the document of coll whose _id is the ObjectID hex
// id. Errors: KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func (db *DB) deleteByID(ctx context.Context, op string, coll *mongo.Collection, id string) error {
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	res, err := db.deleteOne(ctx, coll, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return storeError(op, coll.Name(), err)
	}
	if res.DeletedCount == 0 {
		return notFound(op, coll.Name())
	}
	return nil
}
