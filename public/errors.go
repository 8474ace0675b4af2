package public

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms/problem"
)

// middleware is the one middleware of the public API (one, to keep the
// read path short): CORS, then the handler, then any error it returned
// turned into problem+json.
func (a *API) middleware(c *fiber.Ctx) error {
	err := a.cors(c)
	if err == nil {
		return nil
	}
	return a.problem(c, err)
}

// HandleError answers err as the public surface does, for errors that
// reach the app's error handler rather than a route of this API: a body
// over the server's limit, a request that took too long to arrive, a
// path no surface serves. The origins allowed to read the API may read
// the refusal too.
func (a *API) HandleError(c *fiber.Ctx, err error) error {
	a.allowErrorRead(c)
	return a.problem(c, err)
}

// allowErrorRead lets the origins allowed to read the API read an error
// that reached the app's error handler (every dialect's Handle*Error).
func (a *API) allowErrorRead(c *fiber.Ctx) {
	if origin := c.Get(fiber.HeaderOrigin); origin != "" {
		allowRead(c, a.allowOrigin(origin))
	}
}

// problem writes err as problem+json, the one error writer of the public
// API: domain errors by kind, Fiber's by status (cms/problem), anything
// else as a logged 500 whose detail reveals nothing.
func (a *API) problem(c *fiber.Ctx, err error) error {
	p := problemOf(err)
	p.Instance, p.RequestID = c.Path(), requestID(c)
	body, _ := json.Marshal(p) // strings, ints and a map of strings: never fails
	return a.sendError(c, err, p, "public API", body, problem.ContentType)
}

// problemOf is how every dialect classifies err: domain errors by kind,
// Fiber's by status (cms/problem), anything else a 500.
func problemOf(err error) problem.Problem {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return problem.FromStatus(fe.Code, fe.Message)
	}
	return problem.From(err)
}

// sendError is the one error writer of the public surfaces: it logs a
// 5xx (but 503) as surface's, passes Retry-After on, says how to send a
// content key on a 401 for one, keeps the answer out of caches and sends
// body, the dialect's rendering of p, with p's status.
func (a *API) sendError(c *fiber.Ctx, err error, p problem.Problem, surface string, body []byte, contentType string) error {
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		a.log.Error(surface, "err", err, "method", c.Method(), "path", c.Path(), "requestId", requestID(c))
	}
	if p.RetryAfter > 0 && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
	if p.Status == http.StatusUnauthorized && (err == errNoContentKey || err == errBadContentKey) {
		// How to send a key (RFC 9110 11.6.1: a 401 says how to
		// authenticate); the Ghost dialect answers an unknown key 401.
		c.Response().Header.SetCanonical(headerWWWAuth, valueWWWAuth)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, contentType)
	return c.Status(p.Status).Send(body)
}

// handleNotFound answers any path no route took (any method: 404 rather
// than 405, as the admin API does).
func (a *API) handleNotFound(*fiber.Ctx) error { return fiber.ErrNotFound }

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return string(c.Response().Header.Peek(fiber.HeaderXRequestID))
}
