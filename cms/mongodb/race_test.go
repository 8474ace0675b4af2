package mongodb_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// The tests of this file play several instances on one shared server: a
// FerretDB-on-PostgreSQL server (cmstest.PGServer), each instance a store
// handle of its own (its own connections and, on FerretDB, its own write
// gate, as a separate process has), all writing at the same moment.
// FerretDB applies an update by reading the document and writing it back,
// with nothing to stop another client in between; what these tests hold
// must hold anyway.

// mustInstances opens n store handles on one fresh database of a
// FerretDB-on-PostgreSQL server, each as another process would.
func mustInstances(t *testing.T, n int) []*mongodb.DB {
	t.Helper()
	if os.Getenv(cmstest.EnvURI) != "" {
		t.Skip("starts a FerretDB-on-PostgreSQL server of its own")
	}
	pg := cmstest.PGServer(t)
	first, env := pg.New(t)
	dbs := []*mongodb.DB{first}
	for len(dbs) < n {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		db, err := mongodb.Open(ctx, mongodb.Config{URI: env["LULLABY_MONGODB_URI"], Database: env["LULLABY_MONGODB_DATABASE"], Logger: cmstest.Logger()})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close(context.Background()) })
		dbs = append(dbs, db)
	}
	for _, db := range dbs {
		mongodb.OwnGate(db)
	}
	return dbs
}

// TestSharedServerCountsLoseNothing: four instances flushing views and
// quiz results into the same posts, days and bands at the same moment
// add up to exactly what they counted.
func TestSharedServerCountsLoseNothing(t *testing.T) {
	const instances, flushes = 4, 25
	dbs := mustInstances(t, instances)
	ctx := context.Background()
	posts := []string{cms.NewID(), cms.NewID()}
	days := []string{"2026-03-01", "2026-03-02"}
	var wg sync.WaitGroup
	errs := make(chan error, instances)
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range flushes {
				var views []cms.ViewCount
				var quiz []cms.QuizResultCount
				for _, d := range days {
					for _, p := range posts {
						views = append(views, cms.ViewCount{PostID: p, Day: d, Views: int64(1 + (i+n)%3)})
					}
					quiz = append(quiz, cms.QuizResultCount{Slug: "nap-quiz", Day: d, Band: "12-35", Result: cms.ResultWithin, Count: int64(1 + (i+n)%3)})
				}
				if err := db.AddViews(ctx, views); err != nil {
					errs <- fmt.Errorf("instance %d: %w", i, err)
					return
				}
				if err := db.AddQuizResults(ctx, quiz); err != nil {
					errs <- fmt.Errorf("instance %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var want int64 // per post and day, and per quiz band and day
	for i := range instances {
		for n := range flushes {
			want += int64(1 + (i+n)%3)
		}
	}
	totals, err := dbs[0].ViewTotals(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if totals[p] != 2*want {
			t.Errorf("views of post %s = %d, want %d", p, totals[p], 2*want)
		}
	}
	byDay, err := dbs[1].PostViews(ctx, posts[0], "")
	if err != nil {
		t.Fatal(err)
	}
	perDay := map[string]int64{}
	for _, b := range byDay {
		perDay[b.Day] += b.Views
	}
	for _, d := range days {
		if perDay[d] != want {
			t.Errorf("views of post %s on %s = %d, want %d", posts[0], d, perDay[d], want)
		}
	}
	results, err := dbs[2].QuizResultCounts(ctx, "nap-quiz", "")
	if err != nil {
		t.Fatal(err)
	}
	quizDay := map[string]int64{}
	for _, r := range results {
		quizDay[r.Day] += r.Count
	}
	for _, d := range days {
		if quizDay[d] != want {
			t.Errorf("quiz results on %s = %d, want %d", d, quizDay[d], want)
		}
	}
}

// TestSharedServerLeaseOneHolder: four instances, each with two would-be
// holders, try to take and renew one short lease as fast as they can;
// at no time do two holders hold it.
func TestSharedServerLeaseOneHolder(t *testing.T) {
	const instances, perInstance = 4, 2
	const ttl = 150 * time.Millisecond
	run := 3 * time.Second
	dbs := mustInstances(t, instances)
	type term struct {
		holder     string
		from, till time.Time // from: when the call returned; till: its start plus ttl
	}
	var mu sync.Mutex
	var terms []term
	var calls, errors int
	var wg sync.WaitGroup
	stop := time.Now().Add(run)
	for i, db := range dbs {
		for k := range perInstance {
			wg.Add(1)
			go func() {
				defer wg.Done()
				holder := fmt.Sprintf("instance-%d-%d", i, k)
				held := 0
				for time.Now().Before(stop) {
					start := time.Now()
					ok, err := db.AcquireLease(context.Background(), "race", holder, ttl)
					end := time.Now()
					mu.Lock()
					calls++
					if err != nil {
						errors++
					}
					if ok {
						terms = append(terms, term{holder, end, start.Add(ttl)})
					}
					mu.Unlock()
					// A holder renews at a third of the term, and after three
					// renewals lets it expire; the others keep trying.
					if held++; !ok {
						held = 0
					}
					if held > 3 {
						held = 0
						time.Sleep(2 * ttl)
					}
					time.Sleep(ttl / 3)
				}
			}()
		}
	}
	wg.Wait()
	if len(terms) < 2 {
		t.Fatalf("%d calls, %d errors, %d terms held: the lease was hardly taken", calls, errors, len(terms))
	}
	slices.SortFunc(terms, func(a, b term) int { return a.from.Compare(b.from) })
	holders := map[string]bool{}
	overlaps := 0
	// Each term against the later ones of other holders that start before it ends.
	for i, a := range terms {
		holders[a.holder] = true
		for _, b := range terms[i+1:] {
			if !b.from.Before(a.till) {
				break
			}
			if b.holder != a.holder {
				if overlaps < 5 {
					t.Errorf("%s held the lease until %s, yet %s had it from %s", a.holder, a.till.Format("15:04:05.000"), b.holder, b.from.Format("15:04:05.000"))
				}
				overlaps++
			}
		}
	}
	if overlaps > 0 {
		t.Errorf("%d overlapping terms of %d", overlaps, len(terms))
	}
	if len(holders) < 2 {
		t.Errorf("only %v ever held the lease: nothing was contended", holders)
	}
	t.Logf("%d calls (%d errors), %d terms held by %d holders", calls, errors, len(terms), len(holders))
}
