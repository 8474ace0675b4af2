package cms_test

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// answers builds a complete answer set: age, bedtime, wake time, naps and
// their total minutes, one night waking.
func answers(age float64, unit, bed, wake string, naps, napMin float64) *cms.QuizAnswers {
	one := 1.0
	a := &cms.QuizAnswers{AgeValue: &age, AgeUnit: unit, Bedtime: bed, WakeTime: wake, Naps: &naps, NightWakings: &one}
	if naps > 0 || napMin > 0 {
		a.NapMinutes = &napMin
	}
	return a
}

func with(a *cms.QuizAnswers, edit func(*cms.QuizAnswers)) *cms.QuizAnswers {
	edit(a)
	return a
}

func fp(v float64) *float64 { return &v }

// TestQuizEvaluate runs answer sets across every default band and edge
// case; each states the expected total (minutes), band and result, or the
// field an impossible answer is rejected on.
func TestQuizEvaluate(t *testing.T) {
	q := cms.DefaultNapQuiz(nil)
	tests := []struct {
		name     string
		a        *cms.QuizAnswers
		total    int    // minutes
		band     string // label
		result   string
		errField string
	}{
		// 0–3 months: 14–17 h (840–1020 min).
		{"Newborn0MonthsAtMaxIsWithin", answers(0, "months", "20:00", "08:00", 4, 300), 1020, "0–3 months", "within", ""},
		{"2MonthsAtMinIsWithin", answers(2, "months", "20:00", "07:00", 4, 180), 840, "0–3 months", "within", ""},
		{"3MonthsBelow", answers(3, "months", "21:00", "06:00", 3, 240), 780, "0–3 months", "below", ""},
		{"3MonthsAbove", answers(3, "months", "19:00", "07:00", 4, 330), 1050, "0–3 months", "above", ""},
		{"3Point9MonthsCountsAs3", answers(3.9, "months", "19:00", "07:00", 3, 180), 900, "0–3 months", "within", ""},
		{"NoonBedtimeNewbornAbove", answers(1, "months", "12:00", "06:00", 0, 0), 1080, "0–3 months", "above", ""},
		{"NightOf23h59Allowed", answers(0, "months", "00:00", "23:59", 0, 0), 1439, "0–3 months", "above", ""},
		// 4–11 months: 12–16 h (720–960 min).
		{"4MonthsWithin", answers(4, "months", "20:00", "06:00", 3, 150), 750, "4–11 months", "within", ""},
		{"4MonthsAcrossMidnightExample", answers(4, "months", "21:30", "06:15", 2, 120), 645, "4–11 months", "below", ""},
		{"11MonthsWithin", answers(11, "months", "19:00", "07:00", 2, 150), 870, "4–11 months", "within", ""},
		{"11Point99MonthsStillBand2NoNaps", answers(11.99, "months", "19:30", "06:30", 0, 0), 660, "4–11 months", "below", ""},
		{"8MonthsAwakeSubtracted", with(answers(8, "months", "19:00", "07:00", 2, 120), func(a *cms.QuizAnswers) { a.NightAwakeMinutes = fp(60); a.NightWakings = fp(3) }), 780, "4–11 months", "within", ""},
		{"8MonthsAwakeMakesBelow", with(answers(8, "months", "19:00", "07:00", 1, 60), func(a *cms.QuizAnswers) { a.NightAwakeMinutes = fp(120) }), 660, "4–11 months", "below", ""},
		{"10MonthsNapMinutesRounded", answers(10, "months", "20:00", "06:00", 2, 89.6), 690, "4–11 months", "below", ""},
		{"6MonthsAbove", answers(6, "months", "18:00", "07:00", 3, 240), 1020, "4–11 months", "above", ""},
		// 1–2 years: 11–14 h (660–840 min).
		{"12MonthsIsBand3AtMin", answers(12, "months", "19:30", "06:30", 0, 0), 660, "1–2 years", "within", ""},
		{"1YearInYears", answers(1, "years", "20:00", "07:00", 1, 120), 780, "1–2 years", "within", ""},
		{"18MonthsBelow", answers(18, "months", "22:00", "06:00", 1, 90), 570, "1–2 years", "below", ""},
		{"2YearsAbove", answers(2, "years", "19:00", "07:00", 1, 150), 870, "1–2 years", "above", ""},
		{"35MonthsWithin", answers(35, "months", "19:00", "06:00", 1, 60), 720, "1–2 years", "within", ""},
		{"2Point99YearsIs35Months", answers(2.99, "years", "20:00", "06:00", 0, 0), 600, "1–2 years", "below", ""},
		{"1Point5YearsIs18MonthsAtMax", answers(1.5, "years", "19:00", "07:00", 1, 120), 840, "1–2 years", "within", ""},
		// 3–5 years: 10–13 h (600–780 min).
		{"3YearsAtMin", answers(3, "years", "20:00", "06:00", 0, 0), 600, "3–5 years", "within", ""},
		{"36MonthsWithNap", answers(36, "months", "19:30", "07:00", 1, 60), 750, "3–5 years", "within", ""},
		{"4YearsNapMinutesOmitted", answers(4, "years", "19:30", "07:00", 0, 0), 690, "3–5 years", "within", ""},
		{"5YearsAtMax", answers(5, "years", "19:00", "07:00", 1, 60), 780, "3–5 years", "within", ""},
		{"5YearsAbove", answers(5, "years", "19:00", "07:00", 1, 90), 810, "3–5 years", "above", ""},
		{"71MonthsBelow", answers(71, "months", "21:00", "06:30", 0, 0), 570, "3–5 years", "below", ""},
		// 6–12 years: 9–12 h (540–720 min).
		{"6YearsIsBand5", answers(6, "years", "20:00", "06:00", 0, 0), 600, "6–12 years", "within", ""},
		{"6YearsBelow", answers(6, "years", "22:00", "06:30", 0, 0), 510, "6–12 years", "below", ""},
		{"12YearsWithin", answers(12, "years", "21:00", "07:00", 0, 0), 600, "6–12 years", "within", ""},
		{"12Point99YearsAbove", answers(12.99, "years", "20:00", "08:30", 0, 0), 750, "6–12 years", "above", ""},
		{"SingleDigitHourAtMax", answers(8, "years", "19:05", "7:05", 0, 0), 720, "6–12 years", "within", ""},
		// 13–18 years: 8–10 h (480–600 min).
		{"13YearsAtMin", answers(13, "years", "23:00", "07:00", 0, 0), 480, "13–18 years", "within", ""},
		{"13YearsBedtimeAfterMidnight", answers(13, "years", "00:30", "07:00", 0, 0), 390, "13–18 years", "below", ""},
		{"15YearsLateSleeperAbove", answers(15, "years", "01:00", "11:30", 0, 0), 630, "13–18 years", "above", ""},
		{"17YearsAtMax", answers(17, "years", "22:30", "08:30", 0, 0), 600, "13–18 years", "within", ""},
		{"18YearsExactlyBelow", answers(18, "years", "23:00", "06:30", 0, 0), 450, "13–18 years", "below", ""},
		{"216MonthsWithin", answers(216, "months", "22:00", "07:00", 0, 0), 540, "13–18 years", "within", ""},
		{"14YearsMinuteBeforeMidnight", answers(14, "years", "23:59", "06:59", 0, 0), 420, "13–18 years", "below", ""},
		// Impossible and missing answers.
		{"ErrMissingAge", with(answers(0, "months", "20:00", "06:00", 0, 0), func(a *cms.QuizAnswers) { a.AgeValue = nil }), 0, "", "", "ageValue"},
		{"ErrNegativeAge", answers(-1, "months", "20:00", "06:00", 0, 0), 0, "", "", "ageValue"},
		{"ErrAge19Years", answers(19, "years", "20:00", "06:00", 0, 0), 0, "", "", "ageValue"},
		{"ErrAge217Months", answers(217, "months", "20:00", "06:00", 0, 0), 0, "", "", "ageValue"},
		{"ErrUnitWeeks", answers(8, "weeks", "20:00", "06:00", 0, 0), 0, "", "", "ageUnit"},
		{"ErrMissingUnit", answers(8, "", "20:00", "06:00", 0, 0), 0, "", "", "ageUnit"},
		{"ErrBedtimeNotATime", answers(8, "months", "7pm", "06:00", 0, 0), 0, "", "", "bedtime"},
		{"ErrWake24", answers(8, "months", "20:00", "24:00", 0, 0), 0, "", "", "wakeTime"},
		{"ErrBedtime60Minutes", answers(8, "months", "19:60", "06:00", 0, 0), 0, "", "", "bedtime"},
		{"ErrMissingWake", answers(8, "months", "19:00", "", 0, 0), 0, "", "", "wakeTime"},
		{"ErrEqualTimes", answers(8, "months", "19:00", "19:00", 0, 0), 0, "", "", "wakeTime"},
		{"ErrNapsOver24h", answers(8, "months", "19:00", "07:00", 3, 1500), 0, "", "", "napMinutes"},
		{"ErrNightPlusNapsOver24h", answers(2, "months", "20:00", "08:00", 5, 800), 0, "", "", "napMinutes"},
		{"ErrNapsWithoutMinutes", with(answers(8, "months", "19:00", "07:00", 2, 0), func(a *cms.QuizAnswers) { a.NapMinutes = nil }), 0, "", "", "napMinutes"},
		{"ErrNoNapsButMinutes", answers(5, "years", "19:00", "07:00", 0, 60), 0, "", "", "napMinutes"},
		{"ErrFractionalNaps", answers(8, "months", "19:00", "07:00", 1.5, 90), 0, "", "", "naps"},
		{"ErrNegativeNaps", answers(8, "months", "19:00", "07:00", -1, 0), 0, "", "", "naps"},
		{"ErrMissingNaps", with(answers(8, "months", "19:00", "07:00", 0, 0), func(a *cms.QuizAnswers) { a.Naps = nil }), 0, "", "", "naps"},
		{"ErrMissingNightWakings", with(answers(8, "months", "19:00", "07:00", 0, 0), func(a *cms.QuizAnswers) { a.NightWakings = nil }), 0, "", "", "nightWakings"},
		{"ErrAwakeLongerThanNight", with(answers(8, "months", "19:00", "07:00", 0, 0), func(a *cms.QuizAnswers) { a.NightAwakeMinutes = fp(800) }), 0, "", "", "nightAwakeMinutes"},
		{"ErrNapsOverQuestionMax", answers(8, "months", "19:00", "07:00", 9, 180), 0, "", "", "naps"},
		{"ErrWakingsOverQuestionMax", with(answers(8, "months", "19:00", "07:00", 2, 120), func(a *cms.QuizAnswers) { a.NightWakings = fp(21) }), 0, "", "", "nightWakings"},
		{"ErrHugeBedtimeString", answers(8, "months", strings.Repeat("x", 10<<10), "07:00", 0, 0), 0, "", "", "bedtime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := q.Evaluate(tt.a)
			if tt.errField != "" {
				if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)[tt.errField] == "" {
					t.Fatalf("err = %v, want Invalid naming %s", err, tt.errField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.TotalMinutes != tt.total || out.Band.Label != tt.band || out.Result != tt.result {
				t.Errorf("got total %d, band %q, result %s; want %d, %q, %s", out.TotalMinutes, out.Band.Label, out.Result, tt.total, tt.band, tt.result)
			}
			if want := q.Results.Text(tt.result).Text; out.Text.Text != want {
				t.Errorf("text = %q, want %q", out.Text.Text, want)
			}
			if out.TotalHours*60 < float64(out.TotalMinutes)-1 || out.TotalHours*60 > float64(out.TotalMinutes)+1 {
				t.Errorf("totalHours %v does not match %d minutes", out.TotalHours, out.TotalMinutes)
			}
		})
	}
	if len(tests) < 40 {
		t.Errorf("only %d answer sets", len(tests))
	}
}

// TestQuizEvaluateEditedBands evaluates with bands and texts as she edits
// them.
func TestQuizEvaluateEditedBands(t *testing.T) {
	q := cms.DefaultNapQuiz(nil)
	q.Bands[2].MaxHours = 13
	q.Results.Above.Text = "A bit more than most."
	out, err := q.Evaluate(answers(2, "years", "19:00", "07:00", 1, 90)) // 810 min = 13.5 h
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != cms.ResultAbove || out.Text.Text != "A bit more than most." || out.TotalHours != 13.5 {
		t.Errorf("got %s %q %v, want above, her text, 13.5", out.Result, out.Text.Text, out.TotalHours)
	}
}

func TestQuizValidate(t *testing.T) {
	if err := cms.DefaultNapQuiz(nil).Validate(); err != nil {
		t.Fatalf("default quiz: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(q *cms.Quiz)
		field string
	}{
		{"ErrMinAboveMax", func(q *cms.Quiz) { q.Bands[2].MaxHours = 10 }, "bands[2].maxHours"},
		{"ErrHoursOver24", func(q *cms.Quiz) { q.Bands[1].MaxHours = 25 }, "bands[1].maxHours"},
		{"ErrNegativeHours", func(q *cms.Quiz) { q.Bands[0].MinHours = -1 }, "bands[0].minHours"},
		{"ErrGap", func(q *cms.Quiz) { q.Bands[3].FromMonths = 37 }, "bands[3].fromMonths"},
		{"ErrOverlap", func(q *cms.Quiz) { q.Bands[1].FromMonths = 3 }, "bands[1].fromMonths"},
		{"ErrNotFromZero", func(q *cms.Quiz) { q.Bands[0].FromMonths = 1 }, "bands[0].fromMonths"},
		{"ErrNotTo18Years", func(q *cms.Quiz) { q.Bands[5].ToMonths = 200 }, "bands[5].toMonths"},
		{"ErrUnsorted", func(q *cms.Quiz) { q.Bands[1], q.Bands[2] = q.Bands[2], q.Bands[1] }, "bands[1].fromMonths"},
		{"ErrNoBands", func(q *cms.Quiz) { q.Bands = nil }, "bands"},
		{"ErrBadCitationID", func(q *cms.Quiz) { q.Bands[1].CitationIDs = []string{"nope"} }, "bands[1].citationIds[0]"},
		{"ErrLongNotes", func(q *cms.Quiz) { q.Bands[1].Notes = strings.Repeat("n", cms.MaxQuizBandNoteLen+1) }, "bands[1].notes"},
		{"ErrTitleRequired", func(q *cms.Quiz) { q.Title = " " }, "title"},
		{"ErrLongIntro", func(q *cms.Quiz) { q.Intro = strings.Repeat("i", cms.MaxQuizIntroLen+1) }, "intro"},
		{"ErrLongResultText", func(q *cms.Quiz) { q.Results.Below.Text = strings.Repeat("t", cms.MaxQuizResultLen+1) }, "results.below.text"},
		{"ErrCTANotHTTP", func(q *cms.Quiz) { q.Results.Within.CTA.URL = "javascript:alert(1)" }, "results.within.cta.url"},
		{"ErrCTALabelWithoutURL", func(q *cms.Quiz) { q.Results.Above.CTA = cms.QuizCTA{Label: "Book a call"} }, "results.above.cta.url"},
		{"ErrQuestionRenamed", func(q *cms.Quiz) { q.Questions[2].ID = "bed" }, "questions[2].id"},
		{"ErrQuestionRetyped", func(q *cms.Quiz) { q.Questions[4].Type = cms.QuestionTime }, "questions[4].type"},
		{"ErrQuestionLabelRequired", func(q *cms.Quiz) { q.Questions[0].Label = "" }, "questions[0].label"},
		{"ErrQuestionMaxOutOfBounds", func(q *cms.Quiz) { q.Questions[4].Max = fp(99) }, "questions[4].max"},
		{"ErrQuestionMissing", func(q *cms.Quiz) { q.Questions = q.Questions[:7] }, "questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := cms.DefaultNapQuiz(nil)
			tt.edit(q)
			err := q.Validate()
			if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("err = %v, want Invalid naming %s", err, tt.field)
			}
		})
	}
}

func BenchmarkQuizEvaluate(b *testing.B) {
	q := cms.DefaultNapQuiz(nil)
	a := with(answers(8, "months", "19:30", "06:45", 2, 150), func(a *cms.QuizAnswers) { a.NightAwakeMinutes = fp(30) })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.Evaluate(a); err != nil {
			b.Fatal(err)
		}
	}
}
