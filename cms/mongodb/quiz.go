package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A quizzes document is one whole quiz, keyed by its slug (found by _id,
// which FerretDB reads without a scan); bands and questions are replaced
// whole.
type quizDoc struct {
	Slug      string            `bson:"_id"`
	Title     string            `bson:"title"`
	Intro     string            `bson:"intro"`
	Questions []quizQuestionDoc `bson:"questions"`
	Bands     []quizBandDoc     `bson:"bands"`
	Results   quizResultsDoc    `bson:"results"`
	Version   int               `bson:"version"`
	CreatedAt *time.Time        `bson:"createdAt"`
	UpdatedAt *time.Time        `bson:"updatedAt"`
}

type quizQuestionDoc struct {
	ID       string          `bson:"id"`
	Type     string          `bson:"type"`
	Label    string          `bson:"label"`
	Help     string          `bson:"help"`
	Unit     string          `bson:"unit"`
	Min      *float64        `bson:"min"`
	Max      *float64        `bson:"max"`
	Required bool            `bson:"required"`
	Choices  []quizChoiceDoc `bson:"choices"`
}

type quizChoiceDoc struct {
	Value string `bson:"value"`
	Label string `bson:"label"`
}

type quizBandDoc struct {
	Label       string   `bson:"label"`
	FromMonths  int      `bson:"fromMonths"`
	ToMonths    int      `bson:"toMonths"`
	MinHours    float64  `bson:"minHours"`
	MaxHours    float64  `bson:"maxHours"`
	Notes       string   `bson:"notes"`
	CitationIDs []string `bson:"citationIds"`
}

type quizTextDoc struct {
	Title    string `bson:"title"`
	Text     string `bson:"text"`
	CTALabel string `bson:"ctaLabel"`
	CTAURL   string `bson:"ctaUrl"`
}

type quizResultsDoc struct {
	Below  quizTextDoc `bson:"below"`
	Within quizTextDoc `bson:"within"`
	Above  quizTextDoc `bson:"above"`
}

func toQuizText(t cms.QuizResultText) quizTextDoc {
	return quizTextDoc{Title: t.Title, Text: t.Text, CTALabel: t.CTA.Label, CTAURL: t.CTA.URL}
}

func (d quizTextDoc) text() cms.QuizResultText {
	return cms.QuizResultText{Title: d.Title, Text: d.Text, CTA: cms.QuizCTA{Label: d.CTALabel, URL: d.CTAURL}}
}

func toQuizDoc(q *cms.Quiz) *quizDoc {
	d := &quizDoc{Slug: q.Slug, Title: q.Title, Intro: q.Intro, Version: q.Version,
		Questions: make([]quizQuestionDoc, len(q.Questions)), Bands: make([]quizBandDoc, len(q.Bands)),
		Results:   quizResultsDoc{Below: toQuizText(q.Results.Below), Within: toQuizText(q.Results.Within), Above: toQuizText(q.Results.Above)},
		CreatedAt: toTime(q.CreatedAt), UpdatedAt: toTime(q.UpdatedAt)}
	for i, qu := range q.Questions {
		qd := quizQuestionDoc{ID: qu.ID, Type: string(qu.Type), Label: qu.Label, Help: qu.Help, Unit: qu.Unit,
			Min: qu.Min, Max: qu.Max, Required: qu.Required, Choices: make([]quizChoiceDoc, len(qu.Choices))}
		for j, c := range qu.Choices {
			qd.Choices[j] = quizChoiceDoc(c)
		}
		d.Questions[i] = qd
	}
	for i, b := range q.Bands {
		d.Bands[i] = quizBandDoc{Label: b.Label, FromMonths: b.FromMonths, ToMonths: b.ToMonths, MinHours: b.MinHours,
			MaxHours: b.MaxHours, Notes: b.Notes, CitationIDs: refs(b.CitationIDs)}
	}
	return d
}

func (d *quizDoc) quiz() *cms.Quiz {
	q := &cms.Quiz{Slug: d.Slug, Title: d.Title, Intro: d.Intro, Version: d.Version,
		Questions: make([]cms.QuizQuestion, len(d.Questions)), Bands: make([]cms.QuizBand, len(d.Bands)),
		Results:   cms.QuizResults{Below: d.Results.Below.text(), Within: d.Results.Within.text(), Above: d.Results.Above.text()},
		CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt)}
	for i, qd := range d.Questions {
		qu := cms.QuizQuestion{ID: qd.ID, Type: cms.QuestionType(qd.Type), Label: qd.Label, Help: qd.Help, Unit: qd.Unit,
			Min: qd.Min, Max: qd.Max, Required: qd.Required}
		for _, c := range qd.Choices {
			qu.Choices = append(qu.Choices, cms.QuizChoice(c))
		}
		q.Questions[i] = qu
	}
	for i, b := range d.Bands {
		q.Bands[i] = cms.QuizBand{Label: b.Label, FromMonths: b.FromMonths, ToMonths: b.ToMonths, MinHours: b.MinHours,
			MaxHours: b.MaxHours, Notes: b.Notes, CitationIDs: strs(b.CitationIDs)}
	}
	return q
}

