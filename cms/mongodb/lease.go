package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A lease is a sequence of terms, one document each in the state
// collection: {_id: "lease:<name>:<term, 20 digits>", term, holder,
// expiresAt}. The term with the greatest number is the lease; a take or a
// renewal inserts the next term. An insert under a unique _id is atomic on
// every engine, where an update filtered on the holder or the expiry is
// not on FerretDB (it reads the document and writes it back, so two
// processes could both find the lease expired and both take it: see
// write.go). Two instances after the same term insert the same _id, and
// one of them gets a duplicate key.
type leaseDoc struct {
	ID        string    `bson:"_id"`
	Term      int64     `bson:"term"`
	Holder    string    `bson:"holder"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// leasePruneEvery is how many terms go by between deletions of the old
// ones.
const leasePruneEvery = 32

func leaseTermID(name string, term int64) string {
	return fmt.Sprintf("%s%s:%020d", leasePrefix, name, term)
}

// AcquireLease takes or renews the named lease for holder until now+ttl if
// it is free, expired or already held by holder, and reports whether holder
// holds it now. Errors: KindUnavailable, KindInternal.
//
// It reads the latest term and, if holder may have the lease, inserts the
// next one; then reads the latest term again. The second read matters
// once old terms are deleted: an instance that read an old term, stalled,
// and inserted its successor into a slot deleted meanwhile finds a later
// term of another holder and does not hold the lease. Terms are only
// deleted below a term that exists, so the latest one never goes.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	const op = "mongodb.AcquireLease"
	t := now()
	cur, err := db.latestTerm(ctx, name)
	if err != nil {
		return false, storeError(op, collState, err)
	}
	if cur.Term > 0 && cur.Holder != holder && cur.ExpiresAt.After(t) {
		return false, nil
	}
	next := leaseDoc{ID: leaseTermID(name, cur.Term+1), Term: cur.Term + 1, Holder: holder, ExpiresAt: t.Add(ttl)}
	if _, err := db.state.InsertOne(ctx, next); duplicateKey(err) {
		return false, nil // another instance took this term first
	} else if err != nil {
		return false, storeError(op, collState, err)
	}
	latest, err := db.latestTerm(ctx, name)
	if err != nil {
		return false, storeError(op, collState, err)
	}
	if latest.Holder != holder || !now().Before(next.ExpiresAt) {
		return false, nil
	}
	if next.Term%leasePruneEvery == 0 {
		db.pruneTerms(ctx, name, next.ID)
	}
	return true, nil
}

// latestTerm returns the named lease's latest term; Term 0 if it has
// none.
func (db *DB) latestTerm(ctx context.Context, name string) (leaseDoc, error) {
	prefix := leasePrefix + name + ":"
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: prefix}, {Key: "$lt", Value: prefix + "~"}}}}
	var d leaseDoc
	err := db.state.FindOne(ctx, filter, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return leaseDoc{}, nil
	}
	return d, err
}

// pruneTerms deletes the named lease's terms before the term before, and
// the document an earlier version kept the whole lease in
// ("lease:<name>"). A failure waits for the next prune.
func (db *DB) pruneTerms(ctx context.Context, name, before string) {
	prefix := leasePrefix + name + ":"
	old := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: prefix}, {Key: "$lt", Value: before}}}},
		bson.D{{Key: "_id", Value: leasePrefix + name}},
	}}}
	if _, err := db.deleteMany(ctx, db.state, old); err != nil {
		db.log.Warn("cannot delete a lease's old terms", "lease", name, "err", storeError("mongodb.AcquireLease", collState, err))
	}
}
