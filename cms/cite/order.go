package cite

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// List is a work's reference list as its style lists it: APA 7
// alphabetically (first author's surname and initials, then the following
// authors, then the year with undated works first, then the title; group
// authors by their name, works without an author by their title, a
// leading "A", "An" or "The" ignored), AMA 11 in order of first citation
// (works listed but not cited follow, in the order given). Works by the
// same authors in the same year get APA's letters after the year
// ("2012a", "2012b", "n.d.-a"), assigned in title order, in the list and
// in the in-text citations alike; the APA forms carry them whatever the
// style, so both forms of one entry always agree.
type List struct {
	Style   Style
	Entries []Entry
	byKey   map[string]int
}

// Entry is one work of a List.
type Entry struct {
	Ref    *Reference
	Index  int    // position of Ref among the references given to Order
	Number int    // 1-based position in the list: AMA's in-text number
	Suffix string // APA's letter after the year ("a" in "2012a"), or ""
}

// APA returns the entry in APA 7 style, with its year letter.
func (e Entry) APA() Formatted { return formatAPA(e.Ref, e.Suffix) }

// AMA returns the entry in AMA 11 style.
func (e Entry) AMA() Formatted { return FormatAMA(e.Ref) }

// Format returns the entry in style.
func (e Entry) Format(style Style) Formatted {
	if style == StyleAMA {
		return e.AMA()
	}
	return e.APA()
}

// APAInText is the entry's APA 7 in-text citation, with its year letter:
// "Paruthi et al., 2016a, p. 3" (see APAInText).
func (e Entry) APAInText(locator string) string { return apaInText(e.Ref, e.Suffix, locator) }

// Order lists refs (a work's references, without repeats) for style.
// cited is the keys in order of first citation (AMA's order); keys not
// among refs are ignored.
func Order(style Style, refs []*Reference, cited []string) *List {
	l := &List{Style: style, byKey: make(map[string]int, len(refs))}
	index := make(map[*Reference]int, len(refs))
	keys := make(map[*Reference]apaKey, len(refs))
	for i, r := range refs {
		index[r], keys[r] = i, apaSortKey(r)
	}
	apa := slices.Clone(refs)
	slices.SortStableFunc(apa, func(a, b *Reference) int { return keys[a].compare(keys[b]) })
	suffix := make(map[*Reference]string, len(refs))
	for i := 0; i < len(apa); {
		j := i + 1
		for j < len(apa) && keys[apa[i]].sameAuthorsAndYear(keys[apa[j]]) {
			j++
		}
		if j-i > 1 {
			for n, r := range apa[i:j] {
				suffix[r] = Letters(n + 1)
			}
		}
		i = j
	}
	ordered := apa
	if style == StyleAMA {
		ordered = firstCitedOrder(refs, cited)
	}
	for i, r := range ordered {
		l.Entries = append(l.Entries, Entry{Ref: r, Index: index[r], Number: i + 1, Suffix: suffix[r]})
		l.byKey[r.Key] = i
	}
	return l
}

// Find returns the entry of the work with key.
func (l *List) Find(key string) (Entry, bool) {
	i, ok := l.byKey[key]
	if !ok {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// firstCitedOrder returns refs with the works cited (keys, in order of
// first citation) first, then the others in their order.
func firstCitedOrder(refs []*Reference, keys []string) []*Reference {
	out := make([]*Reference, 0, len(refs))
	for _, k := range keys {
		for _, r := range refs {
			if r.Key == k && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	for _, r := range refs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Letters returns "a" for 1, "z" for 26, "aa" for 27 (spreadsheet columns
// in lower case): APA's year letters, and the letters that tell generated
// citation keys apart.
func Letters(i int) string {
	var b []byte
	for i > 0 {
		i--
		b = append([]byte{byte('a' + i%26)}, b...)
		i /= 26
	}
	return string(b)
}

// apaKey is what APA sorts a reference by.
type apaKey struct {
	names    [][2]string // folded surname (or group name, or title) and initials
	authored bool        // names are authors (or editors), not the title
	year     int         // 0: n.d., first
	title    string      // folded, leading article dropped
}

func apaSortKey(c *Reference) apaKey {
	k := apaKey{year: max(c.Year, 0), title: sortFold(dropArticle(PlainTitle(c.Title)))}
	names := c.Authors
	if len(names) == 0 && c.Type == Book {
		names = c.Editors
	}
	for _, n := range names {
		if n.Literal != "" {
			k.names = append(k.names, [2]string{sortFold(dropArticle(n.Literal)), ""})
		} else {
			k.names = append(k.names, [2]string{sortFold(n.Family), sortFold(apaInitials(n.Given))})
		}
	}
	k.authored = len(k.names) > 0
	if !k.authored {
		k.names = [][2]string{{k.title, ""}}
	}
	return k
}

// compare orders a before b (<0) as APA 7 (9.44-9.47) does: "nothing
// precedes something", so a sole author comes before the same author with
// others.
func (a apaKey) compare(b apaKey) int {
	for i := range min(len(a.names), len(b.names)) {
		if c := cmp.Compare(a.names[i][0], b.names[i][0]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.names[i][1], b.names[i][1]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(a.names), len(b.names)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.year, b.year); c != 0 {
		return c
	}
	return cmp.Compare(a.title, b.title)
}

func (a apaKey) sameAuthorsAndYear(b apaKey) bool {
	return a.authored && b.authored && a.year == b.year && slices.Equal(a.names, b.names)
}

// dropArticle drops a leading "A", "An" or "The" (APA alphabetises by the
// first significant word).
func dropArticle(s string) string {
	s = strings.TrimLeft(s, " \"'“‘(")
	for _, a := range []string{"a ", "an ", "the "} {
		if len(s) > len(a) && strings.EqualFold(s[:len(a)], a) {
			return s[len(a):]
		}
	}
	return s
}

// sortFold folds s for letter-by-letter sorting: lower case, accents
// dropped, only letters and digits kept ("D'Ambrosio" sorts as
// "dambrosio", "MacArthur" before "McAllister").
func sortFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
