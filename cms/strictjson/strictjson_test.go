package strictjson_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/strictjson"
)

type pin struct {
	Title  string `json:"title"`
	Hidden bool   `json:"hidden"`
}

type embedded struct {
	Note string `json:"note"`
}

type input struct {
	embedded
	Title   *string          `json:"title"`
	Count   *int             `json:"count"`
	Ratio   float64          `json:"ratio"`
	Pins    []pin            `json:"pins"`
	Tags    *[]string        `json:"tags"`
	Extra   map[string]int   `json:"extra"`
	At      *time.Time       `json:"at"`
	Raw     json.RawMessage  `json:"raw"`
	Any     any              `json:"any"`
	Small   uint8            `json:"small"`
	Ignored string           `json:"-"`
	Named   map[string]pin   `json:"named"`
	Nested  *struct{ X int } `json:"nested"`
}

func problems(t *testing.T, body string) map[string]string {
	t.Helper()
	var in input
	err := strictjson.Decode([]byte(body), &in)
	if err == nil {
		return nil
	}
	var se *strictjson.Error
	if !errors.As(err, &se) {
		t.Fatalf("%s: error %T %v", body, err, err)
	}
	out := map[string]string{}
	for _, p := range se.Problems {
		out[p.Path] = p.Message
	}
	return out
}

func TestDecode(t *testing.T) {
	t.Parallel()
	var in input
	body := `{"note":"n","title":"T\tab\nline","count":3,"ratio":0.5,"pins":[{"title":"a","hidden":true}],"tags":["x"],
		"extra":{"k":1},"at":"2026-01-02T03:04:05Z","raw":{"A":1,"a":2},"any":[1,"x"],"small":255,"named":{"p":{"title":"q"}},
		"nested":{"X":1},"title2":null}`
	err := strictjson.Decode([]byte(body), &in)
	var se *strictjson.Error
	if !errors.As(err, &se) || len(se.Problems) != 1 || se.Problems[0].Path != "title2" {
		t.Fatalf("err = %v, want only title2 unknown", err)
	}
	if *in.Title != "T\tab\nline" || *in.Count != 3 || in.Pins[0].Title != "a" || in.Note != "n" || in.Named["p"].Title != "q" || in.At.Year() != 2026 {
		t.Errorf("decoded %+v", in)
	}
	// With problems, what is sound is decoded, by exact names only.
	var part input
	body = `{"TITLE":"x","count":2,"ratio":"half","pins":[{"title":"a\u0000"},{"title":"b","hidden":true}],"note":"n","note":"m"}`
	if err := strictjson.Decode([]byte(body), &part); err == nil {
		t.Fatal("no error")
	}
	if part.Title != nil || *part.Count != 2 || part.Ratio != 0 || len(part.Pins) != 2 || part.Pins[0].Title != "" || part.Pins[1].Title != "b" || part.Note != "n" {
		t.Errorf("partly decoded %+v", part)
	}
	for _, ok := range []string{`{}`, ` {"title": null} `, `{"title":"\u2028 line separators are text"}`, `{"pins":null}`} {
		if p := problems(t, ok); p != nil {
			t.Errorf("%s: %v", ok, p)
		}
	}
}

func TestDecodeProblems(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
		want       map[string]string
	}{
		{"CaseMatters", `{"TITLE":"x"}`, map[string]string{"TITLE": "Unknown field."}},
		{"Duplicate", `{"title":"a","title":"b"}`, map[string]string{"title": "Given more than once: each name may appear only once."}},
		{"NUL", `{"title":"a\u0000b"}`, map[string]string{"title": "Must not contain control characters (U+0000 found)."}},
		{"DEL", "{\"title\":\"a\x7fb\"}", map[string]string{"title": "Must not contain control characters (U+007F found)."}},
		{"C1", `{"title":"a\u0085b"}`, map[string]string{"title": "Must not contain control characters (U+0085 found)."}},
		{"NestedControl", `{"pins":[{"title":"ok"},{"title":"bell\u0007"}]}`, map[string]string{"pins[1].title": "Must not contain control characters (U+0007 found)."}},
		{"NestedUnknownAndType", `{"pins":[{"Title":"x","hidden":"yes"}]}`, map[string]string{"pins[0].Title": "Unknown field.", "pins[0].hidden": "Must be true or false."}},
		{"InsideRaw", `{"raw":{"a":"\u0001"}}`, map[string]string{"raw.a": "Must not contain control characters (U+0001 found)."}},
		{"ControlInName", `{"ti\u0000tle":1}`, map[string]string{`"ti\x00tle"`: "Must not contain control characters (U+0000 found)."}},
		{"AllAtOnce", `{"count":"3","ratio":"x","tags":"a","pins":{},"small":256,"extra":{"k":1.5},"nope":1,"title":1}`, map[string]string{
			"count": "Must be a whole number.", "ratio": "Must be a number.", "tags": "Must be an array.", "pins": "Must be an array.",
			"small": "The number is out of range.", "extra.k": "Must be a whole number.", "nope": "Unknown field.", "title": "Must be a string."}},
		{"Fraction", `{"count":1.5}`, map[string]string{"count": "Must be a whole number."}},
		{"NotAnObject", `[1]`, map[string]string{"": "Must be an object."}},
		{"TimeTypeOnly", `{"at":5}`, map[string]string{"at": "Must be a date and time as in RFC 3339 (e.g. 2026-12-06T09:00:00Z)."}},
		{"BadTime", `{"at":"yesterday"}`, map[string]string{"at": "Must be a date and time as in RFC 3339 (e.g. 2026-12-06T09:00:00Z)."}},
		{"Syntax", `{"title":}`, map[string]string{"": "Not valid JSON (at byte 9)."}},
		{"Truncated", `{"title":"x"`, map[string]string{"": "Not valid JSON: the body ends too early."}},
		{"TwoValues", `{}{}`, map[string]string{"": "Send exactly one JSON value."}},
		{"BadUTF8", "{\"title\":\"\xff\"}", map[string]string{"": "Not valid UTF-8 (at byte 10)."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := problems(t, tt.body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s:\n got %q\nwant %q", tt.body, got, tt.want)
			}
		})
	}
}
