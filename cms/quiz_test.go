package cms_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// quizInput is the whole editable definition of q.
func quizInput(q *cms.Quiz) cms.QuizInput {
	v := q.Version
	return cms.QuizInput{Title: q.Title, Intro: q.Intro, Questions: q.Questions, Bands: q.Bands, Results: q.Results, Version: &v}
}

func TestGetQuizCreatesDefaultCitingLibrary(t *testing.T) {
	t.Parallel()
	e := mustListEnv(t)
	ctx := context.Background()
	aasm, err := e.svc.CreateCitation(ctx, e.owner, cms.Citation{Key: "paruthi2016", Type: "article-journal", Title: "Recommended amount of sleep for pediatric populations", Year: 2016})
	if err != nil {
		t.Fatal(err)
	}
	q, err := e.svc.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil {
		t.Fatal(err)
	}
	if q.Version != 1 || len(q.Bands) != 6 || q.CreatedAt.IsZero() {
		t.Fatalf("got version %d, %d bands, created %v; want 1, 6, set", q.Version, len(q.Bands), q.CreatedAt)
	}
	if got := q.Bands[1].CitationIDs; len(got) != 1 || got[0] != aasm.ID {
		t.Errorf("band 4–11 months cites %v, want [%s]", got, aasm.ID)
	}
	if got := q.Bands[0].CitationIDs; len(got) != 0 {
		t.Errorf("newborn band cites %v, want none (hirshkowitz2015 is not in the library)", got)
	}
	again, err := e.svc.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil || again.Version != 1 {
		t.Fatalf("second read: %v, version %d", err, again.Version)
	}
	if _, err := e.svc.GetQuiz(ctx, "other-quiz"); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("unknown quiz: err = %v, want NotFound", err)
	}
}

func TestUpdateQuiz(t *testing.T) {
	t.Parallel()
	e := mustListEnv(t)
	ctx := context.Background()
	q, err := e.svc.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		in := quizInput(q)
		in.Bands[2].MaxHours = 13
		in.Results.Above.Text = "More than most toddlers."
		in.Results.Above.CTA = cms.QuizCTA{Label: "Ask me", URL: "https://sleep.example/ask"}
		got, err := e.svc.UpdateQuiz(ctx, e.owner, cms.NapQuizSlug, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Bands[2].MaxHours != 13 {
			t.Fatalf("got version %d, max %v; want 2, 13", got.Version, got.Bands[2].MaxHours)
		}
		stored, err := e.svc.GetQuiz(ctx, cms.NapQuizSlug)
		if err != nil || stored.Version != 2 || stored.Results.Above.CTA.URL != "https://sleep.example/ask" {
			t.Fatalf("stored: %v %+v", err, stored)
		}
		// The read model evaluates with the new definition at once.
		two, three, none := 2.0, 1.0, 0.0
		nap := 90.0
		body, out, err := e.rm.Snapshot().EvaluateQuiz(cms.NapQuizSlug, &cms.QuizAnswers{AgeValue: &two, AgeUnit: "years", Bedtime: "19:00", WakeTime: "07:00", Naps: &three, NapMinutes: &nap, NightWakings: &none}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out.Result != cms.ResultAbove {
			t.Errorf("result %s, want above (810 min > 13 h)", out.Result)
		}
		var res struct {
			Data struct {
				Result     string  `json:"result"`
				Text       string  `json:"text"`
				TotalHours float64 `json:"totalHours"`
				CTA        cms.QuizCTA
				Band       struct {
					MaxHours float64 `json:"maxHours"`
				} `json:"band"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if res.Data.Text != "More than most toddlers." || res.Data.Band.MaxHours != 13 || res.Data.TotalHours != 13.5 || res.Data.CTA.Label != "Ask me" {
			t.Errorf("body = %s", body)
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		in := quizInput(q) // version 1
		if _, err := e.svc.UpdateQuiz(ctx, e.owner, cms.NapQuizSlug, in); !cms.IsKind(err, cms.KindConflict) {
			t.Fatalf("err = %v, want Conflict", err)
		}
	})
	t.Run("ErrInvalidNamesField", func(t *testing.T) {
		cur, _ := e.svc.GetQuiz(ctx, cms.NapQuizSlug)
		in := quizInput(cur)
		in.Bands[2].MinHours, in.Bands[2].MaxHours = 15, 12
		_, err := e.svc.UpdateQuiz(ctx, e.owner, cms.NapQuizSlug, in)
		if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)["bands[2].maxHours"] == "" {
			t.Fatalf("err = %v, want Invalid naming bands[2].maxHours", err)
		}
	})
	t.Run("ErrNoVersion", func(t *testing.T) {
		in := quizInput(q)
		in.Version = nil
		if _, err := e.svc.UpdateQuiz(ctx, e.owner, cms.NapQuizSlug, in); cms.ErrorFields(err)["version"] == "" {
			t.Fatalf("err = %v, want Invalid naming version", err)
		}
	})
	t.Run("ErrNoActor", func(t *testing.T) {
		if _, err := e.svc.UpdateQuiz(ctx, nil, cms.NapQuizSlug, quizInput(q)); !cms.IsKind(err, cms.KindForbidden) {
			t.Fatalf("err = %v, want Forbidden", err)
		}
	})
}

func TestQuizCounterAndStats(t *testing.T) {
	t.Parallel()
	e := mustListEnv(t)
	ctx := context.Background()
	qc, err := cms.NewQuizCounter(cms.QuizCounterConfig{Store: e.db, Logger: nil, Now: e.clock.Now, RatePerMinute: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if !qc.Allow("203.0.113.5") {
			t.Fatalf("answer %d refused", i+1)
		}
	}
	if qc.Allow("203.0.113.5") {
		t.Error("4th answer in a minute allowed, want refused")
	}
	if !qc.Allow("203.0.113.6") {
		t.Error("another client refused")
	}
	qc.Record(cms.NapQuizSlug, "12-35", cms.ResultWithin)
	qc.Record(cms.NapQuizSlug, "12-35", cms.ResultWithin)
	qc.Record(cms.NapQuizSlug, "0-3", cms.ResultBelow)
	if err := qc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(e.clock.Now().Add(24 * time.Hour))
	if !qc.Allow("203.0.113.5") {
		t.Error("client still refused a day later")
	}
	qc.Record(cms.NapQuizSlug, "12-35", cms.ResultAbove)
	qc.Record(cms.NapQuizSlug, "12-35", cms.ResultWithin)
	if qc.Pending() != 2 {
		t.Errorf("pending %d, want 2", qc.Pending())
	}
	if err := qc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	stats, err := e.svc.QuizStats(ctx, cms.NapQuizSlug, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 3 || stats[0].Total != 0 || stats[1].Total != 3 || stats[2].Total != 2 {
		t.Fatalf("stats = %+v, want 3 days with 0, 3, 2", stats)
	}
	want := []cms.QuizBandCount{{Band: "0-3", Result: "below", Count: 1}, {Band: "12-35", Result: "within", Count: 2}}
	if got := stats[1].Counts; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("day counts = %+v, want %+v", got, want)
	}
	if _, err := e.svc.QuizStats(ctx, cms.NapQuizSlug, 0); cms.ErrorFields(err)["days"] == "" {
		t.Errorf("days 0: err = %v, want Invalid naming days", err)
	}
}
