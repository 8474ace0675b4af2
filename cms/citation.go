package cms

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CitationType is the kind of work a citation points to. The values are CSL
// type names, so CSL-JSON carries them unchanged.
type CitationType string

// Citation types.
const (
	CiteArticle CitationType = "article-journal" // a journal article
	CiteBook    CitationType = "book"            // a book, authored or edited
	CiteChapter CitationType = "chapter"         // a chapter in an edited book
	CiteReport  CitationType = "report"          // a report, guideline or thesis
	CiteWebpage CitationType = "webpage"         // a page on a website
)

// Valid reports whether t is a known citation type.
func (t CitationType) Valid() bool {
	switch t {
	case CiteArticle, CiteBook, CiteChapter, CiteReport, CiteWebpage:
		return true
	}
	return false
}

// Limits on citation fields, in characters (runes) unless said otherwise.
const (
	MaxCitationNames     = 2000 // authors, and separately editors
	MaxCitationTitleLen  = 1000
	MaxCitationNameLen   = 300 // each of family, given, literal
	MaxCitationShortLen  = 100 // volume, issue, pages, article number, edition
	MaxCitationMediumLen = 500 // publisher, place
	MaxCitationKeyLen    = 64
	MaxDOILen            = 300
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

// Citation is one reference in the library: a structured record from which
// APA, AMA and CSL-JSON forms are derived. Key is the short citation key used
// in post bodies ("[@price2012]"); it is unique in the library.
type Citation struct {
	ID             string       `json:"id"`
	Key            string       `json:"key"`
	Type           CitationType `json:"type"`
	Authors        []Name       `json:"authors"`
	Editors        []Name       `json:"editors"`        // of the book a chapter is in, or of an edited book
	Year           int          `json:"year"`           // 0: no date ("n.d.")
	Month          int          `json:"month"`          // 1-12; 0: unknown
	Day            int          `json:"day"`            // 1-31; 0: unknown
	Title          string       `json:"title"`          // kept as entered: no automatic sentence case
	Container      string       `json:"container"`      // journal, book (for a chapter) or website
	ContainerShort string       `json:"containerShort"` // journal abbreviation for AMA ("J Clin Sleep Med"); "": Container
	Volume         string       `json:"volume"`
	Issue          string       `json:"issue"`
	Pages          string       `json:"pages"`         // "643-651"; any dash
	ArticleNumber  string       `json:"articleNumber"` // eLocator, e.g. "e20151486"
	Edition        string       `json:"edition"`       // "3" or "3rd" or "Rev."
	Publisher      string       `json:"publisher"`
	PublisherPlace string       `json:"publisherPlace"`
	DOI            string       `json:"doi"`      // bare: "10.1542/peds.2011-3467"
	PMID           string       `json:"pmid"`     // digits
	URL            string       `json:"url"`      // http(s) only
	Accessed       string       `json:"accessed"` // YYYY-MM-DD
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"createdAt"`
	UpdatedAt      time.Time    `json:"updatedAt"`
}

var citationKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_:-]{0,63}$`)

// ValidCitationKey reports whether s is a well-formed citation key: lower-case
// ASCII letters, digits, '_', ':' and '-', starting with a letter or digit, at
// most 64 bytes.
func ValidCitationKey(s string) bool { return citationKeyRE.MatchString(s) }

// NormalizeDOI returns the bare DOI ("10.1542/peds.2011-3467") from any of
// the usual spellings: bare, "doi:10.…", "https://doi.org/10.…",
// "http://dx.doi.org/10.…" (prefixes in any case; URL forms are
// percent-decoded). It returns a KindInvalid error for anything else: no
// "10." prefix with a 4-9 digit registrant, an empty suffix, spaces or
// control characters. DOIs are case-insensitive: compare them with
// strings.EqualFold.
func NormalizeDOI(s string) (string, error) {
	const op = "cms.NormalizeDOI"
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
			return "", Errorf(KindInvalid, op, "The DOI link is not correctly encoded.")
		}
		s = u
	}
	if s == "" {
		return "", Errorf(KindInvalid, op, "The DOI is empty.")
	}
	if len(s) > MaxDOILen {
		return "", Errorf(KindInvalid, op, "The DOI must be at most %d characters.", MaxDOILen)
	}
	if !utf8.ValidString(s) {
		return "", Errorf(KindInvalid, op, "The DOI is not valid text.")
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			return "", Errorf(KindInvalid, op, "A DOI cannot contain spaces.")
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", Errorf(KindInvalid, op, "A DOI cannot contain control characters.")
		}
	}
	if !strings.HasPrefix(s, "10.") {
		return "", Errorf(KindInvalid, op, "A DOI starts with \"10.\" (e.g. 10.1542/peds.2011-3467).")
	}
	prefix, suffix, ok := strings.Cut(s, "/")
	if !ok || suffix == "" {
		return "", Errorf(KindInvalid, op, "A DOI has a prefix and a suffix separated by \"/\" (e.g. 10.1542/peds.2011-3467).")
	}
	// The registrant code: 4-9 digits, optionally followed by ".digits"
	// subdivisions (10.1000.10/…).
	parts := strings.Split(prefix[len("10."):], ".")
	for i, p := range parts {
		if p == "" || !allDigits(p) || (i == 0 && (len(p) < 4 || len(p) > 9)) {
			return "", Errorf(KindInvalid, op, "The DOI prefix must be \"10.\" and a 4 to 9 digit registrant code (e.g. 10.1542/…).")
		}
	}
	return s, nil
}

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

