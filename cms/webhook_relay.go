package cms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"
)

// WebhookSender makes one delivery attempt: it POSTs m's payload to w's
// URL, signed with w's secrets at time at (cms/webhook implements it).
type WebhookSender interface {
	Send(ctx context.Context, w *Webhook, m *WebhookMessage, at time.Time) AttemptResult
}

// AttemptResult is what one attempt got.
type AttemptResult struct {
	StatusCode int           // 0: no response
	Excerpt    string        // the start of the response body (MaxDeliveryExcerpt bytes at most)
	Latency    time.Duration // from sending to the end of the (capped) body
	Err        error         // no response (refused, timed out, a blocked address), or a body cut short
}

// RetrySchedule is how long after each failed attempt the next is made
// (as Svix does): attempts at once, then 5 s, 5 min, 30 min, 2 h, 5 h,
// 10 h and 10 h later, about 27.5 hours in all. The same webhook-id is
// sent every time.
var RetrySchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// WebhookFailingLimit is how long an endpoint may fail every attempt
// before it is disabled.
const WebhookFailingLimit = 24 * time.Hour

// WebhookRelayConfig tunes RunWebhooks. Zero values take the defaults.
type WebhookRelayConfig struct {
	Sender WebhookSender // required
	// Interval is how often the relay looks for work (1 s); a change made
	// by this process wakes it at once.
	Interval time.Duration
	// Quiet is how long published content must stay unchanged before one
	// site.changed event is sent (30 s); changes that never stop still
	// send one every 10 Quiet.
	Quiet time.Duration
	// Concurrency bounds the attempts in flight in this process (4).
	Concurrency int
	// AttemptTimeout is the sender's bound on one attempt (10 s): a
	// claimed message's lease lasts twice this and 5 s, after which
	// another instance (or this one, restarted) may make the attempt.
	AttemptTimeout time.Duration
	// TimeScale multiplies the retry delays and WebhookFailingLimit (1);
	// tests shrink them.
	TimeScale float64
	// KeepFor and KeepPerEndpoint bound the delivery log: attempts older
	// than KeepFor (30 days) go, and all but the newest KeepPerEndpoint
	// (1000) of each endpoint.
	KeepFor         time.Duration
	KeepPerEndpoint int
	// PublicPost returns post id as the public API shows it, with its
	// version, when it is public (cmd/lullaby wires the read model). The
	// data of post.published and post.updated events is taken from it;
	// without it, or while it lags behind the event, they carry the
	// post's id, slug and title.
	PublicPost func(id string) (data json.RawMessage, version int, ok bool)
}

