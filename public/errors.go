package public

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Instance  string            `json:"instance"`
	RequestID string            `json:"requestId,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
}

var kindStatus = map[cms.Kind]int{
	cms.KindInvalid:         http.StatusBadRequest,
	cms.KindNotFound:        http.StatusNotFound,
	cms.KindConflict:        http.StatusConflict,
	cms.KindUnauthenticated: http.StatusUnauthorized,
	cms.KindForbidden:       http.StatusForbidden,
	cms.KindRateLimited:     http.StatusTooManyRequests,
	cms.KindUnavailable:     http.StatusServiceUnavailable,
	cms.KindTooLarge:        http.StatusRequestEntityTooLarge,
}

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

// problem writes err as problem+json: domain errors by kind, fiber errors
// by code, anything else as a logged 500 whose detail reveals nothing.
func (a *API) problem(c *fiber.Ctx, err error) error {
	p := Problem{Type: "urn:lullaby:problem:internal", Instance: c.Path(), RequestID: requestID(c)}
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		p.Status, p.Detail = fe.Code, fe.Message
		p.Type = "urn:lullaby:problem:http-" + strconv.Itoa(fe.Code)
		if fe.Code == http.StatusNotFound {
			p.Type = "urn:lullaby:problem:not_found"
		}
	default:
		kind := cms.ErrorKind(err)
		p.Status = kindStatus[kind]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
			a.log.Error("public API", "err", err, "path", c.Path(), "requestId", p.RequestID)
		}
		p.Type = "urn:lullaby:problem:" + kind.String()
		p.Detail = cms.ErrorMessage(err)
		p.Errors = cms.ErrorFields(err)
	}
	p.Title = http.StatusText(p.Status)
	if p.Status == http.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
		secs := 60
		if d := cms.ErrorRetryAfter(err); d > 0 {
			secs = max(int(math.Ceil(d.Seconds())), 1)
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	}
	body, _ := json.Marshal(p)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Status(p.Status).Send(body)
}

func (a *API) handleNotFound(c *fiber.Ctx) error {
	return cms.Errorf(cms.KindNotFound, "public", "No such endpoint: %s %s.", c.Method(), c.Path())
}

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return string(c.Response().Header.Peek(fiber.HeaderXRequestID))
}
