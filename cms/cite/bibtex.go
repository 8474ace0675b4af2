package cite

import (
	"fmt"
	"strings"
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
