package cms

import (
	"errors"

	"github.com/lullabycms/lullaby/cms/strictjson"
)

// DecodeJSON decodes a request body into dst, a pointer, by the strict
// rules of package strictjson: the one decoder of the admin and the public
// API. Names match exactly (case included), a name given twice, an
// unknown name, a value of the wrong type and a control character in any
// string are refused. Every problem is reported at once, as a KindInvalid
// error whose Fields are keyed by JSON path ("title", "pins[1].title";
// "body" for the body as a whole).
//
// When the body is JSON with problems (JSONMalformed is false), dst holds
// every value that could be decoded, so that a caller whose validation
// has no side effect (the quiz) can report its problems together with
// these (JoinProblems). Nothing may be written from dst then.
func DecodeJSON(op string, body []byte, dst any) error {
	err := strictjson.Decode(body, dst)
	if err == nil {
		return nil
	}
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return &Error{Kind: KindInternal, Op: op, Err: err}
	}
	pr := Problems{}
	for _, p := range se.Problems {
		path := p.Path
		if path == "" {
			path = "body"
		}
		pr.Add(path, p.Message)
	}
	return &Error{Kind: KindInvalid, Op: op, Message: "The request body is not valid.", Fields: pr, Err: err}
}

// JSONMalformed reports whether err, from DecodeJSON, says that the body
// is not JSON at all (so nothing was decoded).
func JSONMalformed(err error) bool {
	var se *strictjson.Error
	return errors.As(err, &se) && se.Malformed
}

// JoinProblems returns one KindInvalid error naming the fields of every
// Invalid error in errs, the first message for a field winning; nil when
// errs hold none. An error of another kind is returned as it is.
func JoinProblems(op string, errs ...error) error {
	pr := Problems{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		if !IsKind(err, KindInvalid) {
			return err
		}
		for k, v := range ErrorFields(err) {
			pr.Add(k, v)
		}
		if len(ErrorFields(err)) == 0 {
			pr.Add("body", ErrorMessage(err))
		}
	}
	return pr.Err(op)
}
