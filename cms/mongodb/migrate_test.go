package mongodb_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// migrationID is the state document that records the body migration.
const migrationID = "migration:leanBodies"

// mustPublishedPosts stores n published posts, the first saved twice, and
// returns them as GetPost reads them.
func mustPublishedPosts(tb testing.TB, db *mongodb.DB, n int) []*cms.Post {
	tb.Helper()
	var out []*cms.Post
	for i := range n {
		p, rev := newPost(fmt.Sprintf("Migrated %d", i), fmt.Sprintf("migrated-%d", i), t0)
		p.Status, p.PublishedAt = cms.StatusPublished, t0.Add(time.Duration(i)*time.Hour)
		MustCreatePost(tb, db, p, rev)
		if i == 0 {
			p.Body, p.HTML = "Second body", "<p>Second body</p>\n"
			MustSavePost(tb, db, p, t0.Add(time.Minute))
		}
		out = append(out, MustGetPost(tb, db, p.ID))
	}
	return out
}

// mustOldShape gives the body documents of posts the shape earlier
// versions wrote, the Markdown beside the HTML, and forgets that the
// migration was made.
func mustOldShape(tb testing.TB, raw *mongo.Database, posts []*cms.Post) {
	tb.Helper()
	ctx := context.Background()
	for _, p := range posts {
		oid, _ := bson.ObjectIDFromHex(p.ID)
		res, err := raw.Collection("post_bodies").UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$set", Value: bson.D{{Key: "body", Value: p.Body}}}})
		if err != nil || res.MatchedCount != 1 {
			tb.Fatalf("old shape of %s: %v, %v", p.ID, res, err)
		}
	}
	if _, err := raw.Collection("state").DeleteOne(ctx, bson.D{{Key: "_id", Value: migrationID}}); err != nil {
		tb.Fatal(err)
	}
	mustMarkdownIn(tb, raw, len(posts))
}

// mustMarkdownIn checks that n body documents hold Markdown.
func mustMarkdownIn(tb testing.TB, raw *mongo.Database, n int) {
	tb.Helper()
	got, err := raw.Collection("post_bodies").CountDocuments(context.Background(), bson.D{{Key: "body", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil {
		tb.Fatal(err)
	}
	MustEqual(tb, "body documents holding Markdown", int(got), n)
}

// mustMigrated checks that the store reads posts as they were, that no
// body document holds Markdown but those of kept, each its own, and that
// the migration is recorded done.
func mustMigrated(tb testing.TB, db *mongodb.DB, raw *mongo.Database, posts []*cms.Post, kept ...*cms.Post) {
	tb.Helper()
	ctx := context.Background()
	ids := make([]string, len(posts))
	want := map[string]cms.PostBody{}
	for i, p := range posts {
		MustEqual(tb, "GetPost "+p.Slug, MustGetPost(tb, db, p.ID), p)
		ids[i] = p.ID
		want[p.ID] = cms.PostBody{Version: p.Version, HTML: p.HTML}
	}
	bodies, err := db.PostBodies(ctx, ids)
	if err != nil {
		tb.Fatal(err)
	}
	MustEqual(tb, "PostBodies", bodies, want)
	mustMarkdownIn(tb, raw, len(kept))
	for _, p := range kept {
		var d struct {
			Body string `bson:"body"`
		}
		if err := raw.Collection("post_bodies").FindOne(ctx, bson.D{{Key: "_id", Value: mustOID(tb, p.ID)}}).Decode(&d); err != nil || d.Body != p.Body {
			tb.Fatalf("Markdown kept in the body document of %s: %q, %v; want %q", p.Slug, d.Body, err, p.Body)
		}
	}
	MustCount(tb, raw, "post_bodies", len(posts))
	var m struct {
		Phase string `bson:"phase"`
	}
	if err := raw.Collection("state").FindOne(ctx, bson.D{{Key: "_id", Value: migrationID}}).Decode(&m); err != nil || m.Phase != "done" {
		tb.Fatalf("migration state: %+v, %v; want done", m, err)
	}
}

// mustLoseRevision deletes the current revision of p, as a database
// damaged or partly restored may lack it.
func mustLoseRevision(tb testing.TB, raw *mongo.Database, p *cms.Post) {
	tb.Helper()
	ctx := context.Background()
	var d struct {
		ContentID bson.ObjectID `bson:"contentId"`
	}
	if err := raw.Collection("posts").FindOne(ctx, bson.D{{Key: "_id", Value: mustOID(tb, p.ID)}}).Decode(&d); err != nil {
		tb.Fatal(err)
	}
	res, err := raw.Collection("post_revisions").DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ContentID}})
	if err != nil || res.DeletedCount != 1 {
		tb.Fatalf("delete the current revision of %s: %v, %v", p.Slug, res, err)
	}
}

