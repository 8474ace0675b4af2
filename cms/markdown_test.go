package cms_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gosimple/slug"
	"github.com/lullabycms/lullaby/cms"
	xhtml "golang.org/x/net/html"
)

func TestRenderMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		contains []string
		absent   []string
	}{
		{"Heading ids transliterate", "## Schlaf für Babys\n\n## Schlaf für Babys", []string{`<h2 id="schlaf-fur-babys">`, `<h2 id="schlaf-fur-babys-1">`}, nil},
		{"GFM table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"Footnote", "Babies cry.[^1]\n\n[^1]: Wessel 1954.", []string{`class="footnotes"`, `href="#fn:1"`, `id="fn:1"`}, nil},
		{"Task list", "- [x] done\n- [ ] todo", []string{`<input checked="" disabled="" type="checkbox"`}, nil},
		{"Script dropped", "<script>alert(1)</script>hi", nil, []string{"<script", "alert(1)</script"}},
		{"javascript link dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"Event handler dropped", `<img src="x" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"data URL dropped", "[x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:text"}},
		{"Typographer", `"quoted" -- dash`, []string{"“quoted”", "–"}, nil},
		{"Links kept", "[AAP](https://www.aap.org)", []string{`href="https://www.aap.org"`}, nil},
		// An alt text is the image for those who cannot see it: one
		// with an apostrophe, quotes or a colon must not be dropped.
		{"Alt text with punctuation kept", `![Step 1: a toddler's "quiet" corner & lamp?](https://x.example/a.jpg)`,
			[]string{`alt="Step 1: a toddler’s “quiet” corner &amp; lamp?"`}, nil},
		{"Alt text escaped", "![a\\\" onerror=\\\"x](https://x.example/a.jpg)", []string{`alt="a&#34; onerror=&#34;x"`}, []string{`onerror="x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := cms.RenderMarkdown(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.contains {
				if !strings.Contains(r.HTML, want) {
					t.Errorf("HTML = %q, want it to contain %q", r.HTML, want)
				}
			}
			for _, bad := range tt.absent {
				if strings.Contains(strings.ToLower(r.HTML), bad) {
					t.Errorf("HTML = %q, must not contain %q", r.HTML, bad)
				}
			}
		})
	}
}

func TestRenderMarkdownCounts(t *testing.T) {
	t.Parallel()
	r, err := cms.RenderMarkdown(strings.Repeat("word ", 461))
	if err != nil {
		t.Fatal(err)
	}
	if r.WordCount != 461 || r.ReadingTime != 3 {
		t.Errorf("WordCount, ReadingTime = %d, %d; want 461, 3", r.WordCount, r.ReadingTime)
	}
	if r, _ := cms.RenderMarkdown(""); r.WordCount != 0 || r.ReadingTime != 0 {
		t.Errorf("empty: got %d, %d; want 0, 0", r.WordCount, r.ReadingTime)
	}
}

func FuzzRenderMarkdownIsSafe(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:x)", "<a href=\"JaVaScRiPt:x\">", "<img src=x onerror=y>", "<svg onload=x>", "[a](vbscript:x)", "<iframe src=x>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := cms.RenderMarkdown(src)
		if err != nil {
			t.Fatal(err)
		}
		if msg := unsafeHTML(r.HTML); msg != "" {
			t.Fatalf("%s in output %q for input %q", msg, r.HTML, src)
		}
	})
}

// unsafeHTML returns what makes html able to run script, or "".
func unsafeHTML(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "svg", "object", "embed", "style", "math", "form":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcdoc" {
					return "attribute " + a.Key
				}
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.HasPrefix(v, scheme) {
						return "URL " + a.Val
					}
				}
			}
		}
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Why Infants Cry: What Every Parent Should Know": "why-infants-cry-what-every-parent-should-know",
		"Schlaf für Babys":            "schlaf-fur-babys",
		"  4-Month Sleep Regression!": "4-month-sleep-regression",
		"!!!":                         "",
		"snake_case tips":             "snake-case-tips",
		"a -- b__c":                   "a-b-c",
	} {
		if got := cms.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSlugifyPlainWords: for words of ASCII letters, digits, spaces,
// hyphens and underscores, Slugify's own path gives what gosimple/slug
// gives.
func TestSlugifyPlainWords(t *testing.T) {
	t.Parallel()
	const alphabet = "aZk09 -_ Q"
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		in := string(b)
		want := strings.Trim(strings.Join(strings.FieldsFunc(slug.Make(in), func(r rune) bool { return r == '_' || r == '-' }), "-"), "-")
		if len(want) > cms.MaxSlugLen {
			want = strings.TrimRight(want[:cms.MaxSlugLen], "-")
		}
		if got := cms.Slugify(in); got != want {
			t.Fatalf("Slugify(%q) = %q, gosimple/slug makes %q", in, got, want)
		}
	}
}
