package cite

// From a parsed BibTeX entry to a Reference: fields, dates and names.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reference maps an entry to a Reference.
func (e *bibEntry) reference() (Reference, error) {
	f := func(name string) string { return latexToText(e.fields[name]) }
	c := Reference{Key: strings.ToLower(strings.TrimSpace(e.key))}
	if !ValidKey(c.Key) {
		c.Key = ""
	}
	switch e.typ {
	case "article":
		c.Type = Article
	case "book", "booklet", "proceedings", "collection", "mvbook":
		c.Type = Book
	case "inbook", "incollection", "inproceedings", "conference", "bookinbook", "suppbook":
		c.Type = Chapter
	case "online", "electronic", "www", "webpage":
		c.Type = Webpage
	case "misc":
		if e.fields["url"] != "" || strings.Contains(e.fields["howpublished"], `\url`) {
			c.Type = Webpage
		} else {
			c.Type = Report
		}
	default: // techreport, report, phdthesis, mastersthesis, thesis, manual, unpublished, …
		c.Type = Report
	}
	var err error
	if c.Authors, err = bibNames(e.fields["author"]); err != nil {
		return c, fmt.Errorf("author: %w", err)
	}
	if c.Editors, err = bibNames(e.fields["editor"]); err != nil {
		return c, fmt.Errorf("editor: %w", err)
	}
	// Titles keep BibTeX's case-protecting braces ("{SIDS}") as the
	// keep-case marker; see latexToTitle.
	ft := func(name string) string { return latexToTitle(e.fields[name]) }
	c.Title = ft("title")
	switch c.Type {
	case Article:
		c.Container = firstNonEmpty(f("journal"), f("journaltitle"), f("shortjournal"))
		c.ContainerShort = firstNonEmpty(f("shortjournal"), f("journal-abbrev"), f("journalabbrev"))
		if c.ContainerShort == c.Container {
			c.ContainerShort = ""
		}
		c.Issue = firstNonEmpty(f("number"), f("issue"))
		c.ArticleNumber = firstNonEmpty(f("eid"), f("articleno"), f("article-number"))
	case Chapter:
		c.Container = ft("booktitle") // a book title: APA puts it in sentence case
		if c.Container == "" && e.typ == "inbook" {
			// Classic @inbook: title is the book, chapter the chapter.
			if ch := ft("chapter"); ch != "" && !allDigits(ch) {
				c.Title, c.Container = ch, c.Title
			} else {
				c.Type = Book
			}
		}
	case Webpage:
		c.Container = firstNonEmpty(f("organization"), f("publisher"), f("howpublished"), f("journal"))
		if strings.Contains(c.Container, "://") || strings.HasPrefix(strings.ToLower(e.fields["howpublished"]), `\url`) {
			c.Container = firstNonEmpty(f("organization"), f("publisher"))
		}
	case Report:
		c.ArticleNumber = f("number")
	}
	c.Volume = f("volume")
	c.Pages = pageRange(f("pages"), "-")
	c.Edition = f("edition")
	c.Publisher = firstNonEmpty(f("publisher"), f("institution"), f("school"), f("organization"))
	if c.Type == Webpage && c.Publisher == c.Container {
		c.Publisher = ""
	}
	c.PublisherPlace = firstNonEmpty(f("address"), f("location"))
	c.DOI = strings.TrimSpace(f("doi"))
	c.PMID = strings.TrimSpace(f("pmid"))
	if c.PMID == "" && strings.EqualFold(strings.TrimSpace(e.fields["eprinttype"]), "pubmed") {
		c.PMID = strings.TrimSpace(f("eprint"))
	}
	c.PMCID = strings.TrimSpace(f("pmcid"))
	if i, err := NormalizeISBN(f("isbn")); err == nil && c.Type != Article {
		c.ISBN = i
	}
	c.URL = strings.TrimSpace(rawURL(e.fields["url"]))
	if c.URL == "" {
		if hp := e.fields["howpublished"]; strings.Contains(hp, `\url{`) {
			c.URL = rawURL(hp)
		}
	}
	c.Accessed = isoDate(f("urldate"))
	if y, m, d := parseDate(f("date")); y > 0 {
		c.Year, c.Month, c.Day = y, m, d
	}
	if y := leadingYear(f("year")); y > 0 {
		c.Year = y
	}
	if m := parseMonth(f("month")); m > 0 && c.Month == 0 {
		c.Month = m
	}
	if c.Month == 0 {
		c.Day = 0
	}
	c.Normalize()
	return c, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// rawURL extracts a URL from a raw BibTeX value: "\url{…}" or the value with
// its braces dropped; no LaTeX conversion ('~', '--' and '%' are literal in
// URLs), only "\%", "\_", "\&", "\#" and "\~" unescaped.
func rawURL(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, `\url{`); i >= 0 {
		v = v[i+len(`\url{`):]
		if j := strings.IndexByte(v, '}'); j >= 0 {
			v = v[:j]
		}
	}
	r := strings.NewReplacer(`\%`, "%", `\_`, "_", `\&`, "&", `\#`, "#", `\~`, "~", "{", "", "}", "")
	return strings.TrimSpace(r.Replace(v))
}

