package cite

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseBibTeX reads BibTeX (as Zotero, Mendeley, JabRef and publishers
// export it) into citations, in order. It understands @article, @book,
// @inbook, @incollection, @inproceedings, @techreport, @report, @phdthesis,
// @mastersthesis, @thesis (these three become reports), @manual, @misc and
// @online (a web page when it has a URL, else a report), @string macros, '#'
// concatenation, values in braces, quotes or bare numbers and macro names,
// "and"-separated names ("Family, Given", "Given Family", "{Organisation
// Name}"), the usual LaTeX accents and escapes, and month names. @comment and
// @preamble are skipped, as is text between entries.
//
// The result is normalised but not validated: the caller shows it in a form
// and validates on save. Keys are lower-cased; a key that is still not a
// valid citation key is dropped (""), for the caller to generate one. The
// error is an *Error (TooLarge past MaxImportBytes or MaxImportEntries) and names the line and the problem; the parser never
// panics.
func ParseBibTeX(src string) ([]Reference, error) {
	if len(src) > MaxImportBytes {
		return nil, tooLarge("The BibTeX is larger than 1 MiB: import it in parts.")
	}
	if !utf8.ValidString(src) {
		src = strings.ToValidUTF8(src, "\uFFFD")
	}
	p := &bibParser{src: src, line: 1, macros: map[string]string{}}
	for i, m := range monthAbbrevs {
		p.macros[m] = monthName(i + 1)
	}
	var out []Reference
	for {
		e, err := p.next()
		if err != nil {
			return nil, errorf("text", "BibTeX: %s", err.Error())
		}
		if e == nil {
			break
		}
		c, err := e.reference()
		if err != nil {
			return nil, errorf("text", "BibTeX: entry %q starting at line %d: %s", e.key, e.line, err.Error())
		}
		if len(out) == MaxImportEntries {
			return nil, tooLarge("BibTeX: more than %d entries: import them in parts.", MaxImportEntries)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errorf("text", "No BibTeX entries found (an entry looks like @article{key, title = {…}, …}).")
	}
	return out, nil
}

var monthAbbrevs = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// bibKnownTypes are the entry types whose missing '{' is an error rather
// than text to skip.
var bibKnownTypes = map[string]bool{
	"article": true, "book": true, "booklet": true, "inbook": true, "incollection": true, "inproceedings": true,
	"conference": true, "manual": true, "mastersthesis": true, "phdthesis": true, "thesis": true, "misc": true,
	"online": true, "proceedings": true, "techreport": true, "report": true, "unpublished": true, "string": true,
	"preamble": true, "collection": true, "electronic": true, "www": true, "webpage": true,
}

type bibEntry struct {
	typ, key string
	line     int
	fields   map[string]string // lower-case name -> raw value (braces kept)
}

type bibParser struct {
	src      string
	pos      int
	line     int
	macros   map[string]string
	expanded int // bytes of field values produced so far, macros expanded
}

// maxBibExpanded bounds the text produced by expanding @string macros, so
// that a macro doubled again and again cannot exhaust memory.
const maxBibExpanded = 4 * MaxImportBytes

type bibError struct {
	line int
	msg  string
}

func (e *bibError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func (p *bibParser) errf(line int, format string, args ...any) error {
	return &bibError{line: line, msg: fmt.Sprintf(format, args...)}
}

func (p *bibParser) eof() bool { return p.pos >= len(p.src) }

func (p *bibParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *bibParser) advance() byte {
	c := p.src[p.pos]
	p.pos++
	if c == '\n' {
		p.line++
	}
	return c
}

func (p *bibParser) skipSpace() {
	for !p.eof() {
		switch p.peek() {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.advance()
		case '%': // a comment to the end of the line (BibTeX ignores it between fields)
			for !p.eof() && p.peek() != '\n' {
				p.advance()
			}
		default:
			return
		}
	}
}

func isBibNameChar(c byte) bool {
	return c > ' ' && c < 0x7f && strings.IndexByte("{}(),=\"#%'", c) < 0
}

func (p *bibParser) ident() string {
	start := p.pos
	for !p.eof() && isBibNameChar(p.peek()) {
		p.advance()
	}
	return p.src[start:p.pos]
}

// next returns the next entry, or nil at the end.
func (p *bibParser) next() (*bibEntry, error) {
	for {
		// Text outside entries is a comment.
		for !p.eof() && p.peek() != '@' {
			p.advance()
		}
		if p.eof() {
			return nil, nil
		}
		startLine := p.line
		p.advance() // '@'
		p.skipSpace()
		typ := strings.ToLower(p.ident())
		if typ == "" {
			continue // a stray '@', e.g. in an e-mail address
		}
		p.skipSpace()
		open := p.peek()
		if open != '{' && open != '(' {
			if !bibKnownTypes[typ] {
				continue // "@comment rest of line", an e-mail address in a note
			}
			return nil, p.errf(p.line, "expected '{' after @%s (entry starting at line %d)", typ, startLine)
		}
		closer := byte('}')
		if open == '(' {
			closer = ')'
		}
		switch typ {
		case "comment", "preamble":
			if err := p.skipGroup(startLine); err != nil {
				return nil, err
			}
			continue
		case "string":
			p.advance()
			if err := p.fields(startLine, closer, func(name, val string) { p.macros[strings.ToLower(name)] = val }); err != nil {
				return nil, err
			}
			continue
		}
		p.advance()
		p.skipSpace()
		e := &bibEntry{typ: typ, line: startLine, fields: map[string]string{}}
		start := p.pos
		for !p.eof() && p.peek() != ',' && p.peek() != closer && p.peek() != '\n' {
			p.advance()
		}
		e.key = strings.TrimSpace(p.src[start:p.pos])
		if strings.ContainsAny(e.key, "={}\"") {
			return nil, p.errf(startLine, "entry starting at line %d has no citation key (it should look like @%s{key, …})", startLine, typ)
		}
		p.skipSpace()
		if p.eof() {
			return nil, p.errf(startLine, "unbalanced braces in entry starting at line %d (it never ends)", startLine)
		}
		if p.peek() == closer {
			p.advance()
			return e, nil
		}
		if p.peek() != ',' {
			return nil, p.errf(p.line, "expected ',' after the key %q (entry starting at line %d)", e.key, startLine)
		}
		p.advance()
		err := p.fields(startLine, closer, func(name, val string) {
			name = strings.ToLower(name)
			if _, dup := e.fields[name]; !dup {
				e.fields[name] = val
			}
		})
		if err != nil {
			return nil, err
		}
		return e, nil
	}
}

// skipGroup skips a balanced {…} or (…) group.
func (p *bibParser) skipGroup(startLine int) error {
	depth := 0
	for !p.eof() {
		switch p.advance() {
		case '{', '(':
			depth++
		case '}', ')':
			depth--
			if depth == 0 {
				return nil
			}
		}
	}
	return p.errf(startLine, "unbalanced braces in entry starting at line %d", startLine)
}

// fields reads "name = value, …" up to closer.
func (p *bibParser) fields(startLine int, closer byte, set func(name, val string)) error {
	for {
		p.skipSpace()
		if p.eof() {
			return p.errf(startLine, "unbalanced braces in entry starting at line %d (it never ends)", startLine)
		}
		if p.peek() == closer {
			p.advance()
			return nil
		}
		if p.peek() == ',' { // empty field or trailing comma
			p.advance()
			continue
		}
		fieldLine := p.line
		name := p.ident()
		if name == "" {
			if c := p.peek(); c == '}' || c == ')' {
				return p.errf(fieldLine, "unbalanced braces in entry starting at line %d (unexpected %q)", startLine, c)
			}
			return p.errf(fieldLine, "expected a field name, found %q (entry starting at line %d)", p.peek(), startLine)
		}
		p.skipSpace()
		if p.peek() != '=' {
			return p.errf(p.line, "expected '=' after %q (entry starting at line %d)", name, startLine)
		}
		p.advance()
		val, err := p.value(startLine, closer)
		if err != nil {
			return err
		}
		set(name, val)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.advance()
		case closer:
		case 0:
			return p.errf(startLine, "unbalanced braces in entry starting at line %d (it never ends)", startLine)
		default:
			return p.errf(p.line, "expected ',' or the end of the entry after field %q, found %q (entry starting at line %d); is a brace or quote missing?", name, p.peek(), startLine)
		}
	}
}

// value reads a value: parts joined with '#'. Braced and quoted parts keep
// their inner braces (they matter to name splitting); macros are expanded.
func (p *bibParser) value(startLine int, closer byte) (string, error) {
	var b strings.Builder
	for {
		p.skipSpace()
		partLine := p.line
		switch c := p.peek(); {
		case c == '{':
			p.advance()
			s, err := p.braced(startLine, partLine)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case c == '"':
			p.advance()
			start := p.pos
			depth := 0
		quoted:
			for {
				if p.eof() {
					return "", p.errf(partLine, "unterminated quoted value in entry starting at line %d", startLine)
				}
				switch p.advance() {
				case '{':
					depth++
				case '}':
					depth--
					if depth < 0 {
						return "", p.errf(p.line, "unbalanced braces in entry starting at line %d", startLine)
					}
				case '\\':
					if !p.eof() && p.peek() != '\n' {
						p.advance()
					}
				case '"':
					if depth == 0 {
						break quoted
					}
				}
			}
			b.WriteString(p.src[start : p.pos-1])
		case c >= '0' && c <= '9':
			start := p.pos
			for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
				p.advance()
			}
			b.WriteString(p.src[start:p.pos])
		case isBibNameChar(c):
			name := p.ident()
			if v, ok := p.macros[strings.ToLower(name)]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(name) // an undefined macro: keep its name, as BibTeX warns and goes on
			}
		case c == 0:
			return "", p.errf(startLine, "unbalanced braces in entry starting at line %d (it never ends)", startLine)
		default:
			return "", p.errf(partLine, "expected a value in braces, quotes or a number, found %q (entry starting at line %d)", c, startLine)
		}
		if b.Len() > MaxImportBytes {
			return "", p.errf(partLine, "value too long (more than 1 MiB)")
		}
		p.skipSpace()
		if p.peek() != '#' {
			p.expanded += b.Len()
			if p.expanded > maxBibExpanded {
				return "", p.errf(partLine, "the entries expand to more than 4 MiB of text (@string macros used too often)")
			}
			return b.String(), nil
		}
		p.advance()
	}
}

// braced reads up to the brace matching one already consumed.
func (p *bibParser) braced(startLine, partLine int) (string, error) {
	start := p.pos
	depth := 1
	for !p.eof() {
		switch p.advance() {
		case '\\':
			// \{ and \} are literal braces.
			if !p.eof() && (p.peek() == '{' || p.peek() == '}') {
				p.advance()
			}
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return p.src[start : p.pos-1], nil
			}
		case '@':
			// An '@' at the start of a line inside a value almost
			// certainly begins the next entry: a brace is missing.
			if lineStartsWithAt(p.src, p.pos-1) {
				return "", p.errf(startLine, "unbalanced braces in entry starting at line %d (the value starting at line %d is not closed before the next entry)", startLine, partLine)
			}
		}
	}
	return "", p.errf(startLine, "unbalanced braces in entry starting at line %d (the value starting at line %d is not closed)", startLine, partLine)
}

func lineStartsWithAt(s string, at int) bool {
	for i := at - 1; i >= 0; i-- {
		switch s[i] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

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