// TestMigrate_InPlace: on a server (not the embedded one) the Markdown is
// unset in place; a second run changes nothing; a restored body of the old
// shape makes the next start migrate again.
func TestMigrate_InPlace(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	ctx := context.Background()
	posts := mustPublishedPosts(t, db, 3)
	mustMarkdownIn(t, raw, 0) // new saves write no Markdown there
	mustOldShape(t, raw, posts)
	MustEqual(t, "GetPost of the old shape", MustGetPost(t, db, posts[0].ID), posts[0])

	if err := mongodb.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	mustMigrated(t, db, raw, posts)
	if err := mongodb.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	mustMigrated(t, db, raw, posts)

	t.Run("Restored", func(t *testing.T) {
		p, rev := newPost("Restored", "restored", t0)
		MustCreatePost(t, db, p, rev)
		line := fmt.Sprintf(`{"_id":{"$oid":"%s"},"version":{"$numberInt":"1"},"body":%q,"html":%q}`, p.ID, p.Body, p.HTML)
		if _, err := raw.Collection("post_bodies").DeleteOne(ctx, bson.D{{Key: "_id", Value: mustOID(t, p.ID)}}); err != nil {
			t.Fatal(err)
		}
		if res, err := db.Load(ctx, "post_bodies", []byte(line)); err != nil || res != cms.Loaded {
			t.Fatalf("Load: %v, %v", res, err)
		}
		err := raw.Collection("state").FindOne(ctx, bson.D{{Key: "_id", Value: migrationID}}).Err()
		if err != mongo.ErrNoDocuments {
			t.Fatalf("migration state after restoring an old body: %v, want none", err)
		}
		if err := mongodb.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		mustMigrated(t, db, raw, append(posts, MustGetPost(t, db, p.ID)))
	})
}

func mustOID(tb testing.TB, id string) bson.ObjectID {
	tb.Helper()
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		tb.Fatal(err)
	}
	return oid
}

// closer is a store with its own way to close.
type closer struct {
	*mongodb.DB
	once  *sync.Once
	close func()
}

// Close closes the store; again, it does nothing.
func (c closer) Close() { c.once.Do(c.close) }

// mustOpenDir opens the store on the data folder dir, logging to log, and
// a raw client on its database; closing the store disconnects the raw
// client first, as the embedded server waits for its connections.
func mustOpenDir(tb testing.TB, dir string, log *slog.Logger) (closer, *mongo.Database) {
	tb.Helper()
	ctx := context.Background()
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := mongo.Connect(options.Client().ApplyURI(db.URI()))
	if err != nil {
		tb.Fatal(err)
	}
	cl := closer{DB: db, once: &sync.Once{}, close: func() { _ = c.Disconnect(ctx); _ = db.Close(ctx) }}
	tb.Cleanup(cl.Close)
	return cl, c.Database(db.Database())
}

