package mongodb

import (
	"context"
	"errors"
	"slices"
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
// It takes it out only where that is safe: before it removes or replaces
// anything it reads which posts have their current revision stored
// (postsWithRevision), and a body document of any other post (its
// revision lost, or no post at all) keeps its Markdown, which is then the
// only copy of it. Such a post stays as the earlier version left it: the
// public API serves its HTML, the editor its Markdown from the body
// (lastBody), and its next save stores a current revision and makes its
// body lean (saveBody); the migration names it in an error in the log.
// Keeping is safer than failing: a failed migration would stop every
// start, over a post nobody could repair without a start, while keeping
// loses nothing and costs only that document's Markdown read at starts.
//
// On MongoDB (and a FerretDB server other processes may share) one update
// per 1,000 checked documents unsets it in place, which is safe to
// interrupt, to repeat and to run on several instances at once. The
// embedded FerretDB rewrites a document in ~5-10 ms, minutes for a large
// site, so there the process, which holds the data folder alone, copies
// the bodies without their Markdown (those it keeps with it) into a new
// collection in bulk and puts it in the old one's place, in steps
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
	var kept []string
	if db.emb == nil {
		kept, err = db.unsetMarkdown(ctx)
	} else {
		kept, err = db.copyLeanBodies(ctx, m.Phase == phaseCopied)
	}
	if err != nil {
		return storeError(op, collBodies, err)
	}
	if len(kept) > 0 {
		db.log.Error("mongodb: body documents whose post has no current revision stored keep their Markdown, its only copy; saving the post stores one",
			"posts", kept)
	}
	db.log.Info("mongodb: post bodies migrated: the Markdown is read from the current revision only", "took", time.Since(start).Round(time.Millisecond))
	return db.setMigration(ctx, phaseDone)
}

// postsWithRevision returns the ids of the posts whose current revision
// (contentId) is stored, from one scan of the posts and one of the
// revisions, ids only: their body documents' Markdown may go.
func (db *DB) postsWithRevision(ctx context.Context) (map[bson.ObjectID]bool, error) {
	var posts []postDoc
	cur, err := db.posts.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "contentId", Value: 1}}))
	if err == nil {
		err = cur.All(ctx, &posts)
	}
	if err != nil {
		return nil, err
	}
	var revs []struct {
		ID bson.ObjectID `bson:"_id"`
	}
	cur, err = db.revisions.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err == nil {
		err = cur.All(ctx, &revs)
	}
	if err != nil {
		return nil, err
	}
	stored := make(map[bson.ObjectID]bool, len(revs))
	for _, r := range revs {
		stored[r.ID] = true
	}
	out := make(map[bson.ObjectID]bool, len(posts))
	for _, p := range posts {
		if !p.ContentID.IsZero() && stored[p.ContentID] {
			out[p.ID] = true
		}
	}
	return out, nil
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

// unsetMarkdown removes the Markdown from the body documents of the
// posts whose current revision is stored, in place, and returns the ids
// of the posts whose body documents keep it.
func (db *DB) unsetMarkdown(ctx context.Context) ([]string, error) {
	safe, err := db.postsWithRevision(ctx)
	if err != nil {
		return nil, err
	}
	hasMarkdown := bson.D{{Key: "body", Value: bson.D{{Key: "$exists", Value: true}}}}
	cur, err := db.bodies.Find(ctx, hasMarkdown, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []bodyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	var lean []bson.ObjectID
	var kept []string
	for _, d := range docs {
		if safe[d.ID] {
			lean = append(lean, d.ID)
		} else {
			kept = append(kept, d.ID.Hex())
		}
	}
	unlock, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for ids := range slices.Chunk(lean, 1000) {
		filter := append(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, hasMarkdown...)
		if _, err := db.bodies.UpdateMany(ctx, filter, bson.D{{Key: "$unset", Value: bson.D{{Key: "body", Value: ""}}}}); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// copyLeanBodies copies every body document into leanBodiesColl, without
// its Markdown when its post's current revision is stored (unless copied
// says that is done), and puts that collection in place of post_bodies.
// It returns the ids of the posts whose body documents keep the Markdown.
func (db *DB) copyLeanBodies(ctx context.Context, copied bool) ([]string, error) {
	lean := db.db.Collection(leanBodiesColl)
	var kept []string
	if !copied {
		safe, err := db.postsWithRevision(ctx)
		if err != nil {
			return nil, err
		}
		if err := lean.Drop(ctx); err != nil { // half a copy, from an interrupted start
			return nil, err
		}
		if kept, err = db.copyBodies(ctx, lean, safe); err != nil {
			return nil, err
		}
		if err := db.setMigration(ctx, phaseCopied); err != nil {
			return nil, err
		}
	}
	names, err := db.db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: leanBodiesColl}})
	if err != nil || len(names) == 0 {
		return kept, err // none: swapped already, by a start stopped right after
	}
	if err := db.bodies.Drop(ctx); err != nil {
		return nil, err
	}
	rename := bson.D{{Key: "renameCollection", Value: db.db.Name() + "." + leanBodiesColl}, {Key: "to", Value: db.db.Name() + "." + collBodies}}
	return kept, db.client.Database("admin").RunCommand(ctx, rename).Err()
}

// copyBodies inserts each body document into lean, without its Markdown
// when safe holds its post, else as it is, and returns the ids of those
// copied with their Markdown.
func (db *DB) copyBodies(ctx context.Context, lean *mongo.Collection, safe map[bson.ObjectID]bool) ([]string, error) {
	cur, err := db.bodies.Find(ctx, bson.D{})
	if err != nil {
		return nil, err
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
	var kept []string
	for cur.Next(ctx) {
		var d bodyDoc
		if err := cur.Decode(&d); err != nil {
			return nil, err
		}
		var doc any = d
		switch _, err := cur.Current.LookupErr("body"); {
		case safe[d.ID]:
			d.Body = ""
			doc = d
		case err == nil:
			doc = slices.Clone(cur.Current) // as it is: its Markdown has no other copy
			kept = append(kept, d.ID.Hex())
		}
		if batch = append(batch, doc); len(batch) == copyBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, err
	}
	return kept, flush()
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
