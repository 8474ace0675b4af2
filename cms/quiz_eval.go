package cms

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// QuizAnswers are one reader's answers to the Nap Quiz, by question id.
// Pointer fields tell a missing answer from a zero.
type QuizAnswers struct {
	AgeValue          *float64 `json:"ageValue"`
	AgeUnit           string   `json:"ageUnit"`  // "months" or "years"
	Bedtime           string   `json:"bedtime"`  // "HH:MM"
	WakeTime          string   `json:"wakeTime"` // "HH:MM"
	Naps              *float64 `json:"naps"`
	NapMinutes        *float64 `json:"napMinutes"`        // required when naps > 0
	NightWakings      *float64 `json:"nightWakings"`      // counted, not used in the total
	NightAwakeMinutes *float64 `json:"nightAwakeMinutes"` // optional; subtracted from the night
}

// QuizOutcome is the result of evaluating answers: the sleep totals, the
// band for the age, and the result that applies with her text.
type QuizOutcome struct {
	AgeMonths    int     // whole completed months
	NightMinutes int     // bedtime to wake-up, less the time awake at night
	NapMinutes   int     // all naps
	TotalMinutes int     // NightMinutes + NapMinutes
	TotalHours   float64 // TotalMinutes / 60, rounded to 0.01
	BandIndex    int     // into Quiz.Bands
	Band         QuizBand
	Result       string // ResultBelow, ResultWithin or ResultAbove
	Text         QuizResultText
}

// maxAnswerText bounds every string answer.
const maxAnswerText = 16

// Evaluate computes the outcome of answers against the quiz. It is pure
// and deterministic. The rules:
//
//   - Age: ageValue in ageUnit ("months" or "years"), from 0 to 18 years
//     (216 months); it is counted in whole completed months (floor), so
//     11.9 months is 11 months and 1.5 years is 18 months. A band covers
//     fromMonths to toMonths, both inclusive: with the default bands
//     0–3 months → "0–3 months", 4–11 → "4–11 months" (AASM's "4 to 12
//     months" ends at the first birthday), 12–35 → "1–2 years", 36–71 →
//     "3–5 years", 72–155 → "6–12 years", 156–216 → "13–18 years".
//   - Night: from bedtime to wake time on a 24-hour clock, across
//     midnight when the wake time is earlier (21:30 → 06:15 is 8 h 45 min;
//     00:30 → 07:00 is 6 h 30 min). Equal times are an error (a night of 0
//     or of 24 hours is not an answer). nightAwakeMinutes, when given, is
//     subtracted; it cannot exceed the night.
//   - Naps: napMinutes is the total of all naps (0 naps: 0 or omitted).
//   - The total (night + naps, whole minutes, rounded) is compared with
//     [minHours, maxHours] of the band, both ends inclusive: below, within
//     or above.
//
// Number answers must also lie within the min and max of their
// questions (the age's in months). Impossible or missing answers are
// KindInvalid naming each field:
// naps over 24 hours, night and naps over 24 hours, an age out of range,
// times that are not HH:MM.
func (q *Quiz) Evaluate(a *QuizAnswers) (QuizOutcome, error) {
	const op = "cms.Quiz.Evaluate"
	pr := Problems{}
	months := -1
	switch {
	case a.AgeValue == nil:
		pr.Add(QAgeValue, "Required.")
	case !quizFinite(*a.AgeValue) || *a.AgeValue < 0:
		pr.Add(QAgeValue, "Must be 0 or more.")
	}
	switch a.AgeUnit {
	case "months", "years":
		if a.AgeValue != nil && quizFinite(*a.AgeValue) && *a.AgeValue >= 0 {
			v := *a.AgeValue
			if a.AgeUnit == "years" {
				v *= 12
			}
			if v > MaxAgeMonths {
				pr.Add(QAgeValue, "The quiz is for children up to 18 years.")
			} else {
				months = int(math.Floor(v + 1e-9))
			}
		}
	case "":
		pr.Add(QAgeUnit, "Required: months or years.")
	default:
		pr.Add(QAgeUnit, "Must be months or years.")
	}
	bed, okBed := parseClock(pr, QBedtime, a.Bedtime)
	wake, okWake := parseClock(pr, QWakeTime, a.WakeTime)
	night := 0
	if okBed && okWake {
		if bed == wake {
			pr.Add(QWakeTime, "Must differ from the bedtime.")
		}
		night = ((wake-bed)%1440 + 1440) % 1440
	}
	naps := wholeAnswer(pr, QNaps, a.Naps, true, 0, 24)
	napMin := 0
	switch {
	case a.NapMinutes == nil:
		if naps > 0 {
			pr.Add(QNapMinutes, "Required when there are naps.")
		}
	case !quizFinite(*a.NapMinutes) || *a.NapMinutes < 0:
		pr.Add(QNapMinutes, "Must be 0 or more minutes.")
	case *a.NapMinutes > 1440:
		pr.Add(QNapMinutes, "Naps cannot add up to more than 24 hours.")
	default:
		napMin = int(math.Round(*a.NapMinutes))
		if naps == 0 && napMin > 0 && a.Naps != nil {
			pr.Add(QNapMinutes, "Must be 0 when there are no naps.")
		}
	}
	wholeAnswer(pr, QNightWakings, a.NightWakings, true, 0, 100)
	awake := 0
	if a.NightAwakeMinutes != nil {
		switch v := *a.NightAwakeMinutes; {
		case !quizFinite(v) || v < 0:
			pr.Add(QNightAwakeMinutes, "Must be 0 or more minutes.")
		case v > 1440:
			pr.Add(QNightAwakeMinutes, "Cannot be more than 24 hours.")
		default:
			awake = int(math.Round(v))
			if okBed && okWake && bed != wake && awake > night {
				pr.Add(QNightAwakeMinutes, "Cannot be longer than the night (bedtime to wake-up time).")
			}
		}
	}
	q.checkLimits(pr, a, months)
	if len(pr) == 0 && night-awake+napMin > 1440 {
		pr.Add(QNapMinutes, "Night sleep and naps add up to more than 24 hours.")
	}
	if err := pr.Err(op); err != nil {
		return QuizOutcome{}, err
	}
	bi := q.bandFor(months)
	if bi < 0 {
		return QuizOutcome{}, Problems{QAgeValue: "No age band covers this age."}.Err(op)
	}
	band := q.Bands[bi]
	out := QuizOutcome{AgeMonths: months, NightMinutes: night - awake, NapMinutes: napMin, BandIndex: bi, Band: band}
	out.TotalMinutes = out.NightMinutes + out.NapMinutes
	out.TotalHours = math.Round(float64(out.TotalMinutes)/60*100) / 100
	switch t := float64(out.TotalMinutes); {
	case t < band.MinHours*60:
		out.Result = ResultBelow
	case t > band.MaxHours*60:
		out.Result = ResultAbove
	default:
		out.Result = ResultWithin
	}
	out.Text = *q.Results.Text(out.Result)
	return out, nil
}

