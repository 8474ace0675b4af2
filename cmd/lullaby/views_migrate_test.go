package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// mustOldViews stores, through a load, a view document of the shape
// earlier versions wrote: one post's views of one day.
func mustOldViews(tb testing.TB, db *mongodb.DB, postID, day string, views int) {
	tb.Helper()
	line := `{"_id":"` + postID + `:` + day + `","postId":"` + postID + `","day":"` + day + `","views":{"$numberLong":"` + itoa(views) + `"}}`
	if res, err := db.Load(context.Background(), "post_views", []byte(line)); err != nil || res != cms.Loaded {
		tb.Fatalf("load %s: %v, %v", line, res, err)
	}
}

// TestMigrateViewsStops: serve's loop that folds the view documents of
// the earlier shape stops, saying so at debug level, after a run that
// leaves none of any day, and goes on while one of today is there (an
// instance of an earlier version still counting beside this one).
func TestMigrateViewsStops(t *testing.T) {
	t.Parallel()
	const every = 10 * time.Millisecond
	const stopped = "no view document of the earlier shape left"
	start := func(tb testing.TB, db *mongodb.DB) (*cmstest.SyncBuffer, <-chan struct{}, context.CancelFunc) {
		logs := &cmstest.SyncBuffer{}
		s := &server{db: db, log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
		ctx, cancel := context.WithCancel(context.Background())
		tb.Cleanup(cancel)
		done := make(chan struct{})
		go func() { defer close(done); s.migrateViews(ctx, every) }()
		return logs, done, cancel
	}
	totals := func(tb testing.TB, db *mongodb.DB) map[string]int64 {
		tb.Helper()
		got, err := db.ViewTotals(context.Background(), "")
		if err != nil {
			tb.Fatal(err)
		}
		return got
	}
	p := cms.NewID()
	earlier, today := cms.Day(time.Now().AddDate(0, 0, -5)), cms.Day(time.Now())

	t.Run("StopsWhenNoneLeft", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		mustOldViews(t, db, p, earlier, 3)
		logs, done, _ := start(t, db)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("the loop still runs with nothing left to fold; log:\n%s", logs)
		}
		if l := logs.String(); !strings.Contains(l, "documents=1 left=0") || !strings.Contains(l, "level=DEBUG msg=\"views: "+stopped) {
			t.Errorf("log = %s, want the fold of 1 document and the debug line saying it stops", l)
		}
		if got := totals(t, db); got[p] != 3 {
			t.Errorf("totals after the fold = %v, want %s: 3", got, p)
		}
	})

	t.Run("GoesOnWhileTodayHasSome", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		mustOldViews(t, db, p, earlier, 3)
		mustOldViews(t, db, p, today, 2)
		logs, done, cancel := start(t, db)
		deadline := time.Now().Add(30 * time.Second)
		for strings.Count(logs.String(), "earlier shape left, of days not yet folded") < 5 {
			select {
			case <-done:
				t.Fatalf("the loop stopped while a document of today is left; log:\n%s", logs)
			case <-time.After(every):
			}
			if time.Now().After(deadline) {
				t.Fatalf("fewer than 5 runs in 30 s; log:\n%s", logs)
			}
		}
		cancel()
		<-done
		l := logs.String()
		if !strings.Contains(l, "documents=1 left=1") || strings.Contains(l, stopped) {
			t.Errorf("log = %s, want the fold of the earlier day's document, one left, and no stop", l)
		}
		if got := totals(t, db); got[p] != 5 {
			t.Errorf("totals = %v, want %s: 5", got, p)
		}
	})
}
