package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lullabycms/lullaby/cms"
)

var _ cms.PostIndexStore = (*DB)(nil)

// CountPosts returns the number of post documents, live and trashed, from
// the collection's statistics ($collStats), which neither MongoDB nor
// FerretDB answers by reading the documents. Errors: KindUnavailable,
// KindInternal.
func (db *DB) CountPosts(ctx context.Context) (int, error) {
	const op = "mongodb.CountPosts"
	stage := bson.D{{Key: "$collStats", Value: bson.D{{Key: "count", Value: bson.D{}}}}}
	cur, err := db.posts.Aggregate(ctx, mongo.Pipeline{stage})
	if err != nil {
		return 0, storeError(op, collPosts, err)
	}
	var out []struct {
		Count int64 `bson:"count"`
	}
	if err := cur.All(ctx, &out); err != nil {
		return 0, storeError(op, collPosts, err)
	}
	n := 0
	for _, o := range out { // one document per shard
		n += int(o.Count)
	}
	return n, nil
}

// AllPosts returns every post, live and trashed, without bodies and
// revisions, in one scan. Errors: KindUnavailable, KindInternal.
func (db *DB) AllPosts(ctx context.Context) ([]*cms.Post, error) {
	return db.findPosts(ctx, "mongodb.AllPosts", bson.D{}, options.Find().SetProjection(noRevisions))
}