// checkLimits holds the number answers to the min and max she set on
// their questions (the age's limits are in months, whatever the unit).
func (q *Quiz) checkLimits(pr Problems, a *QuizAnswers, months int) {
	for _, c := range []struct {
		id string
		v  *float64
	}{{QNaps, a.Naps}, {QNapMinutes, a.NapMinutes}, {QNightWakings, a.NightWakings}, {QNightAwakeMinutes, a.NightAwakeMinutes}, {QAgeValue, nil}} {
		qu := q.Question(c.id)
		if qu == nil {
			continue
		}
		v := c.v
		if c.id == QAgeValue && months >= 0 {
			v = quizF64(float64(months))
		}
		if v == nil || !quizFinite(*v) {
			continue
		}
		unit := ""
		if qu.Unit != "" {
			unit = " " + qu.Unit
		}
		if c.id == QAgeValue {
			unit = " months"
		}
		if qu.Min != nil && *v < *qu.Min || qu.Max != nil && *v > *qu.Max {
			lo, hi := 0.0, math.Inf(1)
			if qu.Min != nil {
				lo = *qu.Min
			}
			if qu.Max != nil {
				hi = *qu.Max
			}
			pr.Add(c.id, fmt.Sprintf("Must be from %g to %g%s.", lo, hi, unit))
		}
	}
}

// bandFor returns the index of the band covering months, or -1.
func (q *Quiz) bandFor(months int) int {
	for i, b := range q.Bands {
		if b.FromMonths <= months && months <= b.ToMonths {
			return i
		}
	}
	return -1
}

// wholeAnswer checks a count answer: a whole number from lo to hi.
func wholeAnswer(pr Problems, field string, v *float64, required bool, lo, hi float64) int {
	switch {
	case v == nil:
		if required {
			pr.Add(field, "Required.")
		}
		return 0
	case !quizFinite(*v) || *v != math.Trunc(*v) || *v < lo || *v > hi:
		pr.Add(field, fmt.Sprintf("Must be a whole number from %g to %g.", lo, hi))
		return 0
	}
	return int(*v)
}

// parseClock reads "HH:MM" (00:00 to 23:59; "7:05" is accepted too) as
// minutes since midnight, recording a problem under field otherwise.
func parseClock(pr Problems, field, s string) (int, bool) {
	if s == "" {
		pr.Add(field, "Required (HH:MM).")
		return 0, false
	}
	if len(s) > maxAnswerText || !utf8.ValidString(s) {
		pr.Add(field, "Must be a time as HH:MM (24-hour clock).")
		return 0, false
	}
	h, m, ok := 0, 0, false
	switch {
	case len(s) == 5 && s[2] == ':':
		h, ok = digits2(s[0], s[1])
		if ok {
			m, ok = digits2(s[3], s[4])
		}
	case len(s) == 4 && s[1] == ':':
		h, ok = digits2('0', s[0])
		if ok {
			m, ok = digits2(s[2], s[3])
		}
	}
	if !ok || h > 23 || m > 59 {
		pr.Add(field, "Must be a time as HH:MM (24-hour clock).")
		return 0, false
	}
	return h*60 + m, true
}

func digits2(a, b byte) (int, bool) {
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, false
	}
	return int(a-'0')*10 + int(b-'0'), true
}
