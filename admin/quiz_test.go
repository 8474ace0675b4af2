package admin_test

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// quizAnswers are answers in the 1–2 years band (18 months): 19:30 to
// 06:30 and 90 minutes of naps, 12.5 h in all.
func quizAnswers() map[string]any {
	return map[string]any{"ageValue": 18, "ageUnit": "months", "bedtime": "19:30", "wakeTime": "06:30",
		"naps": 1, "napMinutes": 90, "nightWakings": 1}
}

func TestQuizAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	path := api + "/quizzes/" + cms.NapQuizSlug

	var q cms.Quiz
	e.Do(t, Req{Method: "GET", Path: path, Token: owner.Token}).MustStatus(t, 200).Data(t, &q)
	MustEqual(t, "version", q.Version, 1)
	MustEqual(t, "bands", len(q.Bands), 6)
	e.Do(t, Req{Method: "GET", Path: path}).MustProblem(t, 401)
	e.Do(t, Req{Method: "GET", Path: api + "/quizzes/no-such-quiz", Token: owner.Token}).MustProblem(t, 404)

	input := func(q cms.Quiz, version any) map[string]any {
		return map[string]any{"title": q.Title, "intro": q.Intro, "questions": q.Questions, "bands": q.Bands,
			"results": q.Results, "version": version}
	}
	put := func(body any) *Resp { return e.Do(t, Req{Method: "PUT", Path: path, Token: owner.Token, Body: body}) }

	t.Run("ErrBadInput", func(t *testing.T) {
		bad := q
		bad.Bands = append([]cms.QuizBand(nil), q.Bands...)
		bad.Bands[2].MaxHours = 25
		put(input(bad, 1)).MustProblem(t, 400, "bands[2].maxHours")
		put(input(q, nil)).MustProblem(t, 400, "version")
		put(`{"version": 1, "title": 5}`).MustProblem(t, 400, "title")
		put(`{"version": 1, "colour": "blue"}`).MustProblem(t, 400, "colour")
		gap := q
		gap.Bands = append([]cms.QuizBand(nil), q.Bands...)
		gap.Bands[3].FromMonths = 40
		put(input(gap, 1)).MustProblem(t, 400, "bands[3].fromMonths")
	})

	t.Run("OK", func(t *testing.T) {
		next := q
		next.Bands = append([]cms.QuizBand(nil), q.Bands...)
		next.Bands[2].MaxHours = 13
		next.Results.Within.Text = "Right where it should be."
		var got cms.Quiz
		put(input(next, 1)).MustStatus(t, 200).Data(t, &got)
		MustEqual(t, "version", got.Version, 2)
		MustEqual(t, "maxHours", got.Bands[2].MaxHours, 13.0)
		MustEqual(t, "within", got.Results.Within.Text, "Right where it should be.")
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		put(input(q, 1)).MustProblem(t, 409, "version")
	})

	t.Run("Preview", func(t *testing.T) {
		var res struct {
			Result     string
			Text       string
			TotalHours float64
			Draft      bool
			Band       struct{ Key string }
			CTA        *cms.QuizCTA
		}
		prev := func(body any) *Resp {
			return e.Do(t, Req{Method: "POST", Path: path + "/preview", Token: owner.Token, Body: body})
		}
		prev(map[string]any{"answers": quizAnswers()}).MustStatus(t, 200).Data(t, &res)
		if res.Result != cms.ResultWithin || res.TotalHours != 12.5 || res.Band.Key != "12-35" || res.Draft || res.Text != "Right where it should be." {
			t.Errorf("saved preview = %+v, want within at 12.5 h in 12-35 with the saved text", res)
		}
		if res.CTA != nil {
			t.Errorf("preview cta = %+v, want null: neither the result nor the settings have a link", res.CTA)
		}
		e.Do(t, Req{Method: "PUT", Path: api + "/settings", Token: owner.Token, Body: map[string]any{"version": 0,
			"callToAction": map[string]any{"buttonLabel": "Book a call", "url": "https://sleep.example.org/book"}}}).MustStatus(t, 200)
		prev(map[string]any{"answers": quizAnswers()}).MustStatus(t, 200).Data(t, &res)
		if want := (cms.QuizCTA{Label: "Book a call", URL: "https://sleep.example.org/book"}); res.CTA == nil || *res.CTA != want {
			t.Errorf("preview cta = %+v, want the site's %+v", res.CTA, want)
		}
		// A draft with 1–2 years at 10–12 h: the same answers are above,
		// and nothing is saved.
		draft := q
		draft.Bands = append([]cms.QuizBand(nil), q.Bands...)
		draft.Bands[2].MinHours, draft.Bands[2].MaxHours = 10, 12
		prev(map[string]any{"answers": quizAnswers(), "quiz": input(draft, nil)}).MustStatus(t, 200).Data(t, &res)
		if res.Result != cms.ResultAbove || !res.Draft {
			t.Errorf("draft preview = %+v, want above from the draft", res)
		}
		var cur cms.Quiz
		e.Do(t, Req{Method: "GET", Path: path, Token: owner.Token}).MustStatus(t, 200).Data(t, &cur)
		MustEqual(t, "version after previews", cur.Version, 2)

		bad := quizAnswers()
		bad["bedtime"] = "25:00"
		prev(map[string]any{"answers": bad}).MustProblem(t, 400, "answers.bedtime")
		prev(map[string]any{}).MustProblem(t, 400, "answers")
		prev(`{"answers": {"ageValue": "ten"}}`).MustProblem(t, 400, "answers.ageValue")
		draft.Bands[2].MaxHours = 30
		prev(map[string]any{"answers": quizAnswers(), "quiz": input(draft, nil)}).MustProblem(t, 400, "quiz.bands[2].maxHours")
	})

	t.Run("Stats", func(t *testing.T) {
		day := cms.Day(time.Now())
		err := e.DB.AddQuizResults(t.Context(), []cms.QuizResultCount{
			{Slug: cms.NapQuizSlug, Day: day, Band: "12-35", Result: cms.ResultWithin, Count: 3},
			{Slug: cms.NapQuizSlug, Day: day, Band: "12-35", Result: cms.ResultBelow, Count: 1},
			{Slug: cms.NapQuizSlug, Day: day, Band: "36-71", Result: cms.ResultAbove, Count: 2},
		})
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Days    int
			Total   int64
			Results struct{ Below, Within, Above int64 }
			Bands   []struct {
				Key     string
				Total   int64
				Results struct{ Below, Within, Above int64 }
			}
			Daily []cms.QuizDayStats
		}
		e.Do(t, Req{Method: "GET", Path: path + "/stats", Token: owner.Token}).MustStatus(t, 200).Data(t, &s)
		if s.Days != 30 || len(s.Daily) != 30 || s.Total != 6 || s.Results.Below != 1 || s.Results.Within != 3 || s.Results.Above != 2 {
			t.Errorf("stats = %+v, want 30 days, 6 readers: 1 below, 3 within, 2 above", s)
		}
		if len(s.Bands) != 6 || s.Bands[2].Key != "12-35" || s.Bands[2].Total != 4 || s.Bands[3].Results.Above != 2 {
			t.Errorf("bands = %+v, want the 6 bands with 4 in 12-35 and 2 above in 36-71", s.Bands)
		}
		e.Do(t, Req{Method: "GET", Path: path + "/stats?days=7", Token: owner.Token}).MustStatus(t, 200).Data(t, &s)
		MustEqual(t, "days", len(s.Daily), 7)
		e.Do(t, Req{Method: "GET", Path: path + "/stats?days=abc", Token: owner.Token}).MustProblem(t, 400, "days")
		e.Do(t, Req{Method: "GET", Path: path + "/stats?days=5000", Token: owner.Token}).MustProblem(t, 400, "days")
		e.Do(t, Req{Method: "GET", Path: api + "/quizzes/nope/stats", Token: owner.Token}).MustProblem(t, 404)
	})
}
