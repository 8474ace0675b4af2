package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// quizFormValues is the quiz screen's form for q, as a browser sends it.
func quizFormValues(q *cms.Quiz) url.Values {
	f := url.Values{"title": {q.Title}, "intro": {q.Intro}, "version": {strconv.Itoa(q.Version)}, "op": {"save"}}
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	for i, qu := range q.Questions {
		p := fmt.Sprintf("questions[%d].", i)
		f.Set(p+"label", qu.Label)
		f.Set(p+"help", qu.Help)
		if qu.Type == cms.QuestionNumber {
			f.Set(p+"min", num(qu.Min))
			f.Set(p+"max", num(qu.Max))
			f.Set(p+"unit", qu.Unit)
		}
		for j, c := range qu.Choices {
			f.Set(fmt.Sprintf("%schoices[%d].label", p, j), c.Label)
		}
	}
	for i, b := range q.Bands {
		p := fmt.Sprintf("bands[%d].", i)
		f.Set(p+"label", b.Label)
		f.Set(p+"fromMonths", strconv.Itoa(b.FromMonths))
		f.Set(p+"toMonths", strconv.Itoa(b.ToMonths))
		f.Set(p+"minHours", strconv.FormatFloat(b.MinHours, 'f', -1, 64))
		f.Set(p+"maxHours", strconv.FormatFloat(b.MaxHours, 'f', -1, 64))
		f.Set(p+"notes", b.Notes)
		f[p+"citationIds"] = b.CitationIDs
	}
	for _, k := range []string{cms.ResultBelow, cms.ResultWithin, cms.ResultAbove} {
		r := q.Results.Text(k)
		p := "results." + k + "."
		f.Set(p+"title", r.Title)
		f.Set(p+"text", r.Text)
		f.Set(p+"cta.label", r.CTA.Label)
		f.Set(p+"cta.url", r.CTA.URL)
	}
	// The "try it" answers travel with the form.
	for k, v := range map[string]string{"ageValue": "18", "ageUnit": "months", "bedtime": "19:30", "wakeTime": "06:30",
		"naps": "1", "napMinutes": "90", "nightWakings": "1"} {
		f.Set("try."+k, v)
	}
	return f
}

