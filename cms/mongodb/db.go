// Package mongodb is Lullaby's MongoDB store: it implements cms.Store with
// the official driver, either against a MongoDB server given by URI or
// against FerretDB embedded in the process (SQLite files in a data folder).
// It is the only package that imports the driver or FerretDB; documents are
// unexported structs converted to and from domain values, and every driver
// error is mapped to a *cms.Error at this edge.
//
// FerretDB has no transactions, so every write that touches several
// documents is ordered so that a crash between its steps is harmless and a
// retry is safe; edits are guarded by a version field in the update filter.
package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// Defaults used when Config leaves a field empty.
const (
	DefaultDataDir  = "./data"
	DefaultDatabase = "lullaby"
	DefaultTimeout  = 5 * time.Second
)

// Config says which database to use.
type Config struct {
	// URI is a MongoDB connection string. Empty starts the embedded server.
	URI string
	// DataDir holds the embedded server's files (default "./data"); it is
	// created if missing. Unused with URI.
	DataDir string
	// Database is the database name; default the one in URI's path, else
	// "lullaby".
	Database string
	// Logger receives the store's warnings and, through a filter, the
	// embedded server's; default slog.Default().
	Logger *slog.Logger
	// Debug lets every message of the embedded server through, not only
	// its errors.
	Debug bool
	// DebugAddr also opens the embedded server on this loopback TCP
	// address, without authentication (see EmbeddedConfig.DebugAddr).
	DebugAddr string
	// Attach lets Open use the embedded server of another process that
	// holds DataDir, through its socket, instead of failing with an
	// *InUseError: for one-shot commands run beside a server.
	Attach bool
	// Timeout bounds how long to wait for the server to be reachable (server
	// selection, connecting, Ping); default 5 s.
	Timeout time.Duration
}

// DB is an open store. It implements cms.Store and is safe for concurrent
// use.
type DB struct {
	client    *mongo.Client
	db        *mongo.Database
	emb       *Embedded
	gate      chan struct{} // serialises updates on FerretDB; nil on MongoDB
	countMark string        // this handle's mark on the count buckets it writes (views.go)
	uri       string
	timeout   time.Duration
	log       *slog.Logger

	users, posts, bodies, revisions, categories, settings, state, media, citations *mongo.Collection

	lists, views *mongo.Collection // list.go, views.go
	viewKeys     *mongo.Collection // views.go

	quizzes, quizResults *mongo.Collection // quiz.go

	contentKeys *mongo.Collection // contentkey.go

	webhooks, webhookEvents, webhookMessages, webhookPayloads, webhookDeliveries *mongo.Collection // webhook.go, webhook_outbox.go

	pending *mongo.Collection // pending.go

	reviewers *mongo.Collection // reviewer.go

	health *mongo.Collection // refhealth.go
}

var _ cms.Store = (*DB)(nil)

// Open connects to cfg.URI, or starts the embedded server when it is empty,
// checks that the server answers within cfg.Timeout, creates the indexes
// and brings documents of earlier versions to the current shape (both
// idempotent; migrate.go). Errors never contain the URI's password.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	const op = "mongodb.Open"
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	db := &DB{uri: cfg.URI, timeout: cfg.Timeout, log: cfg.Logger, countMark: bson.NewObjectID().Hex()}
	if cfg.URI == "" {
		emb, err := StartEmbedded(EmbeddedConfig{DataDir: cfg.DataDir, Logger: cfg.Logger, Debug: cfg.Debug, DebugAddr: cfg.DebugAddr})
		var inUse *InUseError
		switch {
		case errors.As(err, &inUse) && cfg.Attach && inUse.URI() != "":
			db.uri = inUse.URI()
			cfg.Logger.Debug("mongodb: using the embedded server of another process", "pid", inUse.PID, "uri", db.uri)
		case err != nil:
			return nil, err
		default:
			db.emb, db.uri = emb, emb.URI()
			cfg.Logger.Debug("mongodb: embedded FerretDB started", "dataDir", emb.DataDir(), "uri", emb.URI())
		}
	}
	ok := false
	defer func() {
		if !ok {
			db.close(context.WithoutCancel(ctx))
		}
	}()

	redacted, secrets := redactURI(db.uri)
	cs, err := connstring.ParseAndValidate(db.uri)
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: fmt.Sprintf("the MongoDB URI %s is not valid", redacted), Err: scrub(err, secrets)}
	}
	name := cfg.Database
	if name == "" {
		name = cs.Database
	}
	if name == "" {
		name = DefaultDatabase
	}

	opts := options.Client().ApplyURI(db.uri).
		SetAppName("lullaby").
		SetServerSelectionTimeout(cfg.Timeout).
		SetConnectTimeout(cfg.Timeout)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInvalid, Op: op, Message: fmt.Sprintf("cannot use the MongoDB URI %s", redacted), Err: scrub(err, secrets)}
	}
	db.client = client
	pctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	err = client.Ping(pctx, nil)
	cancel()
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindUnavailable, Op: op, Message: fmt.Sprintf("cannot reach MongoDB at %s within %s", redacted, cfg.Timeout), Err: scrub(err, secrets)}
	}

	ferret := db.emb != nil // the embedded server is FerretDB: no need to ask
	if !ferret {
		if ferret, err = isFerretDB(ctx, client); err != nil {
			return nil, storeError(op, "", err)
		}
	}
	if ferret {
		db.gate = gateFor(db.uri)
	}

	db.db = client.Database(name)
	for _, c := range db.collections() {
		*c.field = db.db.Collection(c.name)
	}
	if err := db.createIndexes(ctx); err != nil {
		return nil, err
	}
	// Before indexIDPaths: a collection the migration puts in place is
	// indexed with the others.
	if err := db.migrate(ctx); err != nil {
		return nil, err
	}
	if file := db.sqliteFile(name); ferret && file != "" {
		if err := db.indexIDPaths(ctx, file); err != nil {
			return nil, &cms.Error{Kind: cms.KindInternal, Op: op, Message: "cannot index the embedded database", Err: err}
		}
	}
	if db.emb != nil {
		// The database's files may have just been created: SQLite makes
		// them 0644 less the umask, and its -wal and -shm files take the
		// database file's mode.
		if err := makePrivate(db.emb.dir); err != nil {
			return nil, err
		}
	}
	ok = true
	return db, nil
}

