package mongodb

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// A published post's pending edit (cms/pending.go) is one document in
// post_pending, keyed by the post's id, so that every save of it is one
// atomic write guarded by its own version, found by _id alone (one read
// when the editor opens a published post). It is kept apart from
// post_bodies, which the read model scans when many posts change: that
// scan stays the size of the published content. The collection holds
// only the posts being edited, so the version-filtered delete below, which
// FerretDB answers with a scan, scans a handful of documents.
//
// The fields are stored as the admin API sends them (a cms.PostInput in
// its JSON shape, turned into a document), so a field added to the input
// later is kept without a change here.

type pendingDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	Version     int           `bson:"version"`
	BaseVersion int           `bson:"baseVersion"`
	Fields      bson.Raw      `bson:"fields"`
	SavedAt     *time.Time    `bson:"savedAt"`
	SavedBy     string        `bson:"savedBy"`
}

func toPendingDoc(op string, id bson.ObjectID, e *cms.PendingEdit) (*pendingDoc, error) {
	in := e.Input
	in.Version = nil
	j, err := json.Marshal(&in)
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
	}
	var fields bson.Raw
	if err := bson.UnmarshalExtJSON(j, false, &fields); err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
	}
	return &pendingDoc{ID: id, Version: e.Version, BaseVersion: e.BaseVersion, Fields: fields,
		SavedAt: toTime(e.SavedAt), SavedBy: ref(e.SavedBy)}, nil
}

func (d *pendingDoc) pending(op string) (*cms.PendingEdit, error) {
	e := &cms.PendingEdit{PostID: d.ID.Hex(), Version: d.Version, BaseVersion: d.BaseVersion,
		SavedAt: fromTime(d.SavedAt), SavedBy: d.SavedBy}
	if len(d.Fields) > 0 {
		j, err := bson.MarshalExtJSON(d.Fields, false, false)
		if err != nil {
			return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
		}
		if err := json.Unmarshal(j, &e.Input); err != nil {
			return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
		}
	}
	e.Input.Version = nil
	return e, nil
}

// pendingConflict says the pending edit is not at the version expected.
func pendingConflict(op string) error {
	msg := "These unpublished changes were saved, published or discarded in another window; reload to see them."
	return &cms.Error{Kind: cms.KindConflict, Op: op, Message: msg, Fields: map[string]string{"pendingVersion": msg}}
}

// GetPending returns the pending edit of post postID. Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) GetPending(ctx context.Context, postID string) (*cms.PendingEdit, error) {
	const op = "mongodb.GetPending"
	pid, err := objectID(op, "id", postID)
	if err != nil {
		return nil, err
	}
	var d pendingDoc
	if err := db.pending.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Decode(&d); err != nil {
		return nil, storeError(op, collPending, err)
	}
	return d.pending(op)
}

// SavePending stores e as the pending edit of its post, replacing the one
// at prevVersion (0: inserting). Errors: KindInvalid, KindConflict
// (Fields["pendingVersion"]), KindUnavailable, KindInternal.
func (db *DB) SavePending(ctx context.Context, e *cms.PendingEdit, prevVersion int) error {
	const op = "mongodb.SavePending"
	pid, err := objectID(op, "id", e.PostID)
	if err != nil {
		return err
	}
	d, err := toPendingDoc(op, pid, e)
	if err != nil {
		return err
	}
	if prevVersion == 0 {
		if _, err := db.pending.InsertOne(ctx, d); err != nil {
			if duplicateKey(err) {
				return pendingConflict(op)
			}
			return storeError(op, collPending, err)
		}
		return nil
	}
	err = db.replaceVersioned(ctx, op, db.pending, pid, prevVersion, d)
	if k := cms.ErrorKind(err); k == cms.KindNotFound || k == cms.KindConflict {
		return pendingConflict(op)
	}
	return err
}

// DeletePending removes the pending edit of post postID if it is at
// version (0: any). Errors: KindInvalid, KindNotFound, KindConflict
// (Fields["pendingVersion"]), KindUnavailable, KindInternal.
func (db *DB) DeletePending(ctx context.Context, postID string, version int) error {
	const op = "mongodb.DeletePending"
	pid, err := objectID(op, "id", postID)
	if err != nil {
		return err
	}
	filter := bson.D{{Key: "_id", Value: pid}}
	if version != 0 {
		filter = append(filter, bson.E{Key: "version", Value: version})
	}
	res, err := db.deleteOne(ctx, db.pending, filter)
	if err != nil {
		return storeError(op, collPending, err)
	}
	if res.DeletedCount > 0 {
		return nil
	}
	err = db.pending.FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return notFound(op, collPending)
	case err != nil:
		return storeError(op, collPending, err)
	}
	return pendingConflict(op)
}
