package cms

import (
	"html"
	"slices"
	"strings"

	"github.com/lullabycms/lullaby/cms/cite"
)

// A citation's forms come from cite; these are the library's entry
// points, taking a *Citation.

// Formatted is a reference rendered in one style: Text is plain text,
// HTML is safe to insert into a page as is.
type Formatted = cite.Formatted

// CSLItem is one reference in CSL-JSON; CSLName and CSLDate its parts.
type (
	CSLItem = cite.CSLItem
	CSLName = cite.CSLName
	CSLDate = cite.CSLDate
)

// FormatAPA renders c in APA 7 reference-list style (cite.FormatAPA).
func FormatAPA(c *Citation) Formatted { return cite.FormatAPA(c.Reference()) }

// FormatAMA renders c in AMA 11 reference-list style (cite.FormatAMA).
func FormatAMA(c *Citation) Formatted { return cite.FormatAMA(c.Reference()) }

// APAInText returns the APA 7 in-text citation of c without the
// parentheses (cite.APAInText).
func APAInText(c *Citation, locator string) string { return cite.APAInText(c.Reference(), locator) }

// CSLJSON converts c to a CSL-JSON item whose id is its key (its store id
// when it has no key).
func CSLJSON(c *Citation) CSLItem {
	it := cite.CSLJSON(c.Reference())
	if it.ID == "" {
		it.ID = c.ID
	}
	return it
}

// ParseBibTeX reads BibTeX entries into unsaved citations, in order
// (cite.ParseBibTeX). Errors: KindInvalid naming the line, KindTooLarge.
func ParseBibTeX(src string) ([]Citation, error) {
	refs, err := cite.ParseBibTeX(src)
	return citationsOf("cms.ParseBibTeX", refs, err)
}

// ParseRIS reads RIS records into unsaved citations, in order
// (cite.ParseRIS). Errors: KindInvalid naming the line, KindTooLarge.
func ParseRIS(src string) ([]Citation, error) {
	refs, err := cite.ParseRIS(src)
	return citationsOf("cms.ParseRIS", refs, err)
}

func citationsOf(op string, refs []cite.Reference, err error) ([]Citation, error) {
	if err != nil {
		return nil, citeError(op, err)
	}
	out := make([]Citation, len(refs))
	for i := range refs {
		out[i] = citationOf(&refs[i])
	}
	return out, nil
}

// CitationStyle is how in-text citations and reference lists are written.
type CitationStyle = cite.Style

// Citation styles.
const (
	StyleAPA = cite.StyleAPA // APA 7: (Price et al., 2012), alphabetical list
	StyleAMA = cite.StyleAMA // AMA 11: superscript numbers in order of first citation
)

// ReferenceList is a post's reference list as its style lists it
// (cite.List: APA alphabetically with year letters, AMA in order of first
// citation in the body). The public post, its JSON-LD, its feed item and
// the editor's previews all take their order from here.
type ReferenceList struct {
	Style   CitationStyle
	Entries []ListedReference
	list    *cite.List
}

// ListedReference is one work of a reference list: its place, year letter
// and forms (cite.Entry) and the library's citation.
type ListedReference struct {
	Citation *Citation
	cite.Entry
}

// NewReferenceList orders refs (a post's references, without repeats)
// for style. htmlIn is the post's rendered body: its citation
// placeholders give the order of first citation.
func NewReferenceList(style CitationStyle, refs []*Citation, htmlIn string) *ReferenceList {
	rs := make([]*cite.Reference, len(refs))
	for i, c := range refs {
		rs[i] = c.Reference()
	}
	l := &ReferenceList{Style: style, list: cite.Order(style, rs, citedKeysInHTML(htmlIn))}
	for _, e := range l.list.Entries {
		l.Entries = append(l.Entries, ListedReference{Citation: refs[e.Index], Entry: e})
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
