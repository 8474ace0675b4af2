package mongodb

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// bucketMedia is the GridFS bucket holding every variant file
// (media.files and media.chunks); collMedia holds one metadata document
// per image.
const bucketMedia = "media"

type mediaDoc struct {
	ID          bson.ObjectID     `bson:"_id"`
	Filename    string            `bson:"filename"`
	Alt         string            `bson:"alt"`
	ContentType string            `bson:"contentType"`
	Width       int               `bson:"width"`
	Height      int               `bson:"height"`
	Bytes       int64             `bson:"bytes"`
	Hash        string            `bson:"hash"`
	Variants    []mediaVariantDoc `bson:"variants"`
	UploadedBy  string            `bson:"uploadedBy"`
	Version     int               `bson:"version"`
	CreatedAt   *time.Time        `bson:"createdAt"`
	UpdatedAt   *time.Time        `bson:"updatedAt"`
}

type mediaVariantDoc struct {
	Name        string        `bson:"name"`
	FileID      bson.ObjectID `bson:"fileId"` // in the GridFS bucket
	ContentType string        `bson:"contentType"`
	Width       int           `bson:"width"`
	Height      int           `bson:"height"`
	Bytes       int64         `bson:"bytes"`
	ETag        string        `bson:"etag"`
}

func toMediaDoc(id bson.ObjectID, m *cms.Media, fileIDs []bson.ObjectID) *mediaDoc {
	d := &mediaDoc{
		ID: id, Filename: m.Filename, Alt: m.Alt, ContentType: m.ContentType,
		Width: m.Width, Height: m.Height, Bytes: m.Bytes, Hash: m.Hash,
		Variants:   make([]mediaVariantDoc, len(m.Variants)),
		UploadedBy: ref(m.UploadedBy), Version: m.Version,
		CreatedAt: toTime(m.CreatedAt), UpdatedAt: toTime(m.UpdatedAt),
	}
	for i, v := range m.Variants {
		d.Variants[i] = mediaVariantDoc{Name: v.Name, FileID: fileIDs[i], ContentType: v.ContentType,
			Width: v.Width, Height: v.Height, Bytes: v.Bytes, ETag: v.ETag}
	}
	return d
}

func (d *mediaDoc) fileIDs() []bson.ObjectID {
	ids := make([]bson.ObjectID, len(d.Variants))
	for i, v := range d.Variants {
		ids[i] = v.FileID
	}
	return ids
}

func (d *mediaDoc) media() *cms.Media {
	m := &cms.Media{
		ID: d.ID.Hex(), Filename: d.Filename, Alt: d.Alt, ContentType: d.ContentType,
		Width: d.Width, Height: d.Height, Bytes: d.Bytes, Hash: d.Hash,
		Variants:   make([]cms.MediaVariant, len(d.Variants)),
		UploadedBy: d.UploadedBy, Version: d.Version,
		CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt),
	}
	for i, v := range d.Variants {
		m.Variants[i] = cms.MediaVariant{Name: v.Name, ContentType: v.ContentType,
			Width: v.Width, Height: v.Height, Bytes: v.Bytes, ETag: v.ETag}
	}
	return m
}

// bucket returns the media GridFS bucket.
func (db *DB) bucket() *mongo.GridFSBucket {
	return db.db.GridFSBucket(options.GridFSBucket().SetName(bucketMedia))
}

// CreateMedia stores the variant files, then the metadata document (the
// commit point). On any failure the files written so far are deleted. A
// duplicate hash (a concurrent identical upload) deletes this upload's
// files and returns the existing media. Errors: KindInvalid,
// KindUnavailable, KindInternal.
func (db *DB) CreateMedia(ctx context.Context, m *cms.Media, data []io.Reader) (*cms.Media, error) {
	const op = "mongodb.CreateMedia"
	id, err := objectID(op, "id", m.ID)
	if err != nil {
		return nil, err
	}
	if len(data) != len(m.Variants) {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: errors.New("one reader per variant is required")}
	}
	bucket := db.bucket()
	fileIDs := make([]bson.ObjectID, 0, len(data))
	cleanup := func() {
		// Without the request's deadline: a canceled upload must still
		// clean up after itself.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), db.timeout)
		defer cancel()
		db.deleteMediaFiles(cctx, fileIDs)
	}
	for i, v := range m.Variants {
		fid := bson.NewObjectID()
		fileIDs = append(fileIDs, fid)
		meta := options.GridFSUpload().SetMetadata(bson.D{
			{Key: "mediaId", Value: id}, {Key: "variant", Value: v.Name}, {Key: "contentType", Value: v.ContentType}})
		if err := bucket.UploadFromStreamWithID(ctx, fid, m.Filename, data[i], meta); err != nil {
			cleanup()
			return nil, storeError(op, bucketMedia, err)
		}
	}
	_, err = db.media.InsertOne(ctx, toMediaDoc(id, m, fileIDs))
	if err == nil {
		return m, nil
	}
	cleanup()
	if duplicateKey(err) {
		if existing, ferr := db.FindMediaByHash(ctx, m.Hash); ferr == nil {
			return existing, nil
		}
	}
	return nil, insertError(ctx, op, db.media, id, err)
}

