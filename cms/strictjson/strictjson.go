// Package strictjson decodes JSON request bodies strictly and reports
// every problem of a body at once, each named by its JSON path
// ("title", "pins[1].title", "results.below.cta.url").
//
// The rules, for every surface that takes JSON:
//   - the body is one JSON value of valid UTF-8, nothing after it;
//   - object member names match the Go struct's JSON names exactly,
//     case included ({"TITLE": ...} is an unknown field, not "title");
//   - a name given twice in one object is refused;
//   - a name the destination does not have is refused;
//   - a value of the wrong type (a string for a number, a fraction for an
//     integer, an object for a list) is refused;
//   - no string, member name included, may hold a control character:
//     U+0000 to U+001F except tab, line feed and carriage return, U+007F
//     and U+0080 to U+009F. Tab and line breaks are allowed here because
//     multi-line text (a post's body, a description) needs them; fields
//     of one line refuse them in their own validation. U+2028 and U+2029
//     are ordinary text and allowed.
//
// The package knows nothing of HTTP or of the domain; see cms.DecodeJSON.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Problem is one problem of a body: the JSON path of the value ("" for
// the body itself) and a message for people.
type Problem struct {
	Path    string
	Message string
}

// Error lists every problem found in a body, in document order.
type Error struct {
	Problems []Problem
	// Malformed is true when the body is not JSON at all (a syntax error,
	// invalid UTF-8, more than one value): then Problems has one entry for
	// the body, and nothing was decoded.
	Malformed bool
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		path := p.Path
		if path == "" {
			path = "body"
		}
		parts[i] = path + ": " + p.Message
	}
	return "strictjson: " + strings.Join(parts, "; ")
}

// MaxProblems bounds the problems reported for one body.
const MaxProblems = 100

// maxName bounds a member name as shown in a path.
const maxName = 64

// Decode decodes data into dst, which must be a non-nil pointer, by the
// rules of the package. It returns nil or an *Error listing every
// problem. When the body is well-formed JSON with problems (Malformed is
// false), dst still holds every value that could be decoded, so that a
// caller may validate them and report the rest of the problems with
// these; it must not act on dst.
func Decode(data []byte, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("strictjson: Decode needs a non-nil pointer")
	}
	w := walker{dec: jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true)), out: make([]byte, 0, len(data))}
	if _, err := w.value(rv.Type().Elem(), ""); err != nil {
		return malformed(err, w.dec.InputOffset())
	}
	if _, err := w.dec.ReadToken(); !errors.Is(err, io.EOF) {
		return &Error{Malformed: true, Problems: []Problem{{"", "Send exactly one JSON value."}}}
	}
	if w.found > 0 {
		// Decode what is sound — the copy of the body without the values
		// in error — so that a caller can validate it too. (Decoding the
		// body itself would let encoding/json match {"TITLE": ...} to
		// "title", case-insensitively.)
		_ = json.Unmarshal(w.out, dst)
		return &Error{Problems: w.problems}
	}
	// Every name is exact, unique and known and every value of the right
	// type: encoding/json decodes the body the same way.
	if err := json.Unmarshal(data, dst); err != nil {
		return &Error{Problems: []Problem{unmarshalProblem(err)}}
	}
	return nil
}

// malformed describes a syntax error met at byte offset.
func malformed(err error, offset int64) *Error {
	msg := "Not valid JSON."
	var se *jsontext.SyntacticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		msg = "Not valid JSON: the body ends too early."
	case errors.As(err, &se):
		msg = fmt.Sprintf("Not valid JSON (at byte %d).", se.ByteOffset)
		if strings.Contains(se.Error(), "UTF-8") {
			msg = fmt.Sprintf("Not valid UTF-8 (at byte %d).", se.ByteOffset)
		}
	default:
		msg = fmt.Sprintf("Not valid JSON (at byte %d).", offset)
	}
	return &Error{Malformed: true, Problems: []Problem{{"", msg}}}
}

func unmarshalProblem(err error) Problem {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return Problem{te.Field, "Must be " + typeName(te.Type) + "."}
	}
	return Problem{"", "A value is not valid: " + err.Error()}
}

// walker checks one body token by token against a Go type.
type walker struct {
	dec      *jsontext.Decoder
	problems []Problem
	found    int    // problems found, MaxProblems or more
	out      []byte // the body without the values in error
}

func (w *walker) add(path, msg string) {
	w.found++
	if len(w.problems) < MaxProblems {
		w.problems = append(w.problems, Problem{path, msg})
	}
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
	timeType            = reflect.TypeFor[time.Time]()
)

// value checks the next value against t (nil: any value) and copies it
// to w.out. It reports whether the value is sound: an object or array of
// the right type is, whatever its members, since only those in error are
// left out of the copy. It returns only syntax errors; the rest are
// recorded.
func (w *walker) value(t reflect.Type, path string) (bool, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Interface {
		t = nil
	}
	if t != nil && t != numberType && (reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)) {
		return w.custom(t, path)
	}
	tok, err := w.dec.ReadToken()
	if err != nil {
		return false, err
	}
	before := w.found
	switch tok.Kind() {
	case 'n':
		w.out = append(w.out, "null"...)
	case 't', 'f':
		if t != nil && t.Kind() != reflect.Bool {
			w.add(path, "Must be "+typeName(t)+".")
		}
		w.out = append(w.out, tok.String()...)
	case '"':
		str := tok.String()
		w.checkText(path, str)
		if t != nil && t.Kind() != reflect.String && !isBytes(t) {
			w.add(path, "Must be "+typeName(t)+".")
		}
		w.out, _ = jsontext.AppendQuote(w.out, str)
	case '0':
		raw := tok.String()
		w.checkNumber(t, path, raw)
		w.out = append(w.out, raw...)
	case '{':
		return w.object(t, path)
	case '[':
		return w.array(t, path)
	}
	return w.found == before, nil
}

