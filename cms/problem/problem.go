// Package problem is the one translation of errors into HTTP answers:
// StatusOf gives each cms.Kind its one status, and Problem is the RFC 9457
// problem details body of both JSON APIs (/api/v1 and /admin/api/v1).
// From fills a Problem from any error — a *cms.Error's kind, message and
// fields, and nothing of an internal error's text — and FromStatus from a
// refusal made at the HTTP level (no route, a body over the limit, a
// timeout), so that the same kind gets the same status and the same type
// on every surface. The panel shows the same status and detail as an HTML
// page.
//
// It knows net/http's status codes but no web framework: each surface
// sends a Problem with a few lines of its own (admin/errors.go,
// public/errors.go).
package problem

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/lullabycms/lullaby/cms"
)

// ContentType is the media type of a problem body.
const ContentType = "application/problem+json"

// TypePrefix starts every problem's type; the rest is the kind's name
// (cms.Kind.String: "invalid", "not_found", "too_large", …) or, for a
// refusal that has no kind, one of "method_not_allowed",
// "unsupported_media_type", "timeout", "headers_too_large" or
// "http_<status>".
const TypePrefix = "urn:lullaby:problem:"

// Problem is an RFC 9457 problem details body. A surface may embed it to
// add members of its own (the admin API's two-factor challenge).
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	RequestID string `json:"requestId,omitempty"`
	// Errors names every bad field, keyed by the API's names (title,
	// pins[1].title, a query parameter, "body" for the body as a whole).
	Errors map[string]string `json:"errors,omitempty"`
	// RetryAfter is, for a 429, the seconds to send as Retry-After: the
	// error's own wait rounded up, at least 1, else a minute.
	RetryAfter int `json:"-"`
}

// Detail shown for every 500: internal errors are logged, never shown.
const internalDetail = "An internal error occurred."

// StatusOf is the HTTP status of kind, the same on every surface:
//
//	KindInvalid         400  malformed JSON, wrong types, unknown fields, bad
//	                         query parameters or ids, and failed validation
//	                         alike; "errors" names every bad field
//	KindUnauthenticated 401
//	KindForbidden       403
//	KindNotFound        404
//	KindConflict        409  stale version, taken slug or email, wrong state
//	KindTooLarge        413  "errors" names what was too large
//	KindRateLimited     429  always with Retry-After
//	KindInternal        500  generic detail; the error is logged
//	KindUnavailable     503
//	KindUpstream        502  an outside service (PubMed, Open Library) failed
//
// 422 is not used by the APIs: clients tell a validation failure from a
// malformed request by the "errors" member. (The panel re-renders a form
// whose fields are wrong at 422.)
func StatusOf(kind cms.Kind) int {
	switch kind {
	case cms.KindInvalid:
		return http.StatusBadRequest
	case cms.KindNotFound:
		return http.StatusNotFound
	case cms.KindConflict:
		return http.StatusConflict
	case cms.KindUnauthenticated:
		return http.StatusUnauthorized
	case cms.KindForbidden:
		return http.StatusForbidden
	case cms.KindRateLimited:
		return http.StatusTooManyRequests
	case cms.KindUnavailable:
		return http.StatusServiceUnavailable
	case cms.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case cms.KindUpstream:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// statusKinds are the kinds by status, for refusals made at the HTTP
// level, so that a 413 of the server's body limit has the type of a
// KindTooLarge error.
var statusKinds = func() map[int]cms.Kind {
	m := map[int]cms.Kind{}
	for k := range 256 { // every Kind, so that one appended is included
		s := StatusOf(cms.Kind(k))
		if _, seen := m[s]; !seen { // the first: KindInternal for 500
			m[s] = cms.Kind(k)
		}
	}
	return m
}()

// httpTypes name the refusals that have no kind.
var httpTypes = map[int]string{
	http.StatusMethodNotAllowed:            "method_not_allowed",
	http.StatusRequestTimeout:              "timeout",
	http.StatusUnsupportedMediaType:        "unsupported_media_type",
	http.StatusRequestHeaderFieldsTooLarge: "headers_too_large",
}

// defaultDetails are the details of HTTP-level refusals that came without
// a message of their own.
var defaultDetails = map[int]string{
	http.StatusBadRequest:                  "The request is not valid.",
	http.StatusUnauthorized:                "Log in first.",
	http.StatusForbidden:                   "You are not allowed to do this.",
	http.StatusNotFound:                    "There is no such endpoint.",
	http.StatusMethodNotAllowed:            "This endpoint does not accept this method.",
	http.StatusRequestTimeout:              "The request took too long to arrive; try again.",
	http.StatusConflict:                    "The request conflicts with the current state.",
	http.StatusRequestEntityTooLarge:       "The request body is too large.",
	http.StatusUnsupportedMediaType:        "The request body's media type is not accepted.",
	http.StatusTooManyRequests:             "Too many requests; try again later.",
	http.StatusRequestHeaderFieldsTooLarge: "The request headers are too large.",
	http.StatusServiceUnavailable:          "The service is unavailable; try again.",
}

// From is the problem of err: a *cms.Error by its kind (StatusOf), with
// its message and fields; a deadline that passed as unavailable; anything
// else as a 500 that shows nothing of err. The caller sets Instance and
// RequestID, and logs err when the status is 500 or more.
func From(err error) Problem {
	var e *cms.Error
	switch {
	case errors.As(err, &e):
		p := of(e.Kind, e.Message)
		if p.Type != TypePrefix+cms.KindInternal.String() {
			p.Errors = e.Fields
		}
		if e.RetryAfter > 0 && p.RetryAfter > 0 {
			p.RetryAfter = max(int(math.Ceil(e.RetryAfter.Seconds())), 1)
		}
		return p
	case errors.Is(err, context.DeadlineExceeded):
		return of(cms.KindUnavailable, "The request took too long; try again.")
	}
	return of(cms.KindInternal, internalDetail)
}

// FromStatus is the problem of a refusal made at the HTTP level with
// status and detail (a framework's error: no route, a body over the
// limit, a timeout). A detail that is empty or only the status text is
// replaced by a sentence; a 5xx other than 503 shows nothing of detail.
func FromStatus(status int, detail string) Problem {
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	if detail == "" || detail == http.StatusText(status) {
		detail = defaultDetails[status]
		if detail == "" {
			detail = http.StatusText(status) + "."
		}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		detail = internalDetail
	}
	if kind, ok := statusKinds[status]; ok {
		return of(kind, detail)
	}
	p := Problem{Status: status, Title: http.StatusText(status), Detail: detail}
	p.Type = TypePrefix + httpTypes[status]
	if httpTypes[status] == "" {
		p.Type = TypePrefix + "http_" + strconv.Itoa(status)
	}
	return p
}

// of is the problem of kind with detail.
func of(kind cms.Kind, detail string) Problem {
	status := StatusOf(kind)
	switch {
	case status == http.StatusInternalServerError:
		kind, detail = cms.KindInternal, internalDetail
	case detail == "":
		detail = defaultDetails[status]
	}
	p := Problem{Type: TypePrefix + kind.String(), Title: http.StatusText(status), Status: status, Detail: detail}
	if status == http.StatusTooManyRequests {
		p.RetryAfter = 60
	}
	return p
}
