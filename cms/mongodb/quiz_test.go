package mongodb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestQuizRoundTrip(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	if _, err := db.GetQuiz(ctx, cms.NapQuizSlug); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("before create: err = %v, want NotFound", err)
	}
	q := cms.DefaultNapQuiz(nil)
	q.Bands[1].CitationIDs = []string{cms.NewID()}
	q.Version = 1
	q.CreatedAt = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	q.UpdatedAt = q.CreatedAt
	if err := db.CreateQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateQuiz(ctx, q); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("second create: err = %v, want Conflict", err)
	}
	got, err := db.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, q) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, q)
	}

	next := q.Clone()
	next.Version, next.Title = 2, "How much sleep?"
	if err := db.UpdateQuiz(ctx, next, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateQuiz(ctx, next, 1); !cms.IsKind(err, cms.KindConflict) || cms.ErrorFields(err)["version"] == "" {
		t.Errorf("stale update: err = %v, want Conflict naming version", err)
	}
	missing := next.Clone()
	missing.Slug = "no-such-quiz"
	if err := db.UpdateQuiz(ctx, missing, 1); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("missing quiz: err = %v, want NotFound", err)
	}
	all, err := db.ListQuizzes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Title != "How much sleep?" || all[0].Version != 2 {
		t.Errorf("list = %+v", all)
	}
}

func TestQuizResults(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	add := []cms.QuizResultCount{
		{Slug: "nap-quiz", Day: "2026-03-01", Band: "12-35", Result: "within", Count: 2},
		{Slug: "nap-quiz", Day: "2026-03-02", Band: "0-3", Result: "below", Count: 1},
		{Slug: "other", Day: "2026-03-02", Band: "0-3", Result: "below", Count: 7},
	}
	for range 2 {
		batch := append([]cms.QuizResultCount(nil), add...)
		if err := db.AddQuizResults(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, c := range batch {
			if c.Count != 0 {
				t.Errorf("written count not zeroed: %+v", c)
			}
		}
	}
	got, err := db.QuizResultCounts(ctx, "nap-quiz", "2026-03-01")
	if err != nil {
		t.Fatal(err)
	}
	want := []cms.QuizResultCount{
		{Slug: "nap-quiz", Day: "2026-03-01", Band: "12-35", Result: "within", Count: 4},
		{Slug: "nap-quiz", Day: "2026-03-02", Band: "0-3", Result: "below", Count: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got, _ := db.QuizResultCounts(ctx, "nap-quiz", "2026-03-02"); len(got) != 1 {
		t.Errorf("from 03-02: %+v, want 1 bucket", got)
	}
}

// TestQuizResults_Instances: the buckets of several instances, and one of
// the shape written before each instance had its own, are summed.
func TestQuizResults_Instances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	other := MustOpenOther(t, db)
	if _, err := MustRawDB(t, db).Collection("quiz_results").InsertOne(ctx, bson.D{
		{Key: "_id", Value: "nap-quiz:2026-03-01:12-35:within"}, {Key: "slug", Value: "nap-quiz"}, {Key: "day", Value: "2026-03-01"},
		{Key: "band", Value: "12-35"}, {Key: "result", Value: "within"}, {Key: "count", Value: int64(5)}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*mongodb.DB{db, other, other} {
		if err := s.AddQuizResults(ctx, []cms.QuizResultCount{
			{Slug: "nap-quiz", Day: "2026-03-01", Band: "12-35", Result: "within", Count: 1},
			{Slug: "nap-quiz", Day: "2026-03-01", Band: "0-3", Result: "above", Count: 2},
		}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := other.QuizResultCounts(ctx, "nap-quiz", "")
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "counts", got, []cms.QuizResultCount{
		{Slug: "nap-quiz", Day: "2026-03-01", Band: "0-3", Result: "above", Count: 6},
		{Slug: "nap-quiz", Day: "2026-03-01", Band: "12-35", Result: "within", Count: 8},
	})
}