// isoDate returns "YYYY-MM-DD" from a date such as "2024-03-04" or
// "2024-03-04T10:00:00Z", or "".
func isoDate(s string) string {
	y, m, d := parseDate(s)
	if y == 0 || m == 0 || d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// parseDate reads "2012", "2012-10", "2012-10-05" (also with '/' and a
// trailing time or '/').
func parseDate(s string) (y, m, d int) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "T "); i >= 0 {
		s = s[:i]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' })
	nums := make([]int, 0, 3)
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(nums) == 3 {
			break
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 || nums[0] < 1000 || nums[0] > 9999 {
		return 0, 0, 0
	}
	y = nums[0]
	if len(nums) > 1 && nums[1] >= 1 && nums[1] <= 12 {
		m = nums[1]
		if len(nums) > 2 && nums[2] >= 1 && nums[2] <= 31 {
			d = nums[2]
		}
	}
	return y, m, d
}

// leadingYear returns the first four-digit number in s ("2012", "2012a",
// "(2012)"), or 0.
func leadingYear(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if allDigits(s[i:i+4]) && (i+4 == len(s) || s[i+4] < '0' || s[i+4] > '9') && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			n, _ := strconv.Atoi(s[i : i+4])
			return n
		}
	}
	return 0
}

// parseMonth reads "10", "oct", "Oct.", "October".
func parseMonth(s string) int {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "."))
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= 12 {
			return n
		}
		return 0
	}
	if len(s) < 3 {
		return 0
	}
	for i, m := range monthAbbrevs {
		if strings.HasPrefix(s, m) {
			return i + 1
		}
	}
	return 0
}

// bibNames splits an author or editor field on the word "and" outside
// braces and parses each name.
func bibNames(raw string) ([]Name, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			depth++
		case '}':
			depth--
		case 'a', 'A':
			if depth == 0 && i > 0 && isSpaceByte(raw[i-1]) && i+3 < len(raw) && strings.EqualFold(raw[i:i+3], "and") && isSpaceByte(raw[i+3]) {
				parts = append(parts, raw[start:i])
				start = i + 3
				if len(parts) > MaxNames {
					return nil, fmt.Errorf("more than %d names", MaxNames)
				}
			}
		}
	}
	parts = append(parts, raw[start:])
	if len(parts) > MaxNames {
		return nil, fmt.Errorf("more than %d names", MaxNames)
	}
	out := make([]Name, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || strings.EqualFold(p, "others") {
			continue // "and others": et al., nothing to store
		}
		out = append(out, bibName(p))
	}
	return out, nil
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// bibName parses one BibTeX name: "{World Health Organization}", "Price,
// Anna M. H.", "van der Berg, Jan", "King, Jr, Martin Luther", "Anna M. H.
// Price", "Ludwig van Beethoven".
func bibName(raw string) Name {
	if inner, ok := wholeBraced(raw); ok {
		return Name{Literal: latexToText(inner)}
	}
	parts := splitTopLevel(raw, ',')
	switch len(parts) {
	case 1:
	case 2:
		return Name{Family: latexToText(parts[0]), Given: latexToText(parts[1])}
	default: // "von Last, Jr, First": the suffix stays with the family name
		return Name{Family: latexToText(parts[0]) + " " + latexToText(parts[1]), Given: latexToText(strings.Join(parts[2:], ", "))}
	}
	words := splitWords(raw)
	if len(words) == 1 {
		return Name{Family: latexToText(words[0])}
	}
	// "First von Last": the family name starts at the first lower-case
	// word ("van", "de la") before the last word.
	last := len(words) - 1
	famFrom := last
	for i := 0; i < last; i++ {
		if startsLower(words[i]) {
			famFrom = i
			break
		}
	}
	return Name{Family: latexToText(strings.Join(words[famFrom:], " ")), Given: latexToText(strings.Join(words[:famFrom], " "))}
}

// wholeBraced reports whether s is one brace group "{…}" and returns its
// inside.
func wholeBraced(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return "", false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 && i != len(s)-1 {
				return "", false
			}
		}
	}
	return s[1 : len(s)-1], true
}

func splitTopLevel(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func splitWords(s string) []string {
	var out []string
	depth, start := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
		}
		if isSpaceByte(c) && depth == 0 || c == '~' && depth == 0 {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// startsLower reports whether a name word starts with a lower-case letter
// outside braces (BibTeX's test for "von" particles).
func startsLower(w string) bool {
	if w == "" || w[0] == '{' {
		return false
	}
	t := latexToText(w)
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsLower(r)
}
