package public

import (
	"bytes"
	"sync"
	"time"

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
// stored: the result is counted per day, band and result only. Every
// answer, a bad one too, counts towards the client's allowance; a bad one
// is told every problem at once (unknown fields, values of the wrong type
// and answers out of range together).
func (a *API) handleQuizAnswers(c *fiber.Ctx) error {
	const op = opQuizAnswers
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, op, "No quiz has this slug.")
	}
	if a.quizzes != nil && !a.quizzes.Allow(a.clientIP(c)) {
		return &cms.Error{Kind: cms.KindRateLimited, Op: op, RetryAfter: time.Minute,
			Message: "Too many answers from your address; try again in a minute."}
	}
	body := c.Request().Body() // raw: c.Body() would inflate a compressed body first
	if len(body) > maxQuizRead {
		return &cms.Error{Kind: cms.KindTooLarge, Op: op, Message: "The answers are much too large.",
			Fields: map[string]string{"body": "At most 4096 bytes."}}
	}
	var ans cms.QuizAnswers
	derr := decodeAnswers(body, &ans)
	if derr != nil && (cms.JSONMalformed(derr) || cms.ErrorFields(derr)["body"] != "") {
		return derr // not an object of answers: nothing to evaluate
	}
	if len(body) > maxQuizBody {
		return oversizedAnswers(op, &ans)
	}
	bp := quizBufs.Get().(*[]byte)
	defer quizBufs.Put(bp)
	out, res, err := a.content.Snapshot().EvaluateQuiz(slug, &ans, (*bp)[:0])
	*bp = out
	if err != nil || derr != nil {
		if cms.IsKind(err, cms.KindNotFound) {
			return err
		}
		return cms.JoinProblems(op, derr, err)
	}
	if a.quizzes != nil {
		a.quizzes.Record(slug, res.Band.Key(), res.Result)
	}
	c.Response().Header.SetCanonical(headerCacheControl, valueNoStore)
	c.Response().Header.SetContentTypeBytes(valueJSON)
	c.Response().SetBody(out)
	return nil
}

// decodeAnswers decodes body into ans with the one strict decoder
// (cms.DecodeJSON); an empty body is a problem of the body.
func decodeAnswers(body []byte, ans *cms.QuizAnswers) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return cms.Problems{"body": "Send the answers as a JSON object."}.Err(opQuizAnswers)
	}
	return cms.DecodeJSON(opQuizAnswers, body, ans)
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
