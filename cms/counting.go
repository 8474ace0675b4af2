package cms

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"
)

// Anonymous counts (post views, quiz results) share two mechanisms: a
// per-client allowance per minute, and a buffer of counts that a flush
// writes as $inc upserts of daily buckets, putting back what the store
// could not write.

// minuteLimiter gives each client address an allowance per minute. The
// address is not kept: only a keyed hash local to the process, for the
// minute. It is not safe for concurrent use: its owner's lock guards it.
type minuteLimiter struct {
	seed      maphash.Seed
	rate      int
	minute    int64
	perClient map[uint64]int
}

func newMinuteLimiter(rate int) minuteLimiter {
	return minuteLimiter{seed: maphash.MakeSeed(), rate: rate, perClient: map[uint64]int{}}
}

// clientKey is the keyed hash of ip; compute it outside the owner's lock.
func (l *minuteLimiter) clientKey(ip string) uint64 { return maphash.String(l.seed, ip) }

// allow takes one request of client (see clientKey) out of its allowance
// of now's minute and reports whether it had one left. Past
// maxRateClients clients in a minute, new ones are not tracked (and so
// not limited) rather than grow memory without bound.
func (l *minuteLimiter) allow(client uint64, now time.Time) bool {
	if minute := now.Unix() / 60; minute != l.minute {
		l.minute = minute
		clear(l.perClient)
	}
	n := l.perClient[client]
	if n >= l.rate {
		return false
	}
	if n > 0 || len(l.perClient) < maxRateClients {
		l.perClient[client] = n + 1
	}
	return true
}

// countBuffer holds counts by key until a flush writes them. It is safe
// for concurrent use; one flush runs at a time.
type countBuffer[K comparable] struct {
	mu      sync.Mutex
	counts  map[K]int64
	flushMu sync.Mutex
}

func newCountBuffer[K comparable]() *countBuffer[K] {
	return &countBuffer[K]{counts: map[K]int64{}}
}

// add counts one for k; clone, if not nil, copies a new key's strings
// before it is kept (they may point into a reused request buffer).
func (b *countBuffer[K]) add(k K, clone func(K) K) {
	b.mu.Lock()
	if _, ok := b.counts[k]; !ok && clone != nil {
		k = clone(k)
	}
	b.counts[k]++
	b.mu.Unlock()
}

// pending returns how many are counted but not yet written.
func (b *countBuffer[K]) pending() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var n int64
	for _, c := range b.counts {
		n += c
	}
	return n
}

// flush hands the counts since the last flush to write, which returns
// those it could not write (with its error); they are added back for the
// next flush, so none is lost.
func (b *countBuffer[K]) flush(ctx context.Context, write func(context.Context, map[K]int64) (map[K]int64, error)) error {
	b.flushMu.Lock()
	defer b.flushMu.Unlock()
	b.mu.Lock()
	if len(b.counts) == 0 {
		b.mu.Unlock()
		return nil
	}
	counts := b.counts
	b.counts = map[K]int64{}
	b.mu.Unlock()
	unwritten, err := write(ctx, counts)
	if len(unwritten) > 0 {
		b.mu.Lock()
		for k, n := range unwritten {
			if n > 0 {
				b.counts[k] += n
			}
		}
		b.mu.Unlock()
	}
	return err
}

// runFlushes calls flush every interval until ctx ends, logging failures
// (the counts wait for the next tick). It does not flush at the end: the
// owner flushes once no more counts can arrive.
func runFlushes(ctx context.Context, interval time.Duration, log *slog.Logger, what string, flush func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fctx, cancel := context.WithTimeout(ctx, max(10*time.Second, interval))
		if err := flush(fctx); err != nil && ctx.Err() == nil {
			log.Warn(what+": flush failed; retrying at the next tick", "err", err)
		}
		cancel()
	}
}