// collections pairs each collection field of db with the collection's
// name: Open sets the fields from it and, on the embedded database,
// creates and indexes every collection named here (idindex.go), so a
// collection added to DB is added here, once.
func (db *DB) collections() []struct {
	field **mongo.Collection
	name  string
} {
	return []struct {
		field **mongo.Collection
		name  string
	}{
		{&db.users, collUsers}, {&db.posts, collPosts}, {&db.bodies, collBodies}, {&db.revisions, collRevisions},
		{&db.pending, collPending}, {&db.categories, collCategories}, {&db.settings, collSettings}, {&db.state, collState},
		{&db.media, collMedia}, {&db.citations, collCitations}, {&db.lists, collLists}, {&db.views, collViews}, {&db.viewKeys, collViewKeys},
		{&db.quizzes, collQuizzes}, {&db.quizResults, collQuizResults}, {&db.contentKeys, collContentKeys},
		{&db.webhooks, collWebhooks}, {&db.webhookEvents, collWebhookEvents}, {&db.webhookMessages, collWebhookMessages},
		{&db.webhookPayloads, collWebhookPayloads}, {&db.webhookDeliveries, collWebhookDeliveries},
		{&db.reviewers, collReviewers}, {&db.health, collHealth},
	}
}

// createIndexes creates the unique indexes and, on MongoDB, the indexes that
// speed up queries; existing ones are left alone.
func (db *DB) createIndexes(ctx context.Context) error {
	const op = "mongodb.Open"
	unique := options.Index().SetUnique(true)
	want := []struct {
		coll   *mongo.Collection
		models []mongo.IndexModel
	}{
		{db.posts, []mongo.IndexModel{
			{Keys: bson.D{{Key: "slug", Value: 1}}, Options: unique},
			{Keys: bson.D{{Key: "status", Value: 1}, {Key: "publishAt", Value: 1}}},
			{Keys: bson.D{{Key: "deletedAt", Value: 1}}},
			// Imports look each item up by its source; most posts have none.
			{Keys: bson.D{{Key: "source", Value: 1}}},
		}},
		{db.categories, []mongo.IndexModel{{Keys: bson.D{{Key: "slug", Value: 1}}, Options: unique}}},
		{db.users, []mongo.IndexModel{{Keys: bson.D{{Key: "email", Value: 1}}, Options: unique}}},
		{db.revisions, []mongo.IndexModel{{Keys: bson.D{{Key: "postId", Value: 1}}}}},
		{db.media, []mongo.IndexModel{{Keys: bson.D{{Key: "hash", Value: 1}}, Options: unique}}},
		{db.citations, []mongo.IndexModel{{Keys: bson.D{{Key: "key", Value: 1}}, Options: unique}}},
		{db.lists, []mongo.IndexModel{{Keys: bson.D{{Key: "slug", Value: 1}}, Options: unique}}},
		{db.views, []mongo.IndexModel{{Keys: bson.D{{Key: "postId", Value: 1}, {Key: "day", Value: 1}}}, {Keys: bson.D{{Key: "day", Value: 1}}}}},
		{db.quizResults, []mongo.IndexModel{{Keys: bson.D{{Key: "slug", Value: 1}, {Key: "day", Value: 1}}}}},
		{db.webhookEvents, []mongo.IndexModel{{Keys: bson.D{{Key: "state", Value: 1}, {Key: "createdAt", Value: 1}}}}},
		{db.webhookMessages, []mongo.IndexModel{{Keys: bson.D{{Key: "state", Value: 1}, {Key: "nextAttemptAt", Value: 1}}}, {Keys: bson.D{{Key: "webhookId", Value: 1}}}}},
		{db.webhookPayloads, []mongo.IndexModel{{Keys: bson.D{{Key: "webhookId", Value: 1}}}}},
		{db.webhookDeliveries, []mongo.IndexModel{{Keys: bson.D{{Key: "webhookId", Value: 1}, {Key: "at", Value: -1}}}, {Keys: bson.D{{Key: "at", Value: 1}}}}},
	}
	for _, w := range want {
		// One at a time: FerretDB 1.24 panics when one createIndexes
		// command lists several indexes of which some already exist.
		for _, m := range w.models {
			if m.Options == nil && db.gate != nil {
				// Only for speed, and FerretDB 1.24 finds documents by
				// _id alone: it would never read this index, only
				// maintain it on every write.
				continue
			}
			if _, err := w.coll.Indexes().CreateOne(ctx, m); err != nil {
				e := storeError(op, w.coll.Name(), err).(*cms.Error)
				e.Message = "cannot create the indexes of " + w.coll.Name()
				return e
			}
		}
	}
	return nil
}

