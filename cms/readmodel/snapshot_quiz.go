package readmodel

import (
	"strconv"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cite"
)

// quizEntry is a quiz of the snapshot with its ready-made JSON: the
// definition (GET /api/v1/quizzes/{slug}) and the pieces a result is
// assembled from, so that answering costs one evaluation and a few
// appends.
type quizEntry struct {
	quiz  *cms.Quiz
	def   *Body
	bands [][]byte          // PublicQuizBand of each band
	texts map[string][]byte // result key -> `"result":…,"title":…,"text":…,"cta":{…}`
}

// PublicQuiz is the definition a frontend renders the form from.
type PublicQuiz struct {
	Slug      string               `json:"slug"`
	Title     string               `json:"title"`
	Intro     string               `json:"intro"`
	Questions []cms.QuizQuestion   `json:"questions"`
	Bands     []PublicQuizBand     `json:"bands"`
	Version   int                  `json:"version"`
	UpdatedAt *time.Time           `json:"updatedAt"` // null: the built-in quiz, never saved
	Answers   PublicQuizAnswerInfo `json:"answers"`
}

// PublicQuizAnswerInfo tells a frontend where to post answers.
type PublicQuizAnswerInfo struct {
	URL string `json:"url"` // relative to the API root
}

// PublicQuizBand is an age band as the public API shows it.
type PublicQuizBand struct {
	Key        string             `json:"key"`
	Label      string             `json:"label"`
	FromMonths int                `json:"fromMonths"`
	ToMonths   int                `json:"toMonths"`
	MinHours   float64            `json:"minHours"`
	MaxHours   float64            `json:"maxHours"`
	Notes      string             `json:"notes"`
	Sources    []PublicQuizSource `json:"sources"`
}

// PublicQuizSource is a reference a band's range comes from.
type PublicQuizSource struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Year  int    `json:"year"`
	DOI   string `json:"doi,omitempty"`
	URL   string `json:"url,omitempty"`
}

// buildQuizzes makes the entries of the stored quizzes, adding the
// built-in Nap Quiz when it was never saved; results without a link of
// their own show site, the site's call to action.
func (s *Snapshot) buildQuizzes(stored []*cms.Quiz, cites []*cms.Citation, site cms.CallToAction) error {
	s.quizzes = make(map[string]*quizEntry, len(stored)+1)
	byID := make(map[string]*cms.Citation, len(cites))
	for _, c := range cites {
		byID[c.ID] = c
	}
	all := stored
	if !hasQuiz(stored, cms.NapQuizSlug) {
		all = append(append([]*cms.Quiz{}, stored...), cms.DefaultNapQuiz(cites))
	}
	for _, q := range all {
		e, err := newQuizEntry(q, byID, site)
		if err != nil {
			return err
		}
		s.quizzes[q.Slug] = e
		s.fresh = append(s.fresh, e.def)
	}
	return nil
}

func hasQuiz(list []*cms.Quiz, slug string) bool {
	for _, q := range list {
		if q.Slug == slug {
			return true
		}
	}
	return false
}

func newQuizEntry(q *cms.Quiz, cites map[string]*cms.Citation, site cms.CallToAction) (*quizEntry, error) {
	e := &quizEntry{quiz: q, bands: make([][]byte, len(q.Bands)), texts: map[string][]byte{}}
	pub := PublicQuiz{Slug: q.Slug, Title: q.Title, Intro: q.Intro, Questions: q.Questions, Version: q.Version,
		Bands: make([]PublicQuizBand, len(q.Bands)), Answers: PublicQuizAnswerInfo{URL: "/quizzes/" + q.Slug + "/answers"}}
	if !q.UpdatedAt.IsZero() {
		pub.UpdatedAt = ptr(q.UpdatedAt.UTC())
	}
	if pub.Questions == nil {
		pub.Questions = []cms.QuizQuestion{}
	}
	for i, b := range q.Bands {
		pb := PublicQuizBand{Key: b.Key(), Label: b.Label, FromMonths: b.FromMonths, ToMonths: b.ToMonths,
			MinHours: b.MinHours, MaxHours: b.MaxHours, Notes: b.Notes, Sources: []PublicQuizSource{}}
		for _, id := range b.CitationIDs {
			if c := cites[id]; c != nil {
				src := PublicQuizSource{Key: c.Key, Title: cite.PlainTitle(c.Title), Year: c.Year}
				if cms.URLProblem(c.URL) == "" {
					src.URL = c.URL
				}
				if c.DOI != "" {
					src.DOI = c.DOI
				}
				pb.Sources = append(pb.Sources, src)
			}
		}
		pub.Bands[i] = pb
		j, err := marshal(pb)
		if err != nil {
			return nil, err
		}
		e.bands[i] = j
	}
	def, err := marshal(struct {
		Data PublicQuiz `json:"data"`
	}{pub})
	if err != nil {
		return nil, err
	}
	e.def = NewBody(def)
	for _, k := range []string{cms.ResultBelow, cms.ResultWithin, cms.ResultAbove} {
		t := q.Results.Text(k)
		j, err := marshal(struct {
			Result string       `json:"result"`
			Title  string       `json:"title"`
			Text   string       `json:"text"`
			CTA    *cms.QuizCTA `json:"cta"` // null: no link anywhere
		}{k, t.Title, t.Text, cms.ResultCTA(t.CTA, site)})
		if err != nil {
			return nil, err
		}
		e.texts[k] = j[1 : len(j)-1] // without the braces
	}
	return e, nil
}

// Quiz returns the body of GET /api/v1/quizzes/{slug}. NotFound for an
// unknown slug.
func (s *Snapshot) Quiz(slug string) (*Body, error) {
	if e := s.quizzes[slug]; e != nil {
		return e.def, nil
	}
	return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.Quiz", "No quiz has the slug %q.", truncate(slug, 120))
}

// EvaluateQuiz evaluates answers against quiz slug as published and
// appends the JSON body of POST /api/v1/quizzes/{slug}/answers to dst.
// It never touches the database. Errors: NotFound (slug), Invalid (naming
// the answers).
func (s *Snapshot) EvaluateQuiz(slug string, a *cms.QuizAnswers, dst []byte) ([]byte, cms.QuizOutcome, error) {
	e := s.quizzes[slug]
	if e == nil {
		return dst, cms.QuizOutcome{}, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.EvaluateQuiz", "No quiz has the slug %q.", truncate(slug, 120))
	}
	out, err := e.quiz.Evaluate(a)
	if err != nil {
		return dst, out, err
	}
	dst = append(dst, `{"data":{`...)
	dst = append(dst, e.texts[out.Result]...)
	dst = append(dst, `,"totalMinutes":`...)
	dst = strconv.AppendInt(dst, int64(out.TotalMinutes), 10)
	dst = append(dst, `,"totalHours":`...)
	dst = strconv.AppendFloat(dst, out.TotalHours, 'f', -1, 64)
	dst = append(dst, `,"nightMinutes":`...)
	dst = strconv.AppendInt(dst, int64(out.NightMinutes), 10)
	dst = append(dst, `,"napMinutes":`...)
	dst = strconv.AppendInt(dst, int64(out.NapMinutes), 10)
	dst = append(dst, `,"ageMonths":`...)
	dst = strconv.AppendInt(dst, int64(out.AgeMonths), 10)
	dst = append(dst, `,"band":`...)
	dst = append(dst, e.bands[out.BandIndex]...)
	dst = append(dst, `}}`...)
	return dst, out, nil
}