// TestMigrate_Embedded: a data folder whose bodies hold Markdown opens
// with them lean and serves the same content; a start stopped at any step
// of the copy is finished by the next.
func TestMigrate_Embedded(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	open := func(t *testing.T) (closer, *mongo.Database) { return mustOpenDir(t, dir, cmstest.Logger()) }
	served := func(t *testing.T, db *mongodb.DB, posts []*cms.Post) []string {
		t.Helper()
		rm := readmodel.NewReadModel(db, cmstest.Logger())
		if err := rm.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range posts {
			b, _, err := rm.Snapshot().Post(p.Slug)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b.Bytes()))
		}
		return out
	}
	db, raw := open(t)
	posts := mustPublishedPosts(t, db.DB, 3)
	want := served(t, db.DB, posts)
	mustOldShape(t, raw, posts)
	db.Close()

	reopen := func(t *testing.T) {
		t.Helper()
		db, raw := open(t)
		mustMigrated(t, db.DB, raw, posts)
		MustEqual(t, "public bodies", served(t, db.DB, posts), want)
		names, err := raw.ListCollectionNames(ctx, bson.D{{Key: "name", Value: "post_bodies_lean"}})
		if err != nil || len(names) != 0 {
			t.Fatalf("collections left by the migration: %v, %v", names, err)
		}
		db.Close()
	}
	t.Run("OK", reopen)

	// stop plays a start stopped during the migration: the bodies of the
	// old shape, the copy as it left it and the recorded phase.
	stop := func(t *testing.T, copied []*cms.Post, phase string) {
		t.Helper()
		db, raw := open(t)
		mustOldShape(t, raw, posts)
		lean := raw.Collection("post_bodies_lean")
		for _, p := range copied {
			if _, err := lean.InsertOne(ctx, bson.D{{Key: "_id", Value: mustOID(t, p.ID)}, {Key: "version", Value: p.Version}, {Key: "html", Value: p.HTML}}); err != nil {
				t.Fatal(err)
			}
		}
		if phase != "" {
			if _, err := raw.Collection("state").InsertOne(ctx, bson.D{{Key: "_id", Value: migrationID}, {Key: "phase", Value: phase}}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	t.Run("StoppedCopying", func(t *testing.T) {
		stop(t, posts[:1], "")
		reopen(t)
	})
	t.Run("StoppedBeforeSwap", func(t *testing.T) {
		stop(t, posts, "copied")
		reopen(t)
	})
	t.Run("StoppedAfterSwap", func(t *testing.T) {
		// The swap done, the phase still "copied": the lean bodies in
		// place are kept.
		db, raw := open(t)
		if _, err := raw.Collection("state").UpdateOne(ctx, bson.D{{Key: "_id", Value: migrationID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "phase", Value: "copied"}}}}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		reopen(t)
	})
}

// TestMigrate_MissingRevision: a post whose current revision is missing
// has its Markdown only in its body document of the old shape; the
// migration, in place and by the embedded copy, keeps that document as it
// is, names the post in the log, and migrates the others, so no post
// reads differently; the post's next save makes its body lean.
func TestMigrate_MissingRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// damage seeds three posts in the old shape, the second without its
	// current revision, and returns them as read before the migration.
	damage := func(t *testing.T, db *mongodb.DB, raw *mongo.Database) []*cms.Post {
		t.Helper()
		posts := mustPublishedPosts(t, db, 3)
		mustOldShape(t, raw, posts)
		mustLoseRevision(t, raw, posts[1])
		MustEqual(t, "GetPost without its revision, before the migration", MustGetPost(t, db, posts[1].ID), posts[1])
		return posts
	}
	saved := func(t *testing.T, db *mongodb.DB, raw *mongo.Database, posts []*cms.Post) {
		t.Helper()
		p := MustGetPost(t, db, posts[1].ID)
		MustSavePost(t, db, p, t0.Add(time.Hour))
		posts[1] = p
		mustMigrated(t, db, raw, posts)
	}

	t.Run("InPlace", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		raw := MustRawDB(t, db)
		posts := damage(t, db, raw)
		for range 2 {
			if err := mongodb.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			mustMigrated(t, db, raw, posts, posts[1])
		}
		saved(t, db, raw, posts)
	})

	t.Run("Embedded", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "data")
		db, raw := mustOpenDir(t, dir, cmstest.Logger())
		posts := damage(t, db.DB, raw)
		db.Close()

		logs := &cmstest.SyncBuffer{}
		db, raw = mustOpenDir(t, dir, slog.New(slog.NewTextHandler(logs, nil)))
		if l := logs.String(); !strings.Contains(l, "level=ERROR msg=\"mongodb: body documents whose post has no current revision stored keep their Markdown") ||
			!strings.Contains(l, "posts=["+posts[1].ID+"]") {
			t.Errorf("log = %s, want an error naming %s only", l, posts[1].ID)
		}
		mustMigrated(t, db.DB, raw, posts, posts[1])
		names, err := raw.ListCollectionNames(ctx, bson.D{{Key: "name", Value: "post_bodies_lean"}})
		if err != nil || len(names) != 0 {
			t.Fatalf("collections left by the migration: %v, %v", names, err)
		}
		saved(t, db.DB, raw, posts)
	})
}
