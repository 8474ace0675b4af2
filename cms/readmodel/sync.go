package readmodel

import (
	"context"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// recheckEvery is how often Run compares the stored content with the
// snapshot even though the content version did not move: a process
// killed between a save and the version bump after it leaves a change
// that no version announces.
func recheckEvery(interval time.Duration) time.Duration { return max(10*time.Second, 60*interval) }

// recheckShare bounds the time spent re-checking: after a re-check that
// took d, the next one starts no sooner than recheckShare*d later (on
// the embedded store the fingerprint scan reads every post document
// inside the server: about 0.25 ms a post).
const recheckShare = 20

// recheckTimeout bounds one re-check. It blocks nothing, so it may be
// long enough for a load of a large site.
const recheckTimeout = 5 * time.Minute

// Run polls the content version every interval and reloads when it moved,
// until ctx ends. Beside it, every recheckEvery (or less often, see
// recheckShare), it compares a fingerprint of the stored content with
// the snapshot's and reloads if the content changed though the version
// did not; that re-check holds up neither the polls nor local writes.
// While the database is unreachable the last snapshot keeps being
// served; the outage and the recovery are logged once each.
func (rm *ReadModel) Run(ctx context.Context, interval time.Duration) {
	rechecks := make(chan struct{})
	go func() {
		defer close(rechecks)
		rm.runRecheck(ctx, interval)
	}()
	defer func() { <-rechecks }()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := rm.sync(ctx, interval)
		rm.RefreshListWindows()
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !rm.down.Load():
			rm.down.Store(true)
			rm.log.Warn("database unreachable: serving the last content snapshot", "version", rm.Snapshot().Version(), "err", err)
		case err == nil && rm.down.Load():
			rm.down.Store(false)
			rm.log.Info("database reachable again", "version", rm.Snapshot().Version())
		}
	}
}

func (rm *ReadModel) sync(ctx context.Context, interval time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, max(5*time.Second, interval))
	defer cancel()
	start := time.Now()
	v, err := rm.store.ContentVersion(ctx)
	if err != nil {
		return err
	}
	if v == rm.Snapshot().Version() && rm.Loaded() {
		rm.markSynced(start)
		return nil
	}
	err = rm.Reload(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// runRecheck calls recheck every recheckEvery(interval), or less often
// when a re-check takes long, until ctx ends. A failure is logged unless
// Run already reports the database unreachable.
func (rm *ReadModel) runRecheck(ctx context.Context, interval time.Duration) {
	every := recheckEvery(interval)
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		rctx, cancel := context.WithTimeout(ctx, recheckTimeout)
		swapped, err := rm.recheck(rctx)
		cancel()
		took := time.Since(start)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !rm.down.Load():
			rm.log.Warn("re-checking the content snapshot against the database", "took", took, "err", err)
		default:
			rm.log.Debug("content snapshot re-checked", "took", took, "reloaded", swapped)
		}
		t.Reset(max(every, recheckShare*took))
	}
}

// recheck compares the fingerprint of the stored content with the one
// the current snapshot was built from and, when they differ though the
// content version did not move, loads the content and swaps it in. It
// reads the database without holding rm.mu, so polls, reloads and local
// writes go on meanwhile; a load that the snapshot moved past meanwhile
// (its version changed) is dropped, as the reload that moved it read
// the content too, or the next re-check will. It reports whether it
// swapped a snapshot in.
func (rm *ReadModel) recheck(ctx context.Context) (bool, error) {
	rm.mu.Lock()
	loaded, version, fp, fpUsers, known, now := rm.loaded.Load(), rm.cur.Load().Version(), rm.fp, rm.fpUsers, rm.posts, rm.clock()
	rm.mu.Unlock()
	if !loaded {
		return false, nil // the first load is the poll's
	}
	if v, err := rm.store.ContentVersion(ctx); err != nil || v != version {
		return false, err // behind: the next poll reloads
	}
	stored, err := rm.store.ContentFingerprint(ctx)
	if err != nil {
		return false, err
	}
	if !fpUsers {
		stored.Users = cms.Fingerprint{}
	}
	changed := fp.Diff(stored)
	if changed == "" {
		return false, nil
	}
	c, err := rm.load(ctx, known, now)
	if err != nil || c.version != version {
		return false, err
	}
	// A write in progress changes content before its bump; only a
	// version that still has not moved is news.
	if v, err := rm.store.ContentVersion(ctx); err != nil || v != version {
		return false, err
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.cur.Load().Version() != version {
		return false, nil
	}
	rm.log.Info("content changed without a new content version (a writer stopped between a save and its bump?): reloading",
		"version", version, "changed", changed)
	if err := rm.installLocked(c); err != nil {
		return false, err
	}
	return true, nil
}
