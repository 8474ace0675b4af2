package cms

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"time"
)

// WebhookConfig tunes how the service checks webhook targets.
type WebhookConfig struct {
	// AllowPrivate lets endpoints target loopback, private and link-local
	// addresses: for local development and tests only.
	AllowPrivate bool
	// Resolver resolves a target's host when it is saved (default
	// net.DefaultResolver).
	Resolver *net.Resolver
}

const webhookOwnersOnly = "Only owners can manage webhooks."

// ListWebhooks returns every endpoint, oldest first, without secrets;
// owners only. Errors: Forbidden, Unavailable, Internal.
func (s *Service) ListWebhooks(ctx context.Context, actor *User) ([]*Webhook, error) {
	if !actor.CanManageSettings() {
		return nil, forbidden("cms.ListWebhooks", webhookOwnersOnly)
	}
	return s.store.ListWebhooks(ctx)
}

// DisabledWebhooks returns the endpoints that are disabled, each with
// why and when (DisabledReason, DisabledAt), for the dashboard to flag;
// owners only. Errors: Forbidden, Unavailable, Internal.
func (s *Service) DisabledWebhooks(ctx context.Context, actor *User) ([]*Webhook, error) {
	if !actor.CanManageSettings() {
		return nil, forbidden("cms.DisabledWebhooks", webhookOwnersOnly)
	}
	all, err := s.store.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	out := []*Webhook{}
	for _, w := range all {
		if !w.Enabled {
			out = append(out, w)
		}
	}
	return out, nil
}

// GetWebhook returns one endpoint (its secret is in Secret, which JSON
// leaves out); owners only. Errors: Forbidden, NotFound, Invalid (a
// malformed id), Unavailable, Internal.
func (s *Service) GetWebhook(ctx context.Context, actor *User, id string) (*Webhook, error) {
	if !actor.CanManageSettings() {
		return nil, forbidden("cms.GetWebhook", webhookOwnersOnly)
	}
	return s.store.GetWebhook(ctx, id)
}

// CreateWebhook makes an enabled endpoint (unless in.Enabled is false)
// with a new secret, and returns it with the secret; owners only. Errors:
// Forbidden, Invalid (Fields: url — not http(s), or a private, loopback
// or link-local target —, description, events; or too many endpoints),
// Unavailable, Internal.
func (s *Service) CreateWebhook(ctx context.Context, actor *User, in WebhookInput) (*Webhook, string, error) {
	const op = "cms.CreateWebhook"
	if !actor.CanManageSettings() {
		return nil, "", forbidden(op, webhookOwnersOnly)
	}
	now := s.timeNow()
	w := &Webhook{ID: NewID(), Events: []string{}, Enabled: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.applyWebhookInput(ctx, op, w, in, now); err != nil {
		return nil, "", err
	}
	all, err := s.store.ListWebhooks(ctx)
	if err != nil {
		return nil, "", err
	}
	if len(all) >= MaxWebhooks {
		return nil, "", Problems{"url": "This site has as many webhook endpoints as it may keep (50)."}.Err(op)
	}
	if w.Secret, err = NewWebhookSecret(); err != nil {
		return nil, "", &Error{Kind: KindInternal, Op: op, Err: err}
	}
	if err := s.store.CreateWebhook(ctx, w); err != nil {
		return nil, "", err
	}
	return w, w.Secret, nil
}

// UpdateWebhook edits endpoint id: in.Version must be the version the
// edit started from. Enabling a disabled endpoint clears why it was
// disabled; messages that failed meanwhile stay failed (redeliver them
// from the log). Owners only. Errors: Forbidden, Invalid (as
// CreateWebhook, and version), NotFound, Conflict (stale version),
// Unavailable, Internal.
func (s *Service) UpdateWebhook(ctx context.Context, actor *User, id string, in WebhookInput) (*Webhook, error) {
	const op = "cms.UpdateWebhook"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, webhookOwnersOnly)
	}
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	w, err := s.store.GetWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.Version != version {
		return nil, staleError(op, w.Version)
	}
	now := s.timeNow()
	if err := s.applyWebhookInput(ctx, op, w, in, now); err != nil {
		return nil, err
	}
	w.Version, w.UpdatedAt = version+1, now
	if err := s.store.UpdateWebhook(ctx, w, version); err != nil {
		if IsKind(err, KindConflict) {
			return nil, staleError(op, 0)
		}
		return nil, err
	}
	return w, nil
}

