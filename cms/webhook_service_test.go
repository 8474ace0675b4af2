package cms_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// mustWebhookService returns a service on a fresh database whose webhook
// targets may be private (allowPrivate), as local development allows.
func mustWebhookService(tb testing.TB, allowPrivate bool) *cmstest.Fixture {
	tb.Helper()
	return cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.Webhooks.AllowPrivate = allowPrivate })
}

// mustLoopbackWebhook returns a service whose webhook targets may be
// private, an owner, and an endpoint of theirs on a loopback port where
// nothing listens, subscribed to site.changed.
func mustLoopbackWebhook(tb testing.TB) (*cmstest.Fixture, *cms.User, *cms.Webhook) {
	tb.Helper()
	f := mustWebhookService(tb, true)
	owner := cmstest.Owner()
	w, _, err := f.Svc.CreateWebhook(context.Background(), owner, cms.WebhookInput{URL: ptr("http://127.0.0.1:9/hook"), Events: ptr([]string{"site.changed"})})
	if err != nil {
		tb.Fatal(err)
	}
	return f, owner, w
}

func TestWebhookCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustWebhookService(t, false)
	owner := cmstest.Owner()
	w, secret, err := f.Svc.CreateWebhook(ctx, owner, cms.WebhookInput{URL: ptr("https://93.184.215.14/hooks/lullaby"),
		Description: ptr("  Static build  "), Events: ptr([]string{"post.published", "media.*", "post.published"})})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "whsec_") || secret != w.Secret {
		t.Fatalf("secret %q, want whsec_ and the endpoint's", secret)
	}
	if raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_")); err != nil || len(raw) < 24 || len(raw) > 32 {
		t.Fatalf("secret decodes to %d bytes (%v), want 24 to 32", len(raw), err)
	}
	if !w.Enabled || w.Version != 1 || w.Description != "Static build" || strings.Join(w.Events, ",") != "post.published,media.*" {
		t.Fatalf("created %+v", w)
	}
	if !w.Wants(cms.EventMediaDeleted) || w.Wants(cms.EventPostUpdated) {
		t.Fatalf("filter %v: wants media.deleted %v, post.updated %v", w.Events, w.Wants(cms.EventMediaDeleted), w.Wants(cms.EventPostUpdated))
	}

	got, err := f.Svc.GetWebhook(ctx, owner, w.ID)
	if err != nil || got.Secret != secret || got.URL != w.URL || !got.CreatedAt.Equal(w.CreatedAt) {
		t.Fatalf("get: %+v, %v", got, err)
	}

	// An edit needs the version it started from.
	if _, err := f.Svc.UpdateWebhook(ctx, owner, w.ID, cms.WebhookInput{Description: ptr("x")}); cms.ErrorFields(err)["version"] == "" {
		t.Fatalf("edit without version: %v, want version named", err)
	}
	up, err := f.Svc.UpdateWebhook(ctx, owner, w.ID, cms.WebhookInput{Enabled: ptr(false), Version: ptr(1)})
	if err != nil {
		t.Fatal(err)
	}
	if up.Enabled || up.Version != 2 || up.DisabledReason == "" || up.DisabledAt == nil {
		t.Fatalf("disabled by hand: %+v", up)
	}
	if _, err := f.Svc.UpdateWebhook(ctx, owner, w.ID, cms.WebhookInput{Enabled: ptr(true), Version: ptr(1)}); !cms.IsKind(err, cms.KindConflict) {
		t.Fatalf("stale edit: %v, want conflict", err)
	}
	dis, err := f.Svc.DisabledWebhooks(ctx, owner)
	if err != nil || len(dis) != 1 || dis[0].ID != w.ID || dis[0].DisabledReason == "" {
		t.Fatalf("disabled list: %+v, %v", dis, err)
	}
	up, err = f.Svc.UpdateWebhook(ctx, owner, w.ID, cms.WebhookInput{Enabled: ptr(true), Version: ptr(2)})
	if err != nil || !up.Enabled || up.DisabledReason != "" || up.DisabledAt != nil {
		t.Fatalf("enabled again: %+v, %v", up, err)
	}

	rot, newSecret, err := f.Svc.RotateWebhookSecret(ctx, owner, w.ID)
	if err != nil || newSecret == secret || rot.Secret != newSecret || rot.OldSecret != secret {
		t.Fatalf("rotate: %v, new %q old %q", err, newSecret, rot.OldSecret)
	}
	if s := rot.Secrets(time.Now()); len(s) != 2 || s[0] != newSecret || s[1] != secret {
		t.Fatalf("secrets after a rotation: %v, want the new then the old", s)
	}
	if s := rot.Secrets(time.Now().Add(cms.WebhookOldSecretGrace + time.Minute)); len(s) != 1 {
		t.Fatalf("secrets after the grace: %v, want the new alone", s)
	}

	list, err := f.Svc.ListWebhooks(ctx, owner)
	if err != nil || len(list) != 1 || list[0].Version != 4 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if err := f.Svc.DeleteWebhook(ctx, owner, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.GetWebhook(ctx, owner, w.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("get after delete: %v, want not found", err)
	}
	if err := f.Svc.DeleteWebhook(ctx, owner, w.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("delete twice: %v, want not found", err)
	}
}

func TestWebhookOwnersOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustWebhookService(t, false)
	editor := &cms.User{ID: cms.NewID(), Role: cms.RoleEditor}
	if _, _, err := f.Svc.CreateWebhook(ctx, editor, cms.WebhookInput{URL: ptr("https://93.184.215.14/"), Events: ptr([]string{"site.changed"})}); !cms.IsKind(err, cms.KindForbidden) {
		t.Fatalf("editor creates: %v, want forbidden", err)
	}
	if _, err := f.Svc.ListWebhooks(ctx, editor); !cms.IsKind(err, cms.KindForbidden) {
		t.Fatalf("editor lists: %v, want forbidden", err)
	}
	if _, err := f.Svc.DisabledWebhooks(ctx, editor); !cms.IsKind(err, cms.KindForbidden) {
		t.Fatalf("editor lists disabled: %v, want forbidden", err)
	}
}

func TestWebhookBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustWebhookService(t, false)
	owner := cmstest.Owner()
	events := ptr([]string{"post.published"})
	for _, tc := range []struct {
		name, url string
		events    []string
		field     string
	}{
		{"File", "file:///etc/passwd", nil, "url"},
		{"Gopher", "gopher://93.184.215.14:70/_x", nil, "url"},
		{"Loopback", "http://127.0.0.1:8080/hook", nil, "url"},
		{"Localhost", "http://localhost:8080/hook", nil, "url"},
		{"Metadata", "http://169.254.169.254/latest/meta-data/", nil, "url"},
		{"Private", "https://10.1.2.3/hook", nil, "url"},
		{"CGNAT", "https://100.64.0.1/hook", nil, "url"},
		{"ULA", "https://[fd00::1]/hook", nil, "url"},
		{"MappedLoopback", "https://[::ffff:127.0.0.1]/hook", nil, "url"},
		{"Credentials", "https://user:pw@93.184.215.14/hook", nil, "url"},
		{"Relative", "/hook", nil, "url"},
		{"UnknownEvent", "https://93.184.215.14/hook", []string{"post.exploded"}, "events"},
		{"NoEvents", "https://93.184.215.14/hook", []string{}, "events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := cms.WebhookInput{URL: ptr(tc.url), Events: events}
			if tc.events != nil {
				in.Events = ptr(tc.events)
			}
			_, _, err := f.Svc.CreateWebhook(ctx, owner, in)
			if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)[tc.field] == "" {
				t.Fatalf("got %v, want invalid naming %s", err, tc.field)
			}
		})
	}
	list, err := f.Svc.ListWebhooks(ctx, owner)
	if err != nil || len(list) != 0 {
		t.Fatalf("after refusals: %d endpoints (%v), want none", len(list), err)
	}
	// Allowed for local development.
	dev := mustWebhookService(t, true)
	if _, _, err := dev.Svc.CreateWebhook(ctx, owner, cms.WebhookInput{URL: ptr("http://127.0.0.1:8080/hook"), Events: events}); err != nil {
		t.Fatalf("loopback with private targets allowed: %v", err)
	}
	if _, _, err := dev.Svc.CreateWebhook(ctx, owner, cms.WebhookInput{URL: ptr("gopher://127.0.0.1/"), Events: events}); cms.ErrorFields(err)["url"] == "" {
		t.Fatalf("gopher with private targets allowed: %v, want url refused", err)
	}
}

