package mongodb_test

import (
	"context"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestNextDue(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)

	next, v, err := db.NextDue(ctx)
	if err != nil || !next.IsZero() || v != 0 {
		t.Fatalf("empty: %v %d %v, want zero, 0, nil", next, v, err)
	}
	// A post scheduled before the scheduler's first record: the record is
	// created with its time, and the scheduler's first write (an insert
	// made from a scan that may have missed the post) loses.
	if err := db.LowerNextDue(ctx, t0.Add(6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if next, v, _ := db.NextDue(ctx); v != 1 || !next.Equal(t0.Add(6*time.Hour)) {
		t.Fatalf("after LowerNextDue on no record: %v, version %d; want %v, 1", next, v, t0.Add(6*time.Hour))
	}
	if ok, _ := db.SetNextDue(ctx, time.Time{}, 0); ok {
		t.Fatal("a first record from a stale scan was accepted over a scheduled post")
	}
	_, v, _ = db.NextDue(ctx)
	if ok, err := db.SetNextDue(ctx, time.Time{}, v); !ok || err != nil {
		t.Fatalf("SetNextDue at the current version = %v, %v", ok, err)
	}

	// An empty record is lowered to any time; a later time does not raise it.
	MustLower := func(at time.Time, want time.Time) {
		t.Helper()
		_, before, _ := db.NextDue(ctx)
		if err := db.LowerNextDue(ctx, at); err != nil {
			t.Fatal(err)
		}
		got, after, err := db.NextDue(ctx)
		if err != nil || !got.Equal(want) || after <= before {
			t.Fatalf("after LowerNextDue(%v): %v (version %d -> %d), want %v and a higher version", at, got, before, after, want)
		}
	}
	MustLower(t0.Add(2*time.Hour), t0.Add(2*time.Hour))
	MustLower(t0.Add(3*time.Hour), t0.Add(2*time.Hour))
	MustLower(t0.Add(time.Hour), t0.Add(time.Hour))

	// A scheduler that read the record before a change must not overwrite it.
	_, v, _ = db.NextDue(ctx)
	MustLower(t0.Add(5*time.Hour), t0.Add(time.Hour))
	if ok, _ := db.SetNextDue(ctx, time.Time{}, v); ok {
		t.Fatal("SetNextDue with a stale version was accepted")
	}
	_, v, _ = db.NextDue(ctx)
	if ok, err := db.SetNextDue(ctx, t0.Add(4*time.Hour), v); !ok || err != nil {
		t.Fatalf("SetNextDue at the current version = %v, %v", ok, err)
	}
	if got, _, _ := db.NextDue(ctx); !got.Equal(t0.Add(4 * time.Hour)) {
		t.Fatalf("next = %v, want %v", got, t0.Add(4*time.Hour))
	}
}
