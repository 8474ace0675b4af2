package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// A content_keys document is one content key: its hash, never the secret.
type contentKeyDoc struct {
	ID            bson.ObjectID `bson:"_id"`
	Name          string        `bson:"name"`
	Prefix        string        `bson:"prefix"`
	Hash          string        `bson:"hash"`
	Origins       []string      `bson:"origins"`
	RateLimit     int           `bson:"rateLimit"`
	CreatedBy     string        `bson:"createdBy"`
	CreatedByName string        `bson:"createdByName"`
	CreatedAt     *time.Time    `bson:"createdAt"`
	RevokedAt     *time.Time    `bson:"revokedAt"`
	Version       int           `bson:"version"`
}

func toContentKeyDoc(id bson.ObjectID, k *cms.ContentKey) *contentKeyDoc {
	d := &contentKeyDoc{ID: id, Name: k.Name, Prefix: k.Prefix, Hash: k.Hash, Origins: strs(k.Origins), RateLimit: k.RateLimit,
		CreatedBy: ref(k.CreatedBy), CreatedByName: k.CreatedByName, CreatedAt: toTime(k.CreatedAt), Version: k.Version}
	if k.RevokedAt != nil {
		d.RevokedAt = toTime(*k.RevokedAt)
	}
	return d
}

func (d *contentKeyDoc) contentKey() *cms.ContentKey {
	k := &cms.ContentKey{ID: d.ID.Hex(), Name: d.Name, Prefix: d.Prefix, Hash: d.Hash, Origins: strs(d.Origins), RateLimit: d.RateLimit,
		CreatedBy: d.CreatedBy, CreatedByName: d.CreatedByName, CreatedAt: fromTime(d.CreatedAt), Version: d.Version}
	if d.RevokedAt != nil {
		at := d.RevokedAt.UTC()
		k.RevokedAt = &at
	}
	return k
}

// CreateContentKey inserts k. Errors: KindInvalid (a malformed id),
// KindConflict (the id exists), KindUnavailable, KindInternal.
func (db *DB) CreateContentKey(ctx context.Context, k *cms.ContentKey) error {
	const op = "mongodb.CreateContentKey"
	oid, err := objectID(op, "id", k.ID)
	if err != nil {
		return err
	}
	_, err = db.contentKeys.InsertOne(ctx, toContentKeyDoc(oid, k))
	return insertError(ctx, op, db.contentKeys, oid, err)
}

// RevokeContentKey sets the key's revokedAt, once: a key revoked already
// is returned as it is. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) RevokeContentKey(ctx context.Context, id string, at time.Time) (*cms.ContentKey, error) {
	const op = "mongodb.RevokeContentKey"
	for {
		k, err := findByID(ctx, op, db.contentKeys, id, (*contentKeyDoc).contentKey)
		if err != nil || k.Revoked() {
			return k, err
		}
		oid, _ := objectID(op, "id", id) // parsed by findByID
		update := bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: toTime(at)}, {Key: "version", Value: k.Version + 1}}}}
		err = db.updateVersioned(ctx, op, db.contentKeys, oid, k.Version, update)
		if cms.IsKind(err, cms.KindConflict) {
			continue // revoked meanwhile: read it again
		}
		if err != nil {
			return nil, err
		}
		k.RevokedAt, k.Version = toTime(at), k.Version+1
		return k, nil
	}
}

// ListContentKeys returns every content key, oldest first. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListContentKeys(ctx context.Context) ([]*cms.ContentKey, error) {
	return findAll(ctx, "mongodb.ListContentKeys", db.contentKeys, bson.D{{Key: "_id", Value: 1}}, (*contentKeyDoc).contentKey)
}
