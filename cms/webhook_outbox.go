package cms

import (
	"context"
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
	// to make (a post event's intent): the relay finds which was saved.
	Revisions  []string
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

// The outbox (see docs/architecture.md, "Webhooks: the outbox"): a change
// that makes an event writes it first as an intent (pending, with the
// revision the save is about to make), then saves the change (the commit
// point), then marks the event ready. A crash before the commit leaves an
// intent whose change never happened: the relay drops it once it is old
// (settleEvents). A crash after the commit leaves an intent whose change
// is there to see: the relay marks it ready. The event's id comes from
// its subject, version and type, so a retried save, or two instances
// settling the same intent, make one event.

// postEventType returns the event a save of post p makes, given what it
// was before (public, scheduled and when), or "" for none (a draft's
// edits, trashing a draft).
func postEventType(wasPublic, wasScheduled bool, wasAt time.Time, p *Post) string {
	scheduled := p.Status == StatusScheduled && !p.Trashed()
	switch {
	case p.Public() && !wasPublic:
		return EventPostPublished
	case p.Public():
		return EventPostUpdated
	case wasPublic:
		return EventPostUnpublished
	case scheduled && (!wasScheduled || !wasAt.Equal(p.PublishAt)):
		return EventPostScheduled
	}
	return ""
}

// postEventData is what a post event carries when it is made: enough to
// name the post. The relay replaces it by the post as the public API shows
// it when the post is public (WebhookRelayConfig.PublicPost).
func postEventData(p *Post) json.RawMessage {
	d := struct {
		ID          string     `json:"id"`
		Slug        string     `json:"slug"`
		Title       string     `json:"title"`
		Status      PostStatus `json:"status"`
		Version     int        `json:"version"`
		PublishedAt *time.Time `json:"publishedAt,omitempty"`
		PublishAt   *time.Time `json:"publishAt,omitempty"`
	}{ID: p.ID, Slug: p.Slug, Title: p.Title, Status: p.Status, Version: p.Version}
	if !p.PublishedAt.IsZero() {
		d.PublishedAt = &p.PublishedAt
	}
	if p.Status == StatusScheduled && !p.PublishAt.IsZero() {
		d.PublishAt = &p.PublishAt
	}
	b, _ := json.Marshal(d)
	return b
}

// mediaEventData is what a media event carries.
func mediaEventData(m *Media) json.RawMessage {
	names := make([]string, len(m.Variants))
	for i, v := range m.Variants {
		names[i] = v.Name
	}
	b, _ := json.Marshal(map[string]any{"id": m.ID, "filename": m.Filename, "alt": m.Alt, "contentType": m.ContentType,
		"width": m.Width, "height": m.Height, "variants": names})
	return b
}

// putIntent writes the intent of event typ about version version of
// subject, which the save about to be made (making revision rev, "" when
// the subject has no revisions) announces. A failure fails the save: an
// event that cannot be promised is not made. An import's saves (quiet)
// make no events: nil.
func (s *Service) putIntent(ctx context.Context, typ, subject string, version int, rev string, data json.RawMessage) (*WebhookEvent, error) {
	if s.quiet {
		return nil, nil
	}
	now := s.timeNow()
	ev := &WebhookEvent{ID: EventID(typ, subject, int64(version)), Type: typ, SubjectID: subject, SubjectVersion: version,
		State: EventPending, Data: data, OccurredAt: now, CreatedAt: now}
	if rev != "" {
		ev.Revisions = []string{rev}
	}
	if err := s.store.PutEventIntent(ctx, ev); err != nil {
		return nil, err
	}
	if s.crash != nil && s.crash("event-intent") {
		return nil, errCrashed
	}
	return ev, nil
}

// eventSaved marks ev ready once its change is saved, with its data, and
// wakes the relay. A failure is logged: the relay finds the change saved
// and marks the event ready itself.
func (s *Service) eventSaved(ctx context.Context, ev *WebhookEvent) error {
	if ev == nil {
		return nil
	}
	if s.crash != nil && s.crash("event-committed") {
		return errCrashed
	}
	if err := s.store.MarkEventReady(ctx, ev); err != nil {
		s.log.Warn("webhooks: cannot mark an event ready; the relay will", "event", ev.ID, "err", err)
	}
	s.wakeWebhooks()
	return nil
}

// dropIntent removes ev after its change failed (best effort: the relay
// drops what is left once it is old).
func (s *Service) dropIntent(ctx context.Context, ev *WebhookEvent) {
	if ev == nil {
		return
	}
	if _, err := s.store.DeleteEvent(ctx, ev.ID, EventPending); err != nil {
		s.log.Debug("webhooks: cannot drop an intent; the relay will", "event", ev.ID, "err", err)
	}
}
