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

// PostsUsingMedia returns the posts, live and trashed, that use any of the
// given media (as cover, pin or body image), without bodies and
// revisions. Errors: KindUnavailable, KindInternal.
func (db *DB) PostsUsingMedia(ctx context.Context, mediaIDs []string) ([]*cms.Post, error) {
	if len(mediaIDs) == 0 {
		return []*cms.Post{}, nil
	}
	filter := bson.D{{Key: "mediaIds", Value: bson.D{{Key: "$in", Value: refs(mediaIDs)}}}}
	return db.findPosts(ctx, "mongodb.PostsUsingMedia", filter, options.Find().SetProjection(noRevisions))
}

// PostsCiting returns the posts, live and trashed, whose reference lists
// hold any of the given citations, without bodies and revisions. Errors:
// KindUnavailable, KindInternal.
func (db *DB) PostsCiting(ctx context.Context, citationIDs []string) ([]*cms.Post, error) {
	if len(citationIDs) == 0 {
		return []*cms.Post{}, nil
	}
	filter := bson.D{{Key: "references", Value: bson.D{{Key: "$in", Value: refs(citationIDs)}}}}
	return db.findPosts(ctx, "mongodb.PostsCiting", filter, options.Find().SetProjection(noRevisions))
}