// RotateWebhookSecret gives endpoint id a new secret and returns it. The
// old secret keeps signing beside the new one (two signatures in
// webhook-signature) for WebhookOldSecretGrace, so a receiver can switch
// without missing a delivery. Owners only. Errors: Forbidden, NotFound,
// Invalid (a malformed id), Unavailable, Internal.
func (s *Service) RotateWebhookSecret(ctx context.Context, actor *User, id string) (*Webhook, string, error) {
	const op = "cms.RotateWebhookSecret"
	if !actor.CanManageSettings() {
		return nil, "", forbidden(op, webhookOwnersOnly)
	}
	secret, err := NewWebhookSecret()
	if err != nil {
		return nil, "", &Error{Kind: KindInternal, Op: op, Err: err}
	}
	w, err := s.editWebhook(ctx, id, nil, func(w *Webhook) bool {
		until := s.timeNow().Add(WebhookOldSecretGrace)
		w.OldSecret, w.OldSecretUntil, w.Secret = w.Secret, &until, secret
		return true
	})
	if err != nil {
		return nil, "", err
	}
	return w, secret, nil
}

// editWebhook applies change to endpoint id and saves it, redoing it on
// the stored version when a concurrent save won; change returns false to
// leave the endpoint as it is. w is the endpoint as the caller just read
// it (nil: read it here), so a change that turns out to be none costs no
// read.
func (s *Service) editWebhook(ctx context.Context, id string, w *Webhook, change func(*Webhook) bool) (*Webhook, error) {
	for attempt := 0; ; attempt++ {
		if w == nil {
			var err error
			if w, err = s.store.GetWebhook(ctx, id); err != nil {
				return nil, err
			}
		}
		if !change(w) {
			return w, nil
		}
		prev := w.Version
		w.Version, w.UpdatedAt = prev+1, s.timeNow()
		err := s.store.UpdateWebhook(ctx, w, prev)
		if err == nil || !IsKind(err, KindConflict) || attempt >= 5 {
			return w, err
		}
		w = nil
	}
}

// DeleteWebhook removes endpoint id with its pending messages and its
// delivery log; owners only. Errors: Forbidden, NotFound, Invalid,
// Unavailable, Internal.
func (s *Service) DeleteWebhook(ctx context.Context, actor *User, id string) error {
	if !actor.CanManageSettings() {
		return forbidden("cms.DeleteWebhook", webhookOwnersOnly)
	}
	return s.store.DeleteWebhook(ctx, id)
}

// DefaultDeliveryPage and MaxDeliveryPage bound a page of the delivery
// log.
const (
	DefaultDeliveryPage = 50
	MaxDeliveryPage     = 200
)

// WebhookDeliveries returns a page of endpoint id's delivery log, newest
// first: limit attempts (0: DefaultDeliveryPage) made before the cursor
// before ("": the newest), which a previous page's Next gives. Owners
// only. Errors: Forbidden, NotFound, Invalid (Fields: before, limit),
// Unavailable, Internal.
func (s *Service) WebhookDeliveries(ctx context.Context, actor *User, id, before string, limit int) (*DeliveryPage, error) {
	const op = "cms.WebhookDeliveries"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, webhookOwnersOnly)
	}
	pr := Problems{}
	var at time.Time
	if before != "" {
		ms, err := strconv.ParseInt(before, 10, 64)
		if err != nil || ms <= 0 {
			pr.Add("before", "Must be the cursor a previous page gave as next.")
		}
		at = time.UnixMilli(ms).UTC()
	}
	if limit == 0 {
		limit = DefaultDeliveryPage
	}
	if limit < 1 || limit > MaxDeliveryPage {
		pr.Add("limit", "Must be from 1 to 200.")
	}
	if err := pr.Err(op); err != nil {
		return nil, err
	}
	if _, err := s.store.GetWebhook(ctx, id); err != nil {
		return nil, err
	}
	list, err := s.store.WebhookDeliveries(ctx, id, at, limit+1)
	if err != nil {
		return nil, err
	}
	page := &DeliveryPage{Deliveries: list}
	if len(list) > limit {
		page.Deliveries = list[:limit]
		page.Next = strconv.FormatInt(list[limit-1].At.UnixMilli(), 10)
	}
	return page, nil
}

