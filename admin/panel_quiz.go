package admin

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The quiz screen: she edits the Nap Quiz — its title and intro, each
// question's wording, help text and limits, the age bands with their
// ranges, notes and sources, and the three results with their calls to
// action — and saves it whole with the version it was opened at. Fields
// are named like the JSON API's ("bands[2].maxHours"), so a message lands
// next to its field. "Try it" evaluates a reader's answers against the
// form as it is on the screen, unsaved: htmx posts the whole form to
// /admin/quiz/preview on every change and swaps in the result; without
// scripts the button does the same as a page.

// maxFormBands bounds the bands read from the form (cms allows 24).
const maxFormBands = 25

// quizPage is the data of views/quiz.html (and of views/quiz_result.html,
// which uses Try, Outcome and TryErrors only).
type quizPage struct {
	page
	Form      quizForm
	Errors    map[string]string // per field, keyed like the API
	Alert     string            // a failure that is not about one field
	Notice    string            // the form holds changes not saved yet
	Refs      []refOption       // the reference library, for the bands' sources
	Try       tryForm
	Tried     bool              // "try it" ran
	Outcome   *tryOutcome       // its result, nil when it failed
	TryErrors map[string]string // problems of the answers, by question id
	TryAlert  string            // why there is no result, when not the answers
}

// quizForm is the quiz as the form holds it: strings, so that what she
// typed is shown again as it was.
type quizForm struct {
	Slug      string
	Title     string
	Intro     string
	Version   int
	Questions []questionForm
	Bands     []bandForm
	Results   []resultForm
}

// questionForm is one question's editable part.
type questionForm struct {
	ID, Type          string
	Label, Help, Unit string
	Min, Max          string
	Number            bool
	Choices           []cms.QuizChoice
}

// bandForm is one age band.
type bandForm struct {
	Label, FromMonths, ToMonths, MinHours, MaxHours, Notes string
	CitationIDs                                            []string
}

// Has reports whether the band cites the reference id.
func (b bandForm) Has(id string) bool {
	for _, c := range b.CitationIDs {
		if c == id {
			return true
		}
	}
	return false
}

// resultForm is one result's texts and call to action.
type resultForm struct {
	Key, Heading, Hint            string
	Title, Text, CTALabel, CTAURL string
}

// refOption is a reference of the library offered as a band's source.
type refOption struct {
	ID, Label string
}

// tryForm is the answers of "try it".
type tryForm struct {
	AgeValue, AgeUnit, Bedtime, WakeTime, Naps, NapMinutes, NightWakings, NightAwakeMinutes string
}

// tryOutcome is a result of "try it", for people.
type tryOutcome struct {
	cms.QuizOutcome
	Hours, Night, Naps string       // "13.5 h", "11 h 15 min"
	Range              string       // "11–14 h"
	CTA                *cms.QuizCTA // the result's link, else the site's; nil: none
}

// resultHeadings names the three results on the screen.
var resultHeadings = map[string][2]string{
	cms.ResultBelow:  {"Less sleep than recommended", "Shown when the total is below the band's range."},
	cms.ResultWithin: {"Within the range", "Shown when the total is within the band's range (both ends included)."},
	cms.ResultAbove:  {"More sleep than recommended", "Shown when the total is above the band's range."},
}

// newQuizForm fills the form from a stored quiz.
func newQuizForm(q *cms.Quiz) quizForm {
	f := quizForm{Slug: q.Slug, Title: q.Title, Intro: q.Intro, Version: q.Version}
	for _, qu := range q.Questions {
		qf := questionForm{ID: qu.ID, Type: string(qu.Type), Label: qu.Label, Help: qu.Help, Unit: qu.Unit,
			Number: qu.Type == cms.QuestionNumber, Choices: qu.Choices}
		if qu.Min != nil {
			qf.Min = numText(*qu.Min)
		}
		if qu.Max != nil {
			qf.Max = numText(*qu.Max)
		}
		f.Questions = append(f.Questions, qf)
	}
	for _, b := range q.Bands {
		f.Bands = append(f.Bands, bandForm{Label: b.Label, FromMonths: strconv.Itoa(b.FromMonths), ToMonths: strconv.Itoa(b.ToMonths),
			MinHours: numText(b.MinHours), MaxHours: numText(b.MaxHours), Notes: b.Notes, CitationIDs: b.CitationIDs})
	}
	for _, k := range []string{cms.ResultBelow, cms.ResultWithin, cms.ResultAbove} {
		r := q.Results.Text(k)
		f.Results = append(f.Results, resultForm{Key: k, Heading: resultHeadings[k][0], Hint: resultHeadings[k][1],
			Title: r.Title, Text: r.Text, CTALabel: r.CTA.Label, CTAURL: r.CTA.URL})
	}
	return f
}

