package cms

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// In-text citations use Pandoc's syntax: [@price2012], [@price2012, p. 645]
// and [@price2012; @smith2010]. At save time they become placeholders,
//
//	<cite class="citation" data-cite="price2012|p.+645 smith2010">[@price2012, p. 645; @smith2010]</cite>
//
// which FormatCitations turns into the site's style when the public
// content is built, so that correcting a reference or switching between
// APA and AMA never requires saving every post again.

// CiteItem is one work cited in an in-text citation.
type CiteItem struct {
	Key     string // lower-case citation key
	Locator string // "p. 645", or ""
}

// citeGroup matches a whole bracketed citation at the start of the input.
var citeGroup = regexp.MustCompile(`^\[\s*@[A-Za-z0-9][A-Za-z0-9_:-]*(?:\s*,[^;\]\[]*)?(?:\s*;\s*@[A-Za-z0-9][A-Za-z0-9_:-]*(?:\s*,[^;\]\[]*)?)*\s*\]`)

// citeItem splits one "@key, locator" part.
var citeItem = regexp.MustCompile(`@([A-Za-z0-9][A-Za-z0-9_:-]*)\s*(?:,\s*(.*))?$`)

// parseCiteGroup returns the items of a bracketed citation "[@a, p. 1; @b]".
func parseCiteGroup(s string) []CiteItem {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	var items []CiteItem
	for _, part := range strings.Split(s, ";") {
		m := citeItem.FindStringSubmatch(strings.TrimSpace(part))
		if m == nil {
			continue
		}
		items = append(items, CiteItem{Key: strings.ToLower(m[1]), Locator: strings.Join(strings.Fields(m[2]), " ")})
	}
	return items
}

var kindCitation = ast.NewNodeKind("Citation")

// citationNode is an in-text citation in the Markdown AST.
type citationNode struct {
	ast.BaseInline
	Items []CiteItem
	Raw   string
}

func (n *citationNode) Kind() ast.NodeKind { return kindCitation }

func (n *citationNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// citationParser parses in-text citations; it runs before the link parser,
// and leaves "[@x](url)" and "[@x][ref]" to it.
type citationParser struct{}

func (citationParser) Trigger() []byte { return []byte{'['} }

func (citationParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 3 || line[1] != '@' && line[1] != ' ' {
		return nil
	}
	m := citeGroup.Find(line)
	if m == nil {
		return nil
	}
	if len(line) > len(m) && (line[len(m)] == '(' || line[len(m)] == '[') {
		return nil // a link whose text starts with '@'
	}
	items := parseCiteGroup(string(m))
	if len(items) == 0 {
		return nil
	}
	block.Advance(len(m))
	return &citationNode{Items: items, Raw: string(m)}
}

// citationRenderer writes the placeholder of a citation node.
type citationRenderer struct{}

func (citationRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCitation, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		c := n.(*citationNode)
		_, _ = w.WriteString(`<cite class="citation" data-cite="`)
		_, _ = w.WriteString(encodeCiteItems(c.Items))
		_, _ = w.WriteString(`">`)
		_, _ = w.WriteString(html.EscapeString(c.Raw))
		_, _ = w.WriteString(`</cite>`)
		return ast.WalkSkipChildren, nil
	})
}

// encodeCiteItems writes items as "key|locator key2": keys are plain,
// locators query-escaped, so the attribute survives sanitising as is.
func encodeCiteItems(items []CiteItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Key
		if it.Locator != "" {
			parts[i] += "|" + url.QueryEscape(it.Locator)
		}
	}
	return strings.Join(parts, " ")
}

func decodeCiteItems(s string) []CiteItem {
	var items []CiteItem
	for _, part := range strings.Fields(s) {
		key, loc, _ := strings.Cut(part, "|")
		loc, _ = url.QueryUnescape(loc)
		items = append(items, CiteItem{Key: key, Locator: loc})
	}
	return items
}

// citeAttr is what the sanitiser lets through in data-cite.
var citeAttr = regexp.MustCompile(`^[a-z0-9_:| %+.*~'()!-]*$`)

// CitationKeys returns the keys cited in a Markdown body, in order of
// first citation; citations inside code are not citations.
func CitationKeys(body string) []string {
	if !strings.Contains(body, "@") {
		return nil
	}
	return citedKeys(markdown.Parser().Parse(text.NewReader([]byte(body))))
}