// GetWebhookMessage returns message messageID of endpoint webhookID;
// owners only. Errors: Forbidden, NotFound, Unavailable, Internal.
func (s *Service) GetWebhookMessage(ctx context.Context, actor *User, webhookID, messageID string) (*WebhookMessage, error) {
	const op = "cms.GetWebhookMessage"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, webhookOwnersOnly)
	}
	m, err := s.store.GetWebhookMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if m.WebhookID != webhookID {
		return nil, Errorf(KindNotFound, op, "This endpoint has no such message.")
	}
	return m, nil
}

// RedeliverWebhook sends message messageID of endpoint webhookID again,
// with the same webhook-id and body: a new attempt is due at once, and if
// it fails the retry schedule starts over. Owners only. Errors:
// Forbidden, NotFound, Conflict (the endpoint is disabled: enable it
// first), Unavailable, Internal.
func (s *Service) RedeliverWebhook(ctx context.Context, actor *User, webhookID, messageID string) (*WebhookMessage, error) {
	const op = "cms.RedeliverWebhook"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, webhookOwnersOnly)
	}
	w, err := s.store.GetWebhook(ctx, webhookID)
	if err != nil {
		return nil, err
	}
	if !w.Enabled {
		return nil, Errorf(KindConflict, op, "This endpoint is disabled; enable it before redelivering.")
	}
	for attempt := 0; ; attempt++ {
		m, err := s.GetWebhookMessage(ctx, actor, webhookID, messageID)
		if err != nil {
			return nil, err
		}
		now := s.timeNow()
		prev := m.Version
		m.State, m.Retry, m.NextAttemptAt, m.LeaseHolder, m.LeaseUntil = MessagePending, 0, &now, "", nil
		m.Manual, m.Version, m.UpdatedAt = true, prev+1, now
		err = s.store.SaveWebhookMessage(ctx, m, prev)
		if err == nil {
			s.wakeWebhooks()
			return m, nil
		}
		if !IsKind(err, KindConflict) || attempt >= 5 {
			return nil, err
		}
	}
}

// SendTestWebhook sends a webhook.test event to endpoint id alone,
// whatever its event filter, and returns the message (its attempts show
// in the delivery log). Owners only. Errors: Forbidden, NotFound,
// Conflict (the endpoint is disabled), Unavailable, Internal.
func (s *Service) SendTestWebhook(ctx context.Context, actor *User, id string) (*WebhookMessage, error) {
	const op = "cms.SendTestWebhook"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, webhookOwnersOnly)
	}
	w, err := s.store.GetWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if !w.Enabled {
		return nil, Errorf(KindConflict, op, "This endpoint is disabled; enable it before sending a test.")
	}
	now := s.timeNow()
	data, _ := json.Marshal(map[string]string{"webhookId": w.ID, "message": "A test event sent from Lullaby."})
	ev := &WebhookEvent{ID: "msg_" + NewID(), Type: EventWebhookTest, State: EventDispatched, Data: data, OccurredAt: now, CreatedAt: now}
	m, err := newMessage(ev, w, data, now)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	if _, err := s.store.AddWebhookMessage(ctx, m); err != nil {
		return nil, err
	}
	s.wakeWebhooks()
	return m, nil
}
