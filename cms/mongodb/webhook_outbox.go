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

// A webhook_events document is one outbox entry, keyed by its
// deterministic id (cms.EventID).
type eventDoc struct {
	ID             string     `bson:"_id"`
	Type           string     `bson:"type"`
	SubjectID      string     `bson:"subjectId"`
	SubjectVersion int        `bson:"subjectVersion"`
	Revisions      []string   `bson:"revisions"`
	State          string     `bson:"state"`
	Data           string     `bson:"data"` // JSON
	OccurredAt     *time.Time `bson:"occurredAt"`
	CreatedAt      *time.Time `bson:"createdAt"`
}

func toEventDoc(e *cms.WebhookEvent) *eventDoc {
	return &eventDoc{ID: e.ID, Type: e.Type, SubjectID: e.SubjectID, SubjectVersion: e.SubjectVersion, Revisions: strs(e.Revisions),
		State: e.State, Data: string(e.Data), OccurredAt: toTime(e.OccurredAt), CreatedAt: toTime(e.CreatedAt)}
}

func (d *eventDoc) event() *cms.WebhookEvent {
	return &cms.WebhookEvent{ID: d.ID, Type: d.Type, SubjectID: d.SubjectID, SubjectVersion: d.SubjectVersion, Revisions: strs(d.Revisions),
		State: d.State, Data: []byte(d.Data), OccurredAt: fromTime(d.OccurredAt), CreatedAt: fromTime(d.CreatedAt)}
}

// A webhook_messages document is one event on its way to one endpoint,
// without its body: the claim's filter scans the collection (FerretDB
// uses no index but _id's), so its documents stay small; the body is in
// webhook_payloads under the same _id, read by _id when it is needed.
// leaseUntil is always set (the epoch when free), so that the claim's
// filter is a plain comparison.
type messageDoc struct {
	ID            string     `bson:"_id"`
	WebhookID     string     `bson:"webhookId"`
	EventID       string     `bson:"eventId"`
	EventType     string     `bson:"eventType"`
	State         string     `bson:"state"`
	Attempts      int        `bson:"attempts"`
	Retry         int        `bson:"retry"`
	NextAttemptAt *time.Time `bson:"nextAttemptAt"`
	LeaseHolder   string     `bson:"leaseHolder"`
	LeaseUntil    time.Time  `bson:"leaseUntil"`
	LastError     string     `bson:"lastError"`
	Manual        bool       `bson:"manual"`
	CreatedAt     *time.Time `bson:"createdAt"`
	UpdatedAt     *time.Time `bson:"updatedAt"`
	Version       int        `bson:"version"`
}

var freeLease = time.Unix(0, 0).UTC()

func toMessageDoc(m *cms.WebhookMessage) *messageDoc {
	d := &messageDoc{ID: m.ID, WebhookID: ref(m.WebhookID), EventID: m.EventID, EventType: m.EventType,
		State: m.State, Attempts: m.Attempts, Retry: m.Retry, NextAttemptAt: optTime(m.NextAttemptAt), LeaseHolder: m.LeaseHolder,
		LeaseUntil: freeLease, LastError: m.LastError, Manual: m.Manual, CreatedAt: toTime(m.CreatedAt), UpdatedAt: toTime(m.UpdatedAt), Version: m.Version}
	if m.LeaseUntil != nil {
		d.LeaseUntil = m.LeaseUntil.UTC()
	}
	return d
}

func (d *messageDoc) message() *cms.WebhookMessage {
	m := &cms.WebhookMessage{ID: d.ID, WebhookID: d.WebhookID, EventID: d.EventID, EventType: d.EventType,
		State: d.State, Attempts: d.Attempts, Retry: d.Retry, NextAttemptAt: optTime(d.NextAttemptAt), LeaseHolder: d.LeaseHolder,
		LastError: d.LastError, Manual: d.Manual, CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt), Version: d.Version}
	if d.LeaseUntil.After(freeLease) {
		m.LeaseUntil = optTime(&d.LeaseUntil)
	}
	return m
}

// A webhook_payloads document is the body of the message with the same
// _id.
type payloadDoc struct {
	ID        string     `bson:"_id"`
	WebhookID string     `bson:"webhookId"`
	Payload   string     `bson:"payload"`
	CreatedAt *time.Time `bson:"createdAt"`
}

// withPayload reads the body of message m by _id.
func (db *DB) withPayload(ctx context.Context, op string, m *cms.WebhookMessage) (*cms.WebhookMessage, error) {
	var p payloadDoc
	if err := db.webhookPayloads.FindOne(ctx, bson.D{{Key: "_id", Value: m.ID}}).Decode(&p); err != nil {
		return nil, storeError(op, collWebhookPayloads, err)
	}
	m.Payload = []byte(p.Payload)
	return m, nil
}