func (c *WebhookRelayConfig) defaults() {
	if c.Interval <= 0 {
		c.Interval = time.Second
	}
	if c.Quiet <= 0 {
		c.Quiet = 30 * time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.AttemptTimeout <= 0 {
		c.AttemptTimeout = 10 * time.Second
	}
	if c.TimeScale <= 0 {
		c.TimeScale = 1
	}
	if c.KeepFor <= 0 {
		c.KeepFor = 30 * 24 * time.Hour
	}
	if c.KeepPerEndpoint <= 0 {
		c.KeepPerEndpoint = 1000
	}
}

// Intents younger than intentSettleAfter are left to the save that wrote
// them; undecided ones older than intentDropAfter are dropped (no save
// takes that long). A public post's event waits up to publicDataWait for
// the read model to show the version it announces.
const (
	intentSettleAfter = 5 * time.Second
	intentDropAfter   = 10 * time.Minute
	publicDataWait    = 10 * time.Second
	webhookPruneEvery = time.Hour
	// dispatchedEventsKept is how long a dispatched event stays, so that
	// an intent settled late, or a restart's site.changed, finds its id
	// taken and makes no second event.
	dispatchedEventsKept = 24 * time.Hour
	// claimCheckEvery is how often the leader looks for due messages when
	// nothing told it of any (a redelivery asked on another instance).
	claimCheckEvery = 5 * time.Second
)

// relay is one process's run of RunWebhooks.
type relay struct {
	s      *Service
	cfg    WebhookRelayConfig
	holder string
	slots  chan struct{}
	wg     sync.WaitGroup

	// site.changed debouncing, as seen by this process while it leads.
	lastCV       int64
	lastCVAt     time.Time
	unsentSince  time.Time
	sentCV       int64
	lastPrune    time.Time
	leaseTTL     time.Duration
	attemptLease time.Duration

	// nextClaim is when a message may next be due, as far as this
	// process knows: claims (each a scan of the messages on FerretDB) are
	// tried only then, when woken, or every claimCheckEvery.
	nextClaim, lastClaim time.Time
}

// RunWebhooks relays events to endpoints until ctx ends, then waits for
// the attempts in flight (each bounded by cfg.AttemptTimeout) and
// records them: a shutdown loses nothing. Any number of instances may run
// it: a lease lets one at a time settle intents, make messages, send
// site.changed and deliver, and each message is claimed with a lease of
// its own, so one attempt is made by one instance.
func (s *Service) RunWebhooks(ctx context.Context, cfg WebhookRelayConfig) {
	cfg.defaults()
	r := &relay{s: s, cfg: cfg, holder: NewID(), slots: make(chan struct{}, cfg.Concurrency),
		leaseTTL: max(5*cfg.Interval, 3*time.Second), attemptLease: 2*cfg.AttemptTimeout + 5*time.Second}
	defer r.wg.Wait()
	t := time.NewTicker(cfg.Interval)
	defer t.Stop()
	woke := true
	for {
		r.tick(ctx, woke)
		woke = false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.webhookWake:
			woke = true
		}
	}
}

// tick does one round of the relay's work, if this instance leads; woke
// says that this process made an event or a message since the last.
func (r *relay) tick(ctx context.Context, woke bool) {
	if ctx.Err() != nil {
		return
	}
	tctx, cancel := context.WithTimeout(ctx, max(30*time.Second, 2*r.cfg.Interval))
	defer cancel()
	ok, err := r.s.store.AcquireLease(tctx, "webhooks", r.holder, r.leaseTTL)
	if err != nil || !ok {
		return
	}
	r.settle(tctx)
	r.siteChanged(tctx)
	if r.dispatch(tctx) {
		woke = true
	}
	if now := r.s.now(); now.Sub(r.lastPrune) >= webhookPruneEvery {
		r.lastPrune = now
		if n, err := r.s.store.PruneWebhooks(tctx, now.Add(-r.cfg.KeepFor), now.Add(-dispatchedEventsKept), r.cfg.KeepPerEndpoint); err != nil {
			r.s.log.Warn("webhooks: pruning the delivery log", "err", err)
		} else if n > 0 {
			r.s.log.Debug("webhooks: pruned", "documents", n)
		}
	}
	if now := r.s.now(); woke || !now.Before(r.nextClaim) || now.Sub(r.lastClaim) >= claimCheckEvery {
		r.lastClaim = now
		r.deliverDue(ctx)
	}
}

// intentOutcome says whether the change intent ev announces was saved,
// was definitely not (another save made that
// version), or cannot be told yet.
type intentOutcome int

const (
	intentUnknown intentOutcome = iota
	intentSaved
	intentNotSaved
)

func (r *relay) outcome(ctx context.Context, ev *WebhookEvent) (intentOutcome, error) {
	switch ev.Type {
	case EventMediaUploaded, EventMediaDeleted:
		_, err := r.s.store.GetMedia(ctx, ev.SubjectID)
		exists := err == nil
		if err != nil && !IsKind(err, KindNotFound) {
			return intentUnknown, err
		}
		if exists == (ev.Type == EventMediaUploaded) {
			return intentSaved, nil
		}
		return intentUnknown, nil
	}
	p, err := r.s.store.GetPost(ctx, ev.SubjectID)
	switch {
	case IsKind(err, KindNotFound) && ev.Type == EventPostDeleted:
		return intentSaved, nil
	case IsKind(err, KindNotFound):
		return intentNotSaved, nil
	case err != nil:
		return intentUnknown, err
	case ev.Type == EventPostDeleted:
		return intentUnknown, nil
	}
	for _, ref := range p.Revisions {
		if slices.Contains(ev.Revisions, ref.ID) {
			return intentSaved, nil
		}
	}
	if p.Version >= ev.SubjectVersion {
		return intentNotSaved, nil // another save made that version
	}
	return intentUnknown, nil
}

