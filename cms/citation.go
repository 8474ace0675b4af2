package cms

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms/cite"
)

// CitationType is the kind of work a citation points to (cite.Type: CSL
// type names).
type CitationType = cite.Type

// Citation types.
const (
	CiteArticle = cite.Article // a journal article
	CiteBook    = cite.Book    // a book, authored or edited
	CiteChapter = cite.Chapter // a chapter in an edited book
	CiteReport  = cite.Report  // a report, guideline or thesis
	CiteWebpage = cite.Webpage // a page on a website
)

// Limits on citation fields, in characters (runes) unless said otherwise.
const (
	MaxCitationNames     = cite.MaxNames // authors, and separately editors
	MaxCitationTitleLen  = 1000
	MaxCitationNameLen   = 300 // each of family, given, literal
	MaxCitationShortLen  = 100 // volume, issue, pages, article number, edition
	MaxCitationMediumLen = 500 // publisher, place
	MaxCitationKeyLen    = 64
	MaxDOILen            = cite.MaxDOILen
)

// Limits on imported reference files (BibTeX, RIS).
const (
	MaxImportBytes   = cite.MaxImportBytes
	MaxImportEntries = cite.MaxImportEntries
)

// Name is a person (Family and Given) or an organisation (Literal).
type Name = cite.Name

// Citation is one reference in the library: the bibliographic fields of a
// cite.Reference (Reference converts) with what makes it the library's:
// its id, version and timestamps. Key is the short citation key used in
// post bodies ("[@price2012]"); it is unique in the library.
type Citation struct {
	ID             string       `json:"id"`
	Key            string       `json:"key"`
	Type           CitationType `json:"type"`
	Authors        []Name       `json:"authors"`
	Editors        []Name       `json:"editors"`        // of the book a chapter is in, or of an edited book
	Year           int          `json:"year"`           // 0: no date ("n.d.")
	Month          int          `json:"month"`          // 1-12; 0: unknown
	Day            int          `json:"day"`            // 1-31; 0: unknown
	Title          string       `json:"title"`          // as entered; {braces} keep a word's case in every style
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
	PMCID          string       `json:"pmcid"`    // "PMC" and digits
	ISBN           string       `json:"isbn"`     // the 13 digits of an ISBN-13 (an ISBN-10 is converted)
	URL            string       `json:"url"`      // http(s) only
	Accessed       string       `json:"accessed"` // YYYY-MM-DD
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"createdAt"`
	UpdatedAt      time.Time    `json:"updatedAt"`
	// Health is the reference checker's current record of the citation,
	// set by a reader that joined the two (the read model: WithHealth);
	// the store neither reads nor writes it with the citation.
	Health *CitationHealth `json:"-"`
}

// Reference is c's bibliographic part, for cite to read and format.
func (c *Citation) Reference() *cite.Reference {
	return &cite.Reference{
		Key: c.Key, Type: c.Type, Authors: c.Authors, Editors: c.Editors, Year: c.Year, Month: c.Month, Day: c.Day,
		Title: c.Title, Container: c.Container, ContainerShort: c.ContainerShort, Volume: c.Volume, Issue: c.Issue,
		Pages: c.Pages, ArticleNumber: c.ArticleNumber, Edition: c.Edition, Publisher: c.Publisher,
		PublisherPlace: c.PublisherPlace, DOI: c.DOI, PMID: c.PMID, PMCID: c.PMCID, ISBN: c.ISBN, URL: c.URL, Accessed: c.Accessed,
	}
}

// citationOf is an unsaved citation holding r.
func citationOf(r *cite.Reference) Citation {
	return Citation{
		Key: r.Key, Type: r.Type, Authors: r.Authors, Editors: r.Editors, Year: r.Year, Month: r.Month, Day: r.Day,
		Title: r.Title, Container: r.Container, ContainerShort: r.ContainerShort, Volume: r.Volume, Issue: r.Issue,
		Pages: r.Pages, ArticleNumber: r.ArticleNumber, Edition: r.Edition, Publisher: r.Publisher,
		PublisherPlace: r.PublisherPlace, DOI: r.DOI, PMID: r.PMID, PMCID: r.PMCID, ISBN: r.ISBN, URL: r.URL, Accessed: r.Accessed,
	}
}

// ValidCitationKey reports whether s is a well-formed citation key: lower-case
// ASCII letters, digits, '_', ':' and '-', starting with a letter or digit, at
// most 64 bytes.
func ValidCitationKey(s string) bool { return cite.ValidKey(s) }

// NormalizeDOI returns the bare DOI ("10.1542/peds.2011-3467") from any of
// the usual spellings (cite.NormalizeDOI), or a KindInvalid error.
func NormalizeDOI(s string) (string, error) {
	d, err := cite.NormalizeDOI(s)
	if err != nil {
		return "", citeError("cms.NormalizeDOI", err)
	}
	return d, nil
}

// citeError turns an error of cite (a *cite.Error) into the domain's:
// Invalid, or TooLarge for input over the import limits.
func citeError(op string, err error) error {
	var ce *cite.Error
	if !errors.As(err, &ce) {
		return &Error{Kind: KindInternal, Op: op, Err: err}
	}
	kind := KindInvalid
	if ce.TooLarge {
		kind = KindTooLarge
	}
	return &Error{Kind: kind, Op: op, Message: ce.Message}
}

// Normalize tidies the citation in place before validation: every string is
// trimmed, inner runs of white space (tabs and newlines included) become one
// space and other control characters are dropped, the key is lower-cased, empty names are dropped, a DOI in
// any accepted spelling becomes the bare DOI, a PMCID "PMC" and digits,
// an ISBN its 13 digits (what cannot be normalised is left for Validate
// to report).
func (c *Citation) Normalize() {
	r := c.Reference()
	r.Normalize()
	id, version, created, updated := c.ID, c.Version, c.CreatedAt, c.UpdatedAt
	*c = citationOf(r)
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, version, created, updated
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
		{"pmcid", &c.PMCID, 20},
		{"isbn", &c.ISBN, 20},
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
	if c.PMID != "" && !pmidRE.MatchString(c.PMID) {
		pr.Add("pmid", "A PMID is digits only (e.g. 22966034).")
	}
	if c.PMCID != "" {
		if p, ok := cite.NormalizePMCID(c.PMCID); !ok || p != c.PMCID {
			pr.Add("pmcid", "A PMCID is \"PMC\" and digits (e.g. PMC3524543).")
		}
	}
	if c.ISBN != "" {
		if i, err := cite.NormalizeISBN(c.ISBN); err != nil {
			pr.Add("isbn", ErrorMessage(citeError("cms.Citation.Validate", err)))
		} else if i != c.ISBN {
			pr.Add("isbn", "Give the ISBN's 13 digits (e.g. 9780743201612).")
		}
	}
	if c.URL != "" {
		if msg := URLProblem(c.URL); msg != "" {
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

var pmidRE = regexp.MustCompile(`^[0-9]{1,10}$`)

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
		if k := base + cite.Letters(i); !taken(k) {
			return k
		}
	}
	return base + "-" + NewID()[:12]
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