// A webhook_deliveries document is one attempt of the delivery log.
type deliveryDoc struct {
	ID           bson.ObjectID `bson:"_id"`
	WebhookID    string        `bson:"webhookId"`
	MessageID    string        `bson:"messageId"`
	EventID      string        `bson:"eventId"`
	EventType    string        `bson:"eventType"`
	Attempt      int           `bson:"attempt"`
	Manual       bool          `bson:"manual"`
	At           *time.Time    `bson:"at"`
	Status       string        `bson:"status"`
	ResponseCode int           `bson:"responseCode"`
	LatencyMs    int64         `bson:"latencyMs"`
	Excerpt      string        `bson:"excerpt"`
	Error        string        `bson:"error"`
}

func (d *deliveryDoc) delivery() *cms.WebhookDelivery {
	return &cms.WebhookDelivery{ID: d.ID.Hex(), WebhookID: d.WebhookID, MessageID: d.MessageID, EventID: d.EventID, EventType: d.EventType,
		Attempt: d.Attempt, Manual: d.Manual, At: fromTime(d.At), Status: d.Status, ResponseCode: d.ResponseCode, LatencyMs: d.LatencyMs,
		ResponseExcerpt: d.Excerpt, Error: d.Error}
}

// PutEventIntent inserts e, or adds e.Revisions to the stored event of
// the same id. Errors: KindUnavailable, KindInternal.
func (db *DB) PutEventIntent(ctx context.Context, e *cms.WebhookEvent) error {
	d := toEventDoc(e)
	update := bson.D{
		{Key: "$setOnInsert", Value: bson.D{{Key: "type", Value: d.Type}, {Key: "subjectId", Value: d.SubjectID},
			{Key: "subjectVersion", Value: d.SubjectVersion}, {Key: "state", Value: cms.EventPending},
			{Key: "data", Value: d.Data}, {Key: "occurredAt", Value: d.OccurredAt}, {Key: "createdAt", Value: d.CreatedAt}}},
		{Key: "$addToSet", Value: bson.D{{Key: "revisions", Value: bson.D{{Key: "$each", Value: d.Revisions}}}}},
	}
	_, err := db.updateOne(ctx, db.webhookEvents, bson.D{{Key: "_id", Value: d.ID}}, update, options.UpdateOne().SetUpsert(true))
	return storeError("mongodb.PutEventIntent", collWebhookEvents, err)
}

// MarkEventReady sets the pending event e.ID ready with e's data (the
// intent may hold those of a try that did not commit), or
// inserts e ready when it is gone (dropped by a relay that found the save
// late); an event ready or dispatched already is left alone. Errors:
// KindUnavailable, KindInternal.
func (db *DB) MarkEventReady(ctx context.Context, e *cms.WebhookEvent) error {
	const op = "mongodb.MarkEventReady"
	filter := bson.D{{Key: "_id", Value: e.ID}, {Key: "state", Value: cms.EventPending}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: cms.EventReady}, {Key: "data", Value: string(e.Data)}}}}
	res, err := db.updateOne(ctx, db.webhookEvents, filter, update)
	if err != nil || res.MatchedCount > 0 {
		return storeError(op, collWebhookEvents, err)
	}
	d := toEventDoc(e)
	d.State = cms.EventReady
	if _, err := db.webhookEvents.InsertOne(ctx, d); err != nil && !duplicateKey(err) {
		return storeError(op, collWebhookEvents, err)
	}
	return nil
}

// AddEvent inserts e unless its id exists. Errors: KindUnavailable,
// KindInternal.
func (db *DB) AddEvent(ctx context.Context, e *cms.WebhookEvent) (bool, error) {
	_, err := db.webhookEvents.InsertOne(ctx, toEventDoc(e))
	if duplicateKey(err) {
		return false, nil
	}
	return err == nil, storeError("mongodb.AddEvent", collWebhookEvents, err)
}

// Events returns at most limit events in state, oldest first. Errors:
// KindUnavailable, KindInternal.
func (db *DB) Events(ctx context.Context, state string, limit int) ([]*cms.WebhookEvent, error) {
	return findSome(ctx, "mongodb.Events", db.webhookEvents, bson.D{{Key: "state", Value: state}},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)), (*eventDoc).event)
}

