package webhook_test

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// waitLog waits until the endpoint's log holds at least n attempts.
func (h *harness) waitLog(t *testing.T, n int) []*cms.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		log := h.deliveries(t)
		if len(log) >= n {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log has %d attempts, want %d", len(log), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) publish(t *testing.T, title string) *cms.Post {
	t.Helper()
	p, err := h.f.Svc.CreatePost(context.Background(), h.owner, cms.PostInput{Title: ptr(title), Status: ptr(cms.StatusPublished)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHangingReceiverTimesOut: a receiver that would hang for a minute
// costs one attempt its timeout, and the message is retried.
func TestHangingReceiverTimesOut(t *testing.T) {
	t.Parallel()
	h := start(t, setup{timeout: 500 * time.Millisecond})
	var hung atomic.Int32
	h.rc.Respond(func(w http.ResponseWriter, r *http.Request, _ cmstest.Delivery) {
		if hung.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(60 * time.Second):
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	h.publish(t, "Naps")
	log := h.waitLog(t, 2)
	first, second := log[1], log[0]
	if first.Status != cms.DeliveryFailed || !strings.Contains(first.Error, "within 500ms") || first.LatencyMs < 400 || first.LatencyMs > 3000 {
		t.Fatalf("hung attempt %+v, want a failure at the 500 ms bound", first)
	}
	if second.Status != cms.DeliverySucceeded || second.EventID != first.EventID {
		t.Fatalf("retry %+v, want a success of the same message", second)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, h.rc.Got())
}

// TestHugeResponseIsCapped: a receiver answering 100 MB does not stall
// the attempt nor fill memory: 64 KiB are read, 1 KiB kept.
func TestHugeResponseIsCapped(t *testing.T) {
	// Not parallel: the allocation count is the process's.
	h := start(t, setup{})
	var written atomic.Int64
	chunk := []byte(strings.Repeat("é", 32<<10)) // 64 KiB of two-byte characters
	h.rc.Respond(func(w http.ResponseWriter, _ *http.Request, _ cmstest.Delivery) {
		w.WriteHeader(http.StatusOK)
		for written.Load() < 100<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	h.publish(t, "Naps")
	log := h.waitLog(t, 1)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	d := log[0]
	if d.Status != cms.DeliverySucceeded || d.ResponseCode != 200 || len(d.ResponseExcerpt) > cms.MaxDeliveryExcerpt || !strings.HasPrefix(d.ResponseExcerpt, "éé") || strings.ContainsRune(d.ResponseExcerpt, '\uFFFD') {
		t.Fatalf("attempt %+v (excerpt of %d bytes)", d, len(d.ResponseExcerpt))
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the attempt took %s", took)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 40<<20 {
		t.Errorf("%d MiB allocated meanwhile: the body was read whole?", alloc>>20)
	}
	time.Sleep(200 * time.Millisecond)
	if n := written.Load(); n >= 100<<20 {
		t.Errorf("the receiver wrote its whole %d bytes: nobody stopped reading", n)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, h.rc.Got())
}

// TestGoneDisablesAtOnce: 410 Gone disables the endpoint after one
// attempt, says why, and nothing more is sent.
func TestGoneDisablesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{})
	h.rc.Status(http.StatusGone)
	h.publish(t, "Naps")
	h.rc.WaitFor(t, 10*time.Second, "one attempt", func(got []cmstest.Delivery) bool { return len(got) == 1 })
	var dis []*cms.Webhook
	for deadline := time.Now().Add(5 * time.Second); len(dis) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		if dis, err = h.f.Svc.DisabledWebhooks(ctx, h.owner); err != nil {
			t.Fatal(err)
		}
	}
	if len(dis) != 1 || dis[0].ID != h.hook.ID || !strings.Contains(dis[0].DisabledReason, "410") || dis[0].DisabledAt == nil {
		t.Fatalf("disabled endpoints %+v, want this one, for 410", dis)
	}
	h.publish(t, "Night feeds")
	time.Sleep(300 * time.Millisecond)
	if n := len(h.rc.Got()); n != 1 {
		t.Fatalf("%d requests, want 1: a disabled endpoint gets nothing", n)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, h.rc.Got())
}

// TestFailingForADayDisables: an endpoint that fails every attempt for
// 24 hours is disabled: the clock is moved on to each retry's time, so
// the 7th attempt (17.5 h after the first) leaves it enabled and the 8th
// (27.5 h) disables it; nothing is sent after. (The signatures carry the
// moved clock's timestamps, which a verifier rightly refuses as too far
// off: the other tests verify every delivery.)
func TestFailingForADayDisables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var offset time.Duration
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	h := start(t, setup{scale: 1, now: now})
	h.rc.Status(http.StatusInternalServerError)
	h.publish(t, "Naps")
	for i := range cms.RetrySchedule {
		// The attempt is logged, then its message saved with the next
		// attempt's time: the clock moves once both are done.
		msg := h.waitLog(t, i+1)[0].MessageID
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			m, err := h.f.Svc.GetWebhookMessage(ctx, h.owner, h.hook.ID, msg)
			if err != nil {
				t.Fatal(err)
			}
			if m.Attempts == i+1 && m.NextAttemptAt != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("message after attempt %d: %+v", i+1, m)
			}
		}
		w, err := h.f.Svc.GetWebhook(ctx, h.owner, h.hook.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !w.Enabled {
			t.Fatalf("disabled after %d attempts: %s", i+1, w.DisabledReason)
		}
		mu.Lock()
		offset += cms.RetrySchedule[i] + time.Second
		mu.Unlock()
	}
	log := h.waitLog(t, 8)
	var w *cms.Webhook
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		if w, err = h.f.Svc.GetWebhook(ctx, h.owner, h.hook.ID); err != nil {
			t.Fatal(err)
		}
		if !w.Enabled {
			break
		}
	}
	if w.Enabled || !strings.Contains(w.DisabledReason, "24 hours") || !strings.Contains(w.DisabledReason, "500") {
		t.Fatalf("endpoint %+v, want disabled for a day of failures", w)
	}
	if span := log[0].At.Sub(log[len(log)-1].At); span < cms.WebhookFailingLimit {
		t.Fatalf("attempts over %s, want over a day", span)
	}
	m, err := h.f.Svc.GetWebhookMessage(ctx, h.owner, h.hook.ID, log[0].MessageID)
	if err != nil || m.State != cms.MessageFailed || m.Attempts != 8 || m.NextAttemptAt != nil {
		t.Fatalf("message %+v, %v, want failed after 8 attempts", m, err)
	}
	h.publish(t, "Night feeds")
	time.Sleep(300 * time.Millisecond)
	if n := len(h.rc.Got()); n != 8 {
		t.Fatalf("%d attempts, want 8: none to a disabled endpoint", n)
	}
}

// TestPrivateTargetRefusedWhenDialed: an endpoint saved while private
// targets were allowed is refused when delivery dials it with them off,
// a name resolving to loopback included; nothing reaches the receiver.
func TestPrivateTargetRefusedWhenDialed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{noPrivate: true})
	local := strings.Replace(h.rc.URL, "127.0.0.1", "localhost", 1)
	if _, err := h.f.Svc.UpdateWebhook(ctx, h.owner, h.hook.ID, cms.WebhookInput{URL: ptr(local), Version: ptr(h.hook.Version)}); err != nil {
		t.Fatal(err)
	}
	h.publish(t, "Naps")
	log := h.waitLog(t, 1)
	if log[0].Status != cms.DeliveryFailed || !strings.Contains(log[0].Error, "refused") || !strings.Contains(log[0].Error, "loopback") {
		t.Fatalf("attempt %+v, want refused as loopback", log[0])
	}
	if n := len(h.rc.Got()); n != 0 {
		t.Fatalf("the receiver got %d requests", n)
	}
}
