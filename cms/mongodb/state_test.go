package mongodb_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestContentVersion(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	v, err := db.ContentVersion(ctx)
	if err != nil || v != 0 {
		t.Fatalf("ContentVersion() = %d, %v; want 0, nil", v, err)
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := db.BumpContentVersion(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v, err = db.BumpContentVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "BumpContentVersion", v, int64(6))
	v, err = db.ContentVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "ContentVersion", v, int64(6))
}

// MustAcquire fails unless AcquireLease(name, holder) reports want.
func MustAcquire(tb testing.TB, db *mongodb.DB, name, holder string, ttl time.Duration, want bool) {
	tb.Helper()
	got, err := db.AcquireLease(context.Background(), name, holder, ttl)
	if err != nil {
		tb.Fatalf("AcquireLease(%q, %q): %v", name, holder, err)
	}
	if got != want {
		tb.Fatalf("AcquireLease(%q, %q) = %v, want %v", name, holder, got, want)
	}
}

func TestLease(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ttl := 300 * time.Millisecond

	MustAcquire(t, db, "scheduler", "a", ttl, true)
	MustAcquire(t, db, "scheduler", "b", ttl, false)
	MustAcquire(t, db, "scheduler", "a", ttl, true) // renewal
	MustAcquire(t, db, "other", "b", ttl, true)     // leases are independent
	time.Sleep(ttl + 100*time.Millisecond)
	MustAcquire(t, db, "scheduler", "b", ttl, true) // expired: b takes it
	MustAcquire(t, db, "scheduler", "a", ttl, false)

	t.Run("Race", func(t *testing.T) {
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				ok, err := db.AcquireLease(context.Background(), "race", string(rune('a'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		MustEqual(t, "winners", wins.Load(), int32(1))
	})

	// Every take and renewal is a term of its own; the old terms go, and
	// so does the one document an earlier version kept a lease in.
	t.Run("Terms", func(t *testing.T) {
		ctx := context.Background()
		state := MustRawDB(t, db).Collection("state")
		if _, err := state.InsertOne(ctx, bson.D{{Key: "_id", Value: "lease:terms"}, {Key: "holder", Value: "old"}, {Key: "expiresAt", Value: time.Now().Add(time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		MustAcquire(t, db, "terms-other", "b", time.Minute, true) // a lease whose name starts alike
		for range 70 {
			MustAcquire(t, db, "terms", "a", time.Minute, true)
		}
		MustAcquire(t, db, "terms", "b", time.Minute, false)
		var docs []struct {
			ID     string `bson:"_id"`
			Term   int64  `bson:"term"`
			Holder string `bson:"holder"`
		}
		cur, err := state.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: "lease:terms"}, {Key: "$lt", Value: "lease:terms~"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, d := range docs {
			ids[d.ID] = true
		}
		// Terms 1-70; pruned at 64: 64 to 70 are left, and the other lease.
		if len(docs) != 8 || !ids["lease:terms:00000000000000000070"] || !ids["lease:terms:00000000000000000064"] ||
			!ids["lease:terms-other:00000000000000000001"] || ids["lease:terms"] {
			t.Errorf("lease documents after 70 terms: %v", ids)
		}
	})
}

func TestSecret(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	// A second instance on the same database.
	other, err := mongodb.Open(ctx, mongodb.Config{URI: db.URI(), Database: db.Database(), Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close(context.Background()) })

	gen := func(b byte) func() ([]byte, error) {
		return func() ([]byte, error) { return bytes.Repeat([]byte{b}, 32), nil }
	}
	first, err := db.Secret(ctx, "jwt", gen(1))
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "first", first, bytes.Repeat([]byte{1}, 32))
	second, err := other.Secret(ctx, "jwt", gen(2))
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "other instance", second, first)

	t.Run("Race", func(t *testing.T) {
		var wg sync.WaitGroup
		got := make([][]byte, 8)
		for i := range got {
			store := db
			if i%2 == 1 {
				store = other
			}
			wg.Go(func() {
				v, err := store.Secret(ctx, "race", gen(byte(i)))
				if err != nil {
					t.Error(err)
				}
				got[i] = v
			})
		}
		wg.Wait()
		for i := range got {
			MustEqual(t, "secret", got[i], got[0])
		}
	})
	t.Run("ErrGenerate", func(t *testing.T) {
		_, err := db.Secret(ctx, "broken", func() ([]byte, error) { return nil, errors.New("no entropy") })
		MustKind(t, err, cms.KindInternal, "")
	})
}

func TestState_CountAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	w1 := time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC)
	w2 := w1.Add(5 * time.Minute)
	w0, w3 := w1.Add(-5*time.Minute), w2.Add(10*time.Minute)
	count := func(key string, w, prev time.Time, want, wantBefore int64) {
		t.Helper()
		if n, before, err := db.CountAttempt(ctx, key, w, prev); err != nil || n != want || before != wantBefore {
			t.Fatalf("CountAttempt(%s, %s) = %d, %d, %v; want %d, %d", key, w.Format(time.TimeOnly), n, before, err, want, wantBefore)
		}
	}
	count("login:a", w1, w0, 1, 0)
	count("login:a", w1, w0, 2, 0)
	count("login:b", w1, w0, 1, 0)
	count("login:a", w2, w1, 1, 2) // a new window starts over, and tells the last one's count
	count("login:b", w3, w2, 1, 0) // windows before the previous one go
	n, err := MustRawDB(t, db).Collection("state").CountDocuments(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^attempts:"}}}})
	if err != nil || n != 2 {
		t.Fatalf("%d attempt documents (%v), want 2 (the windows from the previous one on)", n, err)
	}
}