// settle decides the intents their saves left pending (a crash, a
// failed save): ready when the change is there, dropped when it is not.
func (r *relay) settle(ctx context.Context) {
	evs, err := r.s.store.Events(ctx, EventPending, 200)
	if err != nil {
		r.s.log.Warn("webhooks: reading pending events", "err", err)
		return
	}
	now := r.s.now()
	for _, ev := range evs {
		age := now.Sub(ev.CreatedAt)
		if age < intentSettleAfter {
			continue
		}
		out, err := r.outcome(ctx, ev)
		switch {
		case err != nil:
			r.s.log.Warn("webhooks: settling an event", "event", ev.ID, "err", err)
		case out == intentSaved:
			err = r.s.store.MarkEventReady(ctx, ev)
		case out == intentNotSaved || age >= intentDropAfter:
			_, err = r.s.store.DeleteEvent(ctx, ev.ID, EventPending)
		}
		if err != nil {
			r.s.log.Warn("webhooks: settling an event", "event", ev.ID, "err", err)
		}
	}
}

// siteChanged sends one site.changed event once published content has
// stayed unchanged for cfg.Quiet. Its id comes from the content version,
// so however many instances or restarts see the same version, one event
// is made for it.
func (r *relay) siteChanged(ctx context.Context) {
	cv, err := r.s.store.ContentVersion(ctx)
	if err != nil || cv == 0 {
		return
	}
	now := r.s.now()
	if cv != r.lastCV {
		r.lastCV, r.lastCVAt = cv, now
		if r.unsentSince.IsZero() {
			r.unsentSince = now
		}
		return
	}
	if cv == r.sentCV || now.Sub(r.lastCVAt) < r.cfg.Quiet && now.Sub(r.unsentSince) < 10*r.cfg.Quiet {
		return
	}
	data, _ := json.Marshal(map[string]any{"contentVersion": cv, "changedAt": r.lastCVAt.UTC().Truncate(time.Millisecond)})
	ev := &WebhookEvent{ID: EventID(EventSiteChanged, "site", cv), Type: EventSiteChanged, SubjectVersion: int(cv), State: EventReady,
		Data: data, OccurredAt: r.lastCVAt.UTC().Truncate(time.Millisecond), CreatedAt: r.s.timeNow()}
	if _, err := r.s.store.AddEvent(ctx, ev); err != nil {
		r.s.log.Warn("webhooks: recording site.changed", "err", err)
		return
	}
	r.sentCV, r.unsentSince = cv, time.Time{}
}

// dispatch makes, for every ready event, one message per endpoint that
// is enabled, wants it and existed when it happened; then marks the event
// dispatched. Messages have ids derived from event and endpoint, so a
// crash half-way makes the rest next time and no duplicates. It reports
// whether it made any.
func (r *relay) dispatch(ctx context.Context) bool {
	evs, err := r.s.store.Events(ctx, EventReady, 100)
	if err != nil || len(evs) == 0 {
		if err != nil {
			r.s.log.Warn("webhooks: reading ready events", "err", err)
		}
		return false
	}
	hooks, err := r.s.store.ListWebhooks(ctx)
	if err != nil {
		r.s.log.Warn("webhooks: listing endpoints", "err", err)
		return false
	}
	now := r.s.timeNow()
	made := false
	for _, ev := range evs {
		data, ready := r.eventData(ev, now)
		if !ready {
			continue
		}
		failed := false
		for _, w := range hooks {
			if !w.Enabled || !w.Wants(ev.Type) || w.CreatedAt.After(ev.OccurredAt) {
				continue
			}
			m, err := newMessage(ev, w, data, now)
			if err == nil {
				_, err = r.s.store.AddWebhookMessage(ctx, m)
			}
			if err != nil {
				r.s.log.Warn("webhooks: making a message", "event", ev.ID, "webhook", w.ID, "err", err)
				failed = true
				break
			}
			made = true
		}
		if !failed {
			if _, err := r.s.store.SetEventState(ctx, ev.ID, EventReady, EventDispatched); err != nil {
				r.s.log.Warn("webhooks: marking an event dispatched", "event", ev.ID, "err", err)
			}
		}
	}
	return made
}

