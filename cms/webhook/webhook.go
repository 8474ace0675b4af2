// Package webhook delivers webhook messages as the Standard Webhooks
// specification describes (https://www.standardwebhooks.com): a POST of
// the JSON payload with the headers webhook-id, webhook-timestamp and
// webhook-signature ("v1," and the base64 HMAC-SHA256 of
// "id.timestamp.body" under the endpoint's secret), through a
// netguard.Guard, so that no delivery reaches a loopback, private or
// link-local address, however the target's name resolves when it is
// dialed. Redirects are not followed, each attempt is bounded in time,
// and the response body is read up to a cap.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/netguard"
)

// Sign returns the webhook-signature header of body sent as message id at
// Unix time ts: one "v1,<base64 HMAC-SHA256>" per secret, separated by
// spaces (two while a rotated secret is in its grace). A secret is
// "whsec_" and the base64 of the key.
func Sign(secrets []string, id string, ts int64, body []byte) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, secret := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, cms.WebhookSecretPrefix))
		if err != nil || len(key) == 0 {
			return "", errors.New("webhook: a secret is not whsec_ and base64")
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id))
		mac.Write([]byte{'.'})
		mac.Write([]byte(strconv.FormatInt(ts, 10)))
		mac.Write([]byte{'.'})
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " "), nil
}

// Options tune a Sender.
type Options struct {
	// AllowPrivate lets deliveries reach loopback and private addresses:
	// local development and tests only.
	AllowPrivate bool
	// Timeout bounds one attempt, connecting and reading the response
	// included (10 s if 0).
	Timeout time.Duration
	// MaxBody bounds how much of a response body is read (64 KiB if 0);
	// the rest is not read and the connection is closed.
	MaxBody int64
}

// Sender makes delivery attempts. It implements cms.WebhookSender and is
// safe for concurrent use.
type Sender struct {
	guard   *netguard.Guard
	client  *http.Client
	timeout time.Duration
	maxBody int64
}

// New returns a Sender.
func New(opt Options) *Sender {
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 64 << 10
	}
	g := netguard.New(netguard.Options{AllowPrivate: opt.AllowPrivate, Timeout: opt.Timeout, UserAgent: "Lullaby-Webhooks"})
	client := *g.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Sender{guard: g, client: &client, timeout: opt.Timeout, maxBody: opt.MaxBody}
}

var _ cms.WebhookSender = (*Sender)(nil)

// Send POSTs m's payload to w's URL, signed with w's secrets at time at,
// and reports what came back. Any status is a response (Err nil); a
// redirect is not followed.
func (s *Sender) Send(ctx context.Context, w *cms.Webhook, m *cms.WebhookMessage, at time.Time) cms.AttemptResult {
	u, err := s.guard.CheckURL(w.URL)
	if err != nil {
		return cms.AttemptResult{Err: err}
	}
	ts := at.Unix()
	sig, err := Sign(w.Secrets(at), m.EventID, ts, m.Payload)
	if err != nil {
		return cms.AttemptResult{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(m.Payload))
	if err != nil {
		return cms.AttemptResult{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Lullaby-Webhooks")
	req.Header.Set("webhook-id", m.EventID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return cms.AttemptResult{Latency: time.Since(start), Err: s.explain(err)}
	}
	defer res.Body.Close() // unread bytes are not drained: the connection is closed
	body, err := io.ReadAll(io.LimitReader(res.Body, s.maxBody))
	out := cms.AttemptResult{StatusCode: res.StatusCode, Excerpt: excerpt(body), Latency: time.Since(start)}
	if err != nil {
		out.Err = fmt.Errorf("the response body was cut short: %w", s.explain(err))
	}
	return out
}

// explain turns a client error into a sentence for the delivery log.
func (s *Sender) explain(err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, netguard.ErrBlocked):
		return fmt.Errorf("refused: %w", err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("no complete answer within %s", s.timeout)
	}
	return err
}

// excerpt returns the start of body, at most cms.MaxDeliveryExcerpt bytes,
// cut at a character boundary, invalid UTF-8 replaced.
func excerpt(body []byte) string {
	if len(body) > cms.MaxDeliveryExcerpt {
		body = body[:cms.MaxDeliveryExcerpt]
		for range 3 { // a character cut in the middle
			if r, size := utf8.DecodeLastRune(body); r != utf8.RuneError || size != 1 {
				break
			}
			body = body[:len(body)-1]
		}
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}
