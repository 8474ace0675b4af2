package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// hookReceiver is a webhook receiver that records what it is sent and
// answers with the status it is told.
type hookReceiver struct {
	mu     sync.Mutex
	status int
	got    []receivedHook
}

// receivedHook is one request a hookReceiver took.
type receivedHook struct {
	ID, Timestamp, Signature string
	Body                     []byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	h.mu.Lock()
	h.got = append(h.got, receivedHook{r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), body})
	status := h.status
	h.mu.Unlock()
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "thanks")
}

func (h *hookReceiver) answer(status int) {
	h.mu.Lock()
	h.status = status
	h.mu.Unlock()
}

func (h *hookReceiver) received() []receivedHook {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]receivedHook(nil), h.got...)
}

// signedWith reports whether the request carries a v1 signature of its
// id, timestamp and body made with secret (Standard Webhooks).
func (r receivedHook) signedWith(secret string) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.ID + "." + r.Timestamp + "."))
	mac.Write(r.Body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, s := range strings.Fields(r.Signature) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}

// reloadUntil reloads the page until the expression is true of a page
// that has loaded in full.
func reloadUntil(expr string) chromedp.Action[chromedp.Void] {
	return waitJS(`(function(){if (document.readyState !== "complete") return false; if (` + expr + `) return true;
		if (!window.__reloading) {window.__reloading = true; setTimeout(function(){location.reload()}, 300)} return false})()`)
}

// TestBrowserWebhooks: the owner adds an endpoint pointing at a receiver,
// copies its secret, sends a test event that arrives signed with it and
// shows as delivered in the log; Redeliver sends it again with the same
// webhook-id; an endpoint that answers 410 is disabled and flagged on her
// dashboard.
func TestBrowserWebhooks(t *testing.T) {
	t.Parallel()
	recv := &hookReceiver{status: http.StatusOK}
	hook := httptest.NewServer(recv)
	t.Cleanup(hook.Close)
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_WEBHOOK_ALLOW_PRIVATE": "1", "LULLABY_WEBHOOK_INTERVAL": "100ms"})
	b := MustBrowser(t, r.base)
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", r.base+"/admin/api/v1/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/settings")

	b.Do(t, "add an endpoint",
		chromedp.Click(chromedp.ID("webhooks-link")),
		chromedp.WaitVisible(chromedp.ID("create-webhook")),
		chromedp.SendKeys(chromedp.ID("url"), hook.URL+"/rebuild"),
		chromedp.SendKeys(chromedp.ID("description"), "Static rebuild"),
		chromedp.Click(chromedp.CSS(`input[name=events][value="post.published"]`)),
		chromedp.Click(chromedp.ID("create-webhook")),
		chromedp.WaitVisible(chromedp.ID("webhook-secret")),
		chromedp.Click(chromedp.ID("copy-webhook-secret")),
		waitJS(`document.getElementById("copy-webhook-secret-status").textContent !== ""`),
	)
	secret := Get(t, b, "the secret on the page", chromedp.Value(chromedp.ID("webhook-secret")))
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret on the page %q", secret)
	}

	b.Do(t, "send a test event and see it delivered",
		chromedp.Click(chromedp.ID("test-webhook")),
		waitText(".flash", "Sent a test event"),
		reloadUntil(`document.querySelector("tr.delivery-succeeded")`),
	)
	b.Screenshot(t, "webhooks")
	got := recv.received()
	if len(got) != 1 || !got[0].signedWith(secret) || !strings.Contains(string(got[0].Body), `"type":"webhook.test"`) {
		t.Fatalf("the receiver got %d requests; first signed with the page's secret: %v", len(got), len(got) > 0 && got[0].signedWith(secret))
	}
	if row := Get(t, b, "the log row", chromedp.Text(chromedp.CSS("tr.delivery-succeeded"))); !strings.Contains(row, got[0].ID) || !strings.Contains(row, "200") {
		t.Errorf("log row %q: want the webhook-id %s and 200", row, got[0].ID)
	}

	b.Do(t, "redeliver it",
		chromedp.Click(chromedp.CSS("tr.delivery-succeeded button.redeliver")),
		waitText(".flash", "Redelivering webhook.test"),
		reloadUntil(`document.querySelectorAll("tr.delivery-succeeded").length === 2`),
	)
	if got = recv.received(); len(got) != 2 || got[1].ID != got[0].ID || !got[1].signedWith(secret) {
		t.Fatalf("after Redeliver the receiver got %d requests, ids %v", len(got), got)
	}
	if row := Get(t, b, "the newest row", chromedp.Text(chromedp.CSS("tr.delivery-succeeded"))); !strings.Contains(row, "by hand") {
		t.Errorf("the redelivery's row %q does not say it was by hand", row)
	}

	recv.answer(http.StatusGone)
	b.Do(t, "a 410 disables the endpoint",
		chromedp.Click(chromedp.ID("test-webhook")),
		waitText(".flash", "Sent a test event"),
		reloadUntil(`document.getElementById("webhook-disabled")`),
		navigate(r.base+"/admin"),
		waitText("#disabled-webhooks", "410"),
	)
}