// eventData returns the data event ev's messages carry, and false when
// it should wait for the read model to show the post it announces.
func (r *relay) eventData(ev *WebhookEvent, now time.Time) (json.RawMessage, bool) {
	if (ev.Type != EventPostPublished && ev.Type != EventPostUpdated) || r.cfg.PublicPost == nil {
		return ev.Data, true
	}
	if data, v, ok := r.cfg.PublicPost(ev.SubjectID); ok && v >= ev.SubjectVersion {
		return data, true
	}
	return ev.Data, now.Sub(ev.CreatedAt) >= publicDataWait
}

// deliverDue claims due messages while this process has room for more
// attempts, and makes each in its own goroutine.
func (r *relay) deliverDue(ctx context.Context) {
	for {
		select {
		case r.slots <- struct{}{}:
		default:
			return // all busy: the next tick looks again
		}
		now := r.s.now()
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		m, err := r.s.store.ClaimWebhookMessage(cctx, now, r.holder, now.Add(r.attemptLease))
		cancel()
		if err != nil {
			<-r.slots
			if IsKind(err, KindNotFound) {
				r.learnNextClaim(ctx, now)
			} else if ctx.Err() == nil {
				r.s.log.Warn("webhooks: claiming a message", "err", err)
			}
			return
		}
		r.wg.Add(1)
		go func() {
			defer func() { <-r.slots; r.wg.Done(); r.s.wakeWebhooks() }()
			// Not canceled by a shutdown: the attempt, bounded by its
			// timeout, is finished and recorded.
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.attemptLease)
			defer cancel()
			r.deliver(actx, m)
		}()
	}
}

// learnNextClaim sets when the next pending message is due (or a claim
// check's interval from now when none is pending; a lease in force makes
// it due at once, and the check after claimCheckEvery finds it free).
func (r *relay) learnNextClaim(ctx context.Context, now time.Time) {
	next, err := r.s.store.NextWebhookAttempt(ctx)
	switch {
	case err != nil || next.IsZero():
		r.nextClaim = now.Add(claimCheckEvery)
	default:
		r.nextClaim = next
	}
}

// scaled returns d times the configured time scale.
func (r *relay) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * r.cfg.TimeScale)
}

