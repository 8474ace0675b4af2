package wordpress

import (
	"encoding/json"
	"fmt"
	stdhtml "html"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Body is an item's content as Markdown. What could not be converted
// cleanly stays as HTML inside the Markdown (the importer must sanitise
// it) and is listed in Lossy, one line per thing, for the import report.
type Body struct {
	Markdown  string
	Editor    string  // "block" (has <!-- wp: --> comments), "classic" or "" when empty
	Images    []Image // every image of the body, in order, for URL rewriting
	Footnotes int
	Lossy     []string
	// Teaser is the Markdown before <!--more-->, which WordPress shows in
	// lists as the post's summary; "" when the body has no such marker.
	Teaser string
}

// Image is an <img> of a body with its Pinterest attributes.
type Image struct {
	URL            string // as written: the importer rewrites it
	Link           string // href of a link around the image, often the full-size file
	Alt            string
	Title          string
	AttachmentID   int64  // from class="wp-image-N" or a [gallery]; 0 if unknown
	PinDescription string // data-pin-description
	PinTitle       string // data-pin-title
	PinMedia       string // data-pin-media: the image Pinterest should take
	PinID          string // data-pin-id (repin)
	NoPin          bool   // data-pin-nopin, or Pinterest's nopin attribute
	Hidden         bool   // a Tasty Pins hidden pin image: not in Markdown
}

var (
	blockComment = regexp.MustCompile(`<!--\s+(/)?wp:([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*)\s+(?:(\{(?s:.*?)\})\s+)?(/)?-->`)
	wpImageClass = regexp.MustCompile(`\bwp-image-(\d+)\b`)
	moreTag      = regexp.MustCompile(`<!--more(?:\s[^>]*)?-->`)
)

// staticBlocks are the core blocks whose saved HTML is their content, or
// that need none; other self-closing blocks are rendered by PHP at view
// time and leave nothing in the export.
var staticBlocks = map[string]bool{"core/footnotes": true, "core/more": true, "core/nextpage": true,
	"core/spacer": true, "core/separator": true, "core/block": false}

// converterOnce builds the one HTML to Markdown converter: CommonMark, GFM
// tables, and the markers this package puts in the tree.
var converterOnce = sync.OnceValue(func() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(base.NewBasePlugin(), commonmark.NewCommonmarkPlugin(), table.NewTablePlugin()))
	conv.Register.RendererFor("wpfn", converter.TagTypeInline, func(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
		w.WriteString("[^" + attr(n, "n") + "]")
		return converter.RenderSuccess
	}, converter.PriorityEarly)
	for _, tag := range keptAsHTML {
		conv.Register.RendererFor(tag, converter.TagTypeBlock, base.RenderAsHTML, converter.PriorityEarly)
	}
	return conv
})

// keptAsHTML are the elements Markdown has no form for.
var keptAsHTML = []string{"iframe", "video", "audio", "object", "embed", "form", "svg", "canvas", "details", "dl"}

// ConvertHTML converts a post body (block-editor or classic HTML) to
// Markdown. footnotes is the block editor's "footnotes" post meta (JSON,
// may be ""). It never fails: what it cannot convert is kept and listed.
func ConvertHTML(content, footnotes string) Body {
	var b Body
	if strings.TrimSpace(content) == "" {
		return b
	}
	if i := moreTag.FindStringIndex(content); i != nil && strings.TrimSpace(content[:i[0]]) != "" {
		b.Teaser = ConvertHTML(content[:i[0]], "").Markdown
	}
	b.Editor = "classic"
	if blockComment.MatchString(content) {
		b.Editor = "block"
		content = b.stripBlocks(content)
	}
	content = expandShortcodes(content, &b.Lossy)
	var easy []string
	content = easyFootnote.ReplaceAllStringFunc(content, func(m string) string {
		easy = append(easy, m[2:len(m)-2])
		return fmt.Sprintf(`<wpfn n="%d"></wpfn>`, len(easy))
	})
	if b.Editor == "classic" {
		content = wpautop(autoEmbeds(content, &b.Lossy))
	}
	if unclosed := unbalanced(content); unclosed != "" {
		b.Lossy = append(b.Lossy, "broken HTML ("+unclosed+") repaired by the HTML parser: check the result")
	}
	doc, err := html.Parse(strings.NewReader(content))
	if err != nil {
		b.Markdown = content
		b.Lossy = append(b.Lossy, "HTML unreadable, kept as it was: "+err.Error())
		return b
	}
	notes := b.walk(doc, footnoteContents(footnotes, &b.Lossy))
	notes = append(notes, easy...)
	md, err := converterOnce().ConvertNode(doc)
	if err != nil {
		b.Markdown = content
		b.Lossy = append(b.Lossy, "conversion failed, HTML kept: "+err.Error())
		return b
	}
	var out strings.Builder
	out.Write(md)
	for i, n := range notes {
		fn, err := converterOnce().ConvertString(n)
		if err != nil {
			fn = n
		}
		fmt.Fprintf(&out, "\n\n[^%d]: %s", i+1, strings.Join(strings.Fields(fn), " "))
	}
	b.Footnotes = len(notes)
	b.Markdown = strings.TrimSpace(out.String())
	return b
}

// stripBlocks removes the block comments and notes the blocks whose
// content the export does not hold.
func (b *Body) stripBlocks(content string) string {
	seen := map[string]bool{}
	return blockComment.ReplaceAllStringFunc(content, func(m string) string {
		sub := blockComment.FindStringSubmatch(m)
		if sub[1] != "" {
			return "\n"
		}
		ns := sub[2]
		if ns == "" {
			ns = "core/"
		}
		name := ns + sub[3]
		switch {
		case name == "core/nextpage" && !seen[name]:
			b.Lossy = append(b.Lossy, "page breaks (<!--nextpage-->) dropped: the post is one page")
		case name == "core/block" && !seen[name]:
			b.Lossy = append(b.Lossy, "reusable block "+sub[4]+" not inlined: its content is a wp_block item")
		case sub[5] != "" && !staticBlocks[name] && name != "core/block" && !seen[name]:
			b.Lossy = append(b.Lossy, "dynamic block "+name+" dropped: WordPress renders it at view time")
		}
		seen[name] = true
		return "\n"
	})
}

