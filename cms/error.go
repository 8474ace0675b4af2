package cms

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind classifies an error so that each surface (JSON API, HTML panel, CLI)
// can translate it in one place. Kinds are only ever appended.
type Kind uint8

// Error kinds.
const (
	KindInternal        Kind = iota // something broke; details are logged, not shown
	KindInvalid                     // the input is wrong; Fields says where
	KindNotFound                    // no such thing
	KindConflict                    // stale version or a taken unique value
	KindUnauthenticated             // no or bad credentials
	KindForbidden                   // authenticated but not allowed
	KindRateLimited                 // too many attempts; try later
	KindUnavailable                 // a dependency (the database) is unreachable
	KindTooLarge                    // the input is larger than allowed (an upload); Fields says which
	KindUpstream                    // a service outside Lullaby (Crossref, PubMed, Open Library) failed or answered something unusable
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "unauthenticated", "forbidden", "rate_limited", "unavailable", "too_large", "upstream"}

// String returns the kind's stable, machine-readable name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "internal"
}

// Error is the domain's error type. Message is written for people and safe to
// show; Err (the cause) is for logs only.
type Error struct {
	Kind    Kind
	Op      string            // the operation, e.g. "cms.UpdatePost"
	Message string            // human message, safe to show to clients
	Fields  map[string]string // per-field messages keyed by the API's camelCase names
	Err     error             // the wrapped cause, never shown to clients
	// RetryAfter is, for a rate-limited error, how long until a retry may
	// succeed (0: unknown); each surface sends it as Retry-After.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Kind.String())
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s", k, e.Fields[k])
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted human message.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of the first *Error in err's chain, KindInternal
// for any other non-nil error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool { return err != nil && ErrorKind(err) == k }

// ErrorMessage returns the message safe to show for err: the *Error's
// Message, or a generic one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != KindInternal && e.Message != "" {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorFields returns the per-field messages carried by err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects per-field validation messages; its Err method returns an
// Invalid error naming every field, or nil when there were none.
type Problems map[string]string

// Add records msg for field unless the field already has a message.
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

// Err returns nil or a KindInvalid *Error listing the problems.
func (p Problems) Err(op string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Op: op, Message: "The input is not valid.", Fields: map[string]string(p)}
}
