package public

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

// QuizRecorder rate-limits quiz answers per client and counts results
// anonymously; cms.QuizCounter is one. It must not keep the strings it is
// given past the call without copying them.
type QuizRecorder interface {
	// Allow takes one answer from the client at ip out of its allowance
	// and reports whether it had one left.
	Allow(ip string) bool
	// Record counts one result of quiz slug in band.
	Record(slug, band, result string)
}

// Limits of POST /quizzes/{slug}/answers.
const (
	// maxQuizBody is the largest answers body accepted.
	maxQuizBody = 4 << 10
	// maxQuizRead is the largest body read at all, to name the field of an
	// oversized body; past it the answer is 413.
	maxQuizRead = 64 << 10
	// maxAnswerString bounds each string answer in the message that names
	// it.
	maxAnswerString = 16
)

const opQuizAnswers = "public.QuizAnswers"

var quizBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// handleQuiz returns the definition of a quiz: what a frontend renders
// the form from.
func (a *API) handleQuiz(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.Quiz", "No quiz has this slug.")
	}
	body, err := a.content.Snapshot().Quiz(slug)
	if err != nil {
		return err
	}
	return a.send(c, body)
}

// handleQuizAnswers evaluates one reader's answers against the published
// quiz, in memory, and returns the result. Nothing about the reader is
// stored: the result is counted per day, band and result only.
func (a *API) handleQuizAnswers(c *fiber.Ctx) error {
	const op = opQuizAnswers
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, op, "No quiz has this slug.")
	}
	body := c.Request().Body() // raw: c.Body() would inflate a compressed body first
	if len(body) > maxQuizRead {
		return &cms.Error{Kind: cms.KindTooLarge, Op: op, Message: "The answers are much too large.",
			Fields: map[string]string{"body": "At most 4096 bytes."}}
	}
	var ans cms.QuizAnswers
	if err := decodeAnswers(body, &ans); err != nil {
		return err
	}
	if len(body) > maxQuizBody {
		return oversizedAnswers(op, &ans)
	}
	bp := quizBufs.Get().(*[]byte)
	defer quizBufs.Put(bp)
	out, res, err := a.content.Snapshot().EvaluateQuiz(slug, &ans, (*bp)[:0])
	*bp = out
	if err != nil {
		return err
	}
	if a.quizzes != nil {
		if !a.quizzes.Allow(a.clientIP(c)) {
			c.Set(fiber.HeaderRetryAfter, "60")
			return cms.Errorf(cms.KindRateLimited, op, "Too many answers from your address; try again in a minute.")
		}
		a.quizzes.Record(slug, res.Band.Key(), res.Result)
	}
	c.Response().Header.SetCanonical(headerCacheControl, valueNoStore)
	c.Response().Header.SetContentTypeBytes(valueJSON)
	c.Response().SetBody(out)
	return nil
}

// decodeAnswers decodes body strictly into ans: unknown fields, wrong
// types and anything but one JSON object are KindInvalid naming the field
// (or "body").
func decodeAnswers(body []byte, ans *cms.QuizAnswers) error {
	const op = opQuizAnswers
	if len(bytes.TrimSpace(body)) == 0 {
		return cms.Problems{"body": "Send the answers as a JSON object."}.Err(op)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(ans)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return cms.Problems{"body": "Send exactly one JSON object."}.Err(op)
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		want := "a number"
		if typeErr.Type != nil && typeErr.Type.Kind() == reflect.String {
			want = "a string"
		}
		return cms.Problems{typeErr.Field: "Must be " + want + "."}.Err(op)
	case errors.As(err, &typeErr):
		return cms.Problems{"body": "Send the answers as a JSON object."}.Err(op)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if len(name) > 64 {
			name = name[:64]
		}
		return cms.Problems{name: "Unknown field: the quiz has no such question."}.Err(op)
	}
	return cms.Problems{"body": "Not valid JSON."}.Err(op)
}

// oversizedAnswers names the string answers that make a body too large,
// or the body itself.
func oversizedAnswers(op string, ans *cms.QuizAnswers) error {
	pr := cms.Problems{}
	for _, f := range []struct{ name, v string }{{cms.QAgeUnit, ans.AgeUnit}, {cms.QBedtime, ans.Bedtime}, {cms.QWakeTime, ans.WakeTime}} {
		if len(f.v) > maxAnswerString {
			pr.Add(f.name, "Too long: at most 16 characters.")
		}
	}
	if len(pr) == 0 {
		pr.Add("body", "At most 4096 bytes.")
	}
	return pr.Err(op)
}
