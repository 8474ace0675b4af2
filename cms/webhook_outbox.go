package cms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Outbox event states (WebhookEvent.State).
const (
	// EventPending: written before the change it announces; the change may
	// not have been saved (yet).
	EventPending = "pending"
	// EventReady: the change is saved; the relay makes a message for each
	// endpoint that wants it.
	EventReady = "ready"
	// EventDispatched: its messages are made.
	EventDispatched = "dispatched"
)

// WebhookEvent is an entry of the outbox: something that happened to a
// post, a media item or the site, to be sent to the endpoints that want
// it. Its ID is derived from what it is about (subject, version, type),
// so the same change always makes the same event, and it is the
// webhook-id every endpoint receives.
type WebhookEvent struct {
	ID             string
	Type           string
	SubjectID      string // the post or media id; "" for site.changed
	SubjectVersion int    // the version the change makes
	// Revisions are the revisions that saves of this version were about
	// to make (a post event's intent); Revision the one saved.
	Revisions  []string
	Revision   string
	State      string
	Data       json.RawMessage // the event's data as it happened (id, slug, title...)
	OccurredAt time.Time
	CreatedAt  time.Time
}

// EventID returns the id of the event of type typ about version version
// of subject: "msg_" and 26 hexadecimal digits of a SHA-256 of the three.
func EventID(typ, subject string, version int64) string {
	sum := sha256.Sum256([]byte(typ + "\x00" + subject + "\x00" + strconv.FormatInt(version, 10)))
	return "msg_" + hex.EncodeToString(sum[:13])
}

// messageID returns the id of event eventID's message to endpoint
// webhookID: 24 hexadecimal digits, the same however often it is made.
func messageID(eventID, webhookID string) string {
	sum := sha256.Sum256([]byte(eventID + "\x00" + webhookID))
	return hex.EncodeToString(sum[:12])
}

// webhookPayload is the body of every delivery, as the Standard Webhooks
// specification shapes it.
type webhookPayload struct {
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// newMessage returns event ev's message to endpoint w, carrying data,
// due at once.
func newMessage(ev *WebhookEvent, w *Webhook, data json.RawMessage, now time.Time) (*WebhookMessage, error) {
	body, err := json.Marshal(webhookPayload{Type: ev.Type, Timestamp: ev.OccurredAt.UTC().Format(time.RFC3339Nano), Data: data})
	if err != nil {
		return nil, err
	}
	return &WebhookMessage{ID: messageID(ev.ID, w.ID), WebhookID: w.ID, EventID: ev.ID, EventType: ev.Type, Payload: body,
		State: MessagePending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now, Version: 1}, nil
}

// wakeWebhooks tells this process's relay to look for work now rather
// than at its next tick.
func (s *Service) wakeWebhooks() {
	select {
	case s.webhookWake <- struct{}{}:
	default:
	}
}
