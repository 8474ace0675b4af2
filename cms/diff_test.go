package cms_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

func TestDiffLines(t *testing.T) {
	t.Parallel()
	show := func(d []cms.DiffLine) string {
		var b strings.Builder
		for _, l := range d {
			b.WriteString([]string{" ", "-", "+"}[l.Op] + l.Text + "\n")
		}
		return b.String()
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"Empty", "", "", ""},
		{"Same", "a\nb\n", "a\nb", " a\n b\n"},
		{"AllNew", "", "a\nb", "+a\n+b\n"},
		{"AllGone", "a\nb", "", "-a\n-b\n"},
		{"ChangedLine", "a\nb\nc", "a\nB\nc", " a\n-b\n+B\n c\n"},
		{"Inserted", "a\nc", "a\nb\nc", " a\n+b\n c\n"},
		{"CRLF", "a\r\nb\r\n", "a\nb\n", " a\n b\n"},
		{"DeletionsFirst", "x\ny\nz", "1\ny\n2", "-x\n+1\n y\n-z\n+2\n"},
		{"Replaced", "a\nb", "c\nd", "-a\n-b\n+c\n+d\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(cms.DiffLines(tt.old, tt.new)); got != tt.want {
				t.Errorf("DiffLines(%q, %q) =\n%s\nwant\n%s", tt.old, tt.new, got, tt.want)
			}
		})
	}
}

// TestDiffLinesRandom checks on random texts that a diff rebuilds both
// sides and is as short as a longest common subsequence allows.
func TestDiffLinesRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	text := func() []string {
		n := r.IntN(12)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + r.IntN(4)))
		}
		return out
	}
	for i := 0; i < 2000; i++ {
		a, b := text(), text()
		d := cms.DiffLines(strings.Join(a, "\n"), strings.Join(b, "\n"))
		var gotA, gotB []string
		edits := 0
		for _, l := range d {
			if l.Op != cms.DiffInsert {
				gotA = append(gotA, l.Text)
			}
			if l.Op != cms.DiffDelete {
				gotB = append(gotB, l.Text)
			}
			if l.Op != cms.DiffEqual {
				edits++
			}
		}
		if strings.Join(gotA, "\n") != strings.Join(a, "\n") || strings.Join(gotB, "\n") != strings.Join(b, "\n") {
			t.Fatalf("diff of %q and %q does not rebuild them: %+v", a, b, d)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("diff of %q and %q has %d edits, want %d", a, b, edits, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestDiffLinesLarge shows the bound at work: two unrelated large bodies
// are diffed quickly, as a removal and an addition.
func TestDiffLinesLarge(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := 0; i < 20000; i++ {
		a.WriteString("old line " + strings.Repeat("x", i%7) + "\n")
		b.WriteString("new line " + strings.Repeat("y", i%5) + "\n")
	}
	d := cms.DiffLines(a.String(), b.String())
	if len(d) != 40000 || d[0].Op != cms.DiffDelete || d[len(d)-1].Op != cms.DiffInsert {
		t.Fatalf("got %d lines, first %+v, last %+v", len(d), d[0], d[len(d)-1])
	}
}

// TestDiffWords: a one-word change in a long paragraph marks that word,
// not the paragraph; unrelated lines are marked whole.
func TestDiffWords(t *testing.T) {
	t.Parallel()
	show := func(spans []cms.DiffSpan) string {
		var b strings.Builder
		for _, s := range spans {
			if s.Changed {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	tests := []struct {
		name, old, new, wantOld, wantNew string
	}{
		{"OneWord", "Most babies wake two or three times a night until six months.",
			"Most babies wake once or twice a night until six months.",
			"Most babies wake [two] or [three times] a night until six months.",
			"Most babies wake [once] or [twice] a night until six months."},
		{"Punctuation", "Keep the room dark, quiet and cool.", "Keep the room dark, quiet, and cool!",
			"Keep the room dark, quiet and cool[.]", "Keep the room dark, quiet[,] and cool[!]"},
		{"Accents", "Le bébé dort bien la nuit.", "Le bébé dort mal la nuit.",
			"Le bébé dort [bien] la nuit.", "Le bébé dort [mal] la nuit."},
		{"Unrelated", "Naps matter.", "Completely different words here about bedtime.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cms.DiffLines("Title\n\n"+tt.old+"\n\nEnd", "Title\n\n"+tt.new+"\n\nEnd")
			var del, ins *cms.DiffLine
			for i := range d {
				switch d[i].Op {
				case cms.DiffDelete:
					del = &d[i]
				case cms.DiffInsert:
					ins = &d[i]
				case cms.DiffEqual:
					if d[i].Spans != nil {
						t.Errorf("unchanged line %q has spans", d[i].Text)
					}
				}
			}
			if del == nil || ins == nil || del.Text != tt.old || ins.Text != tt.new {
				t.Fatalf("diff %+v: want the paragraph deleted and inserted", d)
			}
			if got := show(del.Spans); got != tt.wantOld {
				t.Errorf("old spans = %q, want %q", got, tt.wantOld)
			}
			if got := show(ins.Spans); got != tt.wantNew {
				t.Errorf("new spans = %q, want %q", got, tt.wantNew)
			}
		})
	}
}
