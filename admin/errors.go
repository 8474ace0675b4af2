package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/problem"
)

// Errors of the admin surface take one path: handlers return them, and
// the first middleware of each route group answers — handleErrors with
// problem+json on the API, panelErrors with an HTML page (or the same
// problem+json for a script's fetch) on the panel. Each kind has the
// status problem.StatusOf gives it, the same as on the public API;
// HTTP-level refusals made as *fiber.Error (413, 415, routing 404) keep
// their own code. Only a form re-rendered with its fields marked picks a
// status of its own (formStatus: 422 for bad input).

// apiProblem is the admin API's problem: the one problem type, with the
// members that some errors add (problemMembers).
type apiProblem struct {
	problem.Problem
	// A login that needs its second step (twofactor.go).
	TwoFactorRequired  bool       `json:"twoFactorRequired,omitempty"`
	Challenge          string     `json:"challenge,omitempty"`
	ChallengeExpiresAt *time.Time `json:"challengeExpiresAt,omitempty"`
	// Where a panel script whose session ended logs in again (toLogin).
	Login string `json:"login,omitempty"`
	// The retracted works a post about to go live cites
	// (cms.RetractedError, health.go).
	Retracted []retractedRef `json:"retracted,omitempty"`
}

// problemMembers is an error that adds members to its problem.
type problemMembers interface {
	error
	addTo(*apiProblem)
}

// handleErrors is the API group's first middleware: it turns any error (or
// panic) from what follows into a problem+json response.
func (a *Admin) handleErrors(c *fiber.Ctx) error { return catch(c, a.writeProblem) }

// HandleError answers err as the admin surface does, for errors that reach
// the app's error handler rather than a route of this surface (a body over
// the server's limit, a request that took too long to arrive): the API's
// problem+json under /admin/api/, the panel's page elsewhere.
func (a *Admin) HandleError(c *fiber.Ctx, err error) error {
	if strings.HasPrefix(c.Path(), panelPrefix+"/api/") {
		return a.writeProblem(c, err)
	}
	setPanelHeaders(c)
	return a.panelError(c, err)
}

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

// writeProblem is the API's one error writer: err as problem+json, with
// WWW-Authenticate on a 401. Headers already set (Retry-After,
// WWW-Authenticate, Cache-Control) are kept.
func (a *Admin) writeProblem(c *fiber.Ctx, err error) error {
	p := a.problemOf(c, err, "admin api")
	if p.Status == fiber.StatusUnauthorized && c.GetRespHeader(fiber.HeaderWWWAuthenticate) == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="`+realm+`"`)
	}
	return sendProblem(c, err, p)
}

// problemOf translates err (cms/problem) for the admin surface, logs what
// is the server's fault (with the request id, for where) and sends
// Retry-After with a 429.
func (a *Admin) problemOf(c *fiber.Ctx, err error, where string) problem.Problem {
	var p problem.Problem
	var fe *fiber.Error
	if errors.As(err, &fe) {
		p = problem.FromStatus(fe.Code, fe.Message)
	} else {
		p = problem.From(err)
	}
	p.Instance, p.RequestID = c.Path(), requestID(c)
	switch {
	case p.Status == fiber.StatusServiceUnavailable:
		a.log.WarnContext(c.UserContext(), where+" unavailable", "err", err, "requestId", p.RequestID)
	case p.Status >= 500:
		a.log.ErrorContext(c.UserContext(), where+" error", "err", err, "requestId", p.RequestID,
			"method", c.Method(), "path", p.Instance)
	}
	sendRetryAfter(c, p)
	return p
}

// sendRetryAfter sends Retry-After with a 429, unless the handler already
// did: the error's wait in whole seconds, at least 1, or a minute when it
// is unknown (problem.Problem.RetryAfter). Every 429 of the panel and the
// admin API passes here.
func sendRetryAfter(c *fiber.Ctx, p problem.Problem) {
	if p.RetryAfter > 0 && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
}

// sendProblem sends p, with the members err adds, as problem+json.
func sendProblem(c *fiber.Ctx, err error, p problem.Problem) error {
	body := apiProblem{Problem: p}
	var m problemMembers
	if errors.As(err, &m) {
		m.addTo(&body)
	}
	body.Retracted = retractedOf(err)
	b, merr := json.Marshal(body)
	if merr != nil {
		return merr
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, problem.ContentType)
	return c.Status(p.Status).Send(b)
}

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
