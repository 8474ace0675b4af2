package admin_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestWebhooksAPI walks the owner's webhook routes: create (the secret
// once), list (no secrets), get, edit, rotate, test event, deliveries,
// redeliver, disabled list, delete; bad input named; editors refused.
func TestWebhooksAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	do := func(method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + "/webhooks" + path, Token: s.Token, Body: body})
	}
	type withSecret struct {
		cms.Webhook
		Secret string `json:"secret"`
	}
	var w withSecret
	r := do("POST", "", map[string]any{"url": "https://93.184.215.14/hooks", "events": []string{"post.published", "site.changed"}, "description": "Static build"}).MustStatus(t, 201)
	r.Data(t, &w)
	MustEqual(t, "Location", r.Header.Get("Location"), api+"/webhooks/"+w.ID)
	if len(w.Secret) < 40 || w.Secret[:6] != "whsec_" || !w.Enabled || w.Version != 1 {
		t.Fatalf("created %+v", w)
	}
	var list []map[string]any
	do("GET", "", nil).MustStatus(t, 200).Data(t, &list)
	if len(list) != 1 || list[0]["secret"] != nil || list[0]["url"] != "https://93.184.215.14/hooks" {
		t.Fatalf("list %v, want the endpoint without its secret", list)
	}
	var got map[string]any
	do("GET", "/"+w.ID, nil).MustStatus(t, 200).Data(t, &got)
	if got["secret"] != nil || got["id"] != w.ID {
		t.Fatalf("get %v, want the endpoint without its secret (shown once)", got)
	}

	// Bad input, named.
	for _, url := range []string{"file:///etc/passwd", "gopher://93.184.215.14/", "http://127.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost/hook"} {
		do("POST", "", map[string]any{"url": url, "events": []string{"post.published"}}).MustProblem(t, 400, "url")
	}
	do("POST", "", map[string]any{"url": "https://93.184.215.14/", "events": []string{"post.exploded"}}).MustProblem(t, 400, "events")
	do("POST", "", map[string]any{"url": "https://93.184.215.14/", "events": []string{"site.changed"}, "secret": "mine"}).MustProblem(t, 400, "secret")
	do("PATCH", "/"+w.ID, map[string]any{"url": "http://10.0.0.1/"}).MustProblem(t, 400, "version")
	do("PATCH", "/"+w.ID, map[string]any{"url": "http://10.0.0.1/", "version": 1}).MustProblem(t, 400, "url")
	do("GET", "/nope", nil).MustProblem(t, 400, "id")
	do("GET", "/"+cms.NewID(), nil).MustProblem(t, 404)
	do("GET", "/"+w.ID+"/deliveries?limit=0", nil).MustProblem(t, 400, "limit")
	do("POST", "/"+w.ID+"/messages/xyz/redeliver", nil).MustProblem(t, 400, "messageId")
	do("POST", "/"+w.ID+"/messages/"+cms.NewID()+"/redeliver", nil).MustProblem(t, 404)

	var up cms.Webhook
	do("PATCH", "/"+w.ID, map[string]any{"events": []string{"media.*"}, "version": 1}).MustStatus(t, 200).Data(t, &up)
	MustEqual(t, "edited", []any{up.Events, up.Version}, []any{[]string{"media.*"}, 2})
	var rot withSecret
	do("POST", "/"+w.ID+"/rotate-secret", nil).MustStatus(t, 200).Data(t, &rot)
	if rot.Secret == w.Secret || rot.Secret[:6] != "whsec_" {
		t.Fatalf("rotated secret %q", rot.Secret)
	}

	var m cms.WebhookMessage
	do("POST", "/"+w.ID+"/test", nil).MustStatus(t, 202).Data(t, &m)
	MustEqual(t, "test message", []any{m.EventType, m.State}, []any{"webhook.test", "pending"})
	do("GET", "/"+w.ID+"/messages/"+m.ID, nil).MustStatus(t, 200)
	do("POST", "/"+w.ID+"/messages/"+m.ID+"/redeliver", nil).MustStatus(t, 202).Data(t, &m)
	var page cms.DeliveryPage
	do("GET", "/"+w.ID+"/deliveries?limit=10", nil).MustStatus(t, 200).Data(t, &page)
	MustEqual(t, "deliveries (no relay runs here)", len(page.Deliveries), 0)

	var disabled []cms.Webhook
	do("PATCH", "/"+w.ID, map[string]any{"enabled": false, "version": 3}).MustStatus(t, 200)
	do("GET", "/disabled", nil).MustStatus(t, 200).Data(t, &disabled)
	if len(disabled) != 1 || disabled[0].DisabledReason == "" {
		t.Fatalf("disabled %+v", disabled)
	}
	do("POST", "/"+w.ID+"/test", nil).MustProblem(t, 409)

	ed := e.MustEditor(t, s)
	e.Do(t, Req{Method: "GET", Path: api + "/webhooks", Token: ed.Token}).MustProblem(t, 403)
	e.Do(t, Req{Method: "POST", Path: api + "/webhooks", Token: ed.Token, Body: map[string]any{"url": "https://93.184.215.14/", "events": []string{"site.changed"}}}).MustProblem(t, 403)

	do("DELETE", "/"+w.ID, nil).MustStatus(t, 204)
	do("GET", "/"+w.ID, nil).MustProblem(t, 404)
}
