package cms

import (
	"context"
	"time"
)

// RunScheduler publishes scheduled posts when their time comes, checking
// every interval until ctx ends. Any number of instances may run it: a lease
// in the database lets only one of them fire at a time, and every publish is
// a version-checked write, so a post is never published twice.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	holder := NewID()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.schedulerTick(ctx, holder, interval)
	}
}

func (s *Service) schedulerTick(ctx context.Context, holder string, interval time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max(10*time.Second, 2*interval))
	defer cancel()
	ok, err := s.store.AcquireLease(ctx, "scheduler", holder, max(3*interval, 5*time.Second))
	if err != nil {
		if ctx.Err() == nil {
			s.log.Debug("scheduler: cannot take the lease", "err", err)
		}
		return
	}
	if !ok {
		return
	}
	n, err := s.PublishDue(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("scheduler: publishing due posts", "err", err)
	}
	if n > 0 {
		s.log.Info("scheduler: published scheduled posts", "count", n)
	}
}
