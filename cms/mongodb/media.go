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
//
// Before the first variant it records a manifest: an empty file in the
// bucket whose metadata lists the ids every variant file will get. Should
// the process die part-way, the manifest is an unreferenced file that
// SweepMediaFiles finds, and with it the chunks of a variant file whose
// own files document was never written (GridFS writes that last).
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
	manifest := bson.NewObjectID()
	fileIDs := make([]bson.ObjectID, len(data))
	for i := range fileIDs {
		fileIDs[i] = bson.NewObjectID()
	}
	written := []bson.ObjectID{manifest}
	cleanup := func() {
		// Without the request's deadline: a canceled upload must still
		// clean up after itself.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), db.timeout)
		defer cancel()
		db.deleteMediaFiles(cctx, written)
	}
	if _, err := bucket.GetFilesCollection().InsertOne(ctx, manifestDoc(manifest, id, m.Filename, fileIDs)); err != nil {
		return nil, storeError(op, bucketMedia, err)
	}
	for i, v := range m.Variants {
		written = append(written, fileIDs[i])
		meta := options.GridFSUpload().SetMetadata(bson.D{
			{Key: "mediaId", Value: id}, {Key: "variant", Value: v.Name}, {Key: "contentType", Value: v.ContentType}})
		if err := bucket.UploadFromStreamWithID(ctx, fileIDs[i], m.Filename, data[i], meta); err != nil {
			cleanup()
			return nil, storeError(op, bucketMedia, err)
		}
	}
	_, err = db.media.InsertOne(ctx, toMediaDoc(id, m, fileIDs))
	if err == nil {
		// The manifest has served; if this delete fails, the sweep
		// removes it (never the files the media refers to).
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), db.timeout)
		defer cancel()
		db.deleteMediaFiles(cctx, []bson.ObjectID{manifest})
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

// manifestDoc is the files document of an upload's manifest: a GridFS
// file of no bytes whose metadata lists the upload's variant file ids.
func manifestDoc(id, mediaID bson.ObjectID, filename string, fileIDs []bson.ObjectID) bson.D {
	return bson.D{
		{Key: "_id", Value: id}, {Key: "length", Value: int64(0)}, {Key: "chunkSize", Value: int32(255 * 1024)},
		{Key: "uploadDate", Value: time.Now().UTC()}, {Key: "filename", Value: filename},
		{Key: "metadata", Value: bson.D{{Key: "mediaId", Value: mediaID}, {Key: "manifest", Value: true}, {Key: "fileIds", Value: fileIDs}}},
	}
}

// SweepMediaFiles deletes the bucket's files written before before that
// no media document refers to, with their chunks, and the chunks of the
// files their manifests list (see CreateMedia); it returns how many files
// documents it deleted. It reads every media document's variant ids and
// the ids of the older files, never the chunks. Errors: KindUnavailable,
// KindInternal.
func (db *DB) SweepMediaFiles(ctx context.Context, before time.Time) (int, error) {
	const op = "mongodb.SweepMediaFiles"
	// The files first, then the media: a file written and referenced in
	// between is newer than before, so it is not among the candidates.
	files := db.bucket().GetFilesCollection()
	cur, err := files.Find(ctx, bson.D{{Key: "uploadDate", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "metadata", Value: 1}}))
	if err != nil {
		return 0, storeError(op, bucketMedia, err)
	}
	var old []struct {
		ID       bson.ObjectID `bson:"_id"`
		Metadata struct {
			FileIDs []bson.ObjectID `bson:"fileIds"`
		} `bson:"metadata"`
	}
	if err := cur.All(ctx, &old); err != nil {
		return 0, storeError(op, bucketMedia, err)
	}
	if len(old) == 0 {
		return 0, nil
	}
	cur, err = db.media.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "variants", Value: 1}}))
	if err != nil {
		return 0, storeError(op, collMedia, err)
	}
	var docs []mediaDoc
	if err := cur.All(ctx, &docs); err != nil {
		return 0, storeError(op, collMedia, err)
	}
	used := map[bson.ObjectID]bool{}
	for i := range docs {
		for _, fid := range docs[i].fileIDs() {
			used[fid] = true
		}
	}
	var doomed []bson.ObjectID
	for _, f := range old {
		if used[f.ID] {
			continue
		}
		doomed = append(doomed, f.ID)
		for _, fid := range f.Metadata.FileIDs {
			if !used[fid] {
				doomed = append(doomed, fid)
			}
		}
	}
	if len(doomed) == 0 {
		return 0, nil
	}
	bucket := db.bucket()
	res, err := db.deleteMany(ctx, bucket.GetFilesCollection(), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: doomed}}}})
	if err != nil {
		return 0, storeError(op, bucketMedia, err)
	}
	if _, err := db.deleteMany(ctx, bucket.GetChunksCollection(), bson.D{{Key: "files_id", Value: bson.D{{Key: "$in", Value: doomed}}}}); err != nil {
		return int(res.DeletedCount), storeError(op, bucketMedia, err)
	}
	return int(res.DeletedCount), nil
}

// deleteMediaFiles deletes GridFS files and their chunks; failures are
// logged (an orphan file wastes space but breaks nothing, and
// SweepMediaFiles removes it later).
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

// CountMediaFiles returns how many documents the media bucket's files
// and chunks collections hold, for checks that an operation left nothing
// behind. Errors: KindUnavailable, KindInternal.
func (db *DB) CountMediaFiles(ctx context.Context) (files, chunks int64, err error) {
	const op = "mongodb.CountMediaFiles"
	b := db.bucket()
	if files, err = b.GetFilesCollection().CountDocuments(ctx, bson.D{}); err != nil {
		return 0, 0, storeError(op, bucketMedia, err)
	}
	if chunks, err = b.GetChunksCollection().CountDocuments(ctx, bson.D{}); err != nil {
		return 0, 0, storeError(op, bucketMedia, err)
	}
	return files, chunks, nil
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
	var and bson.A
	if f.Query != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(f.Query), Options: "i"}
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "filename", Value: re}}, bson.D{{Key: "alt", Value: re}}}}})
	}
	if f.MissingAlt {
		and = append(and, bson.D{{Key: "alt", Value: bson.Regex{Pattern: `^\s*$`}}})
	}
	filter := bson.D{}
	if len(and) > 0 {
		filter = bson.D{{Key: "$and", Value: and}}
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