func numText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// handleQuizPage shows the quiz screen with the saved Nap Quiz.
func (a *Admin) handleQuizPage(c *fiber.Ctx) error {
	q, err := a.svc.GetQuiz(c.UserContext(), cms.NapQuizSlug)
	if err != nil {
		return err
	}
	p, err := a.quizPage(c, newQuizForm(q))
	if err != nil {
		return err
	}
	p.Try = tryForm{AgeValue: "18", AgeUnit: "months", Bedtime: "19:30", WakeTime: "06:30", Naps: "1", NapMinutes: "90", NightWakings: "1"}
	return a.render(c, fiber.StatusOK, views.Quiz, p)
}

func (a *Admin) quizPage(c *fiber.Ctx, f quizForm) (*quizPage, error) {
	refs, err := a.refOptions(c.UserContext())
	if err != nil {
		return nil, err
	}
	return &quizPage{page: a.newPage(c, "Quiz", "quiz"), Form: f, Refs: refs, Errors: map[string]string{}}, nil
}

// refOptions lists the reference library as "key — title (year)".
func (a *Admin) refOptions(ctx context.Context) ([]refOption, error) {
	cites, err := a.svc.ListCitations(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]refOption, 0, len(cites))
	for _, ct := range cites {
		label := ct.Key + " — " + ct.Title
		if ct.Year > 0 {
			label += " (" + strconv.Itoa(ct.Year) + ")"
		}
		out = append(out, refOption{ID: ct.ID, Label: label})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out, nil
}

// handleQuizForm saves the quiz, or adds or removes a band (op
// "add-band", "remove-band:<i>") without saving. Bad fields re-render the
// form at 422 with her input; a save by someone else meanwhile
// re-renders it at 409 with her input and the new version.
func (a *Admin) handleQuizForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cur, err := a.svc.GetQuiz(ctx, cms.NapQuizSlug)
	if err != nil {
		return err
	}
	f, in, pr := readQuizForm(c, cur)
	op := c.FormValue("op")
	if op == "add-band" || strings.HasPrefix(op, "remove-band:") {
		if op == "add-band" && len(f.Bands) < maxFormBands-1 {
			f.Bands = append(f.Bands, bandForm{})
		} else if i, err := strconv.Atoi(strings.TrimPrefix(op, "remove-band:")); err == nil && i >= 0 && i < len(f.Bands) && len(f.Bands) > 1 {
			f.Bands = append(f.Bands[:i:i], f.Bands[i+1:]...)
		}
		p, err := a.quizPage(c, f)
		if err != nil {
			return err
		}
		p.Try = readTryForm(c)
		p.Notice = "Not saved yet: the bands must still cover 0 to 18 years without gaps. Press “Save quiz” when they do."
		return a.render(c, fiber.StatusOK, views.Quiz, p)
	}
	if len(pr) == 0 {
		if _, err = a.svc.UpdateQuiz(ctx, actor(c), cms.NapQuizSlug, in); err == nil {
			return a.flashRedirect(c, panelPrefix+"/quiz", "Quiz saved. The public API evaluates answers with it now.")
		}
	} else {
		err = draftQuiz(cur.Slug, in).Validate()
		for k, v := range cms.ErrorFields(err) {
			pr.Add(k, v)
		}
		err = pr.Err("admin.quizForm")
	}
	fields := cms.ErrorFields(err)
	if fields == nil {
		return err
	}
	p, perr := a.quizPage(c, f)
	if perr != nil {
		return perr
	}
	p.Try, p.Errors = readTryForm(c), fields
	if isStale(err) {
		latest, gerr := a.svc.GetQuiz(ctx, cms.NapQuizSlug)
		if gerr != nil {
			return gerr
		}
		p.Form.Version, p.Errors = latest.Version, map[string]string{}
		p.Alert = "Someone else saved the quiz since you opened this page. Your changes are still in the form below; save again to replace theirs, or reload the page to see theirs."
	} else {
		p.Alert = "Some fields need your attention; see the messages next to them. Nothing was saved."
	}
	return a.render(c, formStatus(c, err), views.Quiz, p)
}

