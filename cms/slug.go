package cms

import (
	"strings"

	"github.com/gosimple/slug"
	"golang.org/x/text/unicode/norm"
)

// Slugify turns a title into a URL slug: lower case ASCII letters, digits
// and hyphens, with accented letters transliterated ("Schlaf für Babys" ->
// "schlaf-fur-babys"). It returns "" when nothing usable is left.
func Slugify(s string) string {
	var out string
	if plainWords(s) {
		// What gosimple/slug makes of these, without loading its
		// transliteration tables (1.5 MB kept once loaded).
		out = strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !isASCIIAlnum(r) }), "-"))
	} else {
		out = slug.Make(norm.NFC.String(s))
	}
	// gosimple/slug keeps underscores; slugs here are letters, digits and
	// single hyphens.
	out = strings.Trim(strings.Join(strings.FieldsFunc(out, func(r rune) bool { return r == '_' || r == '-' }), "-"), "-")
	if len(out) > MaxSlugLen {
		out = strings.TrimRight(out[:MaxSlugLen], "-")
	}
	return out
}

// plainWords reports whether s is only ASCII letters, digits, spaces,
// hyphens and underscores: words that gosimple/slug only lower-cases and
// joins with hyphens.
func plainWords(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isASCIIAlnum(rune(c)) && c != ' ' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// slugProblem returns why s is not a valid slug, or "".
func slugProblem(s string) string {
	switch {
	case s == "":
		return "A slug is required."
	case len(s) > MaxSlugLen:
		return "The slug must be at most 120 characters."
	case !isSlug(s):
		return "Use lower-case letters, digits and single hyphens only (e.g. why-babies-wake-at-night)."
	}
	return ""
}

// isSlug reports whether s is lower-case ASCII letters and digits in groups
// joined by single hyphens.
func isSlug(s string) bool {
	prevHyphen := true // no leading hyphen
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevHyphen = false
		case c == '-' && !prevHyphen:
			prevHyphen = true
		default:
			return false
		}
	}
	return !prevHyphen
}
