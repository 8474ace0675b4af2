package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/webhook"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

func ptr[T any](v T) *T { return &v }

// harness is a service with its relay running, delivering to a local
// receiver (private targets allowed, as tests of delivery must).
type harness struct {
	f      *cmstest.Fixture
	owner  *cms.User
	rc     *cmstest.Receiver
	hook   *cms.Webhook
	secret string
}

type setup struct {
	events    []string
	timeout   time.Duration // per attempt (default 2 s)
	scale     float64       // retry delays (default 1e-4: 5 s -> 0.5 ms, 10 h -> 3.6 s)
	quiet     time.Duration
	noPrivate bool // the sender refuses private addresses
	now       func() time.Time
}

func start(t *testing.T, su setup) *harness {
	t.Helper()
	f := cmstest.MustService(t, func(c *cms.ServiceConfig) { c.Webhooks.AllowPrivate, c.Now = true, su.now })
	h := &harness{f: f, owner: cmstest.Owner(), rc: cmstest.NewReceiver(t)}
	if su.events == nil {
		su.events = []string{"post.published", "post.updated", "post.unpublished", "post.deleted", "post.scheduled", "media.*"}
	}
	var err error
	h.hook, h.secret, err = f.Svc.CreateWebhook(context.Background(), h.owner, cms.WebhookInput{URL: ptr(h.rc.URL), Events: ptr(su.events)})
	if err != nil {
		t.Fatal(err)
	}
	h.run(t, su)
	return h
}

// run starts a relay of h's service until the test ends.
func (h *harness) run(t *testing.T, su setup) {
	if su.timeout == 0 {
		su.timeout = 2 * time.Second
	}
	if su.scale == 0 {
		su.scale = 1e-4
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sender := webhook.New(webhook.Options{AllowPrivate: !su.noPrivate, Timeout: su.timeout})
	go func() {
		defer close(done)
		h.f.Svc.RunWebhooks(ctx, cms.WebhookRelayConfig{Sender: sender, Interval: 50 * time.Millisecond, Quiet: su.quiet,
			AttemptTimeout: su.timeout, TimeScale: su.scale, PublicPost: h.f.Read.WebhookPost})
	}()
	t.Cleanup(func() { cancel(); <-done })
}

func (h *harness) deliveries(t *testing.T) []*cms.WebhookDelivery {
	t.Helper()
	page, err := h.f.Svc.WebhookDeliveries(context.Background(), h.owner, h.hook.ID, "", 200)
	if err != nil {
		t.Fatal(err)
	}
	return page.Deliveries
}

func types(got []cmstest.Delivery) string {
	out := make([]string, len(got))
	for i, d := range got {
		out[i] = d.Type
	}
	return strings.Join(out, ",")
}

// TestSignedEventsOfAPostsLife: each step of a post's life reaches the
// endpoint once, in order, signed so that the independent Standard
// Webhooks verifier accepts every delivery; a public post's data is the
// post as the public API shows it.
func TestSignedEventsOfAPostsLife(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{})
	svc := h.f.Svc
	p, err := svc.CreatePost(ctx, h.owner, cms.PostInput{Title: ptr("Why infants wake at night"), Body: ptr("Sleep cycles are short.")})
	if err != nil {
		t.Fatal(err)
	}
	step := func(want int, in cms.PostInput) {
		t.Helper()
		in.Version = &p.Version
		if p, err = svc.UpdatePost(ctx, h.owner, p.ID, in); err != nil {
			t.Fatal(err)
		}
		h.rc.WaitFor(t, 10*time.Second, "event "+itoa(want), func(got []cmstest.Delivery) bool { return len(got) >= want })
	}
	step(1, cms.PostInput{Status: ptr(cms.StatusPublished)})
	step(2, cms.PostInput{Body: ptr("Sleep cycles are short, about 50 minutes.")})
	step(3, cms.PostInput{Status: ptr(cms.StatusDraft)})
	step(4, cms.PostInput{Status: ptr(cms.StatusScheduled), PublishAt: ptr(time.Now().Add(time.Hour))})
	step(4, cms.PostInput{Title: ptr("Why infants wake at night, revised")}) // a scheduled post's edit: no event
	if p, err = svc.TrashPost(ctx, h.owner, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeletePost(ctx, h.owner, p.ID); err != nil {
		t.Fatal(err)
	}
	h.rc.WaitFor(t, 10*time.Second, "post.deleted", func(got []cmstest.Delivery) bool { return len(got) >= 5 })
	time.Sleep(300 * time.Millisecond) // nothing more may come
	got := h.rc.Got()
	if want := "post.published,post.updated,post.unpublished,post.scheduled,post.deleted"; types(got) != want {
		t.Fatalf("events %s, want %s", types(got), want)
	}
	seen := map[string]bool{}
	for _, d := range got {
		if seen[d.ID] || !strings.HasPrefix(d.ID, "msg_") {
			t.Errorf("webhook-id %q repeated or malformed", d.ID)
		}
		seen[d.ID] = true
	}
	var published struct {
		Type      string
		Timestamp time.Time
		Data      map[string]any
	}
	if err := json.Unmarshal(got[1].Body, &published); err != nil {
		t.Fatal(err)
	}
	if published.Data["slug"] != p.Slug || published.Data["html"] == nil || published.Timestamp.IsZero() {
		t.Errorf("post.updated data is not the public post: %s", got[1].Body)
	}
	var deleted struct{ Data map[string]any }
	if err := json.Unmarshal(got[4].Body, &deleted); err != nil || deleted.Data["id"] != p.ID || deleted.Data["html"] != nil {
		t.Errorf("post.deleted data %s, want id, slug and title", got[4].Body)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)

	log := h.deliveries(t)
	if len(log) != 5 || log[0].EventType != "post.deleted" || log[0].Status != cms.DeliverySucceeded || log[0].ResponseCode != 200 || log[0].ResponseExcerpt != "thanks" {
		t.Fatalf("log %d entries, newest %+v", len(log), log[0])
	}
}

// TestRotatedSecretSignsTwice: after a rotation both the new and the old
// secret verify, for the day of grace.
func TestRotatedSecretSignsTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{})
	_, secret, err := h.f.Svc.RotateWebhookSecret(ctx, h.owner, h.hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.f.Svc.SendTestWebhook(ctx, h.owner, h.hook.ID); err != nil {
		t.Fatal(err)
	}
	got := h.rc.WaitFor(t, 10*time.Second, "the test event", func(got []cmstest.Delivery) bool { return len(got) == 1 })
	if got[0].Type != cms.EventWebhookTest || strings.Count(got[0].Signature, "v1,") != 2 {
		t.Fatalf("test event %s signed %q, want two signatures", got[0].Type, got[0].Signature)
	}
	cmstest.MustVerifyWebhooks(t, secret, got)
	cmstest.MustVerifyWebhooks(t, h.secret, got)
}

