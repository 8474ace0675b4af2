package admin

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The quizzes of the admin JSON API: read and replace a quiz's definition,
// read its anonymous result counts, and preview the result of answers
// against the saved quiz or an unsaved draft. The HTML screen is
// panel_quiz.go.

// Defaults and limits of the quiz endpoints.
const (
	quizStatsDays    = 30   // the default window of /stats and of the dashboard
	maxQuizStatsDays = 3660 // as cms.QuizStats
)

// handleQuizGet returns a quiz's whole definition as she edits it (any
// logged-in user); the built-in Nap Quiz exists from the first read.
func (a *Admin) handleQuizGet(c *fiber.Ctx) error {
	q, err := a.svc.GetQuiz(c.UserContext(), param(c, "slug"))
	if err != nil {
		return err
	}
	return ok(c, q)
}

// handleQuizUpdate replaces a quiz's definition (whole, "version"
// required): 400 naming fields such as "bands[2].maxHours", 409 on a stale
// version. The public API evaluates with the new definition at once.
func (a *Admin) handleQuizUpdate(c *fiber.Ctx) error {
	var in cms.QuizInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := a.svc.UpdateQuiz(c.UserContext(), actor(c), param(c, "slug"), in)
	if err != nil {
		return err
	}
	return ok(c, q)
}

// handleQuizStats returns how many readers took the quiz over the last
// ?days= days (default 30, at most 3660) and the spread of their results,
// overall, by band and by day.
func (a *Admin) handleQuizStats(c *fiber.Ctx) error {
	q := newQuery(c)
	days := q.positive("days")
	if err := q.err(); err != nil {
		return err
	}
	if days == 0 {
		days = quizStatsDays
	}
	if days > maxQuizStatsDays {
		return invalid("admin.quizStats", "days", "Must be a whole number from 1 to 3660.")
	}
	s, err := a.quizSummary(c.UserContext(), param(c, "slug"), days)
	if err != nil {
		return err
	}
	return ok(c, s)
}

// quizCounts is how many readers got each result.
type quizCounts struct {
	Below  int64 `json:"below"`
	Within int64 `json:"within"`
	Above  int64 `json:"above"`
}

func (n *quizCounts) add(result string, count int64) {
	switch result {
	case cms.ResultBelow:
		n.Below += count
	case cms.ResultAbove:
		n.Above += count
	default:
		n.Within += count
	}
}

// Total is the sum of the three.
func (n quizCounts) Total() int64 { return n.Below + n.Within + n.Above }

// quizBandSummary is the spread of results in one age band.
type quizBandSummary struct {
	Key     string     `json:"key"` // cms.QuizBand.Key(), e.g. "12-35"
	Label   string     `json:"label"`
	Total   int64      `json:"total"`
	Results quizCounts `json:"results"`
}

// quizSummary is the body of GET /quizzes/{slug}/stats: readers who took
// the quiz over the window, the spread of their results overall and by
// band (the quiz's bands in order, then any older band that still has
// counts), and the daily counts.
type quizSummary struct {
	Slug    string             `json:"slug"`
	Days    int                `json:"days"`
	From    string             `json:"from"`
	To      string             `json:"to"`
	Total   int64              `json:"total"`
	Results quizCounts         `json:"results"`
	Bands   []quizBandSummary  `json:"bands"`
	Daily   []cms.QuizDayStats `json:"daily"`
}

// quizSummary reads the counts of quiz slug over the last days days.
// Errors: NotFound (slug), Invalid (days), Unavailable.
func (a *Admin) quizSummary(ctx context.Context, slug string, days int) (*quizSummary, error) {
	q, err := a.svc.GetQuiz(ctx, slug)
	if err != nil {
		return nil, err
	}
	daily, err := a.svc.QuizStats(ctx, q.Slug, days)
	if err != nil {
		return nil, err
	}
	s := &quizSummary{Slug: q.Slug, Days: days, Daily: daily, Bands: []quizBandSummary{}}
	if len(daily) > 0 {
		s.From, s.To = daily[0].Day, daily[len(daily)-1].Day
	}
	index := map[string]int{}
	for _, b := range q.Bands {
		index[b.Key()] = len(s.Bands)
		s.Bands = append(s.Bands, quizBandSummary{Key: b.Key(), Label: b.Label})
	}
	for _, d := range daily {
		for _, n := range d.Counts {
			i, known := index[n.Band]
			if !known {
				i = len(s.Bands)
				index[n.Band] = i
				s.Bands = append(s.Bands, quizBandSummary{Key: n.Band, Label: bandKeyLabel(n.Band)})
			}
			s.Bands[i].Results.add(n.Result, n.Count)
			s.Results.add(n.Result, n.Count)
		}
	}
	for i := range s.Bands {
		s.Bands[i].Total = s.Bands[i].Results.Total()
	}
	s.Total = s.Results.Total()
	return s, nil
}

