package mongodb

import (
	"context"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The scheduled backups keep two kinds of documents in the state
// collection: one claim per slot, "backupClaim:<slot>" (the slot in UTC,
// fixed width, so that ids sort by time), and the status, "backupStatus".
// Neither is part of a dump: they describe this database's backups, not
// its content.
const (
	backupClaimPrefix = "backupClaim:"
	backupStatusID    = "backupStatus"
	claimStamp        = "20060102T150405.000Z"
)

type backupClaimDoc struct {
	ID     string    `bson:"_id"`
	Holder string    `bson:"holder"`
	At     time.Time `bson:"at"`
}

type backupRunDoc struct {
	Slot  *time.Time `bson:"slot"`
	At    *time.Time `bson:"at"`
	File  string     `bson:"file,omitempty"`
	Size  int64      `bson:"size,omitempty"`
	Error string     `bson:"error,omitempty"`
}

type backupStatusDoc struct {
	ID          string        `bson:"_id"`
	LastSuccess *backupRunDoc `bson:"lastSuccess,omitempty"`
	LastFailure *backupRunDoc `bson:"lastFailure,omitempty"`
}

// ClaimBackup takes the backup due at slot for holder by inserting the
// slot's claim: an insert under a unique id is atomic on MongoDB and on
// FerretDB alike, however many processes race (an update filtered on a
// "last slot" field is not, on FerretDB: see write.go). A claim of a
// later slot refuses it too, so an instance whose clock lags cannot back
// up a slot already passed; claims of earlier slots are then deleted.
// Errors: KindUnavailable, KindInternal.
func (db *DB) ClaimBackup(ctx context.Context, slot time.Time, holder string) (bool, error) {
	const op = "mongodb.ClaimBackup"
	id := backupClaimPrefix + slot.UTC().Format(claimStamp)
	later := bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: id}, {Key: "$lt", Value: backupClaimPrefix + "~"}}}}
	err := db.state.FindOne(ctx, later).Err()
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, mongo.ErrNoDocuments):
		return false, storeError(op, collState, err)
	}
	_, err = db.state.InsertOne(ctx, backupClaimDoc{ID: id, Holder: holder, At: now()})
	switch {
	case duplicateKey(err):
		return false, nil
	case err != nil:
		return false, storeError(op, collState, err)
	}
	earlier := bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: backupClaimPrefix}, {Key: "$lt", Value: id}}}}
	if _, err := db.deleteMany(ctx, db.state, earlier); err != nil {
		db.log.Debug("deleting the claims of earlier backups", "err", err) // they are tiny; the next claim retries
	}
	return true, nil
}

// ReleaseBackup deletes holder's claim of slot. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ReleaseBackup(ctx context.Context, slot time.Time, holder string) error {
	filter := bson.D{{Key: "_id", Value: backupClaimPrefix + slot.UTC().Format(claimStamp)}, {Key: "holder", Value: holder}}
	_, err := db.deleteOne(ctx, db.state, filter)
	return storeError("mongodb.ReleaseBackup", collState, err)
}

// RecordBackup stores run as the last success or the last failure, unless
// that one is of a later slot. Errors: KindUnavailable, KindInternal.
func (db *DB) RecordBackup(ctx context.Context, run cms.BackupRun) error {
	const op = "mongodb.RecordBackup"
	field := "lastFailure"
	if run.OK() {
		field = "lastSuccess"
	}
	doc := backupRunDoc{Slot: toTime(run.Slot), At: toTime(run.At), File: run.File, Size: run.Size, Error: run.Error}
	// The slot is also kept at the top level: the store's filters (and
	// their narrowing on FerretDB, narrow.go) take no dotted paths.
	filter := bson.D{
		{Key: "_id", Value: backupStatusID},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: field + "Slot", Value: nil}},
			bson.D{{Key: field + "Slot", Value: bson.D{{Key: "$lte", Value: doc.Slot}}}},
		}},
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: doc}, {Key: field + "Slot", Value: doc.Slot}}}}
	_, err := db.updateOne(ctx, db.state, filter, update, options.UpdateOne().SetUpsert(true))
	if duplicateKey(err) { // the status holds a run of a later slot
		return nil
	}
	return storeError(op, collState, err)
}

// BackupStatus returns the runs RecordBackup stored. Errors:
// KindUnavailable, KindInternal.
func (db *DB) BackupStatus(ctx context.Context) (cms.BackupStatus, error) {
	var d backupStatusDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: backupStatusID}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return cms.BackupStatus{}, nil
	case err != nil:
		return cms.BackupStatus{}, storeError("mongodb.BackupStatus", collState, err)
	}
	return cms.BackupStatus{LastSuccess: fromBackupRun(d.LastSuccess), LastFailure: fromBackupRun(d.LastFailure)}, nil
}

func fromBackupRun(d *backupRunDoc) *cms.BackupRun {
	if d == nil {
		return nil
	}
	return &cms.BackupRun{Slot: fromTime(d.Slot), At: fromTime(d.At), File: d.File, Size: d.Size, Error: d.Error}
}
