package mongodb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// setMediaFiles is the dump set of the media bucket's files documents.
const setMediaFiles = "media.files"

var _ cms.Dumper = (*DB)(nil)

// dumpOrder lists the sets of a dump: documents are stored as they are,
// in MongoDB's canonical Extended JSON, which keeps every type (ids,
// 32- and 64-bit numbers, dates to the millisecond), so a load is exact.
//
// What is left out is derived or in flight: the webhook outbox (events,
// messages, payloads, deliveries), the readers seen today
// (post_view_keys), leases and sign-in attempts. Webhook endpoints carry
// their signing secrets, so they travel only with opts.WithUsers, as the
// store's own secrets do.
var dumpOrder = []string{
	collUsers, collCategories, collCitations, collHealth, collReviewers, collPosts, collBodies, collRevisions, collPending,
	collLists, collQuizzes, collQuizResults, collViews, collSettings, collContentKeys, collMedia, setMediaFiles, collWebhooks, collState,
}

// DumpSets returns the names of the sets, in dump and load order.
func (db *DB) DumpSets() []string { return append([]string(nil), dumpOrder...) }

func (db *DB) dumpColl(op, set string) (*mongo.Collection, error) {
	if set == setMediaFiles {
		return db.bucket().GetFilesCollection(), nil
	}
	for _, s := range dumpOrder {
		if s == set {
			return db.db.Collection(set), nil
		}
	}
	return nil, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: fmt.Sprintf("There is no set of documents called %q.", set)}
}

// Dump calls line with each document of set, in _id order, as one line of
// canonical Extended JSON. Without opts.WithUsers, users lose their
// password hash (stored as ""), two-factor settings and sessions, and the
// store's secrets and the webhook endpoints (which hold signing secrets)
// are left out; leases are always left out.
func (db *DB) Dump(ctx context.Context, set string, opts cms.DumpOptions, line func([]byte) error) (int64, error) {
	const op = "mongodb.Dump"
	coll, err := db.dumpColl(op, set)
	if err != nil {
		return 0, err
	}
	cur, err := coll.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, storeError(op, set, err)
	}
	defer cur.Close(ctx)
	var n int64
	for cur.Next(ctx) {
		var d bson.D
		if err := bson.Unmarshal(cur.Current, &d); err != nil {
			return n, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
		}
		if !keep(set, d, opts) {
			continue
		}
		if set == collUsers && !opts.WithUsers {
			d = withoutSecrets(d)
		}
		b, err := bson.MarshalExtJSON(d, true, false)
		if err != nil {
			return n, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
		}
		if err := line(b); err != nil {
			return n, err
		}
		n++
	}
	return n, storeError(op, set, cur.Err())
}

// keep reports whether document d of set belongs in a dump.
func keep(set string, d bson.D, opts cms.DumpOptions) bool {
	if set == collWebhooks {
		return opts.WithUsers
	}
	if set != collState {
		return true
	}
	id, _ := lookup(d, "_id").(string)
	if strings.HasPrefix(id, leasePrefix) || strings.HasPrefix(id, attemptPrefix) || strings.HasPrefix(id, backupClaimPrefix) || id == backupStatusID ||
		strings.HasPrefix(id, migrationPrefix) {
		return false
	}
	return opts.WithUsers || !strings.HasPrefix(id, secretPrefix)
}

// withoutSecrets returns user document d without its password hash,
// two-factor settings and sessions.
func withoutSecrets(d bson.D) bson.D {
	out := make(bson.D, 0, len(d))
	for _, e := range d {
		switch e.Key {
		case "twoFactor", "revokedSessions":
			continue
		case "passwordHash":
			e.Value = ""
		}
		out = append(out, e)
	}
	return out
}

func lookup(d bson.D, key string) any {
	for _, e := range d {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

// DumpFileParts calls part with each chunk of the media bucket, in the
// order the database returns them. Fetching file by file would make
// FerretDB, which finds chunks by files_id with a scan, read the whole
// bucket once per file.
func (db *DB) DumpFileParts(ctx context.Context, part func(id string, n int, data []byte) error) error {
	const op = "mongodb.DumpFileParts"
	cur, err := db.bucket().GetChunksCollection().Find(ctx, bson.D{})
	if err != nil {
		return storeError(op, bucketMedia, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var c struct {
			FilesID bson.ObjectID `bson:"files_id"`
			N       int           `bson:"n"`
			Data    []byte        `bson:"data"`
		}
		if err := cur.Decode(&c); err != nil {
			return &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
		}
		if err := part(c.FilesID.Hex(), c.N, c.Data); err != nil {
			return err
		}
	}
	return storeError(op, bucketMedia, cur.Err())
}

// ParseDump checks that line is a document of set with an _id and returns
// what DumpDoc says about it.
func (db *DB) ParseDump(set string, line []byte) (cms.DumpDoc, error) {
	const op = "mongodb.ParseDump"
	if _, err := db.dumpColl(op, set); err != nil {
		return cms.DumpDoc{}, err
	}
	d, id, err := parseLine(op, line)
	if err != nil {
		return cms.DumpDoc{}, err
	}
	doc := cms.DumpDoc{ID: idString(id), Raw: line}
	if set == setMediaFiles {
		oid, ok := id.(bson.ObjectID)
		if !ok {
			return doc, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "A media file's id is not an object id."}
		}
		doc.ID = oid.Hex()
		doc.Name, _ = lookup(d, "filename").(string)
		doc.ChunkSize, _ = lookup(d, "chunkSize").(int32)
		switch n := lookup(d, "length").(type) {
		case int64:
			doc.Size = n
		case int32:
			doc.Size = int64(n)
		default:
			return doc, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "A media file has no length."}
		}
		if doc.Size < 0 || doc.ChunkSize <= 0 {
			return doc, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "A media file has a negative length or no chunk size."}
		}
	}
	return doc, nil
}