// TestReceiverDownThenUp: failed attempts are retried with the same
// webhook-id until one succeeds; then nothing more is sent.
func TestReceiverDownThenUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{})
	h.rc.Status(http.StatusServiceUnavailable)
	if _, err := h.f.Svc.CreatePost(ctx, h.owner, cms.PostInput{Title: ptr("Naps"), Status: ptr(cms.StatusPublished)}); err != nil {
		t.Fatal(err)
	}
	h.rc.WaitFor(t, 10*time.Second, "three failed attempts", func(got []cmstest.Delivery) bool { return len(got) >= 3 })
	h.rc.Status(http.StatusNoContent)
	h.rc.WaitFor(t, 20*time.Second, "a success", func(got []cmstest.Delivery) bool {
		log := h.deliveries(t)
		return len(log) > 0 && log[0].Status == cms.DeliverySucceeded
	})
	time.Sleep(500 * time.Millisecond)
	got := h.rc.Got()
	for _, d := range got {
		if d.ID != got[0].ID {
			t.Fatalf("webhook-ids %s and %s: retries must keep the id", got[0].ID, d.ID)
		}
	}
	log := h.deliveries(t)
	ok := 0
	for _, d := range log {
		if d.Status == cms.DeliverySucceeded {
			ok++
		}
	}
	if ok != 1 || len(log) != len(got) || log[len(log)-1].ResponseCode != 503 || log[0].ResponseCode != 204 {
		t.Fatalf("%d requests, log of %d with %d successes (first %d, last %d), want one success last", len(got), len(log), ok, log[len(log)-1].ResponseCode, log[0].ResponseCode)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)
}

// TestRedeliver: a delivered message sent again keeps its id and body;
// the log marks the attempt as asked for.
func TestRedeliver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{})
	if _, err := h.f.Svc.CreatePost(ctx, h.owner, cms.PostInput{Title: ptr("Naps"), Status: ptr(cms.StatusPublished)}); err != nil {
		t.Fatal(err)
	}
	first := h.rc.WaitFor(t, 10*time.Second, "the event", func(got []cmstest.Delivery) bool { return len(got) == 1 })
	var log []*cms.WebhookDelivery
	for deadline := time.Now().Add(5 * time.Second); len(log) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		log = h.deliveries(t)
	}
	if len(log) == 0 {
		t.Fatal("the delivery was not logged")
	}
	m, err := h.f.Svc.RedeliverWebhook(ctx, h.owner, h.hook.ID, log[0].MessageID)
	if err != nil {
		t.Fatal(err)
	}
	got := h.rc.WaitFor(t, 10*time.Second, "the redelivery", func(got []cmstest.Delivery) bool { return len(got) == 2 })
	if got[1].ID != first[0].ID || string(got[1].Body) != string(first[0].Body) || m.EventID != first[0].ID {
		t.Fatalf("redelivery %s %s, want %s with the same body", got[1].ID, got[1].Body, first[0].ID)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if log = h.deliveries(t); len(log) == 2 {
			break
		}
	}
	if len(log) != 2 || !log[0].Manual || log[0].Attempt != 2 || log[1].Manual {
		t.Fatalf("log after redelivery: %d entries, newest %+v", len(log), log[0])
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