// citedKeys returns the keys of the citation nodes under doc, in order of
// first citation.
func citedKeys(doc ast.Node) []string {
	var keys []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*citationNode); ok && entering {
			for _, it := range c.Items {
				if !slices.Contains(keys, it.Key) {
					keys = append(keys, it.Key)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return keys
}

// citeKeysKey carries a *[]string that collectCitations fills, so that
// rendering a body also tells which works it cites.
var citeKeysKey = parser.NewContextKey()

// collectCitations stores the document's citation keys where the parser
// context's citeKeysKey points.
type collectCitations struct{}

func (collectCitations) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if dst, ok := pc.Get(citeKeysKey).(*[]string); ok {
		*dst = citedKeys(doc)
	}
}

// citePlaceholder matches a placeholder in sanitised HTML.
var citePlaceholder = regexp.MustCompile(`<cite class="citation" data-cite="([^"]*)">[^<]*</cite>`)

// citePlaceholderSpace matches a placeholder with the space before it.
var citePlaceholderSpace = regexp.MustCompile(`\s*<cite class="citation" data-cite="[^"]*">[^<]*</cite>`)

// StripCitations removes the in-text citations from HTML, for excerpts.
func StripCitations(html string) string {
	if !strings.Contains(html, `<cite class="citation"`) {
		return html
	}
	return citePlaceholderSpace.ReplaceAllString(html, "")
}

// FormatCitations replaces the citation placeholders of a post's HTML
// with in-text citations in style, refs being the post's references (in
// any order: the list is ordered as NewReferenceList orders it). It is
// NewReferenceList(style, refs, htmlIn).FormatCitations(htmlIn): build
// the list once when the reference list is shown as well.
func FormatCitations(htmlIn string, style CitationStyle, refs []*Citation) string {
	if !strings.Contains(htmlIn, `<cite class="citation"`) {
		return htmlIn
	}
	return NewReferenceList(style, refs, htmlIn).FormatCitations(htmlIn)
}

// FormatCitations replaces the citation placeholders of a post's HTML
// with in-text citations in the list's style, linking to the reference
// list entries (id "ref-<key>"): APA's "(Price et al., 2012a, p. 645)",
// AMA's superscript numbers. A key that is not in the list is shown as
// typed with a question mark and marked (class "citation-unresolved"):
// the editor's preview shows a draft's unresolved citations that way;
// published posts have none.
func (l *ReferenceList) FormatCitations(htmlIn string) string {
	if !strings.Contains(htmlIn, `<cite class="citation"`) {
		return htmlIn
	}
	return citePlaceholder.ReplaceAllStringFunc(htmlIn, func(ph string) string {
		m := citePlaceholder.FindStringSubmatch(ph)
		items := decodeCiteItems(html.UnescapeString(m[1]))
		var b strings.Builder
		if l.Style == StyleAMA {
			b.WriteString(`<sup class="citation">`)
			for i, it := range items {
				if i > 0 {
					b.WriteByte(',')
				}
				e, ok := l.list.Find(it.Key)
				if !ok {
					b.WriteString(unresolvedCite(it.Key))
					continue
				}
				b.WriteString(`<a href="#ref-` + it.Key + `">` + strconv.Itoa(e.Number) + `</a>`)
				if it.Locator != "" {
					b.WriteString(html.EscapeString("(" + it.Locator + ")"))
				}
			}
			b.WriteString(`</sup>`)
			return b.String()
		}
		b.WriteString(`<cite class="citation">(`)
		for i, it := range items {
			if i > 0 {
				b.WriteString("; ")
			}
			e, ok := l.list.Find(it.Key)
			if !ok {
				b.WriteString(unresolvedCite(it.Key))
				continue
			}
			b.WriteString(`<a href="#ref-` + it.Key + `">` + html.EscapeString(e.APAInText(it.Locator)) + `</a>`)
		}
		b.WriteString(`)</cite>`)
		return b.String()
	})
}

// unresolvedCite is the marked "@key?" of a key that is not in the list.
func unresolvedCite(key string) string {
	return `<mark class="citation-unresolved" title="Not in the reference library">@` + html.EscapeString(key) + `?</mark>`
}

// replaceCitationKey rewrites the citations of key from in a Markdown body
// to key to (merging references); everything else is left as written.
func replaceCitationKey(body, from, to string) string {
	re := regexp.MustCompile(`(?i)(\[[^\]]*@)` + regexp.QuoteMeta(from) + `([\s,;\]])`)
	return re.ReplaceAllString(body, "${1}"+to+"${2}")
}