func TestPanelQuiz(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	ctx := t.Context()
	mustQuiz := func() *cms.Quiz {
		q, err := e.Svc.GetQuiz(ctx, cms.NapQuizSlug)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}

	t.Run("ScreenRenders", func(t *testing.T) {
		b.Get(t, "/admin/quiz").MustStatus(t, 200).MustContain(t,
			`href="/admin/quiz" aria-current="page">Quiz`, `id="quiz-form"`, `name="version" value="1"`,
			`name="title" value="Is my child getting enough sleep?"`, `name="questions[0].label"`, `name="questions[1].choices[1].label"`,
			`name="bands[2].maxHours" value="14"`, `name="bands[5].toMonths" value="216"`, `name="bands[0].citationIds"`,
			`name="results.within.text"`, `name="results.above.cta.url"`, `id="try-it"`, `hx-post="/admin/quiz/preview"`,
			`name="try.bedtime"`, `htmx.min.js`)
	})

	t.Run("CSRFMissing", func(t *testing.T) {
		f := quizFormValues(mustQuiz())
		f.Set("title", "Changed without a token")
		b.Post(t, "/admin/quiz", f).MustStatus(t, http.StatusForbidden)
		b.Post(t, "/admin/quiz/preview", f).MustStatus(t, http.StatusForbidden)
		if q := mustQuiz(); q.Version != 1 || q.Title == "Changed without a token" {
			t.Errorf("a form without its CSRF token saved: version %d, title %q", q.Version, q.Title)
		}
	})

	t.Run("ErrBadInputNamesFields", func(t *testing.T) {
		f := quizFormValues(mustQuiz())
		f.Set("bands[2].maxHours", "25")
		f.Set("bands[3].minHours", "lots")
		f.Set("results.below.cta.url", "not a url")
		f.Set("questions[0].label", "")
		p := b.PostCSRF(t, "/admin/quiz", f).MustStatus(t, http.StatusUnprocessableEntity)
		p.MustContain(t, `id="bands-2-maxHours-error"`, "Must be a number of hours from 0 to 24.",
			`id="bands-3-minHours-error"`, "Must be a number of hours, e.g. 13.5.",
			`id="results-below-cta-url-error"`, `id="questions-0-label-error"`,
			`name="bands[3].minHours" value="lots"`, "Nothing was saved.")
		MustEqual(t, "version", mustQuiz().Version, 1)
	})

	t.Run("Save", func(t *testing.T) {
		f := quizFormValues(mustQuiz())
		f.Set("bands[2].maxHours", "13")
		f.Set("results.within.text", "Right where it should be, in my words.")
		f.Set("questions[2].help", "When your child is asleep for the night.")
		b.PostCSRF(t, "/admin/quiz", f).MustRedirect(t, "/admin/quiz")
		q := mustQuiz()
		if q.Version != 2 || q.Bands[2].MaxHours != 13 || q.Results.Within.Text != "Right where it should be, in my words." ||
			q.Questions[2].Help != "When your child is asleep for the night." {
			t.Errorf("saved quiz = version %d, band %+v, within %q, help %q", q.Version, q.Bands[2], q.Results.Within.Text, q.Questions[2].Help)
		}
		b.Get(t, "/admin/quiz").MustStatus(t, 200).MustContain(t, "Quiz saved.", `name="bands[2].maxHours" value="13"`, `name="version" value="2"`)
		// The public read model evaluates with it at once.
		ans := &cms.QuizAnswers{AgeValue: ptr(18.0), AgeUnit: "months", Bedtime: "19:00", WakeTime: "07:00", Naps: ptr(1.0), NapMinutes: ptr(90.0), NightWakings: ptr(0.0)}
		_, out, err := e.Read.Snapshot().EvaluateQuiz(cms.NapQuizSlug, ans, nil)
		if err != nil || out.Result != cms.ResultAbove {
			t.Errorf("public evaluation at 13.5 h = %q, %v; want above", out.Result, err)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		f := quizFormValues(mustQuiz())
		f.Set("version", "1")
		f.Set("title", "My stale title")
		p := b.PostCSRF(t, "/admin/quiz", f).MustStatus(t, http.StatusConflict)
		p.MustContain(t, "Someone else saved the quiz", `name="version" value="2"`, `value="My stale title"`)
		MustEqual(t, "title", mustQuiz().Title, "Is my child getting enough sleep?")
	})

	t.Run("AddAndRemoveBand", func(t *testing.T) {
		f := quizFormValues(mustQuiz())
		f.Set("op", "add-band")
		b.PostCSRF(t, "/admin/quiz", f).MustStatus(t, 200).MustContain(t, `name="bands[6].fromMonths" value=""`, "Not saved yet")
		f.Set("op", "remove-band:5")
		b.PostCSRF(t, "/admin/quiz", f).MustStatus(t, 200).MustContain(t, `name="bands[4].fromMonths"`).MustNotContain(t, `name="bands[5].fromMonths"`)
		MustEqual(t, "version", mustQuiz().Version, 2)
	})

	t.Run("Preview", func(t *testing.T) {
		csrf := b.CSRF(t)
		f := quizFormValues(mustQuiz())
		// The saved quiz says 12.5 h is within 11–13 h; the unsaved form
		// says 1–2 years need 13–15 h: the result follows the form.
		f.Set("bands[2].minHours", "13")
		f.Set("bands[2].maxHours", "15")
		f.Set("results.below.text", "A little short, says the draft.")
		f.Set("_csrf", csrf)
		p := b.Post(t, "/admin/quiz/preview", f, "HX-Request", "true").MustStatus(t, 200)
		p.MustContain(t, `data-result="below"`, "12.5 h", "A little short, says the draft.", "13–15 h").MustNotContain(t, "<html")
		MustEqual(t, "version after preview", mustQuiz().Version, 2)

		// Without scripts: the whole screen, with the result and her edits.
		b.Post(t, "/admin/quiz/preview", f).MustStatus(t, 200).MustContain(t, `<html`, `data-result="below"`,
			`name="bands[2].minHours" value="13"`, "Not saved")

		// Bad answers are named; a broken quiz says which fields.
		f.Set("try.bedtime", "25:00")
		b.Post(t, "/admin/quiz/preview", f, "HX-Request", "true").MustStatus(t, 200).MustContain(t, "<code>bedtime</code>")
		f.Set("try.bedtime", "19:30")
		f.Set("bands[2].maxHours", "abc")
		b.Post(t, "/admin/quiz/preview", f, "HX-Request", "true").MustStatus(t, 200).MustContain(t, "bands[2].maxHours", "cannot be tried yet")
	})

	t.Run("Dashboard", func(t *testing.T) {
		b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, `id="quiz-heading"`, "No reader has taken the quiz")
		day := cms.Day(time.Now())
		if err := e.DB.AddQuizResults(ctx, []cms.QuizResultCount{
			{Slug: cms.NapQuizSlug, Day: day, Band: "12-35", Result: cms.ResultWithin, Count: 3},
			{Slug: cms.NapQuizSlug, Day: day, Band: "0-3", Result: cms.ResultBelow, Count: 1},
		}); err != nil {
			t.Fatal(err)
		}
		p := b.Get(t, "/admin").MustStatus(t, 200)
		p.MustContain(t, `<strong class="quiz-total">4</strong> readers`, `svg class="quiz-chart"`, `data-band="12-35"`,
			`class="seg-within"`, `class="seg-below"`, "1–2 years: 3 within the range")
		if i := strings.Index(p.Body, `svg class="quiz-chart"`); i >= 0 {
			svg := p.Body[i:]
			svg = svg[:strings.Index(svg, "</svg>")]
			if strings.Contains(svg, "style=") {
				t.Errorf("the quiz chart has style attributes:\n%s", svg)
			}
		}
	})
}
