package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Titles are stored as she typed or imported them. Braces mark what must
// keep its case in every style: "{Ferber}'s method" keeps "Ferber" even
// where a style asks for sentence case. The braces never reach readers:
// every output drops them (PlainTitle), and CSL-JSON turns them into
// <span class="nocase">…</span>, the markup citation processors know.

// caseMode says what the first word of a subtitle (after a colon) gets.
type caseMode int

const (
	caseAPA caseMode = iota // APA 7: the subtitle's first word is capitalised
	caseAMA                 // AMA 11: it is lower case ("…: a randomized clinical trial")
)

// titleSpan is a run of a title: protected text (inside braces) is never
// changed.
type titleSpan struct {
	text      string
	protected bool
}

// splitBraces cuts s into protected (braced, at any depth) and free runs,
// dropping the braces. An unmatched "{" protects to the end; an unmatched
// "}" is dropped.
func splitBraces(s string) []titleSpan {
	if !strings.ContainsAny(s, "{}") {
		return []titleSpan{{text: s}}
	}
	var spans []titleSpan
	var cur strings.Builder
	depth := 0
	flush := func(protected bool) {
		if cur.Len() > 0 {
			spans = append(spans, titleSpan{text: cur.String(), protected: protected})
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '{':
			if depth == 0 {
				flush(false)
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				flush(true)
			}
		default:
			cur.WriteRune(r)
		}
	}
	flush(depth > 0)
	return spans
}

// PlainTitle is s without its keep-case braces: the form readers see when
// no case change applies (journal names, AMA book titles, JSON-LD, the
// public "title" field).
func PlainTitle(s string) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	for _, sp := range splitBraces(s) {
		b.WriteString(sp.text)
	}
	return b.String()
}

// cslTitle is s for CSL-JSON: braced runs become <span class="nocase">,
// which citeproc-js and citeproc-rs leave as written; the text is
// otherwise as stored (CSL-JSON carries plain text with that one markup).
func cslTitle(s string) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	for _, sp := range splitBraces(s) {
		if sp.protected {
			b.WriteString(`<span class="nocase">` + sp.text + `</span>`)
		} else {
			b.WriteString(sp.text)
		}
	}
	return b.String()
}

// minorWords are the words title case leaves in lower case (articles,
// conjunctions, prepositions): a title whose only lower-case words are
// these is in title case.
var minorWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "but": true, "or": true, "nor": true, "for": true,
	"so": true, "yet": true, "as": true, "at": true, "by": true, "in": true, "of": true, "off": true,
	"on": true, "per": true, "to": true, "up": true, "via": true, "vs": true, "vs.": true, "with": true,
	"from": true, "into": true, "onto": true, "over": true, "than": true, "upon": true, "about": true,
	"after": true, "among": true, "between": true, "through": true, "during": true, "within": true,
	"without": true, "across": true, "against": true, "under": true, "versus": true, "toward": true,
	"towards": true, "et": true, "al.": true,
}

// titleTok is a run of a title being cased: a protected (braced) run, a
// run of white space, or a run of other text.
type titleTok struct {
	s         string
	protected bool
	space     bool
}

// wordSpan is a word of a title: the tokens first..last (protected runs
// join the words they touch: "{F}erber").
type wordSpan struct{ first, last int }

