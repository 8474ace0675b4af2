package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lullabycms/lullaby/cms"
)

var _ cms.PostIndexStore = (*DB)(nil)

// AllPosts returns every post, live and trashed, without bodies and
// revisions, in one scan. Errors: KindUnavailable, KindInternal.
func (db *DB) AllPosts(ctx context.Context) ([]*cms.Post, error) {
	return db.findPosts(ctx, "mongodb.AllPosts", bson.D{}, options.Find().SetProjection(noRevisions))
}
