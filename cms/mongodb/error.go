package mongodb

import (
	"context"
	"errors"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"
)

// Collection names.
const (
	collUsers      = "users"
	collPosts      = "posts"
	collBodies     = "post_bodies"
	collRevisions  = "post_revisions"
	collPending    = "post_pending"
	collCategories = "categories"
	collSettings   = "settings"
	collState      = "state"
	collMedia      = "media"
	collCitations  = "citations"
	collLists      = "lists"
	collViews      = "post_views"
	collViewKeys   = "post_view_keys"

	collQuizzes     = "quizzes"
	collQuizResults = "quiz_results"

	collContentKeys = "content_keys"

	collWebhooks          = "webhooks"
	collWebhookEvents     = "webhook_events"
	collWebhookMessages   = "webhook_messages"
	collWebhookPayloads   = "webhook_payloads"
	collWebhookDeliveries = "webhook_deliveries"
	collReviewers         = "reviewers"
	collHealth            = "citation_health"
)

// nouns names what each collection holds, for human messages.
var nouns = map[string]string{
	collUsers:       "user",
	collPosts:       "post",
	collBodies:      "post body",
	collRevisions:   "revision",
	collPending:     "pending edit",
	collCategories:  "category",
	collSettings:    "settings",
	collState:       "state document",
	collMedia:       "media",
	collCitations:   "reference",
	collLists:       "list",
	collViews:       "view count",
	collViewKeys:    "reader key",
	collQuizzes:     "quiz",
	collQuizResults: "quiz result count",
	collContentKeys: "content key",

	collWebhooks:          "webhook endpoint",
	collWebhookEvents:     "webhook event",
	collWebhookMessages:   "webhook message",
	collWebhookPayloads:   "webhook message body",
	collWebhookDeliveries: "webhook delivery",
	collReviewers:         "reviewer",
	collHealth:            "reference health record",
}

// uniqueFields names the unique field (by its API name) that a duplicate key
// error on each collection is about, with the message shown for it. FerretDB
// does not name the violated index, so the collection decides.
var uniqueFields = map[string][2]string{
	collPosts:      {"slug", "This slug is already used by another post."},
	collCategories: {"slug", "This slug is already used by another category."},
	collUsers:      {"email", "This email address is already used by another user."},
	collMedia:      {"file", "This image was already uploaded."},
	collCitations:  {"key", "This citation key is already used by another reference."},
	collLists:      {"slug", "This slug is already used by another list."},
	collQuizzes:    {"slug", "This slug is already used by another quiz."},
}

// storeError maps an error from the driver to a *cms.Error: this is the one
// place where driver errors are translated, so none crosses into cms. coll is
// the collection the failed operation touched. An error that already is a
// *cms.Error is returned as is.
func storeError(op, coll string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cms.Error
	if errors.As(err, &ce) {
		return err
	}
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return &cms.Error{Kind: cms.KindNotFound, Op: op, Message: notFoundMessage(coll), Err: err}
	case duplicateKey(err):
		e := &cms.Error{Kind: cms.KindConflict, Op: op, Message: "A unique value is already taken.", Err: err}
		if f, ok := uniqueFields[coll]; ok {
			e.Message = f[1]
			e.Fields = map[string]string{f[0]: f[1]}
		}
		return e
	case errors.Is(err, context.Canceled):
		return &cms.Error{Kind: cms.KindUnavailable, Op: op, Message: "The request was canceled before the database answered.", Err: err}
	case unreachable(err), backendDown(err):
		return &cms.Error{Kind: cms.KindUnavailable, Op: op, Message: "The database is unreachable.", Err: err}
	}
	return &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
}

// duplicateKey reports whether err is a unique index violation. MongoDB
// and FerretDB's inserts say E11000; FerretDB's updates fail with an
// InternalError carrying the backend's message instead: SQLite's, or
// PostgreSQL's unique_violation (SQLSTATE 23505).
func duplicateKey(err error) bool {
	var se mongo.ServerError
	return mongo.IsDuplicateKeyError(err) ||
		errors.As(err, &se) && (se.HasErrorMessage("UNIQUE constraint failed") || se.HasErrorMessage("SQLSTATE 23505"))
}

// unreachable reports whether err means the database could not be reached in
// time: a deadline, a failed server selection or a network failure.
func unreachable(err error) bool {
	var sse topology.ServerSelectionError
	var conn topology.ConnectionError
	var wq topology.WaitQueueTimeoutError
	return errors.Is(err, context.DeadlineExceeded) ||
		mongo.IsTimeout(err) ||
		mongo.IsNetworkError(err) ||
		errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.Is(err, topology.ErrTopologyClosed) ||
		errors.As(err, &sse) ||
		errors.As(err, &conn) ||
		errors.As(err, &wq)
}

// backendDown reports whether err is FerretDB's answer when the database
// behind it, PostgreSQL, cannot be reached: an InternalError carrying the
// connection failure. To the store it is the same outage as an unreachable
// MongoDB (MongoDB itself answers nothing then, which unreachable covers).
func backendDown(err error) bool {
	var se mongo.ServerError
	if !errors.As(err, &se) || !se.HasErrorCode(1) { // InternalError
		return false
	}
	for _, m := range backendDownMessages {
		if se.HasErrorMessage(m) {
			return true
		}
	}
	return false
}

// backendDownMessages are the parts of pgx's messages that say the
// connection to PostgreSQL failed or PostgreSQL is shutting down or
// starting.
var backendDownMessages = []string{
	"broken pipe", "connection refused", "connection reset by peer", "failed to connect to", "conn closed",
	"unexpected EOF",
	"SQLSTATE 57P01", "SQLSTATE 57P02", "SQLSTATE 57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
}

func notFoundMessage(coll string) string {
	if n, ok := nouns[coll]; ok {
		return "The " + n + " does not exist."
	}
	return "Not found."
}

// notFound returns the NotFound error for a missing document of coll.
func notFound(op, coll string) error {
	return &cms.Error{Kind: cms.KindNotFound, Op: op, Message: notFoundMessage(coll)}
}

// staleVersion returns the Conflict error for an edit that started from an
// outdated version of a document of coll.
func staleVersion(op, coll string) error {
	msg := "This " + nouns[coll] + " was changed by someone else; reload it to see the latest version."
	if coll == collSettings {
		msg = "The settings were changed by someone else; reload them to see the latest version."
	}
	return &cms.Error{Kind: cms.KindConflict, Op: op, Message: msg, Fields: map[string]string{"version": msg}}
}

// invalidID returns the Invalid error for a malformed id given as field.
func invalidID(op, field string) error {
	msg := "Must be a 24-character hexadecimal id."
	return &cms.Error{Kind: cms.KindInvalid, Op: op, Message: "The id is not valid.", Fields: map[string]string{field: msg}}
}

// insertError maps the error of inserting document id into coll. A
// duplicate key is usually the collection's unique field, but FerretDB does
// not say which index was violated: if a document with the same _id exists
// (a retried insert), the conflict names "id" instead.
func insertError(ctx context.Context, op string, coll *mongo.Collection, id any, err error) error {
	if err == nil || !duplicateKey(err) {
		return storeError(op, coll.Name(), err)
	}
	if coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err() == nil {
		msg := "This " + nouns[coll.Name()] + " already exists."
		return &cms.Error{Kind: cms.KindConflict, Op: op, Message: msg, Fields: map[string]string{"id": msg}, Err: err}
	}
	return storeError(op, coll.Name(), err)
}
