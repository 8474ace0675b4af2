package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// A webhooks document is one endpoint, with its signing secrets.
type webhookDoc struct {
	ID             bson.ObjectID `bson:"_id"`
	URL            string        `bson:"url"`
	Description    string        `bson:"description"`
	Events         []string      `bson:"events"`
	Secret         string        `bson:"secret"`
	OldSecret      string        `bson:"oldSecret"`
	OldSecretUntil *time.Time    `bson:"oldSecretUntil"`
	Enabled        bool          `bson:"enabled"`
	DisabledReason string        `bson:"disabledReason"`
	DisabledAt     *time.Time    `bson:"disabledAt"`
	FailingSince   *time.Time    `bson:"failingSince"`
	Version        int           `bson:"version"`
	CreatedAt      *time.Time    `bson:"createdAt"`
	UpdatedAt      *time.Time    `bson:"updatedAt"`
}

func toWebhookDoc(id bson.ObjectID, w *cms.Webhook) *webhookDoc {
	return &webhookDoc{ID: id, URL: w.URL, Description: w.Description, Events: strs(w.Events), Secret: w.Secret,
		OldSecret: w.OldSecret, OldSecretUntil: optTime(w.OldSecretUntil), Enabled: w.Enabled, DisabledReason: w.DisabledReason,
		DisabledAt: optTime(w.DisabledAt), FailingSince: optTime(w.FailingSince), Version: w.Version,
		CreatedAt: toTime(w.CreatedAt), UpdatedAt: toTime(w.UpdatedAt)}
}

func (d *webhookDoc) webhook() *cms.Webhook {
	return &cms.Webhook{ID: d.ID.Hex(), URL: d.URL, Description: d.Description, Events: strs(d.Events), Secret: d.Secret,
		OldSecret: d.OldSecret, OldSecretUntil: optTime(d.OldSecretUntil), Enabled: d.Enabled, DisabledReason: d.DisabledReason,
		DisabledAt: optTime(d.DisabledAt), FailingSince: optTime(d.FailingSince), Version: d.Version,
		CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt)}
}

// optTime copies an optional time in UTC (nil stays nil).
func optTime(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateWebhook inserts w. Errors: KindInvalid (a malformed id),
// KindConflict (the id exists), KindUnavailable, KindInternal.
func (db *DB) CreateWebhook(ctx context.Context, w *cms.Webhook) error {
	const op = "mongodb.CreateWebhook"
	oid, err := objectID(op, "id", w.ID)
	if err != nil {
		return err
	}
	_, err = db.webhooks.InsertOne(ctx, toWebhookDoc(oid, w))
	return insertError(ctx, op, db.webhooks, oid, err)
}

// GetWebhook returns one endpoint. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetWebhook(ctx context.Context, id string) (*cms.Webhook, error) {
	return findByID(ctx, "mongodb.GetWebhook", db.webhooks, id, (*webhookDoc).webhook)
}

// ListWebhooks returns every endpoint, oldest first. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListWebhooks(ctx context.Context) ([]*cms.Webhook, error) {
	return findAll(ctx, "mongodb.ListWebhooks", db.webhooks, bson.D{{Key: "_id", Value: 1}}, (*webhookDoc).webhook)
}

// UpdateWebhook replaces the endpoint stored at prevVersion with w.
// Errors: KindInvalid, KindNotFound, KindConflict, KindUnavailable,
// KindInternal.
func (db *DB) UpdateWebhook(ctx context.Context, w *cms.Webhook, prevVersion int) error {
	const op = "mongodb.UpdateWebhook"
	oid, err := objectID(op, "id", w.ID)
	if err != nil {
		return err
	}
	return db.replaceVersioned(ctx, op, db.webhooks, oid, prevVersion, toWebhookDoc(oid, w))
}

// DeleteWebhook removes the endpoint, then its messages and delivery log
// (a crash in between leaves messages that find no endpoint and fail,
// and log entries that the pruning removes). Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	const op = "mongodb.DeleteWebhook"
	if err := db.deleteByID(ctx, op, db.webhooks, id); err != nil {
		return err
	}
	filter := bson.D{{Key: "webhookId", Value: ref(id)}}
	if _, err := db.deleteMany(ctx, db.webhookMessages, filter); err != nil {
		return storeError(op, collWebhookMessages, err)
	}
	if _, err := db.deleteMany(ctx, db.webhookPayloads, filter); err != nil {
		return storeError(op, collWebhookPayloads, err)
	}
	_, err := db.deleteMany(ctx, db.webhookDeliveries, filter)
	return storeError(op, collWebhookDeliveries, err)
}