// sentenceCase returns title in sentence case as the APA 7 and AMA 11
// reference lists want it. A title already in sentence case (it has a
// lower-case word that title case would capitalise) keeps every word as
// typed, proper nouns included; a title in Title Case (or ALL CAPS) has
// its words lowered, except
//   - words with a capital after their first letter: acronyms ("SIDS",
//     "US", "REM", "RCTs", "AAP's") and inner capitals ("iPhone",
//     "McDonald", "mHealth", "O'Brien"); each part of a hyphenated word
//     counts on its own ("Evidence-Based" gives "evidence-based",
//     "Non-REM" gives "non-REM");
//   - single capital letters other than "A" ("vitamin D", "type I");
//   - anything in braces ("{Ferber}"), braces dropped.
//
// Proper nouns in a Title Case title cannot be told from other words and
// come out in lower case: braces keep them. In both cases the first word
// is capitalised, and so is the first word after "?" or "!" (a new
// sentence). After a colon APA capitalises the subtitle's first word and
// AMA lowers it (mode). An ALL CAPS title loses its acronyms too, unless
// braced.
func sentenceCase(title string, mode caseMode) string {
	spans := splitBraces(title)
	var toks []titleTok
	for _, sp := range spans {
		if sp.protected {
			toks = append(toks, titleTok{s: sp.text, protected: true})
			continue
		}
		s := sp.text
		for s != "" {
			r, size := utf8.DecodeRuneInString(s)
			isSpace := unicode.IsSpace(r)
			j := size
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r2) != isSpace {
					break
				}
				j += n
			}
			toks = append(toks, titleTok{s: s[:j], space: isSpace})
			s = s[j:]
		}
	}
	var words []wordSpan
	for i := 0; i < len(toks); {
		if toks[i].space {
			i++
			continue
		}
		j := i
		for j < len(toks) && !toks[j].space {
			j++
		}
		words = append(words, wordSpan{i, j - 1})
		i = j
	}
	freeOf := func(w wordSpan) string {
		var b strings.Builder
		for _, t := range toks[w.first : w.last+1] {
			if !t.protected {
				b.WriteString(t.s)
			}
		}
		return b.String()
	}
	// A word that starts in braces ("{Ferber}'s") says nothing of the
	// case the title is in.
	var evidence []string
	for _, w := range words {
		if !toks[w.first].protected {
			evidence = append(evidence, freeOf(w))
		}
	}
	titleCase, allCaps := isTitleCase(evidence)
	for wi, w := range words {
		startsSentence, afterColon := wi == 0, false
		if wi > 0 {
			prev := strings.TrimRight(freeOf(words[wi-1]), "\"'”’)]")
			switch {
			case strings.HasSuffix(prev, ":"):
				afterColon = true
			case strings.HasSuffix(prev, "?") || strings.HasSuffix(prev, "!"):
				startsSentence = true
			}
		}
		for ti := w.first; ti <= w.last; ti++ {
			t := &toks[ti]
			if t.protected {
				continue
			}
			s := t.s
			if allCaps {
				s = strings.ToLower(s)
			} else if titleCase {
				s = lowerWordParts(s)
			}
			if ti == w.first {
				switch {
				case startsSentence || afterColon && mode == caseAPA:
					s = capitaliseFirst(s)
				case afterColon && mode == caseAMA:
					s = lowerFirst(s)
				}
			}
			t.s = s
		}
	}
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.s)
	}
	return b.String()
}

// isTitleCase reports whether the words are in title case (no lower-case
// word but minor ones), and whether they are all capitals.
func isTitleCase(words []string) (titleCase, allCaps bool) {
	lowerWord, upperLetters, lowerLetters, longWords := false, 0, 0, 0
	for _, f := range words {
		letters := 0
		for _, r := range f {
			switch {
			case unicode.IsUpper(r):
				upperLetters++
				letters++
			case unicode.IsLower(r):
				lowerLetters++
				letters++
			}
		}
		if letters >= 4 {
			longWords++
		}
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(f, "\"'“‘(["))
		if unicode.IsLower(r) && !hasInnerCapital(f) && !minorWords[strings.ToLower(strings.Trim(f, ",;:?!\"'”’)("))] {
			lowerWord = true
		}
	}
	if lowerLetters == 0 && upperLetters > 0 && longWords >= 2 {
		return true, true
	}
	return !lowerWord, false
}

// lowerWordParts lowers each hyphen- or slash-separated part of a word
// unless the part keeps its case (a capital after its first letter, or a
// single capital letter other than "A").
func lowerWordParts(w string) string {
	var b strings.Builder
	start := 0
	for i, r := range w {
		if r == '-' || r == '/' || r == '–' || r == '‐' {
			b.WriteString(lowerPart(w[start:i]))
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	b.WriteString(lowerPart(w[start:]))
	return b.String()
}

func lowerPart(p string) string {
	if hasInnerCapital(p) {
		return p
	}
	letters := 0
	var only rune
	for _, r := range p {
		if unicode.IsLetter(r) {
			letters++
			only = r
		}
	}
	if letters == 1 && unicode.IsUpper(only) && only != 'A' {
		return p // "D" in "vitamin D", "I"
	}
	return strings.ToLower(p)
}

// hasInnerCapital reports whether a letter after the first letter of s is
// a capital ("SIDS", "iPhone", "McDonald", "O'Brien").
func hasInnerCapital(s string) bool {
	seen := false
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if seen && unicode.IsUpper(r) {
			return true
		}
		seen = true
	}
	return false
}

// capitaliseFirst upper-cases the first letter of s when s starts with a
// letter (after opening quotes or brackets) that is not part of a word
// with inner capitals ("iPhone" stays).
func capitaliseFirst(s string) string {
	if hasInnerCapital(s) {
		return s
	}
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
		}
		if !strings.ContainsRune("\"'“‘([¿¡", r) {
			return s
		}
	}
	return s
}

// lowerFirst lowers the first letter of a word that would otherwise be
// lowered in title case: not an acronym, inner capital or single capital.
func lowerFirst(s string) string {
	if hasInnerCapital(s) {
		return s
	}
	return lowerWordParts(s)
}