// deleteMediaFiles deletes GridFS files and their chunks; failures are
// logged (an orphan file wastes space but breaks nothing).
func (db *DB) deleteMediaFiles(ctx context.Context, ids []bson.ObjectID) {
	if len(ids) == 0 {
		return
	}
	bucket := db.bucket()
	files := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	if _, err := db.deleteMany(ctx, bucket.GetFilesCollection(), files); err != nil {
		db.log.Error("mongodb: delete media files", "err", err)
	}
	chunks := bson.D{{Key: "files_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	if _, err := db.deleteMany(ctx, bucket.GetChunksCollection(), chunks); err != nil {
		db.log.Error("mongodb: delete media chunks", "err", err)
	}
}

// GetMedia returns one media. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetMedia(ctx context.Context, id string) (*cms.Media, error) {
	d, err := db.getMediaDoc(ctx, "mongodb.GetMedia", id)
	if err != nil {
		return nil, err
	}
	return d.media(), nil
}

func (db *DB) getMediaDoc(ctx context.Context, op, id string) (*mediaDoc, error) {
	oid, err := objectID(op, "id", id)
	if err != nil {
		return nil, err
	}
	var d mediaDoc
	if err := db.media.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, storeError(op, collMedia, err)
	}
	return &d, nil
}

// FindMediaByHash returns the media whose upload had that sha256 hash.
// Errors: KindNotFound, KindUnavailable, KindInternal.
func (db *DB) FindMediaByHash(ctx context.Context, hash string) (*cms.Media, error) {
	const op = "mongodb.FindMediaByHash"
	var d mediaDoc
	if err := db.media.FindOne(ctx, bson.D{{Key: "hash", Value: hash}}).Decode(&d); err != nil {
		return nil, storeError(op, collMedia, err)
	}
	return d.media(), nil
}

// ListMedia returns one page of media, newest first. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListMedia(ctx context.Context, f cms.MediaFilter) ([]*cms.Media, int, error) {
	const op = "mongodb.ListMedia"
	filter := bson.D{}
	if f.Query != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(f.Query), Options: "i"}
		filter = bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "filename", Value: re}}, bson.D{{Key: "alt", Value: re}}}}}
	}
	sort := bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}
	skip := (f.Page - 1) * f.Limit
	opts := options.Find().SetSort(sort).SetSkip(int64(skip)).SetLimit(int64(f.Limit))
	cur, err := db.media.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, storeError(op, collMedia, err)
	}
	var docs []mediaDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, storeError(op, collMedia, err)
	}
	n := int64(skip + len(docs))
	if len(docs) >= f.Limit || len(docs) == 0 && f.Page != 1 { // maybe not the last page: count
		if n, err = db.media.CountDocuments(ctx, filter); err != nil {
			return nil, 0, storeError(op, collMedia, err)
		}
	}
	out := make([]*cms.Media, len(docs))
	for i := range docs {
		out[i] = docs[i].media()
	}
	return out, int(n), nil
}

// UpdateMedia stores m's alt text (the only editable field) if the stored
// version is prevVersion. Errors: KindInvalid, KindNotFound, KindConflict,
// KindUnavailable, KindInternal.
func (db *DB) UpdateMedia(ctx context.Context, m *cms.Media, prevVersion int) error {
	const op = "mongodb.UpdateMedia"
	id, err := objectID(op, "id", m.ID)
	if err != nil {
		return err
	}
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "alt", Value: m.Alt}, {Key: "version", Value: m.Version}, {Key: "updatedAt", Value: toTime(m.UpdatedAt)}}}}
	return db.updateVersioned(ctx, op, db.media, id, prevVersion, update)
}

// DeleteMedia removes the metadata document (from then on the media is
// gone), then its files. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) DeleteMedia(ctx context.Context, id string) error {
	const op = "mongodb.DeleteMedia"
	d, err := db.getMediaDoc(ctx, op, id)
	if err != nil {
		return err
	}
	res, err := db.deleteOne(ctx, db.media, bson.D{{Key: "_id", Value: d.ID}})
	if err != nil {
		return storeError(op, collMedia, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op, collMedia)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), db.timeout)
	defer cancel()
	db.deleteMediaFiles(cctx, d.fileIDs())
	return nil
}

// OpenMediaVariant returns the named variant of media id and its bytes:
// the metadata is found by _id, the file by its id. Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) OpenMediaVariant(ctx context.Context, id, name string) (*cms.MediaVariant, []byte, error) {
	const op = "mongodb.OpenMediaVariant"
	d, err := db.getMediaDoc(ctx, op, id)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range d.Variants {
		if v.Name != name {
			continue
		}
		var buf bytes.Buffer
		buf.Grow(int(v.Bytes))
		if _, err := db.bucket().DownloadToStream(ctx, v.FileID, &buf); err != nil {
			if errors.Is(err, mongo.ErrFileNotFound) {
				return nil, nil, notFound(op, bucketMedia)
			}
			return nil, nil, storeError(op, bucketMedia, err)
		}
		out := d.media()
		for i := range out.Variants {
			if out.Variants[i].Name == name {
				return &out.Variants[i], buf.Bytes(), nil
			}
		}
	}
	return nil, nil, &cms.Error{Kind: cms.KindNotFound, Op: op, Message: "The media has no variant " + name + "."}
}
