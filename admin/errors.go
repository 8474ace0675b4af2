package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// Status code policy. Each cms.Kind has exactly one status:
//
//	KindInvalid         400  malformed JSON, wrong types, unknown fields, bad
//	                         query parameters or ids, and failed validation
//	                         alike; "errors" names every bad field
//	KindNotFound        404
//	KindConflict        409  stale version, taken slug or email, wrong state
//	KindUnauthenticated 401  with WWW-Authenticate: Bearer
//	KindForbidden       403
//	KindRateLimited     429  always with Retry-After (a minute when the wait is unknown)
//	KindUnavailable     503
//	KindTooLarge        413  an upload over the size limit; "errors" names it
//	KindInternal        500  generic detail; the error is logged
//
// 422 is not used: one kind maps to one status, and clients tell a
// validation failure from a malformed request by the "errors" member, which
// carries a message per field in both cases. HTTP-level refusals made as
// *fiber.Error (413, 415, routing 404/405) keep their own code.
var kindStatus = map[cms.Kind]int{
	cms.KindInternal:        fiber.StatusInternalServerError,
	cms.KindInvalid:         fiber.StatusBadRequest,
	cms.KindNotFound:        fiber.StatusNotFound,
	cms.KindConflict:        fiber.StatusConflict,
	cms.KindUnauthenticated: fiber.StatusUnauthorized,
	cms.KindForbidden:       fiber.StatusForbidden,
	cms.KindRateLimited:     fiber.StatusTooManyRequests,
	cms.KindUnavailable:     fiber.StatusServiceUnavailable,
	cms.KindTooLarge:        fiber.StatusRequestEntityTooLarge,
}

// problemTypePrefix starts every problem's "type".
const problemTypePrefix = "urn:lullaby:problem:"

// problem is an RFC 9457 problem details document.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Instance  string            `json:"instance"`
	RequestID string            `json:"requestId,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	// A login that needs its second step (twofactor.go).
	TwoFactorRequired  bool       `json:"twoFactorRequired,omitempty"`
	Challenge          string     `json:"challenge,omitempty"`
	ChallengeExpiresAt *time.Time `json:"challengeExpiresAt,omitempty"`
}

// handleErrors is the group's first middleware: it turns any error (or
// panic) from what follows into a problem+json response.
func (a *Admin) handleErrors(c *fiber.Ctx) error { return catch(c, a.writeProblem) }

// catch runs the rest of the chain and hands any error it returns, or a
// panic turned into an error, to answer.
func catch(c *fiber.Ctx, answer func(*fiber.Ctx, error) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = answer(c, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
		}
	}()
	if err := c.Next(); err != nil {
		return answer(c, err)
	}
	return nil
}

// writeProblem writes err as problem+json; headers already set (Retry-After,
// WWW-Authenticate, Cache-Control) are kept.
func (a *Admin) writeProblem(c *fiber.Ctx, err error) error {
	p := problem{Instance: c.Path(), RequestID: requestID(c)}
	var ce *cms.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ce):
		kind := ce.Kind
		p.Status, p.Type = kindStatus[kind], problemTypePrefix+kind.String()
		p.Detail, p.Errors = cms.ErrorMessage(err), cms.ErrorFields(err)
	case errors.As(err, &fe):
		p.Status, p.Type, p.Detail = fe.Code, problemTypePrefix+fiberKind(fe.Code), fe.Message
		switch fe.Code {
		case fiber.StatusNotFound:
			p.Detail = "There is no such endpoint."
		case fiber.StatusMethodNotAllowed:
			p.Detail = "This endpoint does not accept the " + c.Method() + " method."
		}
	case errors.Is(err, context.DeadlineExceeded):
		p.Status, p.Type = fiber.StatusServiceUnavailable, problemTypePrefix+cms.KindUnavailable.String()
		p.Detail = "The request took too long; try again."
	default:
		p.Status, p.Type = fiber.StatusInternalServerError, problemTypePrefix+cms.KindInternal.String()
		p.Detail = cms.ErrorMessage(err)
	}
	if ch, ok := isChallenge(err); ok {
		p.TwoFactorRequired, p.Challenge, p.ChallengeExpiresAt = true, ch.challenge, &ch.expires
	}
	if p.Status < 400 || p.Status > 599 {
		p.Status = fiber.StatusInternalServerError
	}
	if p.Status == fiber.StatusInternalServerError {
		p.Type, p.Detail, p.Errors = problemTypePrefix+cms.KindInternal.String(), cms.ErrorMessage(nil), nil
	}
	p.Title = http.StatusText(p.Status)
	if p.Status == fiber.StatusTooManyRequests {
		setRetryAfter(c, err)
	}
	switch {
	case p.Status >= 500 && p.Status != fiber.StatusServiceUnavailable:
		a.log.ErrorContext(c.UserContext(), "admin api error", "err", err, "requestId", p.RequestID,
			"method", c.Method(), "path", c.Path())
	case p.Status == fiber.StatusServiceUnavailable:
		a.log.WarnContext(c.UserContext(), "admin api unavailable", "err", err, "requestId", p.RequestID)
	case p.Status == fiber.StatusUnauthorized && c.GetRespHeader(fiber.HeaderWWWAuthenticate) == "":
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="`+realm+`"`)
	}
	body, merr := json.Marshal(p)
	if merr != nil {
		return merr
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Status(p.Status).Send(body)
}

// fiberKind names the problem type of an HTTP-level error.
func fiberKind(code int) string {
	switch code {
	case fiber.StatusBadRequest:
		return cms.KindInvalid.String()
	case fiber.StatusNotFound:
		return cms.KindNotFound.String()
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "too_large"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusRequestTimeout:
		return "timeout"
	}
	if kind, ok := statusKind[code]; ok {
		return kind.String()
	}
	return "http_" + strconv.Itoa(code)
}

var statusKind = func() map[int]cms.Kind {
	m := map[int]cms.Kind{}
	for k, s := range kindStatus {
		m[s] = k
	}
	return m
}()

// requestID returns the id the app's requestid middleware gave the request,
// or "".
func requestID(c *fiber.Ctx) string {
	if s, ok := c.Locals("requestid").(string); ok && s != "" {
		return s
	}
	return c.GetRespHeader(fiber.HeaderXRequestID)
}

// invalid returns a KindInvalid error naming one field.
func invalid(op, field, msg string) error {
	return cms.Problems{field: msg}.Err(op)
}