// GetQuiz returns the quiz with the slug. Errors: KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetQuiz(ctx context.Context, slug string) (*cms.Quiz, error) {
	var d quizDoc
	if err := db.quizzes.FindOne(ctx, bson.D{{Key: "_id", Value: slug}}).Decode(&d); err != nil {
		return nil, storeError("mongodb.GetQuiz", collQuizzes, err)
	}
	return d.quiz(), nil
}

// CreateQuiz stores the new quiz q. Errors: KindConflict with
// Fields["slug"] when a quiz has the slug, KindUnavailable, KindInternal.
func (db *DB) CreateQuiz(ctx context.Context, q *cms.Quiz) error {
	_, err := db.quizzes.InsertOne(ctx, toQuizDoc(q))
	return storeError("mongodb.CreateQuiz", collQuizzes, err)
}

// UpdateQuiz replaces the quiz stored at prevVersion with q. Errors:
// KindNotFound, KindConflict with Fields["version"], KindUnavailable,
// KindInternal.
func (db *DB) UpdateQuiz(ctx context.Context, q *cms.Quiz, prevVersion int) error {
	return db.replaceVersioned(ctx, "mongodb.UpdateQuiz", db.quizzes, q.Slug, prevVersion, toQuizDoc(q))
}

// ListQuizzes returns every quiz by slug. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ListQuizzes(ctx context.Context) ([]*cms.Quiz, error) {
	return findAll(ctx, "mongodb.ListQuizzes", db.quizzes, bson.D{{Key: "_id", Value: 1}}, (*quizDoc).quiz)
}

// A quiz_results document counts one result in one band of one quiz on
// one UTC day, as one store handle (one process) counted them: {_id:
// "<slug>:<day>:<band>:<result>:<counter>", slug, day, band, result, by:
// "<counter>", count}. Nothing about the readers is stored. Like the
// views' buckets (views.go), each handle adds to its own buckets only,
// and readers sum them, those written before this shape (no counter in
// the _id, no by) included.
type quizResultDoc struct {
	ID     string `bson:"_id"`
	Slug   string `bson:"slug"`
	Day    string `bson:"day"`
	Band   string `bson:"band"`
	Result string `bson:"result"`
	By     string `bson:"by,omitempty"`
	Count  int64  `bson:"count"`
}

// AddQuizResults adds each count to this handle's daily bucket with an
// $inc upsert. When it fails part way, the counts it wrote have Count set to
// 0. Errors: KindUnavailable, KindInternal.
func (db *DB) AddQuizResults(ctx context.Context, counts []cms.QuizResultCount) error {
	const op = "mongodb.AddQuizResults"
	upsert := options.UpdateOne().SetUpsert(true)
	for i := range counts {
		c := &counts[i]
		if c.Count == 0 {
			continue
		}
		filter := bson.D{{Key: "_id", Value: c.Slug + ":" + c.Day + ":" + c.Band + ":" + c.Result + ":" + db.countMark}}
		update := bson.D{
			{Key: "$inc", Value: bson.D{{Key: "count", Value: c.Count}}},
			{Key: "$set", Value: bson.D{{Key: "slug", Value: c.Slug}, {Key: "day", Value: c.Day}, {Key: "band", Value: c.Band},
				{Key: "result", Value: c.Result}, {Key: "by", Value: db.countMark}}},
		}
		var err error
		for range 2 { // two first upserts of a bucket racing: one loses with a duplicate key
			if _, err = db.updateOne(ctx, db.quizResults, filter, update, upsert); err == nil || !duplicateKey(err) {
				break
			}
		}
		if err != nil {
			return storeError(op, collQuizResults, err)
		}
		c.Count = 0
	}
	return nil
}

// QuizResultCounts returns the counts of quiz slug from fromDay on, one
// per day, band and result (the sum of their buckets), by day, band and
// result. Errors: KindUnavailable, KindInternal.
func (db *DB) QuizResultCounts(ctx context.Context, slug, fromDay string) ([]cms.QuizResultCount, error) {
	const op = "mongodb.QuizResultCounts"
	filter := bson.D{{Key: "slug", Value: slug}, {Key: "day", Value: bson.D{{Key: "$gte", Value: fromDay}}}}
	sort := bson.D{{Key: "day", Value: 1}, {Key: "band", Value: 1}, {Key: "result", Value: 1}}
	cur, err := db.quizResults.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, storeError(op, collQuizResults, err)
	}
	var docs []quizResultDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, collQuizResults, err)
	}
	out := make([]cms.QuizResultCount, 0, len(docs))
	for _, d := range docs {
		if n := len(out); n > 0 && out[n-1].Day == d.Day && out[n-1].Band == d.Band && out[n-1].Result == d.Result {
			out[n-1].Count += d.Count
			continue
		}
		out = append(out, cms.QuizResultCount{Slug: d.Slug, Day: d.Day, Band: d.Band, Result: d.Result, Count: d.Count})
	}
	return out, nil
}
