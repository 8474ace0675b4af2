package readmodel

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlighting: <mark> around the words of a hit that match the query,
// matched by stem or within the query's edit distance.

// highlight returns text HTML-escaped with <mark> around the words that
// match pq, cut to about searchSnippetLen bytes around the densest hits
// when snippet is set; "" when nothing matches.
func (si *searchIndex) highlight(pq *parsedQuery, text string, snippet bool) string {
	if len(text) > maxHighlightText {
		i := maxHighlightText
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i]
	}
	// Words are found with a plain scan and stemmed through a cache: the
	// analyzer over a whole body costs more than the search. A snippet
	// needs the hits after the first one only as far as the window goes.
	var hits [][2]int
	limit := len(text)
	for i := 0; i < len(text) && i < limit; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += n
		}
		w := strings.ToLower(text[i:j])
		if pq.matches(si.stem(w), w) {
			if snippet && len(hits) == 0 {
				limit = i + searchSnippetLen
			}
			hits = append(hits, [2]int{i, j})
		}
		i = j
	}
	if len(hits) == 0 {
		return ""
	}
	start, end := 0, len(text)
	if snippet && len(text) > searchSnippetLen {
		// The window holding the most hits, starting a little before one.
		best, bestN := 0, 0
		for i := range hits {
			n := 0
			for j := i; j < len(hits) && hits[j][1] <= hits[i][0]+searchSnippetLen-40; j++ {
				n++
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		start = wordStart(text, max(hits[best][0]-40, 0))
		end = wordEnd(text, min(start+searchSnippetLen, len(text)))
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	cur := start
	for _, h := range hits {
		if h[0] < cur || h[1] > end {
			continue
		}
		b.WriteString(html.EscapeString(text[cur:h[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[h[0]:h[1]]))
		b.WriteString("</mark>")
		cur = h[1]
	}
	b.WriteString(html.EscapeString(text[cur:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// maxStemCache bounds the words whose stems the index remembers.
const maxStemCache = 200000

// stem returns the analyzer's stem of a lower-case word, "" for a stop
// word, remembering it.
func (si *searchIndex) stem(w string) string {
	si.stemMu.RLock()
	st, ok := si.stems[w]
	si.stemMu.RUnlock()
	if ok {
		return st
	}
	if toks := si.en.Analyze([]byte(w)); len(toks) > 0 {
		st = string(toks[0].Term)
	}
	si.stemMu.Lock()
	if len(si.stems) < maxStemCache {
		si.stems[w] = st
	}
	si.stemMu.Unlock()
	return st
}

// wordStart moves i back to the start of the word it is in.
func wordStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	return i
}

// wordEnd moves i forward to the end of the word it is in.
func wordEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// matches reports whether a token (its stem and its text) is one the query
// looked for.
func (pq *parsedQuery) matches(stem, orig string) bool {
	if pq.stems[stem] {
		return true
	}
	if !pq.useTypos {
		return false
	}
	n := utf8.RuneCountInString(orig)
	var lower []rune
	for _, f := range pq.fuzzy {
		if d := n - len(f.runes); d > f.fuzz || -d > f.fuzz {
			continue
		}
		if lower == nil {
			lower = []rune(strings.ToLower(orig))
		}
		if withinDistance(lower, f.runes, f.fuzz) {
			return true
		}
	}
	return false
}

// withinDistance reports whether the Levenshtein distance of a and b is at
// most k.
func withinDistance(a, b []rune, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}
