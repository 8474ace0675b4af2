package cms

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
)

// Footnotes number across the whole post ("[^a]" anywhere in the body
// becomes 1, 2, 3 in order of first reference) and end it in one list,
// with a back-link from each note to every marker that cites it.
// Rendering keeps goldmark's ids ("fn:1", "fnref:1", "fnref1:1"), so a
// body saved by any version renders alike; PostFootnotes gives them the
// one scheme every public copy of the HTML carries (our API, the
// preview, the feeds, both dialects), with the post's id in each, so
// that several posts on one page never share an id:
//
//	fn-<post id>-1        the first note
//	fnref-<post id>-1     its first marker
//	fnref-<post id>-1-2   its second marker

// Footnote is one footnote of a post as data, for frontends that show
// notes beside the text rather than at its end.
type Footnote struct {
	Number int `json:"number"` // 1, 2, 3 across the whole post
	// ID is the id of the note's element in the post's HTML (its <li>).
	ID string `json:"id"`
	// HTML is the note's text, sanitised, without its back-links.
	HTML string `json:"html"`
	// RefID is the id of the first marker citing the note (a <sup>); a
	// back-link to "#"+RefID returns to it. RefIDs lists every marker.
	RefID  string   `json:"refId"`
	RefIDs []string `json:"refIds"`
	// Paragraph is the part of the post the first marker is in.
	Paragraph FootnoteParagraph `json:"paragraph"`
	// Section is the id of the heading the first marker follows, "" when
	// it comes before any heading.
	Section string `json:"section"`
}

// FootnoteParagraph locates the block of a post that cites a footnote.
type FootnoteParagraph struct {
	// Index is the block's position among the top-level elements of the
	// post's HTML, from 0 (the element children of its container).
	Index int `json:"index"`
	// Text is the block's text without footnote markers.
	Text string `json:"text"`
}

var (
	// goldmarkNoteID matches goldmark's ids and links: "fn:1",
	// "fnref:1", "fnref2:1", with or without "#".
	goldmarkNoteID = regexp.MustCompile(`^(#?)fn(ref(\d*))?:(\d+)$`)
	// idUnsafe is what a post id may not bring into an element id.
	idUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)
)

// footnoteID turns one of goldmark's footnote ids or links into the
// public scheme for the post prefix; ok is false for anything else.
func footnoteID(v, prefix string) (out string, number int, ref int, ok bool) {
	m := goldmarkNoteID.FindStringSubmatch(v)
	if m == nil {
		return "", 0, 0, false
	}
	n, err := strconv.Atoi(m[4])
	if err != nil {
		return "", 0, 0, false
	}
	kind, ref := "fn-", 0
	if m[2] != "" {
		kind, ref = "fnref-", 1
		if m[3] != "" {
			k, err := strconv.Atoi(m[3])
			if err != nil {
				return "", 0, 0, false
			}
			ref = k + 1
		}
	}
	out = m[1] + kind + prefix + m[4]
	if ref > 1 {
		out += "-" + strconv.Itoa(ref)
	}
	return out, n, ref, true
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// PostFootnotes gives the footnote ids and links of rendered, sanitised
// HTML the public scheme for the post postID (above) and returns the
// HTML with the footnotes as data, in order; it returns htmlIn as is,
// and no footnotes, when there are none. Everything but those ids and
// links is left byte for byte.
func PostFootnotes(htmlIn, postID string) (string, []Footnote) {
	if !strings.Contains(htmlIn, `class="footnotes"`) && !strings.Contains(htmlIn, "fnref") {
		return htmlIn, nil
	}
	prefix := idUnsafe.ReplaceAllString(postID, "")
	if prefix != "" {
		prefix += "-"
	}
	f := footnoteScan{prefix: prefix, byNumber: map[int]*Footnote{}}
	out := f.scan(htmlIn)
	return out, f.notes()
}

// footnoteScan is one pass over a post's HTML.
type footnoteScan struct {
	prefix   string
	out      bytes.Buffer
	byNumber map[int]*Footnote

	depth   int // open elements
	top     int // top-level elements seen
	section string
	block   strings.Builder // the text of the current top-level block
	cites   []*Footnote     // notes first cited in the current block
	inNotes int             // depth inside the footnotes div, 0 outside it
	marker  int             // depth inside a marker <sup>, 0 outside one
	backref int             // depth inside a back-link, 0 outside one

	note     *Footnote // the note being read
	noteAt   int       // the depth its <li> opened at
	noteHTML bytes.Buffer
}

// get returns note n, made on first use.
func (f *footnoteScan) get(n int) *Footnote {
	if fn := f.byNumber[n]; fn != nil {
		return fn
	}
	fn := &Footnote{Number: n, ID: "fn-" + f.prefix + strconv.Itoa(n), RefIDs: []string{}}
	f.byNumber[n] = fn
	return fn
}

// notes returns the notes by number.
func (f *footnoteScan) notes() []Footnote {
	out := make([]Footnote, 0, len(f.byNumber))
	for _, fn := range f.byNumber {
		out = append(out, *fn)
	}
	slices.SortFunc(out, func(a, b Footnote) int { return a.Number - b.Number })
	return out
}

func (f *footnoteScan) scan(htmlIn string) string {
	z := xhtml.NewTokenizer(strings.NewReader(htmlIn))
	f.out.Grow(len(htmlIn) + len(htmlIn)/8) // the ids grow by the post id
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return f.out.String()
		}
		switch tt {
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			raw := bytes.Clone(z.Raw()) // Token lower-cases names in place
			tok := z.Token()
			f.startTag(tt, &tok, raw)
		case xhtml.EndTagToken:
			raw := bytes.Clone(z.Raw())
			name, _ := z.TagName()
			f.endTag(string(name), raw)
		default:
			// Raw first: Text unescapes in place.
			raw := z.Raw()
			f.out.Write(raw)
			if f.note != nil && f.backref == 0 {
				f.noteHTML.Write(raw)
			}
			if tt == xhtml.TextToken && f.inNotes == 0 && f.marker == 0 && f.depth > 0 {
				f.block.Write(z.Text())
			}
		}
	}
}