// handleQuizPreviewForm evaluates the "try it" answers against the quiz
// as the form holds it, unsaved. htmx gets the result alone; a browser
// without scripts gets the whole screen back with the result and her
// unsaved edits. Either way the status is 200: the result area says what
// is wrong.
func (a *Admin) handleQuizPreviewForm(c *fiber.Ctx) error {
	cur, err := a.svc.GetQuiz(c.UserContext(), cms.NapQuizSlug)
	if err != nil {
		return err
	}
	f, in, pr := readQuizForm(c, cur)
	p := &quizPage{page: a.newPage(c, "Quiz", "quiz"), Form: f, Errors: map[string]string{}, Try: readTryForm(c), Tried: true}
	q := draftQuiz(cur.Slug, in)
	for k, v := range cms.ErrorFields(q.Validate()) {
		pr.Add(k, v)
	}
	if len(pr) > 0 {
		names := make([]string, 0, len(pr))
		for k := range pr {
			names = append(names, k)
		}
		sort.Strings(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		p.TryAlert = "The quiz in the form has mistakes, so it cannot be tried yet: " + strings.Join(names, ", ") + "."
		p.Errors = pr
	} else {
		ans, apr := p.Try.answers()
		out, err := q.Evaluate(ans)
		p.TryErrors = apr
		for k, v := range cms.ErrorFields(err) {
			p.TryErrors[k] = v
		}
		if err == nil && len(apr) == 0 {
			st, err := a.svc.GetSettings(c.UserContext())
			if err != nil {
				return err
			}
			p.Outcome = newTryOutcome(out, st.CallToAction)
		} else if err != nil && cms.ErrorFields(err) == nil {
			return err
		}
	}
	if isHTMX(c) {
		return a.renderFragment(c, views.QuizResult, p)
	}
	refs, err := a.refOptions(c.UserContext())
	if err != nil {
		return err
	}
	p.Refs = refs
	p.Notice = "Not saved: this is a preview of the quiz as it is in the form. Press “Save quiz” to publish it."
	return a.render(c, fiber.StatusOK, views.Quiz, p)
}

// renderFragment renders template name alone, without the layout.
func (a *Admin) renderFragment(c *fiber.Ctx, name string, data any) error {
	var buf strings.Builder
	if err := a.renderView(&buf, name, data); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(fiber.StatusOK).SendString(buf.String())
}

func newTryOutcome(out cms.QuizOutcome, site cms.CallToAction) *tryOutcome {
	return &tryOutcome{QuizOutcome: out, CTA: cms.ResultCTA(out.Text.CTA, site), Hours: hoursText(out.TotalHours), Night: minutesText(out.NightMinutes),
		Naps: minutesText(out.NapMinutes), Range: numText(out.Band.MinHours) + "–" + numText(out.Band.MaxHours) + " h"}
}

// minutesText shows minutes as "11 h 15 min".
func minutesText(m int) string {
	h, rest := m/60, m%60
	switch {
	case h == 0:
		return strconv.Itoa(rest) + " min"
	case rest == 0:
		return strconv.Itoa(h) + " h"
	}
	return strconv.Itoa(h) + " h " + strconv.Itoa(rest) + " min"
}

// readTryForm reads the "try it" answers (fields try.<question id>).
func readTryForm(c *fiber.Ctx) tryForm {
	v := func(name string) string { return strings.TrimSpace(c.FormValue("try." + name)) }
	return tryForm{AgeValue: v(cms.QAgeValue), AgeUnit: v(cms.QAgeUnit), Bedtime: v(cms.QBedtime), WakeTime: v(cms.QWakeTime),
		Naps: v(cms.QNaps), NapMinutes: v(cms.QNapMinutes), NightWakings: v(cms.QNightWakings), NightAwakeMinutes: v(cms.QNightAwakeMinutes)}
}

// answers converts the form's answers: empty numbers are missing answers,
// and text that is not a number is a problem named by the question id.
func (t tryForm) answers() (*cms.QuizAnswers, map[string]string) {
	pr := map[string]string{}
	num := func(id, s string) *float64 {
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil {
			pr[id] = "Must be a number."
			return nil
		}
		return &f
	}
	a := &cms.QuizAnswers{AgeValue: num(cms.QAgeValue, t.AgeValue), AgeUnit: t.AgeUnit, Bedtime: t.Bedtime, WakeTime: t.WakeTime,
		Naps: num(cms.QNaps, t.Naps), NapMinutes: num(cms.QNapMinutes, t.NapMinutes), NightWakings: num(cms.QNightWakings, t.NightWakings),
		NightAwakeMinutes: num(cms.QNightAwakeMinutes, t.NightAwakeMinutes)}
	return a, pr
}

// readQuizForm reads the quiz form into what it shows and what cms
// takes. The parts she cannot change (question ids, types, whether they
// are required) come from cur; a field missing from the form keeps cur's
// value. Numbers that are not numbers are problems named like the API.
func readQuizForm(c *fiber.Ctx, cur *cms.Quiz) (quizForm, cms.QuizInput, cms.Problems) {
	args := c.Request().PostArgs()
	has := func(name string) bool { return args.Has(name) }
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	pr := cms.Problems{}
	base := newQuizForm(cur)
	f := quizForm{Slug: cur.Slug, Title: v("title"), Intro: v("intro"), Version: 0}
	if !has("title") {
		f.Title = base.Title
	}
	if !has("intro") {
		f.Intro = base.Intro
	}
	in := cms.QuizInput{Title: f.Title, Intro: f.Intro}
	if n, ok := formVersion(c); ok {
		in.Version, f.Version = &n, n
	}

	q := cur.Clone()
	for i := range q.Questions {
		qu, qf := &q.Questions[i], base.Questions[i]
		p := "questions[" + strconv.Itoa(i) + "]."
		str := func(field string, dst *string, form *string) {
			if has(p + field) {
				*dst = v(p + field)
			}
			*form = *dst
		}
		str("label", &qu.Label, &qf.Label)
		str("help", &qu.Help, &qf.Help)
		str("unit", &qu.Unit, &qf.Unit)
		for j := range qu.Choices {
			name := p + "choices[" + strconv.Itoa(j) + "].label"
			if has(name) {
				qu.Choices[j].Label = v(name)
			}
		}
		qf.Choices = qu.Choices
		if qu.Type == cms.QuestionNumber {
			qu.Min = formNumber(pr, p+"min", has, v, qu.Min, &qf.Min)
			qu.Max = formNumber(pr, p+"max", has, v, qu.Max, &qf.Max)
		}
		f.Questions = append(f.Questions, qf)
	}
	in.Questions = q.Questions

	in.Bands = []cms.QuizBand{}
	for i := 0; i < maxFormBands && has("bands["+strconv.Itoa(i)+"].fromMonths"); i++ {
		p := "bands[" + strconv.Itoa(i) + "]."
		bf := bandForm{Label: v(p + "label"), FromMonths: v(p + "fromMonths"), ToMonths: v(p + "toMonths"),
			MinHours: v(p + "minHours"), MaxHours: v(p + "maxHours"), Notes: v(p + "notes"), CitationIDs: []string{}}
		for _, id := range formValues(c, p+"citationIds") {
			if id = strings.TrimSpace(id); id != "" {
				bf.CitationIDs = append(bf.CitationIDs, id)
			}
		}
		b := cms.QuizBand{Label: bf.Label, Notes: bf.Notes, CitationIDs: bf.CitationIDs}
		b.FromMonths = formInt(pr, p+"fromMonths", bf.FromMonths)
		b.ToMonths = formInt(pr, p+"toMonths", bf.ToMonths)
		b.MinHours = formHours(pr, p+"minHours", bf.MinHours)
		b.MaxHours = formHours(pr, p+"maxHours", bf.MaxHours)
		f.Bands = append(f.Bands, bf)
		in.Bands = append(in.Bands, b)
	}
	if len(f.Bands) == 0 {
		// A form without bands at all (an old page): keep the stored ones.
		f.Bands, in.Bands = base.Bands, q.Bands
	}

	in.Results = q.Results
	for i, k := range []string{cms.ResultBelow, cms.ResultWithin, cms.ResultAbove} {
		r, rf := in.Results.Text(k), base.Results[i]
		p := "results." + k + "."
		str := func(field string, dst *string, form *string) {
			if has(p + field) {
				*dst = v(p + field)
			}
			*form = *dst
		}
		str("title", &r.Title, &rf.Title)
		str("text", &r.Text, &rf.Text)
		str("cta.label", &r.CTA.Label, &rf.CTALabel)
		str("cta.url", &r.CTA.URL, &rf.CTAURL)
		f.Results = append(f.Results, rf)
	}
	return f, in, pr
}

// formNumber reads an optional number field; empty is no limit (which cms
// refuses for the Nap Quiz's number questions, naming the field).
func formNumber(pr cms.Problems, name string, has func(string) bool, v func(string) string, cur *float64, shown *string) *float64 {
	if !has(name) {
		return cur
	}
	s := v(name)
	*shown = s
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		pr.Add(name, "Must be a number.")
		return nil
	}
	return &f
}

// formInt reads a whole number of months.
func formInt(pr cms.Problems, name, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		pr.Add(name, "Must be a whole number of months.")
		return 0
	}
	return n
}

// formHours reads a number of hours ("13.5" or "13,5").
func formHours(pr cms.Problems, name, s string) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		pr.Add(name, "Must be a number of hours, e.g. 13.5.")
		return 0
	}
	return f
}

// quizField is the data of the "quizField" partial: one labelled input
// of the quiz screen. Kind is "text", "url", "textarea", "decimal" (a
// number with a fraction) or "numeric" (a whole number).
type quizField struct {
	Kind, Name, Label, Value, Error, Hint string
}

// ID is the input's element id.
func (f quizField) ID() string { return fieldID(f.Name) }

// newQuizField builds a quizField, its error taken from errs by name.
func newQuizField(kind, name, label, value string, errs map[string]string, hint ...string) quizField {
	return quizField{Kind: kind, Name: name, Label: label, Value: value, Error: errs[name], Hint: strings.Join(hint, " ")}
}
