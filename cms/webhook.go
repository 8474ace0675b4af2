package cms

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms/netguard"
)

// Webhook event types. A frontend subscribes an endpoint to some of them;
// "media.*" stands for every media event.
const (
	EventPostPublished   = "post.published"   // a post went public (saved as published, or its scheduled time came)
	EventPostUpdated     = "post.updated"     // a public post was edited and stays public
	EventPostUnpublished = "post.unpublished" // a public post left the site (draft, archived, trashed)
	EventPostDeleted     = "post.deleted"     // a post was deleted for good
	EventPostScheduled   = "post.scheduled"   // a post was scheduled, or its time changed
	EventMediaUploaded   = "media.uploaded"   // a new media item
	EventMediaDeleted    = "media.deleted"    // a media item was deleted
	EventSiteChanged     = "site.changed"     // published content changed, after a quiet period (static rebuilds)
	EventWebhookTest     = "webhook.test"     // sent on request to one endpoint, whatever its filter
	EventMediaAll        = "media.*"          // the filter entry for every media event
)

// WebhookEventTypes lists the event types an endpoint may subscribe to,
// in the order the panel shows them.
var WebhookEventTypes = []string{EventPostPublished, EventPostUpdated, EventPostUnpublished, EventPostDeleted,
	EventPostScheduled, EventMediaUploaded, EventMediaDeleted, EventSiteChanged}

// Webhook limits.
const (
	MaxWebhooks              = 50
	MaxWebhookDescriptionLen = 200
	// WebhookSecretPrefix starts every secret, as the Standard Webhooks
	// specification writes them.
	WebhookSecretPrefix = "whsec_"
	// WebhookSecretBytes is how many random bytes a secret holds (the
	// specification asks for 24 to 64).
	WebhookSecretBytes = 32
	// WebhookOldSecretGrace is how long a rotated secret still signs
	// (beside the new one), so receivers can switch without a gap.
	WebhookOldSecretGrace = 24 * time.Hour
)

// Webhook is an endpoint that is told when content changes: a URL, the
// events it wants, and the secret its deliveries are signed with
// (Standard Webhooks: https://www.standardwebhooks.com). A disabled
// endpoint gets nothing; Lullaby disables one that answers 410 Gone or
// fails for a whole day, saying why in DisabledReason.
type Webhook struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"` // event types, or "media.*"
	// Secret signs deliveries: "whsec_" and the base64 of 32 random bytes.
	// The admin API shows it when the endpoint is made and when it is
	// rotated, never in lists.
	Secret string `json:"-"`
	// OldSecret, until OldSecretUntil, signs beside Secret after a
	// rotation.
	OldSecret      string     `json:"-"`
	OldSecretUntil *time.Time `json:"-"`
	Enabled        bool       `json:"enabled"`
	// DisabledReason and DisabledAt say why and when the endpoint was
	// disabled ("" and nil while enabled).
	DisabledReason string     `json:"disabledReason,omitempty"`
	DisabledAt     *time.Time `json:"disabledAt,omitempty"`
	// FailingSince is when the first failed attempt since the last
	// success was made; nil while deliveries succeed.
	FailingSince *time.Time `json:"failingSince,omitempty"`
	Version      int        `json:"version"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
}

// Wants reports whether the endpoint subscribes to events of type t.
func (w *Webhook) Wants(t string) bool {
	for _, e := range w.Events {
		if e == t || e == EventMediaAll && strings.HasPrefix(t, "media.") {
			return true
		}
	}
	return false
}

// Secrets returns the secrets deliveries are signed with at now: the
// current one, and the previous one during its grace after a rotation.
func (w *Webhook) Secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.OldSecret != "" && w.OldSecretUntil != nil && now.Before(*w.OldSecretUntil) {
		out = append(out, w.OldSecret)
	}
	return out
}

// WebhookInput creates or edits an endpoint: absent fields are left as
// they are (Version is required for an edit). Enabling a disabled
// endpoint clears why it was disabled.
type WebhookInput struct {
	URL         *string   `json:"url"`
	Description *string   `json:"description"`
	Events      *[]string `json:"events"`
	Enabled     *bool     `json:"enabled"`
	Version     *int      `json:"version"`
}

// NewWebhookSecret returns a new secret in the Standard Webhooks form:
// "whsec_" and the base64 of WebhookSecretBytes random bytes.
func NewWebhookSecret() (string, error) {
	var b [WebhookSecretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b[:]), nil
}

// applyWebhookInput sets w's fields from in and checks them, the URL's
// host by resolving it (webhookURLProblem). now stamps a re-enabling.
func (s *Service) applyWebhookInput(ctx context.Context, op string, w *Webhook, in WebhookInput, now time.Time) error {
	pr := Problems{}
	if in.URL != nil {
		w.URL = strings.TrimSpace(*in.URL)
		if msg := s.webhookURLProblem(ctx, w.URL); msg != "" {
			pr.Add("url", msg)
		}
	}
	if in.Description != nil {
		w.Description = strings.TrimSpace(*in.Description)
		if utf8.RuneCountInString(w.Description) > MaxWebhookDescriptionLen {
			pr.Add("description", "At most 200 characters.")
		}
		checkLine(pr, "description", w.Description)
	}
	if in.Events != nil {
		w.Events = dedupe(*in.Events, false)
		for _, e := range w.Events {
			if e != EventMediaAll && !slices.Contains(WebhookEventTypes, e) {
				pr.Add("events", "Unknown event "+quoteShort(e)+"; the events are "+strings.Join(WebhookEventTypes, ", ")+" and media.*.")
			}
		}
	}
	if len(w.Events) == 0 {
		pr.Add("events", "Choose at least one event.")
	}
	if w.URL == "" {
		pr.Add("url", "A URL is required: where should the events be sent?")
	}
	if in.Enabled != nil && *in.Enabled != w.Enabled {
		w.Enabled = *in.Enabled
		if w.Enabled {
			w.DisabledReason, w.DisabledAt, w.FailingSince = "", nil, nil
		} else {
			w.DisabledReason, w.DisabledAt = "Disabled by hand.", &now
		}
	}
	return pr.Err(op)
}

// quoteShort quotes s for a message, cut to 40 characters.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + s + `"`
}

