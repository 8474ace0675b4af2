package cms

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// NapQuizSlug is the slug of the built-in sleep-needs quiz, which exists
// by default (see DefaultNapQuiz).
const NapQuizSlug = "nap-quiz"

// Limits of quiz texts, in characters.
const (
	MaxQuizTitleLen    = 120
	MaxQuizIntroLen    = 2000
	MaxQuizLabelLen    = 200
	MaxQuizHelpLen     = 500
	MaxQuizUnitLen     = 20
	MaxQuizBandNoteLen = 500
	MaxQuizResultLen   = 2000
	MaxQuizCTALabelLen = 60
	// MaxAgeMonths is the oldest age the quiz answers for: 18 years.
	MaxAgeMonths = 18 * 12
)

// QuestionType is how a quiz question is answered.
type QuestionType string

// Question types.
const (
	QuestionNumber QuestionType = "number" // a JSON number
	QuestionTime   QuestionType = "time"   // "HH:MM", 24-hour clock
	QuestionChoice QuestionType = "choice" // one of Choices' values
)

// QuizQuestion is one question of the form. The ids and types of the Nap
// Quiz's questions are fixed (the evaluation reads the answers by id); the
// wording, help text, unit and limits are hers to edit.
type QuizQuestion struct {
	ID       string       `json:"id"`
	Type     QuestionType `json:"type"`
	Label    string       `json:"label"`
	Help     string       `json:"help"`
	Unit     string       `json:"unit,omitempty"`
	Min      *float64     `json:"min,omitempty"`
	Max      *float64     `json:"max,omitempty"`
	Required bool         `json:"required"`
	Choices  []QuizChoice `json:"choices,omitempty"`
}

// QuizChoice is one answer of a choice question.
type QuizChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// QuizBand is one age band: the recommended total sleep per 24 hours for
// ages FromMonths to ToMonths (whole completed months, both inclusive).
type QuizBand struct {
	Label       string   `json:"label"` // e.g. "1–2 years"
	FromMonths  int      `json:"fromMonths"`
	ToMonths    int      `json:"toMonths"`
	MinHours    float64  `json:"minHours"`
	MaxHours    float64  `json:"maxHours"`
	Notes       string   `json:"notes"`       // e.g. typical nap counts
	CitationIDs []string `json:"citationIds"` // sources, from the reference library
}

// Key identifies the band in the anonymous result counts: "12-35".
func (b QuizBand) Key() string { return fmt.Sprintf("%d-%d", b.FromMonths, b.ToMonths) }

// QuizCTA is a call to action shown with a result. A result without a
// URL of its own shows the site's call to action (see ResultCTA).
type QuizCTA struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// legacyQuizCTAURL is the placeholder link the built-in quiz's results
// carried before they took the site's call to action; a quiz saved with
// it from the panel is treated as having no link of its own, so that no
// reader is sent to example.com.
const legacyQuizCTAURL = "https://example.com/book"

// ResultCTA returns the call to action shown with a result whose own is
// own: own when it has a URL, else the site's button (its label, else its
// heading, else "Book a consultation"), nil when the site has no URL
// either.
func ResultCTA(own QuizCTA, site CallToAction) *QuizCTA {
	if own.URL != "" && own.URL != legacyQuizCTAURL {
		return &own
	}
	if site.URL == "" {
		return nil
	}
	return &QuizCTA{Label: cmp.Or(site.ButtonLabel, site.Heading, defaultCTALabel), URL: site.URL}
}

// QuizResultText is her wording of one result, with its call to action.
type QuizResultText struct {
	Title string  `json:"title"`
	Text  string  `json:"text"`
	CTA   QuizCTA `json:"cta"`
}

// Result keys: how a child's total sleep compares to the band's range.
const (
	ResultBelow  = "below"
	ResultWithin = "within"
	ResultAbove  = "above"
)

// QuizResults holds the three result texts.
type QuizResults struct {
	Below  QuizResultText `json:"below"`
	Within QuizResultText `json:"within"`
	Above  QuizResultText `json:"above"`
}

// Text returns the text of result key (ResultBelow, ...).
func (r *QuizResults) Text(key string) *QuizResultText {
	switch key {
	case ResultBelow:
		return &r.Below
	case ResultAbove:
		return &r.Above
	}
	return &r.Within
}

// Quiz is a quiz she owns and edits: the form, the age bands and her
// results. It is stored whole, as one small document keyed by slug.
type Quiz struct {
	Slug      string         `json:"slug"`
	Title     string         `json:"title"`
	Intro     string         `json:"intro"`
	Questions []QuizQuestion `json:"questions"`
	Bands     []QuizBand     `json:"bands"`
	Results   QuizResults    `json:"results"`
	Version   int            `json:"version"` // 0: the built-in default, never saved
	CreatedAt time.Time      `json:"createdAt"`
	UpdatedAt time.Time      `json:"updatedAt"`
}