// SetEventState moves event id from state from to state to. Errors:
// KindUnavailable, KindInternal.
func (db *DB) SetEventState(ctx context.Context, id, from, to string) (bool, error) {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "state", Value: from}}
	res, err := db.updateOne(ctx, db.webhookEvents, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: to}}}})
	if err != nil {
		return false, storeError("mongodb.SetEventState", collWebhookEvents, err)
	}
	return res.MatchedCount > 0, nil
}

// DeleteEvent removes event id if it is in state. Errors:
// KindUnavailable, KindInternal.
func (db *DB) DeleteEvent(ctx context.Context, id, state string) (bool, error) {
	res, err := db.deleteOne(ctx, db.webhookEvents, bson.D{{Key: "_id", Value: id}, {Key: "state", Value: state}})
	if err != nil {
		return false, storeError("mongodb.DeleteEvent", collWebhookEvents, err)
	}
	return res.DeletedCount > 0, nil
}

// AddWebhookMessage inserts m's body, then m, unless its id exists (a
// crash in between leaves a body that the next try, or the pruning, deals
// with). Errors: KindUnavailable, KindInternal.
func (db *DB) AddWebhookMessage(ctx context.Context, m *cms.WebhookMessage) (bool, error) {
	const op = "mongodb.AddWebhookMessage"
	_, err := db.webhookPayloads.InsertOne(ctx, &payloadDoc{ID: m.ID, WebhookID: ref(m.WebhookID), Payload: string(m.Payload), CreatedAt: toTime(m.CreatedAt)})
	if err != nil && !duplicateKey(err) {
		return false, storeError(op, collWebhookPayloads, err)
	}
	_, err = db.webhookMessages.InsertOne(ctx, toMessageDoc(m))
	if duplicateKey(err) {
		return false, nil
	}
	return err == nil, storeError(op, collWebhookMessages, err)
}

// GetWebhookMessage returns one message with its body. Errors:
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) GetWebhookMessage(ctx context.Context, id string) (*cms.WebhookMessage, error) {
	const op = "mongodb.GetWebhookMessage"
	var d messageDoc
	if err := db.webhookMessages.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return nil, storeError(op, collWebhookMessages, err)
	}
	return db.withPayload(ctx, op, d.message())
}

// ClaimWebhookMessage takes the pending message due first whose lease is
// free or expired, with one findOneAndUpdate. Errors: KindNotFound (none
// is due), KindUnavailable, KindInternal.
func (db *DB) ClaimWebhookMessage(ctx context.Context, now time.Time, holder string, leaseUntil time.Time) (*cms.WebhookMessage, error) {
	filter := bson.D{
		{Key: "state", Value: cms.MessagePending},
		{Key: "nextAttemptAt", Value: bson.D{{Key: "$lte", Value: now.UTC()}}},
		{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now.UTC()}}},
	}
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "leaseHolder", Value: holder}, {Key: "leaseUntil", Value: leaseUntil.UTC()}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
	}
	opts := options.FindOneAndUpdate().SetSort(bson.D{{Key: "nextAttemptAt", Value: 1}}).SetReturnDocument(options.After)
	var d messageDoc
	if err := db.findOneAndUpdate(ctx, db.webhookMessages, filter, update, &d, opts); err != nil {
		return nil, storeError("mongodb.ClaimWebhookMessage", collWebhookMessages, err)
	}
	return db.withPayload(ctx, "mongodb.ClaimWebhookMessage", d.message())
}

// SaveWebhookMessage replaces m stored at prevVersion (its body stays as
// it is). Errors:
// KindNotFound, KindConflict, KindUnavailable, KindInternal.
func (db *DB) SaveWebhookMessage(ctx context.Context, m *cms.WebhookMessage, prevVersion int) error {
	return db.replaceVersioned(ctx, "mongodb.SaveWebhookMessage", db.webhookMessages, m.ID, prevVersion, toMessageDoc(m))
}

