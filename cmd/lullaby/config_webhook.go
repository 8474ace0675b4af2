package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// webhookConfig is how webhooks are delivered.
type webhookConfig struct {
	// AllowPrivate lets endpoints target loopback, private and link-local
	// addresses (local development).
	AllowPrivate bool
	// Timeout bounds one delivery attempt; Concurrency the attempts in
	// flight per instance.
	Timeout     time.Duration
	Concurrency int
	// Quiet is the quiet period before a site.changed event; Interval how
	// often the relay looks for work; RetryScale multiplies the retry
	// delays and the day after which a failing endpoint is disabled.
	Quiet      time.Duration
	Interval   time.Duration
	RetryScale float64

	allowStr, timeoutStr, concStr, quietStr, intervalStr, scaleStr string
}

func (w *webhookConfig) settings() []setting {
	return []setting{
		{"LULLABY_WEBHOOK_ALLOW_PRIVATE", "webhook-allow-private", "0", "1 lets webhook endpoints target loopback, private, link-local and CGNAT addresses (local development only: never on a server others can reach)", &w.allowStr},
		{"LULLABY_WEBHOOK_TIMEOUT", "webhook-timeout", "10s", "bound on one webhook delivery attempt (connecting, sending, reading up to 64 KiB of the answer)", &w.timeoutStr},
		{"LULLABY_WEBHOOK_CONCURRENCY", "webhook-concurrency", "4", "webhook delivery attempts in flight at once, per instance", &w.concStr},
		{"LULLABY_WEBHOOK_QUIET", "webhook-quiet", "30s", "quiet period after a change to published content before one site.changed webhook event is sent", &w.quietStr},
		{"LULLABY_WEBHOOK_INTERVAL", "webhook-interval", "1s", "how often the webhook relay looks for events and due retries (a change made by this instance wakes it at once)", &w.intervalStr},
		{"LULLABY_WEBHOOK_RETRY_SCALE", "webhook-retry-scale", "1", "for tests: multiplies the webhook retry delays (5s, 5m, 30m, 2h, 5h, 10h, 10h) and the 24 h after which a failing endpoint is disabled, e.g. 0.001", &w.scaleStr},
	}
}

func (w *webhookConfig) parse() error {
	switch strings.TrimSpace(w.allowStr) {
	case "1", "true":
		w.AllowPrivate = true
	case "0", "false", "":
		w.AllowPrivate = false
	default:
		return fmt.Errorf("LULLABY_WEBHOOK_ALLOW_PRIVATE: %q is not 1 or 0", w.allowStr)
	}
	var err error
	dur := func(env, s string, min time.Duration) time.Duration {
		d, e := time.ParseDuration(strings.TrimSpace(s))
		if (e != nil || d < min) && err == nil {
			err = fmt.Errorf("%s: %q is not a duration of at least %s", env, s, min)
		}
		return d
	}
	w.Timeout = dur("LULLABY_WEBHOOK_TIMEOUT", w.timeoutStr, 100*time.Millisecond)
	w.Quiet = dur("LULLABY_WEBHOOK_QUIET", w.quietStr, 10*time.Millisecond)
	w.Interval = dur("LULLABY_WEBHOOK_INTERVAL", w.intervalStr, 10*time.Millisecond)
	if err != nil {
		return err
	}
	n, e := strconv.Atoi(strings.TrimSpace(w.concStr))
	if e != nil || n < 1 || n > 100 {
		return fmt.Errorf("LULLABY_WEBHOOK_CONCURRENCY: %q is not a whole number from 1 to 100", w.concStr)
	}
	w.Concurrency = n
	f, e := strconv.ParseFloat(strings.TrimSpace(w.scaleStr), 64)
	if e != nil || f <= 0 || f > 1 {
		return fmt.Errorf("LULLABY_WEBHOOK_RETRY_SCALE: %q is not a number above 0, at most 1", w.scaleStr)
	}
	w.RetryScale = f
	return nil
}