// bandKeyLabel names a band that is no longer in the quiz by its key:
// "12-35" -> "12–35 months (an earlier band)".
func bandKeyLabel(key string) string {
	return strings.Replace(key, "-", "–", 1) + " months (an earlier band)"
}

// quizPreviewInput is the body of POST /quizzes/{slug}/preview: the
// answers, and optionally a draft definition (as PUT takes it; its
// version is ignored) to evaluate them against instead of the saved quiz.
type quizPreviewInput struct {
	Answers *cms.QuizAnswers `json:"answers"`
	Quiz    *cms.QuizInput   `json:"quiz"`
}

// quizPreviewBand is the band a preview's age falls in.
type quizPreviewBand struct {
	Key        string  `json:"key"`
	Label      string  `json:"label"`
	FromMonths int     `json:"fromMonths"`
	ToMonths   int     `json:"toMonths"`
	MinHours   float64 `json:"minHours"`
	MaxHours   float64 `json:"maxHours"`
	Notes      string  `json:"notes"`
}

// quizPreview is a result as the public API would give it, plus whether
// it came from a draft.
type quizPreview struct {
	Result       string          `json:"result"`
	Title        string          `json:"title"`
	Text         string          `json:"text"`
	CTA          *cms.QuizCTA    `json:"cta"` // null: no link, neither the result's nor the site's
	TotalMinutes int             `json:"totalMinutes"`
	TotalHours   float64         `json:"totalHours"`
	NightMinutes int             `json:"nightMinutes"`
	NapMinutes   int             `json:"napMinutes"`
	AgeMonths    int             `json:"ageMonths"`
	Band         quizPreviewBand `json:"band"`
	Draft        bool            `json:"draft"`
}

func newQuizPreview(out cms.QuizOutcome, site cms.CallToAction, draft bool) quizPreview {
	b := out.Band
	return quizPreview{Result: out.Result, Title: out.Text.Title, Text: out.Text.Text, CTA: cms.ResultCTA(out.Text.CTA, site),
		TotalMinutes: out.TotalMinutes, TotalHours: out.TotalHours, NightMinutes: out.NightMinutes,
		NapMinutes: out.NapMinutes, AgeMonths: out.AgeMonths, Draft: draft,
		Band: quizPreviewBand{Key: b.Key(), Label: b.Label, FromMonths: b.FromMonths, ToMonths: b.ToMonths,
			MinHours: b.MinHours, MaxHours: b.MaxHours, Notes: b.Notes}}
}

// handleQuizPreview evaluates answers without saving or counting
// anything: against the draft in "quiz" when given, else against the
// saved quiz. Bad answers are 400 naming "answers.<id>"; a bad draft
// names "quiz.<field>" (e.g. "quiz.bands[2].maxHours").
func (a *Admin) handleQuizPreview(c *fiber.Ctx) error {
	const op = "admin.quizPreview"
	var in quizPreviewInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Answers == nil {
		return invalid(op, "answers", "Required: the answers to evaluate, as the public API takes them.")
	}
	q, err := a.svc.GetQuiz(c.UserContext(), param(c, "slug"))
	if err != nil {
		return err
	}
	if in.Quiz != nil {
		q = draftQuiz(q.Slug, *in.Quiz)
		if err := q.Validate(); err != nil {
			return prefixFields(op, "quiz.", err)
		}
	}
	out, err := q.Evaluate(in.Answers)
	if err != nil {
		return prefixFields(op, "answers.", err)
	}
	st, err := a.svc.GetSettings(c.UserContext())
	if err != nil {
		return err
	}
	return ok(c, newQuizPreview(out, st.CallToAction, in.Quiz != nil))
}

// draftQuiz builds an unsaved quiz from in, as cms.UpdateQuiz would.
func draftQuiz(slug string, in cms.QuizInput) *cms.Quiz {
	q := &cms.Quiz{Slug: slug, Title: strings.TrimSpace(in.Title), Intro: strings.TrimSpace(in.Intro),
		Questions: in.Questions, Bands: in.Bands, Results: in.Results}
	q = q.Clone()
	for i := range q.Bands {
		for j, id := range q.Bands[i].CitationIDs {
			q.Bands[i].CitationIDs[j] = strings.ToLower(strings.TrimSpace(id))
		}
	}
	return q
}

// prefixFields returns err with its fields renamed prefix+name, or err
// itself when it names no field.
func prefixFields(op, prefix string, err error) error {
	fields := cms.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	pr := cms.Problems{}
	for f, msg := range fields {
		pr.Add(prefix+f, msg)
	}
	return pr.Err(op)
}

// hoursText shows hours for people: "13.5 h".
func hoursText(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) + " h" }