// NextWebhookAttempt returns when the earliest pending message is due
// (zero: none). Errors: KindUnavailable, KindInternal.
func (db *DB) NextWebhookAttempt(ctx context.Context) (time.Time, error) {
	var d messageDoc
	err := db.webhookMessages.FindOne(ctx, bson.D{{Key: "state", Value: cms.MessagePending}},
		options.FindOne().SetSort(bson.D{{Key: "nextAttemptAt", Value: 1}}).SetProjection(bson.D{{Key: "nextAttemptAt", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, storeError("mongodb.NextWebhookAttempt", collWebhookMessages, err)
	}
	return fromTime(d.NextAttemptAt), nil
}

// AddWebhookDelivery appends d to the delivery log. Errors:
// KindInvalid, KindUnavailable, KindInternal.
func (db *DB) AddWebhookDelivery(ctx context.Context, d *cms.WebhookDelivery) error {
	const op = "mongodb.AddWebhookDelivery"
	oid, err := objectID(op, "id", d.ID)
	if err != nil {
		return err
	}
	doc := &deliveryDoc{ID: oid, WebhookID: ref(d.WebhookID), MessageID: d.MessageID, EventID: d.EventID, EventType: d.EventType,
		Attempt: d.Attempt, Manual: d.Manual, At: toTime(d.At), Status: d.Status, ResponseCode: d.ResponseCode, LatencyMs: d.LatencyMs,
		Excerpt: d.ResponseExcerpt, Error: d.Error}
	_, err = db.webhookDeliveries.InsertOne(ctx, doc)
	return insertError(ctx, op, db.webhookDeliveries, oid, err)
}

// WebhookDeliveries returns endpoint webhookID's attempts before before
// (zero: any), newest first, at most limit. Errors: KindUnavailable,
// KindInternal.
func (db *DB) WebhookDeliveries(ctx context.Context, webhookID string, before time.Time, limit int) ([]*cms.WebhookDelivery, error) {
	filter := bson.D{{Key: "webhookId", Value: ref(webhookID)}}
	if !before.IsZero() {
		filter = append(filter, bson.E{Key: "at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}})
	}
	return findSome(ctx, "mongodb.WebhookDeliveries", db.webhookDeliveries, filter,
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)), (*deliveryDoc).delivery)
}

// PruneWebhooks deletes the delivery log entries and finished messages
// (with their bodies) older than before, the dispatched events older than
// eventsBefore, and all but the newest keep log entries of each endpoint.
// Errors: KindUnavailable, KindInternal.
func (db *DB) PruneWebhooks(ctx context.Context, before, eventsBefore time.Time, keep int) (int, error) {
	const op = "mongodb.PruneWebhooks"
	n := 0
	res, err := db.deleteMany(ctx, db.webhookDeliveries, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}})
	if err != nil {
		return n, storeError(op, collWebhookDeliveries, err)
	}
	n += int(res.DeletedCount)
	res, err = db.deleteMany(ctx, db.webhookEvents, bson.D{{Key: "state", Value: cms.EventDispatched}, {Key: "createdAt", Value: bson.D{{Key: "$lt", Value: eventsBefore.UTC()}}}})
	if err != nil {
		return n, storeError(op, collWebhookEvents, err)
	}
	n += int(res.DeletedCount)
	// Finished messages, a batch at a time: the messages, then their bodies.
	finished := bson.D{{Key: "state", Value: bson.D{{Key: "$in", Value: bson.A{cms.MessageDelivered, cms.MessageFailed}}}},
		{Key: "updatedAt", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}}
	for {
		cur, err := db.webhookMessages.Find(ctx, finished, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}).SetLimit(500))
		if err != nil {
			return n, storeError(op, collWebhookMessages, err)
		}
		var ids []struct {
			ID string `bson:"_id"`
		}
		if err := cur.All(ctx, &ids); err != nil {
			return n, storeError(op, collWebhookMessages, err)
		}
		if len(ids) == 0 {
			break
		}
		in := bson.A{}
		for _, id := range ids {
			in = append(in, id.ID)
		}
		byID := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: in}}}}
		res, err := db.deleteMany(ctx, db.webhookMessages, byID)
		if err != nil {
			return n, storeError(op, collWebhookMessages, err)
		}
		n += int(res.DeletedCount)
		if _, err := db.deleteMany(ctx, db.webhookPayloads, byID); err != nil {
			return n, storeError(op, collWebhookPayloads, err)
		}
		if len(ids) < 500 {
			break
		}
	}
	hooks, err := db.ListWebhooks(ctx)
	if err != nil {
		return n, err
	}
	for _, w := range hooks {
		var d deliveryDoc
		filter := bson.D{{Key: "webhookId", Value: ref(w.ID)}}
		err := db.webhookDeliveries.FindOne(ctx, filter, options.FindOne().SetSort(bson.D{{Key: "at", Value: -1}}).SetSkip(int64(keep)).
			SetProjection(bson.D{{Key: "at", Value: 1}})).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return n, storeError(op, collWebhookDeliveries, err)
		}
		res, err := db.deleteMany(ctx, db.webhookDeliveries, append(filter, bson.E{Key: "at", Value: bson.D{{Key: "$lte", Value: d.At}}}))
		if err != nil {
			return n, storeError(op, collWebhookDeliveries, err)
		}
		n += int(res.DeletedCount)
	}
	return n, nil
}
