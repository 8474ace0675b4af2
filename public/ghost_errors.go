package public

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// Errors of the Ghost dialect, in Ghost's shape rather than problem+json,
// since Ghost clients read errors[0].message and .type:
//
//	{"errors":[{"message":"…","context":"…","type":"BadRequestError",
//	  "details":{…},"property":"filter","help":null,"code":null,
//	  "id":"<uuid>","ghostErrorCode":null}]}
//
// The status is the one our own API gives the same error (cms/problem).

// ghostError is one entry of Ghost's "errors".
type ghostError struct {
	Message        string            `json:"message"`
	Context        *string           `json:"context"`
	Type           string            `json:"type"`
	Details        map[string]string `json:"details"`
	Property       *string           `json:"property"`
	Help           *string           `json:"help"`
	Code           *string           `json:"code"`
	ID             string            `json:"id"`
	GhostErrorCode *string           `json:"ghostErrorCode"`
}

// ghostTypes are Ghost's error types by status.
var ghostTypes = map[int]string{
	http.StatusBadRequest:            "BadRequestError",
	http.StatusUnauthorized:          "UnauthorizedError",
	http.StatusForbidden:             "NoPermissionError",
	http.StatusNotFound:              "NotFoundError",
	http.StatusMethodNotAllowed:      "MethodNotAllowedError",
	http.StatusRequestTimeout:        "RequestTimeoutError",
	http.StatusConflict:              "ConflictError",
	http.StatusRequestEntityTooLarge: "RequestEntityTooLargeError",
	http.StatusTooManyRequests:       "TooManyRequestsError",
	http.StatusServiceUnavailable:    "ServiceUnavailableError",
}

// ghostMiddleware is the dialect's one middleware: CORS, the handler, and
// any error turned into Ghost's shape.
func (a *API) ghostMiddleware(c *fiber.Ctx) error {
	if err := a.cors(c); err != nil {
		return a.ghostProblem(c, err)
	}
	return nil
}

// HandleGhostError answers err in Ghost's shape, for errors that reach the
// app's error handler on a path of the dialect.
func (a *API) HandleGhostError(c *fiber.Ctx, err error) error {
	a.allowErrorRead(c)
	return a.ghostProblem(c, err)
}

// ghostProblem writes err as Ghost's error body with the status our own
// API would give it.
func (a *API) ghostProblem(c *fiber.Ctx, err error) error {
	p := problemOf(err)
	ge := ghostError{Message: p.Detail, Type: ghostTypes[p.Status], ID: newErrorID()}
	if ge.Type == "" {
		ge.Type = "InternalServerError"
	}
	var ce *cms.Error
	if errors.As(err, &ce) && p.Status < 500 {
		if ce.Message != "" {
			ge.Message = ce.Message
		}
		if len(ce.Fields) > 0 {
			ge.Details = ce.Fields
			names := make([]string, 0, len(ce.Fields))
			for k := range ce.Fields {
				names = append(names, k)
			}
			slices.Sort(names)
			parts := make([]string, len(names))
			for i, k := range names {
				parts[i] = k + ": " + ce.Fields[k]
			}
			ctx := strings.Join(parts, " ")
			ge.Context, ge.Property = &ctx, &names[0]
		}
	}
	if p.Status == http.StatusNotFound && ge.Message == "" {
		ge.Message = "Resource not found"
	}
	body, _ := json.Marshal(struct {
		Errors []ghostError `json:"errors"`
	}{[]ghostError{ge}}) // strings and a map of strings: never fails
	c.Response().Header.SetCanonical(headerContentVersion, valueContentVersion)
	return a.sendError(c, err, p, "Ghost API", body, fiber.MIMEApplicationJSONCharsetUTF8)
}

// newErrorID is a random UUID (version 4), as Ghost gives each error.
func newErrorID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
