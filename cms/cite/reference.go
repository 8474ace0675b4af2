// Package cite owns references as bibliographic data, independent of
// Lullaby's library: the Reference record (CSL-JSON's fields: names,
// dates, title, container, volume, issue, pages, DOI, URL, publisher,
// type), reading it from BibTeX (with LaTeX turned into Unicode), RIS and
// Crossref's JSON, DOI spellings, and writing it out: APA 7 and AMA 11
// reference-list entries and in-text citations, the order each style
// lists a work's references in with APA's year letters (2012a, 2012b),
// sentence case for titles, and CSL-JSON for citation processors.
//
// It imports nothing of Lullaby's. The domain (cms) keeps what makes a
// reference part of the library (its id, version and timestamps, key
// rules, validation, where it is cited) in cms.Citation, which converts
// to a Reference to format it; cms also asks Crossref over the network
// and hands the answer to ParseCrossref. A reference cite cannot read is
// an *Error naming the input at fault; cms turns it into its own kinds.
package cite

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type is the kind of work a reference points to. The values are CSL
// type names, so CSL-JSON carries them unchanged.
type Type string

// Reference types.
const (
	Article Type = "article-journal" // a journal article
	Book    Type = "book"            // a book, authored or edited
	Chapter Type = "chapter"         // a chapter in an edited book
	Report  Type = "report"          // a report, guideline or thesis
	Webpage Type = "webpage"         // a page on a website
)

// Valid reports whether t is a known reference type.
func (t Type) Valid() bool {
	switch t {
	case Article, Book, Chapter, Report, Webpage:
		return true
	}
	return false
}

// Style is how in-text citations and reference lists are written.
type Style string

// Citation styles.
const (
	StyleAPA Style = "apa" // APA 7: (Price et al., 2012), alphabetical list
	StyleAMA Style = "ama" // AMA 11: superscript numbers in order of first citation
)

// Valid reports whether s is a known style.
func (s Style) Valid() bool { return s == StyleAPA || s == StyleAMA }

// Limits on what the parsers read.
const (
	MaxImportBytes   = 1 << 20 // 1 MiB of BibTeX or RIS
	MaxImportEntries = 500     // entries (records) per import
	MaxNames         = 2000    // authors, and separately editors, of one work
	MaxDOILen        = 300
)

// Name is a person (Family and Given) or an organisation (Literal, e.g.
// "American Academy of Pediatrics"). A name with a Literal ignores the other
// two fields.
type Name struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// IsZero reports whether the name is empty.
func (n Name) IsZero() bool { return n.Family == "" && n.Given == "" && n.Literal == "" }

// Reference is one work as bibliographic data. Title may mark words whose
// case every style keeps in braces ("{Ferber}'s method"; see sentenceCase).
type Reference struct {
	Key            string // the citation key ("price2012"): CSL-JSON's id
	Type           Type
	Authors        []Name
	Editors        []Name // of the book a chapter is in, or of an edited book
	Year           int    // 0: no date ("n.d.")
	Month          int    // 1-12; 0: unknown
	Day            int    // 1-31; 0: unknown
	Title          string // as entered; the styles apply their case
	Container      string // journal, book (for a chapter) or website
	ContainerShort string // journal abbreviation for AMA ("J Clin Sleep Med"); "": Container
	Volume         string
	Issue          string
	Pages          string // "643-651"; any dash
	ArticleNumber  string // eLocator, e.g. "e20151486"
	Edition        string // "3" or "3rd" or "Rev."
	Publisher      string
	PublisherPlace string
	DOI            string // bare: "10.1542/peds.2011-3467"
	PMID           string // digits
	PMCID          string // "PMC" and digits
	ISBN           string // the 13 digits of an ISBN-13
	URL            string // http(s) only
	Accessed       string // YYYY-MM-DD
}

var keyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_:-]{0,63}$`)

// ValidKey reports whether s is a well-formed citation key: lower-case
// ASCII letters, digits, '_', ':' and '-', starting with a letter or digit,
// at most 64 bytes. The parsers keep an imported key only when it is one.
func ValidKey(s string) bool { return keyRE.MatchString(s) }

// Error is input cite cannot read or accept. Field names the input at
// fault ("text" for BibTeX or RIS, "doi"); Message is for people; TooLarge
// marks input over MaxImportBytes or MaxImportEntries; NoRecord marks a
// well-formed answer of a catalogue (PubMed, Open Library) that holds no
// record for the identifier asked about.
type Error struct {
	Field    string
	Message  string
	TooLarge bool
	NoRecord bool
}

func (e *Error) Error() string { return e.Message }

func errorf(field, format string, args ...any) *Error {
	return &Error{Field: field, Message: fmt.Sprintf(format, args...)}
}

// NormalizeDOI returns the bare DOI ("10.1542/peds.2011-3467") from any of
// the usual spellings: bare, "doi:10.…", "https://doi.org/10.…",
// "http://dx.doi.org/10.…" (prefixes in any case; URL forms are
// percent-decoded). It returns an *Error naming "doi" for anything else: no
// "10." prefix with a 4-9 digit registrant, an empty suffix, spaces or
// control characters. DOIs are case-insensitive: compare them with
// strings.EqualFold.
func NormalizeDOI(s string) (string, error) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	isURL := false
	for _, p := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/", "doi.org/", "dx.doi.org/"} {
		if strings.HasPrefix(lower, p) {
			s, isURL = s[len(p):], true
			break
		}
	}
	if !isURL && strings.HasPrefix(lower, "doi:") {
		s = strings.TrimLeft(s[len("doi:"):], " ")
	}
	if isURL {
		u, err := url.PathUnescape(s)
		if err != nil {
			return "", errorf("doi", "The DOI link is not correctly encoded.")
		}
		s = u
	}
	if s == "" {
		return "", errorf("doi", "The DOI is empty.")
	}
	if len(s) > MaxDOILen {
		return "", errorf("doi", "The DOI must be at most %d characters.", MaxDOILen)
	}
	if !utf8.ValidString(s) {
		return "", errorf("doi", "The DOI is not valid text.")
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			return "", errorf("doi", "A DOI cannot contain spaces.")
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", errorf("doi", "A DOI cannot contain control characters.")
		}
	}
	if !strings.HasPrefix(s, "10.") {
		return "", errorf("doi", "A DOI starts with \"10.\" (e.g. 10.1542/peds.2011-3467).")
	}
	prefix, suffix, ok := strings.Cut(s, "/")
	if !ok || suffix == "" {
		return "", errorf("doi", "A DOI has a prefix and a suffix separated by \"/\" (e.g. 10.1542/peds.2011-3467).")
	}
	// The registrant code: 4-9 digits, optionally followed by ".digits"
	// subdivisions (10.1000.10/…).
	parts := strings.Split(prefix[len("10."):], ".")
	for i, p := range parts {
		if p == "" || !allDigits(p) || (i == 0 && (len(p) < 4 || len(p) > 9)) {
			return "", errorf("doi", "The DOI prefix must be \"10.\" and a 4 to 9 digit registrant code (e.g. 10.1542/…).")
		}
	}
	return s, nil
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Normalize tidies the reference in place: every string is trimmed, inner
// runs of white space (tabs and newlines included) become one space and
// other control characters are dropped, the key is lower-cased, empty
// names are dropped, a DOI in any accepted spelling becomes the bare
// DOI, a PMCID "PMC" and digits and an ISBN its 13 digits (what cannot be
// normalised is left as it is).
func (r *Reference) Normalize() {
	for _, p := range []*string{&r.Key, &r.Title, &r.Container, &r.ContainerShort, &r.Volume, &r.Issue, &r.Pages,
		&r.ArticleNumber, &r.Edition, &r.Publisher, &r.PublisherPlace, &r.DOI, &r.PMID, &r.PMCID, &r.ISBN, &r.URL, &r.Accessed} {
		*p = CollapseSpace(*p)
	}
	r.Key = strings.ToLower(r.Key)
	r.Authors = normaliseNames(r.Authors)
	r.Editors = normaliseNames(r.Editors)
	if r.DOI != "" {
		if d, err := NormalizeDOI(r.DOI); err == nil {
			r.DOI = d
		}
	}
	if r.PMCID != "" {
		if p, ok := NormalizePMCID(r.PMCID); ok {
			r.PMCID = p
		}
	}
	if r.ISBN != "" {
		if i, err := NormalizeISBN(r.ISBN); err == nil {
			r.ISBN = i
		}
	}
}

func normaliseNames(ns []Name) []Name {
	out := ns[:0]
	for _, n := range ns {
		n.Family, n.Given, n.Literal = CollapseSpace(n.Family), CollapseSpace(n.Given), CollapseSpace(n.Literal)
		if !n.IsZero() {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// CollapseSpace trims s, turns every inner run of white space into a single
// space and drops other control characters (a NUL, an escape).
func CollapseSpace(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				clean = false
			}
			prevSpace = true
		case unicode.IsSpace(r) || unicode.IsControl(r):
			clean = false
		default:
			prevSpace = false
		}
		if !clean {
			break
		}
	}
	if clean && (s == "" || !prevSpace) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// httpURL reports whether s is an absolute http(s) URL with a host and no
// white space, control characters or user name: the only links the
// formatters write.
func httpURL(s string) bool {
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func tooLarge(format string, args ...any) *Error {
	return &Error{Field: "text", Message: fmt.Sprintf(format, args...), TooLarge: true}
}
