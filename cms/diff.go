package cms

import "strings"

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
	a, b := splitLines(old), splitLines(new)
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
		out = append(out, DiffLine{DiffEqual, l})
	}
	out = appendMiddle(out, a[pre:len(a)-suf], b[pre:len(b)-suf])
	for _, l := range a[len(a)-suf:] {
		out = append(out, DiffLine{DiffEqual, l})
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
			out = append(out, DiffLine{DiffDelete, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{DiffInsert, l})
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
			rev = append(rev, DiffLine{DiffEqual, a[x]})
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, DiffLine{DiffInsert, b[prevY]})
			} else {
				rev = append(rev, DiffLine{DiffDelete, a[prevX]})
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