// webhookURLProblem says why raw is not a webhook target, or "": it must
// be an absolute http(s) URL the CMS would store (URLProblem), and, unless
// private targets are allowed, its host must not be nor resolve to a
// loopback, private, link-local, carrier-grade NAT or unique-local
// address (netguard.Blocked). Delivery checks the address again when it
// connects, so a name that changes its address later is refused then.
func (s *Service) webhookURLProblem(ctx context.Context, raw string) string {
	if msg := URLProblem(raw); msg != "" {
		return msg
	}
	u, _ := url.Parse(raw)
	if u.Fragment != "" {
		return "Must not contain a #fragment."
	}
	if s.webhooks.AllowPrivate {
		return ""
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := netguard.Blocked(ip); why != "" {
			return "Webhooks cannot be sent to " + host + ": it is " + why + "."
		}
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := s.webhooks.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		if dnsErr, ok := err.(*net.DNSError); ok && dnsErr.IsNotFound {
			return "The host " + host + " does not exist (its name does not resolve)."
		}
		return "" // unknown for now: checked again when delivering
	}
	for _, ip := range addrs {
		if why := netguard.Blocked(ip); why != "" {
			return "Webhooks cannot be sent to " + host + ": it resolves to " + ip.Unmap().String() + ", " + why + "."
		}
	}
	return ""
}

// Webhook delivery states (WebhookMessage.State).
const (
	MessagePending   = "pending"   // an attempt is due at NextAttemptAt
	MessageDelivered = "delivered" // an attempt succeeded (2xx)
	MessageFailed    = "failed"    // every attempt failed, or the endpoint answered 410, or it is disabled or gone
)

// WebhookMessage is one event on its way to one endpoint: the body is
// fixed when it is made, every attempt sends it with the same
// webhook-id (EventID), and a redelivery makes a new attempt of it.
type WebhookMessage struct {
	ID            string     `json:"id"`
	WebhookID     string     `json:"webhookId"`
	EventID       string     `json:"eventId"` // the webhook-id header
	EventType     string     `json:"eventType"`
	Payload       []byte     `json:"-"` // the body sent, JSON
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`      // attempts made so far (redeliveries included)
	Retry         int        `json:"retry"`         // index in the retry schedule of the next attempt
	NextAttemptAt *time.Time `json:"nextAttemptAt"` // nil unless pending
	LeaseHolder   string     `json:"-"`
	LeaseUntil    *time.Time `json:"-"`
	LastError     string     `json:"lastError,omitempty"`
	// Manual marks the next attempt as a redelivery asked for by hand.
	Manual    bool      `json:"-"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Version   int       `json:"version"`
}

// Delivery attempt outcomes (WebhookDelivery.Status).
const (
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one attempt to deliver a message, as the delivery log
// shows it.
type WebhookDelivery struct {
	ID           string    `json:"id"`
	WebhookID    string    `json:"webhookId"`
	MessageID    string    `json:"messageId"`
	EventID      string    `json:"eventId"` // the webhook-id sent
	EventType    string    `json:"eventType"`
	Attempt      int       `json:"attempt"` // 1 for the first attempt of the message
	Manual       bool      `json:"manual"`  // a redelivery asked for in the panel
	At           time.Time `json:"at"`
	Status       string    `json:"status"`
	ResponseCode int       `json:"responseCode"` // 0: no response
	LatencyMs    int64     `json:"latencyMs"`
	// ResponseExcerpt is the start of the response body (at most
	// MaxDeliveryExcerpt bytes, valid UTF-8).
	ResponseExcerpt string `json:"responseExcerpt"`
	Error           string `json:"error,omitempty"` // why it failed, for people
}

// MaxDeliveryExcerpt bounds the response body kept with an attempt.
const MaxDeliveryExcerpt = 1024

// DeliveryPage is one page of an endpoint's delivery log, newest first.
type DeliveryPage struct {
	Deliveries []*WebhookDelivery `json:"deliveries"`
	// Next is the cursor of the next (older) page: pass it as before.
	// Empty on the last page.
	Next string `json:"next"`
}
