package public

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
// The status is the one our own API gives the same error (cms/problem),
// but where Ghost answers otherwise (ghostProblem).

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
	http.StatusUnprocessableEntity:   "ValidationError",
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

// ghostAction is an error of an endpoint of the dialect, with the action
// Ghost's messages name ("list posts", "read post"). Ghost words such an
// error "<kind> error, cannot <action>." and moves its own message into
// the context (prepareUserMessage in @tryghost/mw-error-handler); errors
// met before an endpoint (the key, a path no route serves) keep their
// message, as in Ghost.
type ghostAction struct {
	err    error
	action string
}

func (e *ghostAction) Error() string { return e.err.Error() }
func (e *ghostAction) Unwrap() error { return e.err }

// ghostUserMessages are Ghost's messages for an error of an endpoint, by
// type.
var ghostUserMessages = map[string]string{
	"NotFoundError":        "Resource not found error, cannot %s.",
	"BadRequestError":      "Request not understood error, cannot %s.",
	"ValidationError":      "Validation error, cannot %s.",
	"UnauthorizedError":    "Authorisation error, cannot %s.",
	"NoPermissionError":    "Permission error, cannot %s.",
	"TooManyRequestsError": "Too many requests error, cannot %s.",
}

// ghostAnswer is how Ghost answers one of our refusals, to the word.
type ghostAnswer struct {
	status                int
	typ, message, context string
	code                  string
}

// ghostAnswers are Ghost's answers to the content-key refusals
// (services/auth/api-key/content.js, services/auth/authorize.js): no key
// is 403 "Authorization failed", an unknown (or revoked: deleted) key 401,
// a key sent twice 400.
var ghostAnswers = map[error]ghostAnswer{
	errNoContentKey: {status: http.StatusForbidden, typ: "NoPermissionError", message: "Authorization failed",
		context: "Unable to determine the authenticated member or integration. Check the supplied Content API Key and ensure cookies are being passed through if member auth is failing."},
	errBadContentKey: {status: http.StatusUnauthorized, typ: "UnauthorizedError", message: "Unknown Content API Key",
		code: "UNKNOWN_CONTENT_API_KEY"},
	errContentKeyTwice: {status: http.StatusBadRequest, typ: "BadRequestError", message: "Invalid Request", code: "INVALID_REQUEST"},
}

// ghostProblem writes err as Ghost's error body: the status our own API
// would give it, but 422 ValidationError for a bad parameter other than
// the filter (Ghost's input validators; a filter Ghost cannot parse is
// 400 BadRequestError), and Ghost's own answers to the key refusals.
func (a *API) ghostProblem(c *fiber.Ctx, err error) error {
	p := problemOf(err)
	ge := ghostError{Message: p.Detail, Type: ghostTypes[p.Status], ID: newErrorID()}
	if ge.Type == "" {
		ge.Type = "InternalServerError"
	}
	var context, property string
	var ce *cms.Error
	if errors.As(err, &ce) && p.Status < 500 {
		if ce.Message != "" {
			ge.Message = ce.Message
		}
		if len(ce.Fields) > 0 {
			ge.Details = ce.Fields
			names := slices.Sorted(maps.Keys(ce.Fields))
			parts := make([]string, len(names))
			for i, k := range names {
				parts[i] = k + ": " + ce.Fields[k]
			}
			context, property = strings.Join(parts, " "), names[0]
			if ce.Kind == cms.KindInvalid && ce.Fields["filter"] == "" {
				p.Status, ge.Type = http.StatusUnprocessableEntity, "ValidationError"
			}
		}
	}
	if p.Status == http.StatusNotFound && ce == nil {
		ge.Message = "Resource not found" // a path no route serves
	}
	var ga *ghostAction
	if errors.As(err, &ga) && p.Status < 500 {
		own := ge.Message
		if f, ok := ghostUserMessages[ge.Type]; ok {
			ge.Message = fmt.Sprintf(f, ga.action)
		}
		switch {
		case ge.Type == "ValidationError":
			// context: which parameters, and why
		case len(ge.Details) == 1:
			context = own + ": " + ge.Details[property]
		case context != "":
			context = own + " (" + context + ")"
		default:
			context = own
		}
	}
	if ans, ok := ghostAnswers[err]; ok {
		p.Status, ge.Type, ge.Message, context, property, ge.Details = ans.status, ans.typ, ans.message, ans.context, "", nil
		if ans.code != "" {
			ge.Code = &ans.code
		}
	}
	if context != "" {
		ge.Context = &context
	}
	if property != "" {
		ge.Property = &property
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