func TestWebhookDeliveryLogAndRedeliver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, owner, w := mustLoopbackWebhook(t)
	m, err := f.Svc.SendTestWebhook(ctx, owner, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != cms.MessagePending || m.EventType != cms.EventWebhookTest || !strings.HasPrefix(m.EventID, "msg_") || !strings.Contains(string(m.Payload), `"type":"webhook.test"`) {
		t.Fatalf("test message %+v payload %s", m, m.Payload)
	}

	// The log, newest first, in pages.
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	for i := range 5 {
		d := &cms.WebhookDelivery{ID: cms.NewID(), WebhookID: w.ID, MessageID: m.ID, EventID: m.EventID, EventType: m.EventType,
			Attempt: i + 1, At: base.Add(time.Duration(i) * time.Minute), Status: cms.DeliveryFailed, ResponseCode: 500 + i, LatencyMs: 12}
		if err := f.DB.AddWebhookDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	page, err := f.Svc.WebhookDeliveries(ctx, owner, w.ID, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Deliveries) != 2 || page.Deliveries[0].Attempt != 5 || page.Deliveries[1].Attempt != 4 || page.Next == "" {
		t.Fatalf("first page %+v", page)
	}
	page, err = f.Svc.WebhookDeliveries(ctx, owner, w.ID, page.Next, 10)
	if err != nil || len(page.Deliveries) != 3 || page.Deliveries[0].Attempt != 3 || page.Next != "" {
		t.Fatalf("second page %+v, %v", page, err)
	}
	if _, err := f.Svc.WebhookDeliveries(ctx, owner, w.ID, "yesterday", 0); cms.ErrorFields(err)["before"] == "" {
		t.Fatalf("bad cursor: %v", err)
	}
	if _, err := f.Svc.WebhookDeliveries(ctx, owner, w.ID, "", 1000); cms.ErrorFields(err)["limit"] == "" {
		t.Fatalf("bad limit: %v", err)
	}

	// A failed message is redelivered: pending again, at once, same id.
	failed, err := f.DB.GetWebhookMessage(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	prev := failed.Version
	failed.State, failed.Retry, failed.NextAttemptAt, failed.Version = cms.MessageFailed, 7, nil, prev+1
	if err := f.DB.SaveWebhookMessage(ctx, failed, prev); err != nil {
		t.Fatal(err)
	}
	re, err := f.Svc.RedeliverWebhook(ctx, owner, w.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if re.State != cms.MessagePending || re.Retry != 0 || re.NextAttemptAt == nil || re.EventID != m.EventID {
		t.Fatalf("redelivered %+v", re)
	}
	other, _, err := f.Svc.CreateWebhook(ctx, owner, cms.WebhookInput{URL: ptr("http://127.0.0.1:9/other"), Events: ptr([]string{"site.changed"})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.RedeliverWebhook(ctx, owner, other.ID, m.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("redeliver through another endpoint: %v, want not found", err)
	}
	if _, err := f.Svc.UpdateWebhook(ctx, owner, w.ID, cms.WebhookInput{Enabled: ptr(false), Version: ptr(w.Version)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.RedeliverWebhook(ctx, owner, w.ID, m.ID); !cms.IsKind(err, cms.KindConflict) {
		t.Fatalf("redeliver to a disabled endpoint: %v, want conflict", err)
	}
	if _, err := f.Svc.SendTestWebhook(ctx, owner, w.ID); !cms.IsKind(err, cms.KindConflict) {
		t.Fatalf("test to a disabled endpoint: %v, want conflict", err)
	}
}

// TestWebhookClaimIsExclusive: however many claim at once, one gets a
// due message, and nobody until its lease expires.
func TestWebhookClaimIsExclusive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, owner, w := mustLoopbackWebhook(t)
	m, err := f.Svc.SendTestWebhook(ctx, owner, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	got := make(chan string, 8)
	for i := range 8 {
		go func() {
			c, err := f.DB.ClaimWebhookMessage(ctx, now, "holder"+string(rune('a'+i)), now.Add(time.Minute))
			switch {
			case err == nil:
				got <- c.LeaseHolder
			case cms.IsKind(err, cms.KindNotFound):
				got <- ""
			default:
				t.Error(err)
				got <- ""
			}
		}()
	}
	claimed := 0
	for range 8 {
		if <-got != "" {
			claimed++
		}
	}
	if claimed != 1 {
		t.Fatalf("%d claims succeeded, want 1", claimed)
	}
	if _, err := f.DB.ClaimWebhookMessage(ctx, now.Add(30*time.Second), "late", now.Add(time.Hour)); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("claim while leased: %v, want not found", err)
	}
	c, err := f.DB.ClaimWebhookMessage(ctx, now.Add(2*time.Minute), "after", now.Add(time.Hour))
	if err != nil || c.ID != m.ID || c.LeaseHolder != "after" {
		t.Fatalf("claim after the lease expired: %+v, %v", c, err)
	}
}

// TestWebhookPrune: the delivery log keeps its last days and at most so
// many attempts per endpoint; finished messages go with their bodies,
// pending ones stay; dispatched events go after their own span.
func TestWebhookPrune(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, owner, w := mustLoopbackWebhook(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	for i := range 10 { // attempts 0..9 minutes old, and one 40 days old
		d := &cms.WebhookDelivery{ID: cms.NewID(), WebhookID: w.ID, MessageID: "m", EventID: "e", EventType: "site.changed", Attempt: 1,
			At: now.Add(-time.Duration(i) * time.Minute), Status: cms.DeliverySucceeded}
		if err := f.DB.AddWebhookDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.DB.AddWebhookDelivery(ctx, &cms.WebhookDelivery{ID: cms.NewID(), WebhookID: w.ID, At: now.AddDate(0, 0, -40), Status: cms.DeliveryFailed}); err != nil {
		t.Fatal(err)
	}
	old, err := f.Svc.SendTestWebhook(ctx, owner, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := f.Svc.SendTestWebhook(ctx, owner, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.DB.GetWebhookMessage(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	prev, then := m.Version, now.AddDate(0, 0, -31)
	m.State, m.NextAttemptAt, m.UpdatedAt, m.Version = cms.MessageDelivered, nil, then, prev+1
	if err := f.DB.SaveWebhookMessage(ctx, m, prev); err != nil {
		t.Fatal(err)
	}
	ev := &cms.WebhookEvent{ID: cms.EventID("site.changed", "site", 7), Type: "site.changed", State: cms.EventDispatched, Data: []byte("{}"),
		OccurredAt: now.Add(-48 * time.Hour), CreatedAt: now.Add(-48 * time.Hour)}
	if _, err := f.DB.AddEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}

	n, err := f.DB.PruneWebhooks(ctx, now.AddDate(0, 0, -30), now.Add(-24*time.Hour), 4)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1+6+1+1 {
		t.Errorf("pruned %d documents, want 9 (the old attempt, 6 beyond 4, the old message, the old event)", n)
	}
	page, err := f.Svc.WebhookDeliveries(ctx, owner, w.ID, "", 100)
	if err != nil || len(page.Deliveries) != 4 || !page.Deliveries[0].At.Equal(now) {
		t.Fatalf("log after pruning: %d attempts (%v), want the newest 4", len(page.Deliveries), err)
	}
	if _, err := f.DB.GetWebhookMessage(ctx, old.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("old delivered message: %v, want gone", err)
	}
	if got, err := f.DB.GetWebhookMessage(ctx, pending.ID); err != nil || len(got.Payload) == 0 {
		t.Errorf("pending message: %+v, %v, want kept with its body", got, err)
	}
	if added, err := f.DB.AddEvent(ctx, ev); err != nil || !added {
		t.Errorf("the pruned event's id: added %v, %v, want free again", added, err)
	}
}
