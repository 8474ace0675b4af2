package cms

import "fmt"

// Control characters in stored text. JSON bodies are checked already by
// the one decoder (cms/strictjson: no C0 control but tab and line breaks,
// no DEL, no C1 control, in any string); these checks hold for text from
// every source (panel forms, imports, the API) and add the rule of fields
// of one line — titles, names, labels, alt texts, tags — which take no
// control character at all, tab and line breaks included.

// controlIn returns the first control character in s that a field may
// not hold: any, or, when multiline, any but tab, line feed and carriage
// return.
func controlIn(s string, multiline bool) (rune, bool) {
	for _, r := range s {
		if r < 0x20 && !(multiline && (r == '\t' || r == '\n' || r == '\r')) || r >= 0x7f && r <= 0x9f {
			return r, true
		}
	}
	return 0, false
}

// checkLine records a problem for field when s, a field of one line,
// holds a control character.
func checkLine(pr Problems, field, s string) {
	if r, bad := controlIn(s, false); bad {
		msg := fmt.Sprintf("Must not contain control characters (U+%04X found).", r)
		if r == '\t' || r == '\n' || r == '\r' {
			msg = "Must be one line: no tabs or line breaks."
		}
		pr.Add(field, msg)
	}
}

// checkText records a problem for field when s, multi-line text, holds a
// control character other than tab and line breaks.
func checkText(pr Problems, field, s string) {
	if r, bad := controlIn(s, true); bad {
		pr.Add(field, fmt.Sprintf("Must not contain control characters (U+%04X found).", r))
	}
}
