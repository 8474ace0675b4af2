package readmodel

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Phrases in the body are checked against its text, since the index keeps
// no positions there. The text is read the way the index's analyzer reads
// it (words as its tokenizer splits them, lower-cased, stemmed through the
// stem cache; tags and entities of HTML handled), so that a phrase found
// here is one bleve would have found with positions. Words are found from
// an anchor: the start of the first stem, searched for in lower, title
// and upper case (a first word in mixed case, "sLeep", is missed; the
// words after it are lower-cased as they are read).

// hasPhrase reports whether text (HTML when isHTML) holds the phrase ph;
// buf is scratch space, returned for reuse.
func (si *searchIndex) hasPhrase(text string, isHTML bool, ph []string, buf []byte) (bool, []byte) {
	if len(ph) == 0 || text == "" {
		return false, buf
	}
	r := wordReader{s: text, html: isHTML, buf: buf}
	anchor := ph[0][:max(1, len(ph[0])-2)] // a stem keeps its word's start but its last letters
	if !isASCII(anchor) {
		// Every word, in order.
		for {
			start := r.i
			if !r.next() {
				return false, r.buf
			}
			if si.stemBytes(r.buf) == ph[0] {
				end := r.i
				r.i = start
				if si.phraseAt(&r, ph) {
					return true, r.buf
				}
				r.i = end
			}
		}
	}
	// Lower case by comparing many positions at once; title and upper
	// case from the capital, which is rare.
	try := func(o int) bool {
		if !wordStartsAt(text, o) {
			return false
		}
		r.i = o
		return si.phraseAt(&r, ph) && (!isHTML || !inTag(text, o))
	}
	for off := 0; ; off++ {
		if off = indexShort(text, off, anchor); off < 0 {
			break
		}
		if try(off) {
			return true, r.buf
		}
	}
	upper := strings.ToUpper(anchor)
	if upper == anchor {
		return false, r.buf // digits
	}
	for off := 0; off < len(text); {
		j := strings.IndexByte(text[off:], upper[0])
		if j < 0 {
			break
		}
		o := off + j
		off = o + 1
		if rest := text[off:]; (strings.HasPrefix(rest, anchor[1:]) || strings.HasPrefix(rest, upper[1:])) && try(o) {
			return true, r.buf
		}
	}
	return false, r.buf
}

// indexShort is strings.Index(s[from:], sub)+from (or -1) for a short sub,
// made faster than it where sub's first byte is frequent: strings.Index
// then calls IndexByte at each, while on up to 64 bytes it compares many
// positions at once.
func indexShort(s string, from int, sub string) int {
	const window = 64 // bytealg.MaxBruteForce on amd64
	if len(sub) >= window/2 {
		if i := strings.Index(s[from:], sub); i >= 0 {
			return from + i
		}
		return -1
	}
	for from+len(sub) <= len(s) {
		end := min(from+window, len(s))
		if i := strings.Index(s[from:end], sub); i >= 0 {
			return from + i
		}
		from = end - len(sub) + 1
	}
	return -1
}

// phraseAt reports whether the words read by r from where it is make ph.
func (si *searchIndex) phraseAt(r *wordReader, ph []string) bool {
	for _, want := range ph {
		if !r.next() {
			return false
		}
		if want != "" && si.stemBytes(r.buf) != want {
			return false
		}
	}
	return true
}

// wordStartsAt reports whether a word of text may start at byte i: not
// after a letter or digit.
func wordStartsAt(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// inTag reports whether byte i of HTML is inside a tag.
func inTag(html string, i int) bool {
	return strings.LastIndexByte(html[:i], '<') > strings.LastIndexByte(html[:i], '>')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isMidWord reports whether r joins the word runes either side of it into
// one word, as in "don't", "e.g", "5:00" or "1,000" (the last two digits only).
func isMidWord(r rune, digits bool) bool {
	switch r {
	case '\'', '’', '.', ':', '·':
		return true
	case ',', ';':
		return digits
	}
	return false
}

// wordReader reads the lower-cased words of text or HTML.
type wordReader struct {
	s    string
	i    int
	html bool
	buf  []byte // the word read
}

// Kinds of what wordReader.read reads.
const (
	readRune  = iota
	readBreak // a tag between words
	readSkip  // a tag inside a word (<sup>: footnote markers)
	readEnd
)

// read reads a rune of text, decoding entities and reading tags.
func (r *wordReader) read() (rune, int) {
	if r.i >= len(r.s) {
		return 0, readEnd
	}
	c := r.s[r.i]
	if r.html && c == '<' {
		end := strings.IndexByte(r.s[r.i:], '>')
		if end < 0 {
			r.i = len(r.s)
			return 0, readEnd
		}
		tag := strings.ToLower(strings.TrimLeft(r.s[r.i+1:r.i+end], "/"))
		r.i += end + 1
		if tag == "sup" || strings.HasPrefix(tag, "sup ") {
			return 0, readSkip
		}
		return 0, readBreak
	}
	if r.html && c == '&' {
		if end := strings.IndexByte(r.s[r.i:min(r.i+12, len(r.s))], ';'); end > 1 {
			if u := html.UnescapeString(r.s[r.i : r.i+end+1]); u != r.s[r.i:r.i+end+1] {
				r.i += end + 1
				d, _ := utf8.DecodeRuneInString(u)
				return d, readRune
			}
		}
	}
	if c < utf8.RuneSelf {
		r.i++
		return rune(c), readRune
	}
	d, n := utf8.DecodeRuneInString(r.s[r.i:])
	r.i += n
	return d, readRune
}

// next reads the next word into r.buf, lower-cased; false at the end.
func (r *wordReader) next() bool {
	r.buf = r.buf[:0]
	prevDigit := false
	for {
		c, kind := r.read()
		switch {
		case kind == readSkip:
			continue
		case kind == readEnd:
			return len(r.buf) > 0
		case kind == readRune && isWordRune(c):
			r.buf = utf8.AppendRune(r.buf, unicode.ToLower(c))
			prevDigit = '0' <= c && c <= '9'
			continue
		case len(r.buf) == 0:
			continue
		case kind == readRune && isMidWord(c, prevDigit):
			// Part of the word if a word rune follows.
			at := r.i
			if d, k := r.read(); k == readRune && isWordRune(d) && (c != ',' && c != ';' || '0' <= d && d <= '9') {
				r.buf = utf8.AppendRune(r.buf, unicode.ToLower(c))
				r.buf = utf8.AppendRune(r.buf, unicode.ToLower(d))
				prevDigit = '0' <= d && d <= '9'
				continue
			}
			r.i = at
		}
		return true
	}
}

// stemBytes is stem for a word in a scratch buffer.
func (si *searchIndex) stemBytes(w []byte) string {
	si.stemMu.RLock()
	st, ok := si.stems[string(w)]
	si.stemMu.RUnlock()
	if ok {
		return st
	}
	return si.stem(string(w))
}