// custom checks a value that t decodes by its own rules (a time, a raw
// message): its strings and names by the package's rules, then the value
// by t's own decoder.
func (w *walker) custom(t reflect.Type, path string) (bool, error) {
	raw, err := w.dec.ReadValue()
	if err != nil {
		return false, err
	}
	sub := walker{dec: jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))}
	if _, err := sub.value(nil, path); err != nil {
		return false, err
	}
	for _, p := range sub.problems {
		w.add(p.Path, p.Message)
	}
	if sub.found > 0 {
		return false, nil
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case t == timeType:
			w.add(path, "Must be a date and time as in RFC 3339 (e.g. 2026-12-06T09:00:00Z).")
		case errors.As(err, &te) || strings.Contains(err.Error(), "not a JSON string"):
			w.add(path, "Must be a string.")
		default:
			w.add(path, "Not a valid value.")
		}
		return false, nil
	}
	w.out = append(w.out, raw...)
	return true, nil
}

func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

func (w *walker) checkNumber(t reflect.Type, path, raw string) {
	if t == nil || t == numberType {
		return
	}
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(raw, 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(raw, 10, t.Bits())
	case reflect.Float32, reflect.Float64:
		if _, perr := strconv.ParseFloat(raw, t.Bits()); perr != nil {
			w.add(path, "The number is out of range.")
		}
		return
	default:
		w.add(path, "Must be "+typeName(t)+".")
		return
	}
	switch {
	case err == nil:
	case strings.ContainsAny(raw, ".eE"):
		w.add(path, "Must be a whole number.")
	case strings.HasPrefix(raw, "-") && t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		w.add(path, "Must be 0 or more.")
	default:
		w.add(path, "The number is out of range.")
	}
}

// object checks the members of an object whose '{' was read; see value.
func (w *walker) object(t reflect.Type, path string) (bool, error) {
	var fields map[string]reflect.Type // a struct's names
	var elem reflect.Type              // a map's values
	wrong := false                     // not an object: said once, members skipped
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		default:
			w.add(path, "Must be "+typeName(t)+".")
			wrong = true
		}
	}
	w.out = append(w.out, '{')
	seen := map[string]bool{}
	first := true
	for w.dec.PeekKind() != '}' {
		tok, err := w.dec.ReadToken()
		if err != nil {
			return false, err
		}
		name := tok.String()
		p := join(path, name)
		sound := w.checkText(p, name)
		if seen[name] {
			w.add(p, "Given more than once: each name may appear only once.")
			sound = false
		}
		seen[name] = true
		if wrong {
			if err := w.dec.SkipValue(); err != nil {
				return false, err
			}
			continue
		}
		ft := elem
		if fields != nil {
			var known bool
			if ft, known = fields[name]; !known && sound {
				w.add(p, "Unknown field.")
			}
			sound = sound && known
		}
		start := len(w.out)
		if !first {
			w.out = append(w.out, ',')
		}
		w.out, _ = jsontext.AppendQuote(w.out, name)
		w.out = append(w.out, ':')
		ok, err := w.value(ft, p)
		if err != nil {
			return false, err
		}
		if ok && sound {
			first = false
		} else {
			w.out = w.out[:start]
		}
	}
	_, err := w.dec.ReadToken()
	w.out = append(w.out, '}')
	return !wrong, err
}

// array checks the items of an array whose '[' was read; see value.
func (w *walker) array(t reflect.Type, path string) (bool, error) {
	var elem reflect.Type
	if t != nil {
		if (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) || isBytes(t) {
			w.add(path, "Must be "+typeName(t)+".")
			for w.dec.PeekKind() != ']' {
				if err := w.dec.SkipValue(); err != nil {
					return false, err
				}
			}
			_, err := w.dec.ReadToken()
			return false, err
		}
		elem = t.Elem()
	}
	w.out = append(w.out, '[')
	first := true
	for i := 0; w.dec.PeekKind() != ']'; i++ {
		start := len(w.out)
		if !first {
			w.out = append(w.out, ',')
		}
		ok, err := w.value(elem, path+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return false, err
		}
		if ok {
			first = false
		} else {
			w.out = w.out[:start]
		}
	}
	_, err := w.dec.ReadToken()
	w.out = append(w.out, ']')
	return true, err
}

// checkText records a control character in s and reports whether there
// was none.
func (w *walker) checkText(path, s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
			w.add(path, fmt.Sprintf("Must not contain control characters (U+%04X found).", r))
			return false
		}
	}
	return true
}

// join appends a member name to a path, shortened and quoted when it
// would not read well.
func join(path, name string) string {
	if len(name) > maxName {
		name = name[:maxName] + "…"
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '.' || r == '[' }) {
		name = strconv.Quote(name)
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

// fieldsOf returns the JSON names of struct t's fields and their types,
// by encoding/json's rules: the tag's name or else the field's name, "-"
// skipped, untagged embedded structs flattened (outer names win).
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	for _, et := range embedded {
		for name, ft := range fieldsOf(et) {
			if _, ok := m[name]; !ok {
				m[name] = ft
			}
		}
	}
	fieldCache.Store(t, m)
	return m
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// typeName describes t for people: "a string", "a whole number", ...
func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == numberType {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if isBytes(t) {
			return "a string"
		}
		return "an array"
	default:
		return "an object"
	}
}