func (f *footnoteScan) startTag(tt xhtml.TokenType, tok *xhtml.Token, raw []byte) {
	var (
		changed bool
		idNum   = 0 // the note of a goldmark id on this element
		isRef   bool
		classes string
	)
	for i, a := range tok.Attr {
		switch a.Key {
		case "id", "href":
			if v, n, ref, ok := footnoteID(a.Val, f.prefix); ok {
				tok.Attr[i].Val, changed = v, true
				if a.Key == "id" {
					idNum, isRef = n, ref > 0
				}
			}
		case "class":
			classes = a.Val
		}
	}
	if changed {
		raw = []byte(tok.String())
	}
	f.out.Write(raw)
	if f.depth == 0 && !hasClass(classes, "footnotes") {
		f.top++
		f.block.Reset()
		f.cites = f.cites[:0]
		if len(tok.Data) == 2 && tok.Data[0] == 'h' && tok.Data[1] >= '1' && tok.Data[1] <= '6' {
			for _, a := range tok.Attr {
				if a.Key == "id" {
					f.section = a.Val
				}
			}
		}
	}
	switch {
	case f.note != nil && f.backref == 0 && tok.Data == "a" && hasClass(classes, "footnote-backref"):
		f.backref = f.depth + 1
	case f.note != nil && f.backref == 0:
		f.noteHTML.Write(raw)
	case f.inNotes > 0 && tok.Data == "li" && idNum > 0 && !isRef:
		f.note, f.noteAt = f.get(idNum), f.depth
		f.noteHTML.Reset()
	}
	if tt == xhtml.StartTagToken && !voidElements[tok.Data] {
		f.depth++
	}
	switch {
	case tt == xhtml.SelfClosingTagToken || voidElements[tok.Data]:
	case hasClass(classes, "footnotes") && tok.Data == "div" && f.inNotes == 0:
		f.inNotes = f.depth
	case isRef && f.inNotes == 0 && f.marker == 0:
		f.marker = f.depth
		fn := f.get(idNum)
		id := tok.Attr[slices.IndexFunc(tok.Attr, func(a xhtml.Attribute) bool { return a.Key == "id" })].Val
		if len(fn.RefIDs) == 0 {
			fn.RefID, fn.Section, fn.Paragraph.Index = id, f.section, max(f.top-1, 0)
			f.cites = append(f.cites, fn)
		}
		fn.RefIDs = append(fn.RefIDs, id)
	}
}

func (f *footnoteScan) endTag(name string, raw []byte) {
	f.out.Write(raw)
	switch {
	case f.backref > 0:
		if f.depth == f.backref {
			f.backref = 0
		}
	case f.note != nil && f.depth == f.noteAt+1 && name == "li":
		f.note.HTML = noteSpace.ReplaceAllString(strings.TrimSpace(f.noteHTML.String()), "</p>")
		f.note = nil
	case f.note != nil:
		f.noteHTML.Write(raw)
	}
	if f.depth > 0 {
		f.depth--
	}
	if f.marker > f.depth {
		f.marker = 0
	}
	if f.inNotes > f.depth {
		f.inNotes = 0
	}
	if f.depth == 0 && len(f.cites) > 0 {
		text := strings.Join(strings.Fields(f.block.String()), " ")
		for _, fn := range f.cites {
			fn.Paragraph.Text = text
		}
		f.cites = f.cites[:0]
	}
}

// noteSpace is the space goldmark leaves before a note's back-links.
var noteSpace = regexp.MustCompile(`(?:\s|\x{a0}|&#160;|&nbsp;)+</p>`)

// hasClass reports whether the class attribute value list has name.
func hasClass(list, name string) bool {
	return list != "" && slices.Contains(strings.Fields(list), name)
}