// The question ids of the Nap Quiz, which QuizAnswers mirrors.
const (
	QAgeValue          = "ageValue"
	QAgeUnit           = "ageUnit"
	QBedtime           = "bedtime"
	QWakeTime          = "wakeTime"
	QNaps              = "naps"
	QNapMinutes        = "napMinutes"
	QNightWakings      = "nightWakings"
	QNightAwakeMinutes = "nightAwakeMinutes"
)

// napQuestion is a fixed part of a Nap Quiz question: what she cannot
// change, and the hard bounds of what she can.
type napQuestion struct {
	id       string
	typ      QuestionType
	required bool
	lo, hi   float64 // bounds for Min and Max (number questions)
}

var napQuestions = []napQuestion{
	{QAgeValue, QuestionNumber, true, 0, MaxAgeMonths},
	{QAgeUnit, QuestionChoice, true, 0, 0},
	{QBedtime, QuestionTime, true, 0, 0},
	{QWakeTime, QuestionTime, true, 0, 0},
	{QNaps, QuestionNumber, true, 0, 12},
	{QNapMinutes, QuestionNumber, false, 0, 1440},
	{QNightWakings, QuestionNumber, true, 0, 50},
	{QNightAwakeMinutes, QuestionNumber, false, 0, 1440},
}

func quizF64(v float64) *float64 { return &v }

// DefaultNapQuiz returns the built-in Nap Quiz (Version 0). Its bands
// are the published consensus recommendations: NSF 2015 (Hirshkowitz et
// al.) for 0–3 months, AASM 2016 (Paruthi et al.) for 4 months to 18
// years; they cite the references of the library with the keys
// hirshkowitz2015 and paruthi2016 when cites holds them. Its results have
// no link of their own: they show the site's call to action.
func DefaultNapQuiz(cites []*Citation) *Quiz {
	ids := func(key string) []string {
		for _, c := range cites {
			if c.Key == key {
				return []string{c.ID}
			}
		}
		return []string{}
	}
	nsf, aasm := ids("hirshkowitz2015"), ids("paruthi2016")
	return &Quiz{
		Slug:  NapQuizSlug,
		Title: "Is my child getting enough sleep?",
		Intro: "Answer a few quick questions about a typical day and night. We compare your child's total sleep in 24 hours with the ranges sleep scientists recommend for their age. Nothing you enter is stored.",
		Questions: []QuizQuestion{
			{ID: QAgeValue, Type: QuestionNumber, Label: "How old is your child?", Help: "In months for babies under 2 years, in years after.", Min: quizF64(0), Max: quizF64(MaxAgeMonths), Required: true},
			{ID: QAgeUnit, Type: QuestionChoice, Label: "Age in", Help: "", Required: true,
				Choices: []QuizChoice{{Value: "months", Label: "months"}, {Value: "years", Label: "years"}}},
			{ID: QBedtime, Type: QuestionTime, Label: "Usual bedtime", Help: "When your child falls asleep for the night, on a typical day (24-hour clock, e.g. 19:30).", Required: true},
			{ID: QWakeTime, Type: QuestionTime, Label: "Usual wake-up time", Help: "When the night ends and the day begins (e.g. 06:30).", Required: true},
			{ID: QNaps, Type: QuestionNumber, Label: "How many naps a day?", Help: "0 if your child no longer naps.", Unit: "naps", Min: quizF64(0), Max: quizF64(8), Required: true},
			{ID: QNapMinutes, Type: QuestionNumber, Label: "Total length of all naps", Help: "Add the naps of a typical day together.", Unit: "minutes", Min: quizF64(0), Max: quizF64(720)},
			{ID: QNightWakings, Type: QuestionNumber, Label: "How often does your child wake at night?", Help: "On a typical night.", Unit: "times", Min: quizF64(0), Max: quizF64(20), Required: true},
			{ID: QNightAwakeMinutes, Type: QuestionNumber, Label: "Time awake at night, all wakings together (optional)", Help: "If you know it, we subtract it from the night.", Unit: "minutes", Min: quizF64(0), Max: quizF64(600)},
		},
		Bands: []QuizBand{
			{Label: "0–3 months", FromMonths: 0, ToMonths: 3, MinHours: 14, MaxHours: 17, Notes: "Newborns sleep around the clock in short stretches; naps are not yet regular.", CitationIDs: nsf},
			{Label: "4–11 months", FromMonths: 4, ToMonths: 11, MinHours: 12, MaxHours: 16, Notes: "Usually 3 naps around 4–6 months, 2 naps from about 7–8 months.", CitationIDs: aasm},
			{Label: "1–2 years", FromMonths: 12, ToMonths: 35, MinHours: 11, MaxHours: 14, Notes: "Usually 2 naps until about 15–18 months, then 1.", CitationIDs: aasm},
			{Label: "3–5 years", FromMonths: 36, ToMonths: 71, MinHours: 10, MaxHours: 13, Notes: "Many children drop their last nap between 3 and 5.", CitationIDs: aasm},
			{Label: "6–12 years", FromMonths: 72, ToMonths: 155, MinHours: 9, MaxHours: 12, Notes: "No naps; sleep happens at night.", CitationIDs: aasm},
			{Label: "13–18 years", FromMonths: 156, ToMonths: MaxAgeMonths, MinHours: 8, MaxHours: 10, Notes: "Teenagers' body clocks shift later.", CitationIDs: aasm},
		},
		Results: QuizResults{
			Below:  QuizResultText{Title: "Less sleep than recommended", Text: "Your child sleeps less than the range recommended for their age. Small changes to the schedule often help; let's find yours together."},
			Within: QuizResultText{Title: "Right in the recommended range", Text: "Your child's total sleep is within the range recommended for their age. If nights still feel hard, I can help with the how."},
			Above:  QuizResultText{Title: "More sleep than the usual range", Text: "Your child sleeps more than the range recommended for their age. That is often fine; if you are unsure, ask your paediatrician or book a call."},
		},
	}
}

