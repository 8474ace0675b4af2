package cms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sync/atomic"
	"time"
)

// Attempts at signing in, setting up, entering a code or changing a
// password are counted per client address (or per user) in the database,
// so that every instance of a site brakes the same client: counted in
// memory, N instances would allow N times the limit.

// attemptKeyName names the key that hashes who made an attempt (the state
// collection's secrets); the address itself is never stored.
const attemptKeyName = "attempts"

type attemptKey struct{ key atomic.Pointer[[]byte] }

// CountAttempt counts one attempt of action ("login", "setup", "2fa",
// "password") by who (a client address or a user id), shared by every
// instance, and returns the attempts made in the last window (the given
// length) so far, this one included, and when the current fixed window
// ends. who is kept only as a keyed hash. Errors: KindUnavailable,
// KindInternal.
//
// Attempts are counted in fixed windows, and the count returned is the
// current window's plus the previous window's weighted by the part of it
// still within the last window: counted in the fixed window alone, a
// client could make twice the limit across a window's edge (the limit's
// worth just before it, as much again just after), and a run of attempts
// crossing the edge would start over half-way.
func (s *Service) CountAttempt(ctx context.Context, action, who string, window time.Duration) (int64, time.Time, error) {
	key := s.attempts.key.Load()
	if key == nil {
		k, err := s.store.Secret(ctx, attemptKeyName, func() ([]byte, error) {
			b := make([]byte, 32)
			_, err := rand.Read(b)
			return b, err
		})
		if err != nil {
			return 0, time.Time{}, err
		}
		s.attempts.key.Store(&k)
		key = &k
	}
	mac := hmac.New(sha256.New, *key)
	mac.Write([]byte(who))
	now := s.timeNow()
	start := now.Truncate(window)
	n, before, err := s.store.CountAttempt(ctx, action+":"+hex.EncodeToString(mac.Sum(nil)[:16]), start, start.Add(-window))
	if err != nil {
		return 0, time.Time{}, err
	}
	left := 1 - float64(now.Sub(start))/float64(window)
	return n + int64(math.Ceil(float64(before)*left)), start.Add(window), nil
}
