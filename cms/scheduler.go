package cms

import (
	"context"
	"time"
)

// fullCheckEvery is how often the scheduler looks at every scheduled post
// even when the recorded next due time says nothing is due: a safety net
// for a due time that failed to be recorded.
const fullCheckEvery = 10 * time.Minute

// Orphaned media files (see MediaStore.SweepMediaFiles) are swept every
// sweepMediaEvery, once they are older than mediaSweepGrace: no upload
// takes that long, so one in progress is never touched.
const (
	sweepMediaEvery = time.Hour
	mediaSweepGrace = time.Hour
)

// RunScheduler publishes scheduled posts when their time comes, checking
// every interval until ctx ends. A tick reads one small document (when the
// next post is due) and looks at the posts only when that time has come, so
// it costs nothing however many posts there are. Any number of instances
// may run it: a lease in the database lets only one of them fire at a time,
// and every publish is a version-checked write, so a post is never
// published twice. The lease holder also sweeps orphaned media files, on
// its first tick and then about once an hour.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	holder := NewID()
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastFull, lastSweep time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s.schedulerTick(ctx, holder, interval, time.Since(lastFull) >= fullCheckEvery) {
			lastFull = time.Now()
		}
		if time.Since(lastSweep) >= sweepMediaEvery {
			lastSweep = time.Now()
			s.sweepTick(ctx, holder, interval)
		}
	}
}

// schedulerTick publishes due posts if any may be due (or full is set) and
// this instance holds the lease; it reports whether it looked at the posts.
func (s *Service) schedulerTick(ctx context.Context, holder string, interval time.Duration, full bool) bool {
	ctx, cancel := context.WithTimeout(ctx, max(10*time.Second, 2*interval))
	defer cancel()
	if !full {
		next, version, err := s.store.NextDue(ctx)
		if err != nil {
			return false
		}
		if version > 0 && (next.IsZero() || next.After(s.now())) {
			return false // nothing is due yet
		}
	}
	ok, err := s.store.AcquireLease(ctx, "scheduler", holder, max(3*interval, 5*time.Second))
	if err != nil {
		if ctx.Err() == nil {
			s.log.Debug("scheduler: cannot take the lease", "err", err)
		}
		return false
	}
	if !ok {
		return false
	}
	n, err := s.PublishDue(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("scheduler: publishing due posts", "err", err)
		return false
	}
	if n > 0 {
		s.log.Info("scheduler: published scheduled posts", "count", n)
	}
	return true
}

// sweepTick deletes orphaned media files if this instance holds (or
// takes) the scheduler lease. A failure is logged and waits for the next
// sweep: orphans waste space but break nothing.
func (s *Service) sweepTick(ctx context.Context, holder string, interval time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max(time.Minute, 2*interval))
	defer cancel()
	ok, err := s.store.AcquireLease(ctx, "scheduler", holder, max(3*interval, 5*time.Second))
	if err != nil || !ok {
		return // another instance sweeps, or the database is away
	}
	n, err := s.SweepMedia(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		s.log.Error("scheduler: sweeping orphaned media files", "err", err)
	case n > 0:
		s.log.Info("scheduler: deleted orphaned media files", "count", n)
	default:
		s.log.Debug("scheduler: no orphaned media files")
	}
}
