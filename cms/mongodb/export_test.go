package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CountMediaFiles returns the number of documents in the media bucket's
// files and chunks collections.
func CountMediaFiles(ctx context.Context, db *DB) (files, chunks int64, err error) {
	b := db.bucket()
	if files, err = b.GetFilesCollection().CountDocuments(ctx, bson.D{}); err != nil {
		return 0, 0, err
	}
	chunks, err = b.GetChunksCollection().CountDocuments(ctx, bson.D{})
	return files, chunks, err
}
