package cms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DiffOp says what a line of a diff does.
type DiffOp int8

// Diff operations.
const (
	DiffEqual  DiffOp = iota // in both texts
	DiffDelete               // only in the old text
	DiffInsert               // only in the new text
)

// DiffLine is one line of a line diff, without its line break.
type DiffLine struct {
	Op   DiffOp
	Text string
	// Spans split a deleted or inserted line that replaces a similar line
	// into its words, marking those that changed: a one-word edit of a
	// long paragraph shows as that word. nil for other lines.
	Spans []DiffSpan
}

// DiffSpan is a piece of a changed line: words, spaces or punctuation.
type DiffSpan struct {
	Text    string
	Changed bool // not in the line it replaces (or is replaced by)
}

// maxDiffEdits bounds the work of DiffLines: when two texts differ in more
// lines than this (after their common start and end are set aside), the
// differing middle is shown as removed and then added instead of being
// searched for a shortest edit. The search costs O((N+M)·D) time and
// O(D²) memory for D edits, so the bound keeps a diff of two unrelated
// 512 KiB bodies to a few milliseconds and about 8 MB.
const maxDiffEdits = 1000

// DiffLines compares old and new line by line and returns a shortest edit
// script (Myers' algorithm): every line of old and of new appears once, in
// order, deletions before insertions where they replace each other. Line
// endings "\r\n" count as "\n". Identical texts give only DiffEqual lines.
func DiffLines(old, new string) []DiffLine {
	return markWords(diffSeq(splitLines(old), splitLines(new)))
}

// diffSeq is a shortest edit script from a to b.
func diffSeq(a, b []string) []DiffLine {
	// The common start and end need no search.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, max(len(a), len(b))+8)
	for _, l := range a[:pre] {
		out = append(out, DiffLine{Op: DiffEqual, Text: l})
	}
	out = appendMiddle(out, a[pre:len(a)-suf], b[pre:len(b)-suf])
	for _, l := range a[len(a)-suf:] {
		out = append(out, DiffLine{Op: DiffEqual, Text: l})
	}
	return out
}

// splitLines splits s into lines; "" has none, and a final line break does
// not start another line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// appendMiddle appends the diff of a and b, which share no first or last
// line.
func appendMiddle(out []DiffLine, a, b []string) []DiffLine {
	ops := myers(a, b)
	if ops == nil {
		for _, l := range a {
			out = append(out, DiffLine{Op: DiffDelete, Text: l})
		}
		for _, l := range b {
			out = append(out, DiffLine{Op: DiffInsert, Text: l})
		}
		return out
	}
	return append(out, ops...)
}

// myers returns a shortest edit script from a to b, or nil when it needs
// more than maxDiffEdits edits (or when both are empty).
func myers(a, b []string) []DiffLine {
	n, m := len(a), len(b)
	if n+m == 0 {
		return nil
	}
	limit := min(n+m, maxDiffEdits)
	off := limit + 1
	v := make([]int, 2*limit+3) // v[off+k]: furthest x on diagonal k
	// trace[d] is v over k in [-d-1, d+1] as it was when step d began.
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace)
			}
		}
	}
	return nil
}

// backtrack walks the trace from the end back to the start and returns the
// edit script in order.
func backtrack(a, b []string, trace [][]int) []DiffLine {
	x, y := len(a), len(b)
	rev := make([]DiffLine, 0, len(a)+len(b))
	for d := len(trace) - 1; d >= 0; d-- {
		snap := trace[d]
		at := func(k int) int { return snap[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, DiffLine{Op: DiffEqual, Text: a[x]})
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, DiffLine{Op: DiffInsert, Text: b[prevY]})
			} else {
				rev = append(rev, DiffLine{Op: DiffDelete, Text: a[prevX]})
			}
		}
		x, y = prevX, prevY
	}
	// Reverse, then put each run of deletions before the insertions it
	// sits among, which reads better than an interleaving.
	out := make([]DiffLine, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	for i := 0; i < len(out); {
		if out[i].Op == DiffEqual {
			i++
			continue
		}
		j := i
		for j < len(out) && out[j].Op != DiffEqual {
			j++
		}
		run := out[i:j]
		var del, ins []DiffLine
		for _, l := range run {
			if l.Op == DiffDelete {
				del = append(del, l)
			} else {
				ins = append(ins, l)
			}
		}
		copy(run, append(del, ins...))
		i = j
	}
	return out
}

// minSameShare is how much of two lines (in bytes) must be the same for
// the diff to mark words inside them; below it the lines are unrelated
// and marked whole.
const minSameShare = 0.4

// markWords pairs, in each run of deleted lines followed by inserted
// ones, the i-th deleted line with the i-th inserted one, and splits each
// similar pair into words marked changed or not.
func markWords(lines []DiffLine) []DiffLine {
	for i := 0; i < len(lines); {
		if lines[i].Op != DiffDelete {
			i++
			continue
		}
		d := i
		for i < len(lines) && lines[i].Op == DiffDelete {
			i++
		}
		ins := i
		for i < len(lines) && lines[i].Op == DiffInsert {
			i++
		}
		for k := 0; d+k < ins && ins+k < i; k++ {
			lines[d+k].Spans, lines[ins+k].Spans = wordSpans(lines[d+k].Text, lines[ins+k].Text)
		}
	}
	return lines
}

// wordSpans diffs two lines word by word; both nil when they share too
// little to be worth it.
func wordSpans(old, new string) (oldSpans, newSpans []DiffSpan) {
	ops := diffSeq(words(old), words(new))
	same := 0
	for _, op := range ops {
		if op.Op == DiffEqual {
			same += len(op.Text)
		}
	}
	if float64(2*same) < minSameShare*float64(len(old)+len(new)) {
		return nil, nil
	}
	add := func(spans []DiffSpan, text string, changed bool) []DiffSpan {
		if n := len(spans); n > 0 && spans[n-1].Changed == changed {
			spans[n-1].Text += text
			return spans
		}
		return append(spans, DiffSpan{Text: text, Changed: changed})
	}
	for _, op := range ops {
		switch op.Op {
		case DiffEqual:
			oldSpans = add(oldSpans, op.Text, false)
			newSpans = add(newSpans, op.Text, false)
		case DiffDelete:
			oldSpans = add(oldSpans, op.Text, true)
		case DiffInsert:
			newSpans = add(newSpans, op.Text, true)
		}
	}
	return oldSpans, newSpans
}

// words splits s into runs of letters and digits, runs of spaces, and
// single other characters, which together give s back.
func words(s string) []string {
	var out []string
	kind := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 0
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		k, j := kind(r), i+n
		if k != 0 {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if kind(r2) != k {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}