// footnoteContents reads the block editor's footnotes meta:
// [{"id":"…","content":"…"}], in the order of the notes.
func footnoteContents(meta string, lossy *[]string) map[string]string {
	if strings.TrimSpace(meta) == "" {
		return nil
	}
	var notes []struct{ ID, Content string }
	if err := json.Unmarshal([]byte(meta), &notes); err != nil {
		*lossy = append(*lossy, "footnotes meta unreadable: "+err.Error())
		return nil
	}
	m := make(map[string]string, len(notes))
	for _, n := range notes {
		m[n.ID] = n.Content
	}
	return m
}

// walk edits the parsed body in place before conversion and gathers its
// images; it returns the footnotes in order of their first anchor.
func (b *Body) walk(n *html.Node, fnByID map[string]string) []string {
	var notes []string
	numbers := map[string]int{}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				if b.element(c, fnByID, numbers, &notes) {
					c = next
					continue
				}
				visit(c)
			}
			c = next
		}
	}
	visit(n)
	return notes
}

// element handles one element; it reports whether its children are done.
func (b *Body) element(c *html.Node, fnByID map[string]string, numbers map[string]int, notes *[]string) bool {
	class := " " + attr(c, "class") + " "
	switch {
	case c.Data == "img":
		b.Images = append(b.Images, image(c, false))
	case c.Data == "sup" && attr(c, "data-fn") != "":
		id := attr(c, "data-fn")
		k, ok := numbers[id]
		if !ok {
			text, found := fnByID[id]
			if !found {
				b.Lossy = append(b.Lossy, "footnote "+id+" has no text in the footnotes meta")
			}
			*notes = append(*notes, text)
			k = len(*notes)
			numbers[id] = k
		}
		replace(c, &html.Node{Type: html.ElementNode, Data: "wpfn", Attr: []html.Attribute{{Key: "n", Val: strconv.Itoa(k)}}})
		return true
	case c.Data == "ol" && strings.Contains(class, " wp-block-footnotes ") && fnByID != nil:
		c.Parent.RemoveChild(c) // the meta is the source of the notes
		return true
	case c.Data == "div" && strings.Contains(class, " tasty-pins-hidden-image-container "):
		for _, img := range elements(c, "img") {
			b.Images = append(b.Images, image(img, true))
		}
		c.Parent.RemoveChild(c)
		return true
	case c.Data == "figure" && strings.Contains(class, " wp-block-embed "):
		u := strings.TrimSpace(textOf(c))
		if a := elements(c, "iframe"); u == "" && len(a) > 0 {
			u = attr(a[0], "src")
		}
		b.Lossy = append(b.Lossy, "embed of "+u+" turned into a link")
		caption := ""
		if fc := elements(c, "figcaption"); len(fc) > 0 {
			caption = "<p>" + stdhtml.EscapeString(strings.TrimSpace(textOf(fc[0]))) + "</p>"
		}
		link, _ := html.ParseFragment(strings.NewReader(linkHTML(u)+caption), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		for _, l := range link {
			c.Parent.InsertBefore(l, c)
		}
		c.Parent.RemoveChild(c)
		return true
	case c.Data == "figure" && strings.Contains(class, " wp-block-gallery "):
		b.Lossy = append(b.Lossy, fmt.Sprintf("gallery of %d images turned into a list of images", len(elements(c, "img"))))
	case c.Data == "script" || c.Data == "style":
		b.Lossy = append(b.Lossy, "<"+c.Data+"> dropped")
	default:
		for _, tag := range keptAsHTML {
			if c.Data == tag {
				b.Lossy = append(b.Lossy, "<"+tag+"> kept as HTML"+describe(c))
				return true
			}
		}
	}
	return false
}

func image(n *html.Node, hidden bool) Image {
	img := Image{URL: attr(n, "src"), Alt: attr(n, "alt"), Title: attr(n, "title"), Hidden: hidden,
		PinDescription: attr(n, "data-pin-description"), PinTitle: attr(n, "data-pin-title"),
		PinMedia: attr(n, "data-pin-media"), PinID: attr(n, "data-pin-id")}
	if v, ok := attrOK(n, "data-pin-nopin"); ok && v != "false" {
		img.NoPin = true
	}
	if _, ok := attrOK(n, "nopin"); ok { // Pinterest's own opt-out attribute
		img.NoPin = true
	}
	if p := n.Parent; p != nil && p.Type == html.ElementNode && p.Data == "a" {
		img.Link = attr(p, "href")
	}
	if m := wpImageClass.FindStringSubmatch(attr(n, "class")); m != nil {
		img.AttachmentID = atoi(m[1])
	} else if strings.HasPrefix(img.URL, AttachmentScheme) {
		img.AttachmentID = atoi(img.URL[len(AttachmentScheme):])
	}
	return img
}

func describe(n *html.Node) string {
	if src := attr(n, "src"); src != "" {
		return " (" + src + ")"
	}
	return ""
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func replace(old, n *html.Node) {
	old.Parent.InsertBefore(n, old)
	old.Parent.RemoveChild(old)
}

func elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == tag {
				out = append(out, c)
			}
			visit(c)
		}
	}
	visit(n)
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else if c.Data != "figcaption" {
				visit(c)
			}
		}
	}
	visit(n)
	return b.String()
}