func parseLine(op string, line []byte) (bson.D, any, error) {
	var d bson.D
	if err := bson.UnmarshalExtJSON(line, true, &d); err != nil {
		return nil, nil, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "A document is not valid Extended JSON.", Err: err}
	}
	id := lookup(d, "_id")
	if id == nil {
		return nil, nil, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "A document has no _id."}
	}
	return d, id, nil
}

func idString(id any) string {
	if oid, ok := id.(bson.ObjectID); ok {
		return oid.Hex()
	}
	return fmt.Sprint(id)
}

// Counts returns how many documents each set holds; the state collection
// (counters, leases, secrets every store makes) is left out.
func (db *DB) Counts(ctx context.Context) (map[string]int64, error) {
	const op = "mongodb.Counts"
	out := map[string]int64{}
	for _, set := range dumpOrder {
		if set == collState {
			continue
		}
		coll, _ := db.dumpColl(op, set)
		n, err := coll.CountDocuments(ctx, bson.D{})
		if err != nil {
			return nil, storeError(op, set, err)
		}
		out[set] = n
	}
	return out, nil
}

// Load inserts one dumped document of set. A document whose _id exists is
// left alone (LoadedBefore), so a load can be repeated; one whose unique
// value (slug, email, key) another document holds is not written
// (LoadClash).
func (db *DB) Load(ctx context.Context, set string, line []byte) (cms.LoadResult, error) {
	const op = "mongodb.Load"
	coll, err := db.dumpColl(op, set)
	if err != nil {
		return 0, err
	}
	d, id, err := parseLine(op, line)
	if err != nil {
		return 0, err
	}
	res, err := db.insertDumped(ctx, op, coll, d, id)
	if err == nil && res == cms.Loaded && set == collBodies {
		err = storeError(op, collState, db.bodiesLoaded(ctx, []bson.D{d}))
	}
	return res, err
}

// LoadMany inserts dumped documents of set with one command, for a tool
// filling a fresh database in bulk (cmd/lullaby-bench seeds tens of
// thousands of posts with it). Unlike Load it does not tell a document
// stored before from a clash: a duplicate key fails the call, after the
// other documents are inserted.
func (db *DB) LoadMany(ctx context.Context, set string, lines [][]byte) error {
	const op = "mongodb.LoadMany"
	coll, err := db.dumpColl(op, set)
	if err != nil {
		return err
	}
	docs := make([]any, len(lines))
	parsed := make([]bson.D, len(lines))
	for i, line := range lines {
		if parsed[i], _, err = parseLine(op, line); err != nil {
			return err
		}
		docs[i] = parsed[i]
	}
	_, err = coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if set == collBodies {
		err = errors.Join(err, db.bodiesLoaded(ctx, parsed))
	}
	return storeError(op, coll.Name(), err)
}

func (db *DB) insertDumped(ctx context.Context, op string, coll *mongo.Collection, d bson.D, id any) (cms.LoadResult, error) {
	_, err := coll.InsertOne(ctx, d)
	switch {
	case err == nil:
		return cms.Loaded, nil
	case !duplicateKey(err):
		return 0, storeError(op, coll.Name(), err)
	}
	switch err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err(); {
	case err == nil:
		return cms.LoadedBefore, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return cms.LoadClash, nil
	default:
		return 0, storeError(op, coll.Name(), err)
	}
}

// LoadFile writes the bytes of the media file doc describes, from r, then
// its files document, unless that document exists. Chunks get the id
// "<file id>:<n>", so that a chunk written by an interrupted load is
// found again by id (GridFS reads chunks by files_id and n only).
func (db *DB) LoadFile(ctx context.Context, doc cms.DumpDoc, r io.Reader) (bool, error) {
	const op = "mongodb.LoadFile"
	d, id, err := parseLine(op, doc.Raw)
	if err != nil {
		return false, err
	}
	b := db.bucket()
	files, chunks := b.GetFilesCollection(), b.GetChunksCollection()
	switch err := files.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err(); {
	case err == nil:
		return false, nil
	case !errors.Is(err, mongo.ErrNoDocuments):
		return false, storeError(op, bucketMedia, err)
	}
	buf := make([]byte, doc.ChunkSize)
	var total int64
	for n := int32(0); ; n++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			total += int64(k)
			c := bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%d", doc.ID, n)}, {Key: "files_id", Value: id}, {Key: "n", Value: n},
				{Key: "data", Value: bson.Binary{Data: buf[:k]}}}
			if _, err := chunks.InsertOne(ctx, c); err != nil && !duplicateKey(err) {
				return false, storeError(op, bucketMedia, err)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return false, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "Cannot read a media file.", Err: err}
		}
	}
	if total != doc.Size {
		return false, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: fmt.Sprintf("The media file %s has %d bytes, not %d.", doc.ID, total, doc.Size)}
	}
	if _, err := db.insertDumped(ctx, op, files, d, id); err != nil {
		return false, err
	}
	return true, nil
}
