package problem_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/problem"
)

// TestStatusOfEveryKind gives every kind its own status, named by the
// kind; an unknown kind is a 500.
func TestStatusOfEveryKind(t *testing.T) {
	t.Parallel()
	want := map[cms.Kind]int{
		cms.KindInternal: 500, cms.KindInvalid: 400, cms.KindNotFound: 404, cms.KindConflict: 409,
		cms.KindUnauthenticated: 401, cms.KindForbidden: 403, cms.KindRateLimited: 429,
		cms.KindUnavailable: 503, cms.KindTooLarge: 413, cms.KindUpstream: 502,
	}
	seen := map[int]cms.Kind{}
	for k, status := range want {
		if got := problem.StatusOf(k); got != status {
			t.Errorf("StatusOf(%s) = %d, want %d", k, got, status)
		}
		if other, dup := seen[status]; dup {
			t.Errorf("%s and %s share %d", k, other, status)
		}
		seen[status] = k
	}
	if got := problem.StatusOf(cms.Kind(200)); got != 500 {
		t.Errorf("StatusOf(unknown) = %d, want 500", got)
	}
}

func TestFrom(t *testing.T) {
	t.Parallel()
	fields := map[string]string{"title": "A title is required."}
	for _, tc := range []struct {
		name string
		err  error
		want problem.Problem
	}{
		{"Invalid", fmt.Errorf("wrapped: %w", &cms.Error{Kind: cms.KindInvalid, Message: "The input is not valid.", Fields: fields}),
			problem.Problem{Type: problem.TypePrefix + "invalid", Title: "Bad Request", Status: 400, Detail: "The input is not valid.", Errors: fields}},
		{"ForbiddenWithoutMessage", &cms.Error{Kind: cms.KindForbidden},
			problem.Problem{Type: problem.TypePrefix + "forbidden", Title: "Forbidden", Status: 403, Detail: "You are not allowed to do this."}},
		{"RateLimitedWait", &cms.Error{Kind: cms.KindRateLimited, Message: "Wait.", RetryAfter: 1200 * time.Millisecond},
			problem.Problem{Type: problem.TypePrefix + "rate_limited", Title: "Too Many Requests", Status: 429, Detail: "Wait.", RetryAfter: 2}},
		{"RateLimitedNoWait", &cms.Error{Kind: cms.KindRateLimited, Message: "Wait."},
			problem.Problem{Type: problem.TypePrefix + "rate_limited", Title: "Too Many Requests", Status: 429, Detail: "Wait.", RetryAfter: 60}},
		{"InternalShowsNothing", &cms.Error{Kind: cms.KindInternal, Message: "secret", Fields: map[string]string{"dsn": "secret"}, Err: errors.New("secret")},
			problem.Problem{Type: problem.TypePrefix + "internal", Title: "Internal Server Error", Status: 500, Detail: "An internal error occurred."}},
		{"UnknownKindIsInternal", &cms.Error{Kind: cms.Kind(200), Message: "secret"},
			problem.Problem{Type: problem.TypePrefix + "internal", Title: "Internal Server Error", Status: 500, Detail: "An internal error occurred."}},
		{"PlainError", errors.New("dial tcp 10.0.0.1: secret"),
			problem.Problem{Type: problem.TypePrefix + "internal", Title: "Internal Server Error", Status: 500, Detail: "An internal error occurred."}},
		{"Deadline", fmt.Errorf("find: %w", context.DeadlineExceeded),
			problem.Problem{Type: problem.TypePrefix + "unavailable", Title: "Service Unavailable", Status: 503, Detail: "The request took too long; try again."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := problem.From(tc.err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("From = %+v\nwant   %+v", got, tc.want)
			}
		})
	}
}

func TestFromStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status             int
		detail             string
		wantType, wantText string
	}{
		{413, "Request Entity Too Large", "too_large", "The request body is too large."},
		{413, "The limit is 2 MiB.", "too_large", "The limit is 2 MiB."},
		{404, "Not Found", "not_found", "There is no such endpoint."},
		{429, "", "rate_limited", "Too many requests; try again later."},
		{405, "Method Not Allowed", "method_not_allowed", "This endpoint does not accept this method."},
		{408, "Request Timeout", "timeout", "The request took too long to arrive; try again."},
		{415, "Send JSON.", "unsupported_media_type", "Send JSON."},
		{431, "", "headers_too_large", "The request headers are too large."},
		{418, "", "http_418", "I'm a teapot."},
		{502, "dial tcp 10.0.0.1: secret", "upstream", "An internal error occurred."},
		{500, "secret", "internal", "An internal error occurred."},
		{200, "fine", "internal", "An internal error occurred."},
	} {
		p := problem.FromStatus(tc.status, tc.detail)
		if p.Type != problem.TypePrefix+tc.wantType || p.Detail != tc.wantText || p.Title == "" || p.Status < 400 {
			t.Errorf("FromStatus(%d, %q) = %+v, want type %s, detail %q", tc.status, tc.detail, p, tc.wantType, tc.wantText)
		}
	}
	if p := problem.FromStatus(429, ""); p.RetryAfter != 60 {
		t.Errorf("a 429 without a wait: RetryAfter %d, want 60", p.RetryAfter)
	}
}
