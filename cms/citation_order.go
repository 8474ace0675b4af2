package cms

import (
	"cmp"
	"html"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ReferenceList is a post's reference list as its style lists it: APA 7
// alphabetically (first author's surname and initials, then the following
// authors, then the year with undated works first, then the title; group
// authors by their name, works without an author by their title, a
// leading "A", "An" or "The" ignored), AMA 11 in order of first citation
// in the body (works listed but not cited follow, in her order). Works by
// the same authors in the same year get APA's letters after the year
// ("2012a", "2012b", "n.d.-a"), assigned in title order, in the list and
// in the in-text citations alike; the APA forms carry them whatever the
// site's style, so both forms of one entry always agree.
//
// The public post, its JSON-LD, its feed item and the editor's preview all
// take their order from here.
type ReferenceList struct {
	Style   CitationStyle
	Entries []ListedReference
	byKey   map[string]int
}

// ListedReference is one work of a reference list.
type ListedReference struct {
	Citation *Citation
	Number   int    // 1-based position in the list: AMA's in-text number
	Suffix   string // APA's letter after the year ("a" in "2012a"), or ""
}

// APA returns the entry in APA 7 style, with its year suffix.
func (r ListedReference) APA() Formatted { return formatAPA(r.Citation, r.Suffix) }

// AMA returns the entry in AMA 11 style.
func (r ListedReference) AMA() Formatted { return FormatAMA(r.Citation) }

// Format returns the entry in style.
func (r ListedReference) Format(style CitationStyle) Formatted {
	if style == StyleAMA {
		return r.AMA()
	}
	return r.APA()
}

// NewReferenceList orders refs (a post's references, without repeats)
// for style. htmlIn is the post's rendered body: its citation
// placeholders give the order of first citation.
func NewReferenceList(style CitationStyle, refs []*Citation, htmlIn string) *ReferenceList {
	l := &ReferenceList{Style: style, byKey: make(map[string]int, len(refs))}
	apa := slices.Clone(refs)
	keys := make(map[*Citation]apaKey, len(refs))
	for _, c := range apa {
		keys[c] = apaSortKey(c)
	}
	slices.SortStableFunc(apa, func(a, b *Citation) int { return keys[a].compare(keys[b]) })
	suffix := make(map[*Citation]string, len(refs))
	for i := 0; i < len(apa); {
		j := i + 1
		for j < len(apa) && keys[apa[i]].sameAuthorsAndYear(keys[apa[j]]) {
			j++
		}
		if j-i > 1 && len(keys[apa[i]].names) > 0 && keys[apa[i]].authored {
			for n, c := range apa[i:j] {
				suffix[c] = letterSuffix(n + 1)
			}
		}
		i = j
	}
	ordered := apa
	if style == StyleAMA {
		ordered = firstCitedOrder(refs, citedKeysInHTML(htmlIn))
	}
	for i, c := range ordered {
		l.Entries = append(l.Entries, ListedReference{Citation: c, Number: i + 1, Suffix: suffix[c]})
		l.byKey[c.Key] = i
	}
	return l
}

// Citations returns the works of the list in its order.
func (l *ReferenceList) Citations() []*Citation {
	out := make([]*Citation, len(l.Entries))
	for i, e := range l.Entries {
		out[i] = e.Citation
	}
	return out
}

// firstCitedOrder returns refs with the works cited (keys, in order of
// first citation) first, then the others in their order.
func firstCitedOrder(refs []*Citation, keys []string) []*Citation {
	out := make([]*Citation, 0, len(refs))
	for _, k := range keys {
		for _, c := range refs {
			if c.Key == k && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for _, c := range refs {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// citedKeysInHTML returns the keys of the citation placeholders of
// rendered HTML, in order of first citation.
func citedKeysInHTML(htmlIn string) []string {
	if !strings.Contains(htmlIn, `<cite class="citation"`) {
		return nil
	}
	var keys []string
	for _, m := range citePlaceholder.FindAllStringSubmatch(htmlIn, -1) {
		for _, it := range decodeCiteItems(html.UnescapeString(m[1])) {
			if !slices.Contains(keys, it.Key) {
				keys = append(keys, it.Key)
			}
		}
	}
	return keys
}

// apaKey is what APA sorts a reference by.
type apaKey struct {
	names    [][2]string // folded surname (or group name, or title) and initials
	authored bool        // names are authors (or editors), not the title
	year     int         // 0: n.d., first
	title    string      // folded, leading article dropped
}

func apaSortKey(c *Citation) apaKey {
	k := apaKey{year: max(c.Year, 0), title: sortFold(dropArticle(plainTitle(c.Title)))}
	names := c.Authors
	if len(names) == 0 && c.Type == CiteBook {
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
