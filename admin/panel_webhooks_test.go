package admin_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// webhookTarget is a public address: saving it resolves nothing.
const webhookTarget = "https://93.184.215.14/hooks/rebuild"

// TestPanelWebhooks: the owner adds an endpoint and sees its secret once,
// edits it, sends a test event, reads the delivery log, redelivers a
// message, rotates the secret and deletes the endpoint; bad fields come
// back beside the field with nothing saved; a disabled endpoint is flagged
// on her dashboard.
func TestPanelWebhooks(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	ctx := t.Context()

	b.Get(t, "/admin/settings").MustStatus(t, 200).MustContain(t, `href="/admin/settings/webhooks"`)
	b.Get(t, "/admin/settings/webhooks").MustStatus(t, 200).MustContain(t, "No endpoints yet.", `value="site.changed" checked`)

	// Refused targets and missing events: 422, the field named, her input kept, nothing saved.
	for _, c := range []struct{ url, want string }{
		{"gopher://example.com/x", "http"},
		{"file:///etc/passwd", "http"},
		{"http://127.0.0.1:9/hook", "loopback"},
		{"http://169.254.169.254/latest/meta-data", "link-local"},
	} {
		p := b.PostCSRF(t, "/admin/settings/webhooks", url.Values{"url": {c.url}, "events": {"post.published"}}).MustStatus(t, 422)
		if !regexp.MustCompile(`(?s)id="url-error">[^<]*` + c.want).MatchString(p.Body) {
			t.Errorf("%s: no url error saying %q:\n%s", c.url, c.want, excerpt(p.Body, `id="url-error"`))
		}
		p.MustContain(t, `aria-invalid="true"`)
	}
	b.PostCSRF(t, "/admin/settings/webhooks", url.Values{"url": {webhookTarget}}).MustStatus(t, 422).
		MustContain(t, `id="events-error">Choose at least one event.`, `value="`+webhookTarget+`"`)
	owner := e.MustOwner(t)
	if list, err := e.Svc.ListWebhooks(ctx, owner); err != nil || len(list) != 0 {
		t.Fatalf("after refusals: %d endpoints (%v), want none", len(list), err)
	}

	// Added: the secret is shown on this answer and never again.
	p := b.PostCSRF(t, "/admin/settings/webhooks", url.Values{"url": {webhookTarget}, "description": {"Static rebuild"},
		"events": {"site.changed", "post.published"}}).MustStatus(t, 200)
	secret := shownSecret(p)
	if secret == "" {
		t.Fatalf("no secret on the page after adding:\n%s", excerpt(p.Body, "webhook-secret"))
	}
	list, err := e.Svc.ListWebhooks(ctx, owner)
	if err != nil || len(list) != 1 {
		t.Fatalf("endpoints: %d (%v), want 1", len(list), err)
	}
	w, err := e.Svc.GetWebhook(ctx, owner, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Secret != secret || w.URL != webhookTarget || w.Description != "Static rebuild" || strings.Join(w.Events, ",") != "site.changed,post.published" {
		t.Errorf("stored %+v, shown secret %s", w, secret)
	}
	path := "/admin/settings/webhooks/" + w.ID
	b.Get(t, path).MustStatus(t, 200).MustNotContain(t, secret, "whsec_").MustContain(t, "Nothing sent yet.")
	b.Get(t, "/admin/settings/webhooks").MustStatus(t, 200).MustNotContain(t, "whsec_").MustContain(t, `href="`+path+`"`, "Active")

	// Edited; a stale version is a conflict that saves nothing.
	b.PostCSRF(t, path, url.Values{"url": {webhookTarget}, "events": {"post.published", "media.*"}, "enabled": {"1"},
		"version": {"1"}}).MustRedirect(t, path)
	if w, _ = e.Svc.GetWebhook(ctx, owner, w.ID); strings.Join(w.Events, ",") != "post.published,media.*" || w.Description != "" || w.Version != 2 {
		t.Errorf("after the edit: %+v", w)
	}
	b.PostCSRF(t, path, url.Values{"url": {"https://93.184.215.14/other"}, "events": {"post.published"}, "enabled": {"1"},
		"version": {"1"}}).MustStatus(t, 409).MustContain(t, "Someone changed this endpoint")
	b.PostCSRF(t, path, url.Values{"url": {"ftp://x"}, "events": {"nope"}, "enabled": {"1"}, "version": {"2"}}).MustStatus(t, 422).
		MustContain(t, `id="url-error"`, `id="events-error">Unknown event`)
	if got, _ := e.Svc.GetWebhook(ctx, owner, w.ID); got.URL != webhookTarget || got.Version != 2 {
		t.Errorf("a refused edit changed the endpoint: %+v", got)
	}

	// A test event becomes a message; its attempts show in the log, and Redeliver queues it again.
	b.PostCSRF(t, path+"/test", nil).MustRedirect(t, path+"#deliveries")
	msgs, err := e.DB.ClaimWebhookMessage(ctx, time.Now().Add(time.Minute), "test", time.Now().Add(time.Minute))
	if err != nil || msgs == nil || msgs.EventType != cms.EventWebhookTest || msgs.WebhookID != w.ID {
		t.Fatalf("the test event's message: %+v, %v", msgs, err)
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	if err := e.DB.AddWebhookDelivery(ctx, &cms.WebhookDelivery{ID: cms.NewID(), WebhookID: w.ID, MessageID: msgs.ID, EventID: msgs.EventID,
		EventType: msgs.EventType, Attempt: 1, At: at, Status: cms.DeliveryFailed, ResponseCode: 503, LatencyMs: 42,
		ResponseExcerpt: "<h1>Service Unavailable</h1>", Error: "The endpoint answered 503."}); err != nil {
		t.Fatal(err)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, "webhook.test", msgs.EventID, "<code>503</code>", "42 ms",
		"&lt;h1&gt;Service Unavailable&lt;/h1&gt;", "The endpoint answered 503.", path+"/messages/"+msgs.ID+"/redeliver")
	b.PostCSRF(t, path+"/messages/"+msgs.ID+"/redeliver", nil).MustRedirect(t, path+"#deliveries")
	if m, err := e.DB.GetWebhookMessage(ctx, msgs.ID); err != nil || m.State != cms.MessagePending || !m.Manual || m.EventID != msgs.EventID {
		t.Errorf("after Redeliver: %+v, %v", m, err)
	}
	b.PostCSRF(t, path+"/messages/"+cms.NewID()+"/redeliver", nil).MustStatus(t, 404)

	// Rotated: a new secret, shown once.
	p = b.PostCSRF(t, path+"/rotate", nil).MustStatus(t, 200).MustContain(t, "The new signing secret", "still signs beside it")
	if rotated := shownSecret(p); !strings.HasPrefix(rotated, "whsec_") || rotated == secret {
		t.Errorf("rotation showed %v (old %s)", rotated, secret)
	}

	// Disabled by the relay (410): flagged on her dashboard, with why, until she enables it again.
	w, _ = e.Svc.GetWebhook(ctx, owner, w.ID)
	prev, now := w.Version, time.Now().UTC()
	w.Enabled, w.DisabledReason, w.DisabledAt, w.Version = false, "The endpoint answered 410 Gone.", &now, prev+1
	if err := e.DB.UpdateWebhook(ctx, w, prev); err != nil {
		t.Fatal(err)
	}
	b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, `id="disabled-webhooks"`, "A webhook endpoint is disabled", `href="`+path+`"`,
		"The endpoint answered 410 Gone.")
	b.Get(t, path).MustStatus(t, 200).MustContain(t, `id="webhook-disabled"`, "410 Gone").MustNotContain(t, "/redeliver")
	b.PostCSRF(t, path, url.Values{"url": {webhookTarget}, "events": {"post.published"}, "enabled": {"1"},
		"version": {itoa(w.Version)}}).MustRedirect(t, path)
	b.Get(t, "/admin").MustStatus(t, 200).MustNotContain(t, `id="disabled-webhooks"`)

	// Deleted.
	b.PostCSRF(t, path+"/delete", nil).MustRedirect(t, "/admin/settings/webhooks")
	b.Get(t, path).MustStatus(t, 404)
}

// TestPanelWebhooksOwnersOnly: editors cannot see or change webhooks, and
// forms without the CSRF token are refused.
func TestPanelWebhooksOwnersOnly(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustPanelSetup(t)
	owner.Post(t, "/admin/settings/webhooks", url.Values{"url": {webhookTarget}, "events": {"post.published"}}).MustStatus(t, 403)
	w, _, err := e.Svc.CreateWebhook(t.Context(), e.MustOwner(t), cms.WebhookInput{URL: ptr(webhookTarget), Events: &[]string{"post.published"}})
	if err != nil {
		t.Fatal(err)
	}
	ed := e.MustPanelEditor(t)
	ed.Get(t, "/admin/settings/webhooks").MustStatus(t, 403)
	ed.Get(t, "/admin/settings/webhooks/"+w.ID).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/settings/webhooks", url.Values{"url": {webhookTarget}, "events": {"post.published"}}).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/settings/webhooks/"+w.ID+"/delete", nil).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/settings/webhooks/"+w.ID+"/test", nil).MustStatus(t, 403)
	if list, err := e.Svc.ListWebhooks(t.Context(), e.MustOwner(t)); err != nil || len(list) != 1 {
		t.Errorf("endpoints after the refusals: %d, %v", len(list), err)
	}
}

// shownSecret returns the webhook secret the page shows, or "".
func shownSecret(p *Page) string {
	m := regexp.MustCompile(`id="webhook-secret" value="(whsec_[^"]+)"`).FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// excerpt returns the part of body around the first mark, for a failure
// message.
func excerpt(body, mark string) string {
	i := strings.Index(body, mark)
	if i < 0 {
		return "(" + mark + " not found)"
	}
	return body[max(0, i-200):min(len(body), i+400)]
}
