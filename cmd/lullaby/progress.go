package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress shows how far a long command (an import, an export, a
// restore) has got, on stderr. On a terminal it keeps one line up to
// date, rewritten in place at most ten times a second: a bar when the
// total is known, the count, the rate, and the latest item's line. Other
// lines go above it. Elsewhere (a pipe, a log file) it prints plain
// lines: the command's own, and the count every progressEvery.
type progress struct {
	w         io.Writer
	one, many string // what is counted, for one and for several: "item", "items"
	tty       bool
	cols      int // of the terminal

	mu          sync.Mutex
	start, last time.Time // of the command, of the last count shown
	done, total int64     // total 0: not known
	note        string    // the latest item's line (terminal only)
	shown       bool      // the bar is on the screen
}

// progressEvery is how often plain output repeats the count.
const progressEvery = 10 * time.Second

// newProgress returns the progress of a command counting things (one and
// many name them), shown on w.
func newProgress(w io.Writer, one, many string) *progress {
	p := &progress{w: w, one: one, many: many, start: time.Now(), cols: 80}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
		if c, _, err := term.GetSize(int(f.Fd())); err == nil && c > 20 {
			p.cols = c
		}
	}
	p.last = p.start
	return p
}

// Line prints s on a line of its own.
func (p *progress) Line(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	fmt.Fprintln(p.w, s)
	if p.shown {
		p.draw()
	}
}

// Note shows s as the latest item's line: in the bar on a terminal, as a
// line elsewhere.
func (p *progress) Note(s string) {
	if !p.tty {
		p.Line(s)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.note = s
}

// Step records that done of total are done (total 0: not known).
func (p *progress) Step(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	now := time.Now()
	switch {
	case p.tty && (now.Sub(p.last) >= 100*time.Millisecond || done == total || !p.shown):
		p.last = now
		p.draw()
	case !p.tty && now.Sub(p.last) >= progressEvery:
		p.last = now
		fmt.Fprintln(p.w, p.count(now))
	}
}

// Done takes the bar off the screen and prints the final count.
func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
	if p.done > 0 {
		fmt.Fprintln(p.w, p.count(time.Now()))
	}
}

// count is "1,200 of 2,000 items in 14s (85/s)".
func (p *progress) count(now time.Time) string {
	s := thousands(p.done)
	if p.total > 0 {
		s += " of " + thousands(p.total)
	}
	took := now.Sub(p.start)
	unit := p.many
	if p.done == 1 && p.total <= 1 {
		unit = p.one
	}
	s += " " + unit + " in " + took.Round(time.Second).String()
	if secs := took.Seconds(); secs >= 1 {
		s += fmt.Sprintf(" (%.0f/s)", float64(p.done)/secs)
	}
	return s
}

// draw writes the bar line over the current one. Call with p.mu held.
func (p *progress) draw() {
	var b strings.Builder
	b.WriteString("\r")
	if p.total > 0 {
		const width = 24
		filled := int(int64(width) * min(p.done, p.total) / p.total)
		b.WriteString("[" + strings.Repeat("=", filled) + strings.Repeat(" ", width-filled) + "] ")
	}
	b.WriteString(p.count(time.Now()))
	if p.note != "" {
		b.WriteString("  " + p.note)
	}
	line := []rune(b.String())
	if len(line) > p.cols { // one line: a wrapped one could not be rewritten
		line = append(line[:p.cols-1], '…')
	}
	fmt.Fprint(p.w, string(line)+"\x1b[K")
	p.shown = true
}

// thousands writes n with commas: 12,345.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
