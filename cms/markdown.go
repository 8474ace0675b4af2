package cms

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
)

// WordsPerMinute is the reading speed behind ReadingTime.
const WordsPerMinute = 230

var (
	markdown = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(citationParser{}, 199)),
			parser.WithASTTransformers(util.Prioritized(noPinImages{}, 1000), util.Prioritized(collectCitations{}, 1001))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(citationRenderer{}, 100))),
	)
	sanitizer = newSanitizer()
)

func newSanitizer() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Heading ids (anchors), footnote markup and GFM task lists.
	p.AllowAttrs("id").OnElements("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div")
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("div", "sup", "a", "ol", "li", "section", "hr")
	p.AllowAttrs("role").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "div", "section", "hr", "li")
	p.AllowAttrs("type").Matching(bluemonday.SpaceSeparatedTokens).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowAttrs("align").Matching(bluemonday.SpaceSeparatedTokens).OnElements("th", "td")
	// Any alt text (the UGC policy's pattern drops one with a colon,
	// quote or the typographer's apostrophe); attribute values are
	// escaped on output.
	p.AllowAttrs("alt").OnElements("img")
	p.AllowElements("input", "section")
	// In-text citation placeholders (see markdown_cite.go).
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^citation$`)).OnElements("cite")
	p.AllowAttrs("data-cite").Matching(citeAttr).OnElements("cite")
	// Pinterest's save button skips images marked not pinnable.
	p.AllowAttrs("data-pin-nopin").Matching(regexp.MustCompile(`^true$`)).OnElements("img")
	p.RequireNoFollowOnLinks(false)
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}

// Rendered is the output of RenderMarkdown.
type Rendered struct {
	HTML        string
	WordCount   int
	ReadingTime int // minutes, at least 1 for any non-empty text
	// CitationKeys are the citation keys of the in-text citations, in
	// order of first citation (none inside code).
	CitationKeys []string
}

// RenderMarkdown renders GitHub-flavoured Markdown (tables, task lists,
// strikethrough, autolinks, footnotes, smart punctuation, heading ids) and
// sanitises the result with an allow-list, so raw HTML, event handlers and
// javascript: links never reach a reader.
func RenderMarkdown(src string) (Rendered, error) {
	return RenderMarkdownWith(src, RenderOptions{})
}

// RenderOptions adjust RenderMarkdownWith to one post.
type RenderOptions struct {
	// NoPin lists media ids whose images in the body are marked not
	// pinnable (data-pin-nopin="true").
	NoPin []string
}

// noPinKey carries RenderOptions.NoPin to the noPinImages transformer.
var noPinKey = parser.NewContextKey()

// noPinImages marks the body images of the media in the parser context's
// NoPin list with data-pin-nopin="true".
type noPinImages struct{}

func (noPinImages) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	ids, _ := pc.Get(noPinKey).([]string)
	if len(ids) == 0 {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		for _, id := range bodyMediaIDs(string(img.Destination)) {
			if slices.Contains(ids, id) {
				img.SetAttributeString("data-pin-nopin", []byte("true"))
			}
		}
		return ast.WalkContinue, nil
	})
}

// RenderMarkdownWith is RenderMarkdown with per-post options.
func RenderMarkdownWith(src string, opt RenderOptions) (Rendered, error) {
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	if len(opt.NoPin) > 0 {
		ctx.Set(noPinKey, opt.NoPin)
	}
	var keys []string
	ctx.Set(citeKeysKey, &keys)
	if err := markdown.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return Rendered{}, &Error{Kind: KindInternal, Op: "cms.RenderMarkdown", Err: err}
	}
	html := sanitizer.SanitizeBytes(buf.Bytes())
	words := countWords(html)
	r := Rendered{HTML: string(html), WordCount: words, CitationKeys: keys}
	if words > 0 {
		r.ReadingTime = int(math.Ceil(float64(words) / WordsPerMinute))
	}
	return r, nil
}

// headingIDs makes heading ids from Slugify, so that accented headings keep
// their letters ("Schlaf für Babys" -> "schlaf-fur-babys"), and numbers
// repeats ("faq", "faq-1").
type headingIDs struct{ used map[string]bool }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

var _ parser.IDs = (*headingIDs)(nil)

// countWords counts the words of the text content of sanitised HTML.
func countWords(html []byte) int {
	z := xhtml.NewTokenizer(bytes.NewReader(html))
	n := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return n
		case xhtml.TextToken:
			for _, w := range strings.FieldsFunc(string(z.Text()), func(r rune) bool {
				return unicode.IsSpace(r) || r == '—' || r == '–'
			}) {
				if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
					n++
				}
			}
		}
	}
}

var textBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// CutText collapses runs of white space in plain text and cuts it to at
// most max runes, with an ellipsis, when max > 0.
func CutText(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); max > 0 && len(r) > max {
		s = strings.TrimRightFunc(string(r[:max-1]), unicode.IsSpace) + "…"
	}
	return s
}

// excerptSkipped are the elements whose text an excerpt leaves out.
var excerptSkipped = map[string]bool{"sup": true, "pre": true, "table": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true}

// Excerpt returns the text of the first paragraphs of rendered HTML, cut
// to at most max runes: footnote markers and footnotes, headings, tables
// and code are left out.
func Excerpt(html string, limit int) string {
	b := textBufPool.Get().(*bytes.Buffer)
	defer func() { b.Reset(); textBufPool.Put(b) }()
	z := xhtml.NewTokenizer(strings.NewReader(html))
	skip, inPara := 0, 0
	for b.Len() < 4*limit {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		switch {
		case tt == xhtml.StartTagToken && (excerptSkipped[tag] || tag == "div" && hasAttr && isFootnotes(z)):
			skip++
		case tt == xhtml.StartTagToken && (tag == "p" || tag == "li"):
			inPara++
		case tt == xhtml.EndTagToken && excerptSkipped[tag]:
			skip = max(skip-1, 0)
		case tt == xhtml.EndTagToken && (tag == "p" || tag == "li"):
			inPara = max(inPara-1, 0)
			b.WriteByte(' ')
		case tt == xhtml.TextToken && skip == 0 && inPara > 0:
			b.Write(z.Text())
		}
	}
	return CutText(b.String(), limit)
}

// isFootnotes reports whether the current start tag has the class
// "footnotes": goldmark's footnote block, which ends the document. Its
// closing div does not end the skip, so nothing after it counts either.
func isFootnotes(z *xhtml.Tokenizer) bool {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "class" && strings.Contains(string(v), "footnotes") {
			return true
		}
		if !more {
			return false
		}
	}
}