// Close disconnects from the database and, if it was started by Open, stops
// the embedded server and waits until it has stopped. Closing twice is
// harmless.
func (db *DB) Close(ctx context.Context) error {
	if err := db.close(ctx); err != nil {
		return &cms.Error{Kind: cms.KindInternal, Op: "mongodb.Close", Err: err}
	}
	return nil
}

func (db *DB) close(ctx context.Context) error {
	var errs []error
	if db.client != nil {
		if err := db.client.Disconnect(ctx); !errors.Is(err, mongo.ErrClientDisconnected) {
			errs = append(errs, err)
		}
	}
	if db.emb != nil {
		errs = append(errs, db.emb.Close())
	}
	return errors.Join(errs...)
}

// StopEmbedded stops the embedded server but keeps the client, so that
// later calls fail with KindUnavailable within about Config.Timeout. Tests
// use it to play a database outage. It does nothing when the store uses a
// URI.
func (db *DB) StopEmbedded() {
	if db.emb != nil {
		_ = db.emb.Close()
	}
}

// Embedded reports whether the store runs its own embedded server.
func (db *DB) Embedded() bool { return db.emb != nil }

// EmbeddedServer returns the embedded server the store runs, nil when it
// uses a URI or another process's server.
func (db *DB) EmbeddedServer() *Embedded { return db.emb }

// URI returns the connection string in use: the embedded server's, or the
// configured one. It may contain a password: never log it.
func (db *DB) URI() string { return db.uri }

// Database returns the name of the database in use.
func (db *DB) Database() string { return db.db.Name() }

// DropDatabase deletes the whole database. Tests and tools use it; the
// server never does.
func (db *DB) DropDatabase(ctx context.Context) error {
	return storeError("mongodb.DropDatabase", "", db.db.Drop(ctx))
}

// Ping checks that the database answers within the configured timeout.
// Errors: KindUnavailable.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, db.timeout)
	defer cancel()
	return storeError("mongodb.Ping", "", db.client.Ping(ctx, nil))
}

// redactURI returns uri with its password (and any option whose name
// mentions a password) replaced by "xxxxx", and the secrets it removed in
// raw and decoded form, to scrub them from error texts.
func redactURI(uri string) (string, []string) {
	var secrets []string
	add := func(raw string) {
		if raw == "" {
			return
		}
		secrets = append(secrets, raw)
		if dec, err := url.PathUnescape(raw); err == nil && dec != raw {
			secrets = append(secrets, dec)
		}
		if dec, err := url.QueryUnescape(raw); err == nil && dec != raw {
			secrets = append(secrets, dec)
		}
	}
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return uri, nil
	}
	authority, path := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		if user, pass, ok := strings.Cut(authority[:at], ":"); ok {
			add(pass)
			authority = user + ":xxxxx" + authority[at:]
		}
	}
	if p, query, ok := strings.Cut(path, "?"); ok {
		pairs := strings.Split(query, "&")
		for i, kv := range pairs {
			k, v, _ := strings.Cut(kv, "=")
			if strings.Contains(strings.ToLower(k), "password") || strings.Contains(strings.ToLower(k), "token") {
				add(v)
				pairs[i] = k + "=xxxxx"
			}
		}
		path = p + "?" + strings.Join(pairs, "&")
	}
	return scheme + "://" + authority + path, secrets
}

// scrub returns err, or a copy of its text without the secrets if it
// contains any.
func scrub(err error, secrets []string) error {
	msg := err.Error()
	clean := msg
	for _, s := range secrets {
		clean = strings.ReplaceAll(clean, s, "xxxxx")
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

// objectID parses a domain id; a malformed one is KindInvalid naming field.
func objectID(op, field, id string) (bson.ObjectID, error) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return bson.ObjectID{}, invalidID(op, field)
	}
	return oid, nil
}

// ref normalises an id stored inside a document (a reference to another
// document): references are kept as lower-case hexadecimal strings.
func ref(id string) string { return strings.ToLower(id) }

// refs normalises a list of references; nil becomes empty.
func refs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ref(id)
	}
	return out
}

// strs returns s, or an empty slice for nil, so that arrays are stored as
// arrays and read back as such.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// toTime converts a domain time for storage: UTC with BSON's millisecond
// precision, nil (stored as null) for the zero time.
func toTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}

// fromTime converts a stored time back: the zero time for null.
func fromTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// now returns the current time as stored.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
