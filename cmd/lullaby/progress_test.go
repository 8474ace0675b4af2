package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestProgress: on a terminal, one line is rewritten in place (a bar,
// the count of the total, the latest item) with other lines printed above
// it, and taken off at the end; elsewhere every line is a plain line and
// the bar never shows.
func TestProgress(t *testing.T) {
	t.Run("Terminal", func(t *testing.T) {
		var b bytes.Buffer
		p := newProgress(&b, "item", "items")
		p.tty = true
		p.Note("created post 1")
		p.Step(1, 4)
		p.Line("posts: 1")
		p.Note("created post 4")
		p.Step(4, 4)
		p.Done()
		out := b.String()
		for _, want := range []string{"\r[======                  ] 1 of 4 items in 0s  created post 1\x1b[K",
			"\r\x1b[Kposts: 1\n", "\r[========================] 4 of 4 items in 0s  created post 4\x1b[K", "\r\x1b[K4 of 4 items in 0s\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("output %q\nlacks %q", out, want)
			}
		}
		if !strings.HasSuffix(out, "\r\x1b[K4 of 4 items in 0s\n") {
			t.Errorf("output %q does not end with the bar taken off and the count", out)
		}
	})
	t.Run("Plain", func(t *testing.T) {
		var b bytes.Buffer
		p := newProgress(&b, "document", "documents")
		p.Note("created post 1")
		p.Step(1, 0)
		p.Line("posts: 1")
		p.Done()
		if got, want := b.String(), "created post 1\nposts: 1\n1 document in 0s\n"; got != want {
			t.Errorf("output %q, want %q", got, want)
		}
	})
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
