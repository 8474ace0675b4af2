package mongodb

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Body documents (post_bodies) once held the Markdown beside the HTML.
// The read model loads them all at every start, and FerretDB decodes a
// whole document even to return part of it, so the Markdown, which no
// reader there needs, cost the start half its reading: at 10,000 posts of
// 8,000 bytes, 189 MB read rather than 100. The editor reads the Markdown
// from the current revision, which every save stores before its commit
// point and no pruning removes; migrate takes it out of the body
// documents once.
//
// On MongoDB (and a FerretDB server other processes may share) one update
// unsets it in place, which is safe to interrupt, to repeat and to run on
// several instances at once. The embedded FerretDB rewrites a document in
// ~5-10 ms, minutes for a large site, so there the process, which holds
// the data folder alone, copies the bodies without their Markdown into a
// new collection in bulk and puts it in the old one's place, in steps
// recorded in the state document migrationLeanBodies: a start that finds
// the copy made ("copied") finishes the swap, one that finds it half made
// makes it again. Done, the document says so, and later starts read only
// it. A restore that brings body documents of the old shape back removes
// it (Load), so the next start migrates them.

// migrationPrefix starts the _id of the state documents that record a
// migration. Dumps leave them out: they describe this database's
// documents, which a restore elsewhere may not bring.
const migrationPrefix = "migration:"

// migrationLeanBodies is the state document of the body migration.
const migrationLeanBodies = migrationPrefix + "leanBodies"

// Phases of the body migration.
const (
	phaseCopied = "copied" // the lean copy is whole; the swap may be unfinished
	phaseDone   = "done"
)

// leanBodiesColl is the collection the embedded migration copies into.
const leanBodiesColl = collBodies + "_lean"

// copyBatch is the number of body documents one insert of the copy holds.
const copyBatch = 500

type migrationDoc struct {
	Phase string `bson:"phase"`
}

// migrate brings documents written by earlier versions to the current
// shape; see above.
func (db *DB) migrate(ctx context.Context) error {
	const op = "mongodb.Open"
	var m migrationDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: migrationLeanBodies}}).Decode(&m)
	switch {
	case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
		return storeError(op, collState, err)
	case m.Phase == phaseDone:
		return nil
	}
	start := time.Now()
	if m.Phase != phaseCopied {
		// Nothing to do for a database without an old body (new, or
		// migrated and then given this state by a restore).
		err := db.bodies.FindOne(ctx, bson.D{{Key: "body", Value: bson.D{{Key: "$exists", Value: true}}}},
			options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			return db.setMigration(ctx, phaseDone)
		case err != nil:
			return storeError(op, collBodies, err)
		}
	}
	if db.emb == nil {
		err = db.unsetMarkdown(ctx)
	} else {
		err = db.copyLeanBodies(ctx, m.Phase == phaseCopied)
	}
	if err != nil {
		return storeError(op, collBodies, err)
	}
	db.log.Info("mongodb: post bodies migrated: the Markdown is read from the current revision only", "took", time.Since(start).Round(time.Millisecond))
	return db.setMigration(ctx, phaseDone)
}

// setMigration records the phase of the body migration.
func (db *DB) setMigration(ctx context.Context, phase string) error {
	_, err := db.updateOne(ctx, db.state, bson.D{{Key: "_id", Value: migrationLeanBodies}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "phase", Value: phase}, {Key: "at", Value: time.Now().UTC()}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !duplicateKey(err) { // another instance wrote it first
		return storeError("mongodb.Open", collState, err)
	}
	return nil
}

// unsetMarkdown removes the Markdown from every body document in place.
func (db *DB) unsetMarkdown(ctx context.Context) error {
	unlock, err := db.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = db.bodies.UpdateMany(ctx, bson.D{{Key: "body", Value: bson.D{{Key: "$exists", Value: true}}}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "body", Value: ""}}}})
	return err
}

// copyLeanBodies copies every body document without its Markdown into
// leanBodiesColl (unless copied says that is done) and puts that
// collection in place of post_bodies.
func (db *DB) copyLeanBodies(ctx context.Context, copied bool) error {
	lean := db.db.Collection(leanBodiesColl)
	if !copied {
		if err := lean.Drop(ctx); err != nil { // half a copy, from an interrupted start
			return err
		}
		if err := db.copyBodies(ctx, lean); err != nil {
			return err
		}
		if err := db.setMigration(ctx, phaseCopied); err != nil {
			return err
		}
	}
	names, err := db.db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: leanBodiesColl}})
	if err != nil || len(names) == 0 {
		return err // none: swapped already, by a start stopped right after
	}
	if err := db.bodies.Drop(ctx); err != nil {
		return err
	}
	rename := bson.D{{Key: "renameCollection", Value: db.db.Name() + "." + leanBodiesColl}, {Key: "to", Value: db.db.Name() + "." + collBodies}}
	return db.client.Database("admin").RunCommand(ctx, rename).Err()
}

// copyBodies inserts each body document, without its Markdown, into lean.
func (db *DB) copyBodies(ctx context.Context, lean *mongo.Collection) error {
	cur, err := db.bodies.Find(ctx, bson.D{}, options.Find().SetProjection(bodyHTML))
	if err != nil {
		return err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	batch := make([]any, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := lean.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		var d bodyDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		if batch = append(batch, d); len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return err
	}
	return flush()
}

// bodiesLoaded is told of body documents a restore inserted: one of the
// old shape makes the next start migrate again.
func (db *DB) bodiesLoaded(ctx context.Context, docs []bson.D) error {
	for _, d := range docs {
		if lookup(d, "body") != nil {
			_, err := db.deleteOne(ctx, db.state, bson.D{{Key: "_id", Value: migrationLeanBodies}})
			return err
		}
	}
	return nil
}