// Clone returns a deep copy of q.
func (q *Quiz) Clone() *Quiz {
	c := *q
	c.Questions = make([]QuizQuestion, len(q.Questions))
	for i, qu := range q.Questions {
		if qu.Min != nil {
			qu.Min = quizF64(*qu.Min)
		}
		if qu.Max != nil {
			qu.Max = quizF64(*qu.Max)
		}
		qu.Choices = append([]QuizChoice(nil), qu.Choices...)
		c.Questions[i] = qu
	}
	c.Bands = make([]QuizBand, len(q.Bands))
	for i, b := range q.Bands {
		b.CitationIDs = append([]string{}, b.CitationIDs...)
		c.Bands[i] = b
	}
	return &c
}

// Question returns the question with the id, or nil.
func (q *Quiz) Question(id string) *QuizQuestion {
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i]
		}
	}
	return nil
}

// quizText checks one text field: required (or not), UTF-8, at most max
// characters, no control characters but line breaks when multiline.
func quizText(pr Problems, field, s string, max int, required, multiline bool) {
	switch {
	case !utf8.ValidString(s):
		pr.Add(field, "Must be valid UTF-8 text.")
	case required && strings.TrimSpace(s) == "":
		pr.Add(field, "Required.")
	case utf8.RuneCountInString(s) > max:
		pr.Add(field, fmt.Sprintf("Must be at most %d characters.", max))
	default:
		for _, r := range s {
			if r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t')) || r == 0x7f {
				pr.Add(field, "Must not contain control characters.")
				return
			}
		}
	}
}

// Validate checks the whole quiz and returns a KindInvalid error naming
// every bad field with the API's names ("bands[2].maxHours",
// "questions[0].label", "results.below.cta.url"). The bands must be sorted
// by age, not overlap, and cover 0 to 18 years (216 months) without gaps;
// each range must have 0 ≤ minHours ≤ maxHours ≤ 24. The Nap Quiz's
// questions keep their ids, types and order.
func (q *Quiz) Validate() error {
	pr := Problems{}
	quizText(pr, "title", q.Title, MaxQuizTitleLen, true, false)
	quizText(pr, "intro", q.Intro, MaxQuizIntroLen, false, true)
	q.validateQuestions(pr)
	q.validateBands(pr)
	for _, k := range []string{ResultBelow, ResultWithin, ResultAbove} {
		r := q.Results.Text(k)
		f := "results." + k
		quizText(pr, f+".title", r.Title, MaxQuizTitleLen, true, false)
		quizText(pr, f+".text", r.Text, MaxQuizResultLen, true, true)
		quizText(pr, f+".cta.label", r.CTA.Label, MaxQuizCTALabelLen, r.CTA.URL != "", false)
		if r.CTA.URL != "" {
			if msg := URLProblem(r.CTA.URL); msg != "" {
				pr.Add(f+".cta.url", msg)
			}
		}
		if r.CTA.URL == "" && r.CTA.Label != "" {
			pr.Add(f+".cta.url", "Required with a label.")
		}
	}
	return pr.Err("cms.Quiz.Validate")
}

