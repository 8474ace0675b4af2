package mongodb

import (
	"bytes"
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CountMediaFiles returns the number of documents in the media bucket's
// files and chunks collections.
func CountMediaFiles(ctx context.Context, db *DB) (files, chunks int64, err error) {
	return db.CountMediaFiles(ctx)
}

// WriteOrphanFile stores n bytes in the media bucket as a file no media
// refers to.
func WriteOrphanFile(ctx context.Context, db *DB, n int) error {
	_, err := db.bucket().UploadFromStream(ctx, "orphan.jpg", bytes.NewReader(make([]byte, n)))
	return err
}

// WriteCrashedUpload leaves what CreateMedia leaves when the process dies
// while writing the second of two variant files of n bytes each: the
// manifest, the first file whole, and the second file's first chunk with
// no files document.
func WriteCrashedUpload(ctx context.Context, db *DB, n int) error {
	ids := []bson.ObjectID{bson.NewObjectID(), bson.NewObjectID()}
	b := db.bucket()
	if _, err := b.GetFilesCollection().InsertOne(ctx, manifestDoc(bson.NewObjectID(), bson.NewObjectID(), "crash.jpg", ids)); err != nil {
		return err
	}
	if err := b.UploadFromStreamWithID(ctx, ids[0], "crash.jpg", bytes.NewReader(make([]byte, n))); err != nil {
		return err
	}
	_, err := b.GetChunksCollection().InsertOne(ctx, bson.D{
		{Key: "_id", Value: bson.NewObjectID()}, {Key: "files_id", Value: ids[1]}, {Key: "n", Value: int32(0)},
		{Key: "data", Value: bson.Binary{Data: make([]byte, 1000)}}})
	return err
}

// OwnGate gives db a gate of its own on FerretDB, as if it were the only
// handle of another process: updates through db are no longer serialised
// with those of the process's other handles on the same server.
func OwnGate(db *DB) {
	if db.gate != nil {
		db.gate = make(chan struct{}, 1)
	}
}

// Migrate runs the migrations Open runs.
func Migrate(ctx context.Context, db *DB) error { return db.migrate(ctx) }
