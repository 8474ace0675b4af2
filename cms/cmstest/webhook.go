package cmstest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Delivery is one request a Receiver got, as it came.
type Delivery struct {
	ID, Timestamp, Signature string // the Standard Webhooks headers
	Type                     string // the payload's type
	Body                     []byte
	At                       time.Time
}

// Receiver is a webhook endpoint for tests: an HTTP server on 127.0.0.1
// that records every request whole and answers as Respond says (200 by
// default).
type Receiver struct {
	Server *httptest.Server
	URL    string

	mu      sync.Mutex
	got     []Delivery
	respond func(w http.ResponseWriter, r *http.Request, d Delivery)
	changed chan struct{}
}

// NewReceiver starts a Receiver, closed when tb ends.
func NewReceiver(tb testing.TB) *Receiver {
	tb.Helper()
	rc := &Receiver{changed: make(chan struct{}, 1)}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	rc.URL = rc.Server.URL + "/hook"
	tb.Cleanup(rc.Server.Close)
	return rc
}

// Respond sets how later requests are answered (after being recorded).
func (rc *Receiver) Respond(f func(w http.ResponseWriter, r *http.Request, d Delivery)) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.respond = f
}

// Status makes later requests answered with code.
func (rc *Receiver) Status(code int) {
	rc.Respond(func(w http.ResponseWriter, _ *http.Request, _ Delivery) { w.WriteHeader(code) })
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	d := Delivery{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
		Signature: r.Header.Get("webhook-signature"), Body: body, At: time.Now()}
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &p)
	d.Type = p.Type
	rc.mu.Lock()
	rc.got = append(rc.got, d)
	respond := rc.respond
	rc.mu.Unlock()
	select {
	case rc.changed <- struct{}{}:
	default:
	}
	if respond != nil {
		respond(w, r, d)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "thanks")
}

// Got returns the requests received so far, oldest first.
func (rc *Receiver) Got() []Delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Delivery(nil), rc.got...)
}

// WaitFor waits up to timeout until done holds for the requests received,
// and returns them; it fails tb (saying what) when time runs out.
func (rc *Receiver) WaitFor(tb testing.TB, timeout time.Duration, what string, done func([]Delivery) bool) []Delivery {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		got := rc.Got()
		if done(got) {
			return got
		}
		select {
		case <-rc.changed:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("after %s: still waiting for %s; received %d: %s", timeout, what, len(got), summary(got))
			return nil
		}
	}
}

func summary(got []Delivery) string {
	var b strings.Builder
	for _, d := range got {
		b.WriteString(d.ID + " " + d.Type + "; ")
	}
	return b.String()
}

// verifyScript checks each delivery with the standardwebhooks package's
// Webhook.verify, and that the same delivery with one byte more in its
// body is refused (so that a verifier accepting anything cannot pass).
const verifyScript = `
const { Webhook } = require(process.argv[1]);
const items = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
let verified = 0;
for (const it of items) {
  const headers = { "webhook-id": it.id, "webhook-timestamp": it.timestamp, "webhook-signature": it.signature };
  const wh = new Webhook(it.secret);
  const payload = wh.verify(it.body, headers);
  if (payload.type !== it.type) throw new Error("verified payload has type " + payload.type + ", want " + it.type);
  let refused = false;
  try { wh.verify(it.body + " ", headers); } catch (e) { refused = true; }
  if (!refused) throw new Error("a changed body verified for " + it.id);
  verified++;
}
process.stdout.write(String(verified));
`

// MustVerifyWebhooks checks the signature of every delivery with the
// independent Standard Webhooks verifier (npm standardwebhooks, run by
// node) under secret; each must verify. Skipped without node (see
// NodePackage), a failure under LULLABY_E2E=1.
func MustVerifyWebhooks(tb testing.TB, secret string, got []Delivery) {
	tb.Helper()
	if len(got) == 0 {
		tb.Fatal("no deliveries to verify")
	}
	pkg := NodePackage(tb, "standardwebhooks")
	type item struct {
		Secret    string `json:"secret"`
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
		Signature string `json:"signature"`
		Type      string `json:"type"`
		Body      string `json:"body"`
	}
	items := make([]item, len(got))
	for i, d := range got {
		items[i] = item{secret, d.ID, d.Timestamp, d.Signature, d.Type, string(d.Body)}
	}
	b, err := json.Marshal(items)
	if err != nil {
		tb.Fatal(err)
	}
	file := filepath.Join(tb.TempDir(), "deliveries.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("node", "-e", verifyScript, pkg, file).CombinedOutput()
	if err != nil {
		tb.Fatalf("standardwebhooks refused a delivery: %v\n%s", err, out)
	}
	if want := len(got); string(out) != itoa(want) {
		tb.Fatalf("standardwebhooks verified %s deliveries, want %d", out, want)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