// deliver makes one attempt of claimed message m, logs it, schedules the
// next one or closes the message, and keeps the endpoint's failure
// record: a 410 Gone disables it at once, a day of failures too.
func (r *relay) deliver(ctx context.Context, m *WebhookMessage) {
	s := r.s
	w, err := s.store.GetWebhook(ctx, m.WebhookID)
	switch {
	case IsKind(err, KindNotFound) || IsKind(err, KindInvalid):
		r.close(ctx, m, MessageFailed, "The endpoint was deleted.")
		return
	case err != nil:
		s.log.Warn("webhooks: reading an endpoint", "webhook", m.WebhookID, "err", err)
		return // the lease expires and the attempt is made later
	case !w.Enabled:
		r.close(ctx, m, MessageFailed, "The endpoint is disabled.")
		return
	}
	at := s.timeNow()
	res := r.cfg.Sender.Send(ctx, w, m, at)
	ok := res.Err == nil && res.StatusCode >= 200 && res.StatusCode < 300
	d := &WebhookDelivery{ID: NewID(), WebhookID: w.ID, MessageID: m.ID, EventID: m.EventID, EventType: m.EventType,
		Attempt: m.Attempts + 1, Manual: m.Manual, At: at, Status: DeliverySucceeded, ResponseCode: res.StatusCode,
		LatencyMs: res.Latency.Milliseconds(), ResponseExcerpt: res.Excerpt}
	switch {
	case res.Err != nil:
		d.Status, d.Error = DeliveryFailed, res.Err.Error()
	case !ok:
		d.Status, d.Error = DeliveryFailed, fmt.Sprintf("The endpoint answered %d.", res.StatusCode)
	}
	if err := s.store.AddWebhookDelivery(ctx, d); err != nil {
		s.log.Warn("webhooks: logging an attempt", "message", m.ID, "err", err)
	}
	prev, now := m.Version, s.timeNow()
	m.Attempts, m.Manual, m.LeaseHolder, m.LeaseUntil = m.Attempts+1, false, "", nil
	m.Version, m.UpdatedAt, m.LastError = prev+1, now, d.Error
	gone := res.Err == nil && res.StatusCode == 410
	switch {
	case ok:
		m.State, m.NextAttemptAt = MessageDelivered, nil
	case gone:
		m.State, m.NextAttemptAt = MessageFailed, nil
	case m.Retry >= len(RetrySchedule):
		m.State, m.NextAttemptAt = MessageFailed, nil
	default:
		next := now.Add(r.scaled(RetrySchedule[m.Retry]))
		m.Retry, m.NextAttemptAt = m.Retry+1, &next
	}
	if err := s.store.SaveWebhookMessage(ctx, m, prev); err != nil {
		// Redelivered meanwhile (its new attempt stands), or the lease
		// was lost: the attempt is logged either way.
		s.log.Debug("webhooks: saving a message after an attempt", "message", m.ID, "err", err)
	}
	r.endpointResult(ctx, w, ok, gone, at, d)
}

// close ends message m without an attempt.
func (r *relay) close(ctx context.Context, m *WebhookMessage, state, why string) {
	prev := m.Version
	m.State, m.NextAttemptAt, m.LeaseHolder, m.LeaseUntil, m.LastError = state, nil, "", nil, why
	m.Version, m.UpdatedAt = prev+1, r.s.timeNow()
	if err := r.s.store.SaveWebhookMessage(ctx, m, prev); err != nil {
		r.s.log.Debug("webhooks: closing a message", "message", m.ID, "err", err)
	}
}

// endpointResult keeps the failure record of endpoint w (as read before
// the attempt at at) after it: a success clears it, a 410 disables the
// endpoint, and a failure WebhookFailingLimit (scaled) after the first of
// a run disables it too. A success with no record to clear, the usual
// case, reads and writes nothing; a failure another attempt records while
// this one is in flight is cleared by the next success, as attempts made
// side by side have no order anyway.
func (r *relay) endpointResult(ctx context.Context, w *Webhook, ok, gone bool, at time.Time, d *WebhookDelivery) {
	id := w.ID
	_, err := r.s.editWebhook(ctx, id, w, func(w *Webhook) bool {
		switch {
		case ok:
			if w.FailingSince == nil {
				return false
			}
			w.FailingSince = nil
		case !w.Enabled:
			return false
		case gone:
			w.Enabled, w.DisabledAt = false, &at
			w.DisabledReason = "The endpoint answered 410 Gone (message " + d.EventID + "): it asked for no more deliveries."
		case w.FailingSince == nil:
			w.FailingSince = &at
		case at.Sub(*w.FailingSince) >= r.scaled(WebhookFailingLimit):
			w.Enabled, w.DisabledAt = false, &at
			w.DisabledReason = "Every delivery failed for 24 hours, since " + w.FailingSince.UTC().Format(time.RFC3339) + "; the last: " + d.Error
		default:
			return false
		}
		return true
	})
	if err != nil && !IsKind(err, KindNotFound) {
		r.s.log.Warn("webhooks: recording an endpoint's result", "webhook", id, "err", err)
	}
}
