package readmodel

import (
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// The text of rendered HTML, as the index and the phrase check read it.

// htmlText is the text of rendered HTML: tags dropped, entities decoded,
// white space collapsed, block elements separated by a space.
func htmlText(s string) string { return htmlTextPrefix(s, -1) }

// htmlTextPrefix is htmlText stopped once about limit bytes of text are
// made (limit < 0: all of it).
func htmlTextPrefix(s string, limit int) string {
	var b strings.Builder
	b.Grow(min(len(s), max(limit, 0)+1024))
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		if limit >= 0 && b.Len() >= limit {
			return strings.Join(strings.Fields(b.String()), " ")
		}
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "sup": // footnote markers
			default:
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch n := string(name); {
			case n == "script" || n == "style":
				skip = max(skip-1, 0)
			case n == "sup":
			case blockTags[n]:
				endBlock(&b)
			default:
				b.WriteByte(' ')
			}
		}
	}
}

// blockTags are the elements whose end closes a block of text.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "li": true, "dt": true, "dd": true,
	"blockquote": true, "pre": true, "td": true, "th": true, "caption": true, "figcaption": true, "div": true, "summary": true,
}

// endBlock ends a block of text in b: a heading or list item that ends
// without punctuation gets " · ", so that a snippet does not run it into
// the next paragraph ("Sleep cycles · Babies …").
func endBlock(b *strings.Builder) {
	text := strings.TrimRightFunc(b.String(), unicode.IsSpace)
	if r, _ := utf8.DecodeLastRuneInString(text); text != "" && !strings.ContainsRune(".!?:;…·", r) {
		b.WriteString(" · ")
		return
	}
	b.WriteByte(' ')
}