func (q *Quiz) validateQuestions(pr Problems) {
	if q.Slug != NapQuizSlug {
		return
	}
	if len(q.Questions) != len(napQuestions) {
		pr.Add("questions", fmt.Sprintf("The Nap Quiz has exactly %d questions.", len(napQuestions)))
		return
	}
	for i, fixed := range napQuestions {
		qu := &q.Questions[i]
		f := fmt.Sprintf("questions[%d]", i)
		if qu.ID != fixed.id {
			pr.Add(f+".id", fmt.Sprintf("Must be %q (the questions keep their ids and order).", fixed.id))
			continue
		}
		if qu.Type != fixed.typ {
			pr.Add(f+".type", fmt.Sprintf("Must be %q.", fixed.typ))
		}
		if qu.Required != fixed.required {
			pr.Add(f+".required", fmt.Sprintf("Must be %t for this question.", fixed.required))
		}
		quizText(pr, f+".label", qu.Label, MaxQuizLabelLen, true, false)
		quizText(pr, f+".help", qu.Help, MaxQuizHelpLen, false, true)
		quizText(pr, f+".unit", qu.Unit, MaxQuizUnitLen, false, false)
		if fixed.typ == QuestionNumber {
			if qu.Min == nil || !quizFinite(*qu.Min) || *qu.Min < fixed.lo || *qu.Min > fixed.hi {
				pr.Add(f+".min", fmt.Sprintf("Must be a number from %g to %g.", fixed.lo, fixed.hi))
			}
			if qu.Max == nil || !quizFinite(*qu.Max) || *qu.Max < fixed.lo || *qu.Max > fixed.hi {
				pr.Add(f+".max", fmt.Sprintf("Must be a number from %g to %g.", fixed.lo, fixed.hi))
			} else if qu.Min != nil && *qu.Max < *qu.Min {
				pr.Add(f+".max", "Must not be less than min.")
			}
		} else if qu.Min != nil || qu.Max != nil {
			pr.Add(f+".min", "Only number questions have limits.")
		}
		if fixed.typ == QuestionChoice {
			if len(qu.Choices) != 2 || qu.Choices[0].Value != "months" || qu.Choices[1].Value != "years" {
				pr.Add(f+".choices", `The age unit's choices are "months" and "years", in this order.`)
			}
			for j, c := range qu.Choices {
				quizText(pr, fmt.Sprintf("%s.choices[%d].label", f, j), c.Label, MaxQuizUnitLen, true, false)
			}
		} else if len(qu.Choices) > 0 {
			pr.Add(f+".choices", "Only choice questions have choices.")
		}
	}
}

func (q *Quiz) validateBands(pr Problems) {
	if len(q.Bands) == 0 || len(q.Bands) > 24 {
		pr.Add("bands", "Give 1 to 24 age bands covering 0 to 18 years.")
		return
	}
	next := 0 // the month the next band must start at
	for i, b := range q.Bands {
		f := fmt.Sprintf("bands[%d]", i)
		quizText(pr, f+".label", b.Label, MaxQuizUnitLen*2, true, false)
		quizText(pr, f+".notes", b.Notes, MaxQuizBandNoteLen, false, true)
		switch {
		case b.FromMonths != next && i == 0:
			pr.Add(f+".fromMonths", "The first band must start at 0 months.")
		case b.FromMonths > next:
			pr.Add(f+".fromMonths", fmt.Sprintf("Leaves a gap: must be %d (the month after the previous band ends).", next))
		case b.FromMonths < next:
			pr.Add(f+".fromMonths", fmt.Sprintf("Overlaps the previous band: must be %d.", next))
		}
		switch {
		case b.ToMonths < b.FromMonths:
			pr.Add(f+".toMonths", "Must not be less than fromMonths.")
		case b.ToMonths > MaxAgeMonths:
			pr.Add(f+".toMonths", fmt.Sprintf("Must be at most %d (18 years).", MaxAgeMonths))
		case i == len(q.Bands)-1 && b.ToMonths != MaxAgeMonths:
			pr.Add(f+".toMonths", fmt.Sprintf("The last band must end at %d months (18 years).", MaxAgeMonths))
		}
		next = b.ToMonths + 1
		okMin := quizFinite(b.MinHours) && b.MinHours >= 0 && b.MinHours <= 24
		okMax := quizFinite(b.MaxHours) && b.MaxHours >= 0 && b.MaxHours <= 24
		if !okMin {
			pr.Add(f+".minHours", "Must be a number of hours from 0 to 24.")
		}
		if !okMax {
			pr.Add(f+".maxHours", "Must be a number of hours from 0 to 24.")
		}
		if okMin && okMax && b.MinHours > b.MaxHours {
			pr.Add(f+".maxHours", "Must not be less than minHours.")
		}
		if len(b.CitationIDs) > 20 {
			pr.Add(f+".citationIds", "At most 20 sources.")
		}
		for j, id := range b.CitationIDs {
			if !quizValidID(id) {
				pr.Add(fmt.Sprintf("%s.citationIds[%d]", f, j), "Must be a reference id.")
			}
		}
	}
}

func quizFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// quizValidID reports whether s looks like a domain id (24 hex digits).
func quizValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
