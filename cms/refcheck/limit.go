package refcheck

import (
	"context"
	"sync"
	"time"
)

// maxSlowdown bounds how far backing off stretches a host's interval.
const maxSlowdown = 32

// limiter spaces requests per host and holds a host back after it asked
// to be left alone. Its clock and sleep are injectable so tests can read
// the waits instead of timing them.
type limiter struct {
	mu       sync.Mutex
	interval func(host string) time.Duration
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	next     map[string]time.Time
	slow     map[string]int
}

func newLimiter(interval func(string) time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{interval: interval, now: now, sleep: sleep, next: map[string]time.Time{}, slow: map[string]int{}}
}

// wait blocks until a request to host may go out and books its slot.
func (l *limiter) wait(ctx context.Context, host string) error {
	l.mu.Lock()
	now := l.now()
	at := l.next[host]
	if at.Before(now) {
		at = now
	}
	factor := max(l.slow[host], 1)
	l.next[host] = at.Add(l.interval(host) * time.Duration(factor))
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return l.sleep(ctx, d)
	}
	return nil
}

// backOff holds host back for d from now and doubles its interval.
func (l *limiter) backOff(host string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if at := l.now().Add(d); at.After(l.next[host]) {
		l.next[host] = at
	}
	l.slow[host] = min(max(l.slow[host], 1)*2, maxSlowdown)
}

// recovered halves a host's slowdown after a successful answer.
func (l *limiter) recovered(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.slow[host] > 1 {
		l.slow[host] /= 2
	}
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
