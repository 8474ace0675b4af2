package mongodb

import (
	"context"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ContentFingerprint reads the id and version of every document the read
// model is built from, one projected scan per collection, and sums them
// up (cms.Fingerprint). The ids are those the domain values carry: the
// hex of an ObjectID, a quiz's slug; the settings document counts with
// id "". On MongoDB the scans send only ids and versions; FerretDB still
// reads each whole document inside the server, so on the embedded store
// the posts scan costs most of what reading the post heads does, but
// nothing is decoded or built in Lullaby. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ContentFingerprint(ctx context.Context) (cms.ContentFingerprint, error) {
	const op = "mongodb.ContentFingerprint"
	var fp cms.ContentFingerprint
	published := bson.D{{Key: "status", Value: string(cms.StatusPublished)}, {Key: "deletedAt", Value: nil}}
	for _, s := range []struct {
		coll   *mongo.Collection
		filter bson.D
		into   *cms.Fingerprint
	}{
		{db.posts, published, &fp.Posts}, {db.categories, bson.D{}, &fp.Categories},
		{db.settings, bson.D{{Key: "_id", Value: settingsID}}, &fp.Settings},
		{db.citations, bson.D{}, &fp.Citations}, {db.health, bson.D{}, &fp.CitationHealth},
		{db.lists, bson.D{}, &fp.Lists}, {db.quizzes, bson.D{}, &fp.Quizzes},
		{db.contentKeys, bson.D{}, &fp.ContentKeys}, {db.reviewers, bson.D{}, &fp.Reviewers},
		{db.users, bson.D{}, &fp.Users},
	} {
		if err := fingerprint(ctx, op, s.coll, s.filter, s.into, s.coll == db.settings); err != nil {
			return cms.ContentFingerprint{}, err
		}
	}
	return fp, nil
}

// versionDoc is the projection a fingerprint reads.
type versionDoc struct {
	ID      bson.RawValue `bson:"_id"`
	Version int           `bson:"version"`
}

// fingerprint adds the id and version of each document of coll matching
// filter to into; with anonymous, each counts with id "".
func fingerprint(ctx context.Context, op string, coll *mongo.Collection, filter bson.D, into *cms.Fingerprint, anonymous bool) error {
	proj := bson.D{{Key: "_id", Value: 1}, {Key: "version", Value: 1}}
	cur, err := coll.Find(ctx, filter, options.Find().SetProjection(proj))
	if err != nil {
		return storeError(op, coll.Name(), err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d versionDoc
		if err := cur.Decode(&d); err != nil {
			return storeError(op, coll.Name(), err)
		}
		id := ""
		if oid, ok := d.ID.ObjectIDOK(); ok && !anonymous {
			id = oid.Hex()
		} else if s, ok := d.ID.StringValueOK(); ok && !anonymous {
			id = s
		}
		into.Add(id, d.Version)
	}
	if err := cur.Err(); err != nil {
		return storeError(op, coll.Name(), err)
	}
	return nil
}