// Normalize tidies the citation in place before validation: every string is
// trimmed, inner runs of white space (tabs and newlines included) become one
// space and other control characters are dropped, the key is lower-cased, empty names are dropped and a DOI in
// any accepted spelling becomes the bare DOI (a DOI that cannot be
// normalised is left for Validate to report).
func (c *Citation) Normalize() {
	for _, p := range c.stringFields() {
		*p.v = collapseSpace(*p.v)
	}
	c.Key = strings.ToLower(c.Key)
	c.Authors = normaliseNames(c.Authors)
	c.Editors = normaliseNames(c.Editors)
	if c.DOI != "" {
		if d, err := NormalizeDOI(c.DOI); err == nil {
			c.DOI = d
		}
	}
}

func normaliseNames(ns []Name) []Name {
	out := ns[:0]
	for _, n := range ns {
		n.Family, n.Given, n.Literal = collapseSpace(n.Family), collapseSpace(n.Given), collapseSpace(n.Literal)
		if !n.IsZero() {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// collapseSpace trims s, turns every inner run of white space into a single
// space and drops other control characters (a NUL, an escape).
func collapseSpace(s string) string {
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

type citationField struct {
	name string
	v    *string
	max  int
}

func (c *Citation) stringFields() []citationField {
	return []citationField{
		{"key", &c.Key, MaxCitationKeyLen},
		{"title", &c.Title, MaxCitationTitleLen},
		{"container", &c.Container, MaxCitationTitleLen},
		{"containerShort", &c.ContainerShort, MaxCitationMediumLen},
		{"volume", &c.Volume, MaxCitationShortLen},
		{"issue", &c.Issue, MaxCitationShortLen},
		{"pages", &c.Pages, MaxCitationShortLen},
		{"articleNumber", &c.ArticleNumber, MaxCitationShortLen},
		{"edition", &c.Edition, MaxCitationShortLen},
		{"publisher", &c.Publisher, MaxCitationMediumLen},
		{"publisherPlace", &c.PublisherPlace, MaxCitationMediumLen},
		{"doi", &c.DOI, MaxDOILen},
		{"pmid", &c.PMID, 20},
		{"url", &c.URL, MaxURLLen},
		{"accessed", &c.Accessed, 10},
	}
}

// textProblem returns why s cannot be stored as a citation field, or "".
func textProblem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "Must be valid UTF-8 text."
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "Must not contain control characters (tabs, line breaks and the like)."
		}
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("Must be at most %d characters.", max)
	}
	return ""
}

// Validate checks every field of the citation and returns a KindInvalid
// error naming each bad one with the API's names ("title", "doi",
// "authors[3].family"). Call Normalize first to forgive stray white space and
// DOI prefixes.
func (c *Citation) Validate() error {
	pr := Problems{}
	for _, f := range c.stringFields() {
		if msg := textProblem(*f.v, f.max); msg != "" {
			pr.Add(f.name, msg)
		}
	}
	if strings.TrimSpace(c.Title) == "" {
		pr.Add("title", "A title is required.")
	}
	if c.Key != "" && !ValidCitationKey(c.Key) {
		pr.Add("key", "Use 1 to 64 lower-case letters, digits, '-', '_' or ':', starting with a letter or digit (e.g. price2012).")
	}
	if !c.Type.Valid() {
		pr.Add("type", "Unknown type: use article-journal, book, chapter, report or webpage.")
	}
	validateNames(pr, "authors", c.Authors)
	validateNames(pr, "editors", c.Editors)
	if c.Year != 0 && (c.Year < 1000 || c.Year > 9999) {
		pr.Add("year", "The year must have four digits (leave it empty for no date).")
	}
	if c.Month < 0 || c.Month > 12 {
		pr.Add("month", "The month must be 1 to 12 (or empty).")
	}
	switch {
	case c.Day < 0 || c.Day > 31:
		pr.Add("day", "The day must be 1 to 31 (or empty).")
	case c.Day > 0 && (c.Month == 0 || c.Year == 0):
		pr.Add("day", "A day needs a month and a year.")
	case c.Day > 0 && c.Month <= 12 && time.Date(c.Year, time.Month(c.Month), c.Day, 0, 0, 0, 0, time.UTC).Day() != c.Day:
		pr.Add("day", "No such day in that month.")
	}
	if c.Month > 0 && c.Year == 0 {
		pr.Add("month", "A month needs a year.")
	}
	if c.DOI != "" {
		if d, err := NormalizeDOI(c.DOI); err != nil {
			pr.Add("doi", ErrorMessage(err))
		} else if d != c.DOI {
			pr.Add("doi", "Give the bare DOI (e.g. 10.1542/peds.2011-3467).")
		}
	}
	if c.PMID != "" && (!allDigits(c.PMID) || len(c.PMID) > 10) {
		pr.Add("pmid", "A PMID is digits only (e.g. 22966034).")
	}
	if c.URL != "" {
		if msg := httpURLProblem(c.URL); msg != "" {
			pr.Add("url", msg)
		}
	}
	if c.Accessed != "" {
		if _, err := time.Parse("2006-01-02", c.Accessed); err != nil {
			pr.Add("accessed", "Use the form YYYY-MM-DD (e.g. 2024-03-04).")
		}
	}
	return pr.Err("cms.Citation.Validate")
}

func validateNames(pr Problems, field string, names []Name) {
	if len(names) > MaxCitationNames {
		pr.Add(field, fmt.Sprintf("At most %d names.", MaxCitationNames))
		return
	}
	for i, n := range names {
		at := fmt.Sprintf("%s[%d]", field, i)
		if n.IsZero() {
			pr.Add(at, "The name is empty.")
			continue
		}
		if n.Literal == "" && strings.TrimSpace(n.Family) == "" {
			pr.Add(at+".family", "A family name (or an organisation name) is required.")
		}
		for _, f := range []struct {
			name, v string
		}{{"family", n.Family}, {"given", n.Given}, {"literal", n.Literal}} {
			if msg := textProblem(f.v, MaxCitationNameLen); msg != "" {
				pr.Add(at+"."+f.name, msg)
			}
		}
	}
}

// GenerateKey returns a citation key for c that taken reports free: the
// first author's family name (or an organisation's first word), folded to
// lower-case ASCII, then the year or "nd", then "a", "b", … "z", "aa", … when
// the plain key is taken: "price2012", "price2012a". With no author it uses
// the title's first word, and "ref" when nothing usable is left. taken may be
// nil.
func GenerateKey(c *Citation, taken func(string) bool) string {
	base := ""
	names := c.Authors
	if len(names) == 0 {
		names = c.Editors
	}
	if len(names) > 0 {
		n := names[0]
		if n.Literal != "" {
			base = keyWord(firstWord(n.Literal))
		} else {
			base = keyWord(n.Family)
		}
	}
	if base == "" {
		base = keyWord(firstWord(c.Title))
	}
	if base == "" {
		base = "ref"
	}
	if len(base) > 40 {
		base = base[:40]
	}
	if c.Year > 0 && c.Year <= 9999 {
		base += fmt.Sprint(c.Year)
	} else {
		base += "nd"
	}
	if taken == nil || !taken(base) {
		return base
	}
	for i := 1; i < 1_000_000; i++ {
		if k := base + letterSuffix(i); !taken(k) {
			return k
		}
	}
	return base + "-" + NewID()[:12]
}

// letterSuffix returns "a" for 1, "z" for 26, "aa" for 27 (spreadsheet
// columns in lower case).
func letterSuffix(i int) string {
	var b []byte
	for i > 0 {
		i--
		b = append([]byte{byte('a' + i%26)}, b...)
		i /= 26
	}
	return string(b)
}

func firstWord(s string) string {
	for _, w := range strings.Fields(s) {
		if keyWord(w) != "" {
			return w
		}
	}
	return ""
}

// keyWord folds s to lower-case ASCII letters and digits ("O'Donnell" ->
// "odonnell", "Müller" -> "muller").
func keyWord(s string) string {
	return strings.ReplaceAll(Slugify(s), "-", "")
}
