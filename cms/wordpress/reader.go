package wordpress

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"iter"
	"strconv"
	"strings"
)

// ErrNotWXR is returned for an XML file that is not a WordPress export.
var ErrNotWXR = errors.New("not a WordPress export")

// ErrTruncated is returned when the export ends in the middle: the items
// read before it are whole, the one being read is not.
var ErrTruncated = errors.New("the export is truncated")

// ErrTooLarge is wrapped by an ItemError for a field over Options.MaxField.
var ErrTooLarge = errors.New("field too large")

// DefaultMaxField bounds one field (a post's content, one meta value) when
// Options.MaxField is zero.
const DefaultMaxField = 8 << 20

// itemBudget is how many MaxFields one item may hold in all.
const itemBudget = 4

// Options tune a Reader. The zero value is ready to use.
type Options struct {
	// MaxField is the largest field kept, in bytes (DefaultMaxField if 0).
	// An item with a larger field is returned with an *ItemError.
	MaxField int64
	// TitleSeparator replaces %%sep%% / %sep% in SEO titles ("-" if "":
	// the export does not carry the SEO plugin's settings).
	TitleSeparator string
	// SkipBodies leaves Item.Body empty: a pass that needs only the
	// attachments and meta saves converting every post's HTML.
	SkipBodies bool
}

// ItemError reports an item that was read but cannot be imported whole.
// Reading goes on with the next item.
type ItemError struct {
	ID    int64
	Title string
	Field string
	Err   error
}

// Error names the item and the field.
func (e *ItemError) Error() string {
	return fmt.Sprintf("item %d (%q): %s: %v", e.ID, e.Title, e.Field, e.Err)
}

// Unwrap returns the cause, such as ErrTooLarge.
func (e *ItemError) Unwrap() error { return e.Err }

// Stats counts what the scrubbing did to the bytes of the export.
type Stats struct {
	Items         int   // items returned so far
	Bytes         int64 // bytes handed to the XML decoder
	StrippedBytes int   // control bytes and non-characters removed
	ReplacedBytes int   // invalid UTF-8 sequences replaced by U+FFFD
}

// Reader streams a WordPress export: the site first, then one item at a
// time. Memory stays bounded by Options.MaxField whatever the file's size.
type Reader struct {
	d     *xml.Decoder
	s     *scrubber
	opt   Options
	site  Site
	next  *xml.StartElement // the first <item>, read while looking for the site
	items int
	err   error
	// budget is what the current item may still hold, in bytes, or -1
	// outside items: thousands of meta values each under MaxField must
	// not add up to an unbounded item.
	budget int64
}

// NewReader reads the export's header (everything before the first item)
// and returns a Reader positioned on the first item. It returns an error
// wrapping ErrNotWXR, ErrEntities or ErrTruncated when the file is not a
// readable WordPress export.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	if opt.MaxField <= 0 {
		opt.MaxField = DefaultMaxField
	}
	if opt.TitleSeparator == "" {
		opt.TitleSeparator = "-"
	}
	s := newScrubber(r, opt.MaxField)
	d := xml.NewDecoder(s)
	d.Strict = true
	d.Entity = xml.HTMLEntity // titles sometimes carry &nbsp; and friends
	rd := &Reader{d: d, s: s, opt: opt, budget: -1}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Site returns what the export says about the site.
func (r *Reader) Site() *Site { return &r.site }

// Stats returns counters of the reading so far.
func (r *Reader) Stats() Stats {
	return Stats{Items: r.items, Bytes: r.s.off, StrippedBytes: r.s.stripped, ReplacedBytes: r.s.replaced}
}

// Next returns the next item. At the end it returns io.EOF. An
// *ItemError comes with the item it concerns and reading may go on; any
// other error (truncated or malformed XML) ends the reading.
func (r *Reader) Next() (*Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	for r.next == nil {
		tok, err := r.token()
		if err != nil {
			return nil, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "item" {
				r.next = &t
				continue
			}
			if err := r.d.Skip(); err != nil {
				return nil, r.fail(err)
			}
		case xml.EndElement:
			if t.Name.Local == "channel" {
				r.err = io.EOF
				return nil, io.EOF
			}
		}
	}
	r.next = nil
	it, err := r.readItem()
	if err != nil {
		if _, ok := err.(*ItemError); !ok {
			return nil, r.fail(err)
		}
	}
	r.items++
	return it, err
}

// Items ranges over the items; see Next for the errors it yields. The
// iteration stops after a fatal error; it goes on after an *ItemError.
func (r *Reader) Items() iter.Seq2[*Item, error] {
	return func(yield func(*Item, error) bool) {
		for {
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(it, err) {
				return
			}
			var ie *ItemError
			if err != nil && !errors.As(err, &ie) {
				return
			}
		}
	}
}

// fail records a fatal error, naming where the reading stopped.
func (r *Reader) fail(err error) error {
	if errors.Is(err, ErrEntities) || errors.Is(err, ErrNotWXR) || errors.Is(err, ErrTruncated) {
		r.err = err
		return err
	}
	var se *xml.SyntaxError
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") {
		r.err = fmt.Errorf("%w after %d whole items (byte %d): the item being read is incomplete", ErrTruncated, r.items, r.s.off)
		return r.err
	}
	r.err = fmt.Errorf("malformed XML after %d items: %w", r.items, err)
	return r.err
}

// token returns the next token, refusing directives (DOCTYPE) on the way.
func (r *Reader) token() (xml.Token, error) {
	tok, err := r.d.Token()
	if err != nil {
		if errors.Is(err, ErrEntities) {
			return nil, ErrEntities
		}
		return nil, err
	}
	if _, ok := tok.(xml.Directive); ok {
		return nil, ErrEntities
	}
	return tok, nil
}

// readHeader checks the document is RSS with a WXR channel and reads the
// channel's elements up to the first item.
func (r *Reader) readHeader() error {
	for {
		tok, err := r.token()
		if err == io.EOF {
			return fmt.Errorf("%w: the file has no XML element", ErrNotWXR)
		}
		if err != nil {
			return r.fail(err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name.Local != "rss" {
				return fmt.Errorf("%w: the root element is <%s>, want <rss>", ErrNotWXR, t.Name.Local)
			}
			break
		}
	}
	for {
		tok, err := r.token()
		if err != nil {
			return r.fail(err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name.Local == "channel" {
				break
			}
			if err := r.d.Skip(); err != nil {
				return r.fail(err)
			}
		}
		if _, ok := tok.(xml.EndElement); ok {
			return fmt.Errorf("%w: <rss> has no <channel>", ErrNotWXR)
		}
	}
	for {
		tok, err := r.token()
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "item" {
				r.next = &t
				return r.checkVersion()
			}
			if err := r.readSiteField(t); err != nil {
				return r.fail(err)
			}
		case xml.EndElement:
			r.err = io.EOF // a site without items
			return r.checkVersion()
		}
	}
}

func (r *Reader) checkVersion() error {
	if r.site.WXRVersion == "" {
		return fmt.Errorf("%w: the RSS channel has no <wp:wxr_version> (an RSS feed, not an export from Tools > Export)", ErrNotWXR)
	}
	return nil
}

// readSiteField reads one element of the channel header.
func (r *Reader) readSiteField(t xml.StartElement) error {
	space := prefix(t.Name)
	switch {
	case space == "" && t.Name.Local == "title":
		return r.nameInto(&r.site.Title)
	case space == "" && t.Name.Local == "link":
		return r.textInto(&r.site.Link)
	case space == "" && t.Name.Local == "description":
		return r.nameInto(&r.site.Description)
	case space == "" && t.Name.Local == "language":
		return r.textInto(&r.site.Language)
	case space != "wp":
		return r.d.Skip()
	}
	switch t.Name.Local {
	case "wxr_version":
		return r.textInto(&r.site.WXRVersion)
	case "base_site_url":
		return r.textInto(&r.site.BaseSiteURL)
	case "base_blog_url":
		return r.textInto(&r.site.BaseBlogURL)
	case "author":
		f, err := r.fields()
		r.site.Authors = append(r.site.Authors, Author{ID: atoi(f["author_id"]), Login: f["author_login"], Email: f["author_email"],
			DisplayName: f["author_display_name"], FirstName: f["author_first_name"], LastName: f["author_last_name"]})
		return err
	case "category":
		f, err := r.fields()
		r.site.Categories = append(r.site.Categories, Category{ID: atoi(f["term_id"]), Nicename: f["category_nicename"],
			Parent: f["category_parent"], Name: html.UnescapeString(f["cat_name"]), Description: f["category_description"]})
		return err
	case "tag":
		f, err := r.fields()
		r.site.Tags = append(r.site.Tags, Tag{ID: atoi(f["term_id"]), Slug: f["tag_slug"], Name: html.UnescapeString(f["tag_name"]), Description: f["tag_description"]})
		return err
	case "term":
		f, err := r.fields()
		r.site.Terms = append(r.site.Terms, Term{ID: atoi(f["term_id"]), Taxonomy: f["term_taxonomy"], Slug: f["term_slug"],
			Parent: f["term_parent"], Name: html.UnescapeString(f["term_name"]), Description: f["term_description"]})
		return err
	}
	return r.d.Skip()
}

// fields reads a flat element (wp:author, wp:category, ...) into a map of
// its children's text by local name.
func (r *Reader) fields() (map[string]string, error) {
	f := map[string]string{}
	var tooLarge error
	for {
		tok, err := r.token()
		if err != nil {
			return f, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := r.text()
			if errors.Is(err, ErrTooLarge) {
				tooLarge = err
				continue
			}
			if err != nil {
				return f, err
			}
			f[t.Name.Local] = strings.TrimSpace(v)
		case xml.EndElement:
			return f, tooLarge
		}
	}
}

// nameInto reads a plain-text field that WordPress stores HTML-escaped
// (titles, term names: "Naps &amp; carriers").
func (r *Reader) nameInto(dst *string) error {
	err := r.textInto(dst)
	*dst = html.UnescapeString(*dst)
	return err
}

func (r *Reader) textInto(dst *string) error {
	v, err := r.text()
	*dst = strings.TrimSpace(v)
	return err
}

// text reads the character data of the element just started, up to its
// end, skipping nested elements. A field over MaxField comes back empty
// with an error wrapping ErrTooLarge; the decoder is still in step.
func (r *Reader) text() (string, error) {
	var b strings.Builder
	cuts := r.s.cuts
	over := false
	for {
		tok, err := r.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if over || r.s.cuts != cuts || int64(b.Len()+len(t)) > r.opt.MaxField {
				over = true
				continue
			}
			b.Write(t)
		case xml.StartElement:
			if err := r.d.Skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			if over || r.s.cuts != cuts {
				return "", fmt.Errorf("%w: over %d bytes", ErrTooLarge, r.opt.MaxField)
			}
			if r.budget >= 0 {
				if r.budget -= int64(b.Len()); r.budget < 0 {
					r.budget = 0
					return "", fmt.Errorf("%w: the item holds over %d bytes in all", ErrTooLarge, itemBudget*r.opt.MaxField)
				}
			}
			return b.String(), nil
		}
	}
}

// prefix names an element's namespace by its usual WXR prefix, whether
// the file declared it (a URL) or not (the bare prefix).
func prefix(n xml.Name) string {
	// Exports from WordPress.com write https:// namespace URLs.
	s := strings.TrimPrefix(strings.TrimPrefix(n.Space, "http://"), "https://")
	switch {
	case s == "":
		return ""
	case strings.HasPrefix(s, "wordpress.org/export/") && strings.HasSuffix(s, "/excerpt/"):
		return "excerpt"
	case strings.HasPrefix(s, "wordpress.org/export/"):
		return "wp"
	case s == "purl.org/rss/1.0/modules/content/":
		return "content"
	case s == "purl.org/dc/elements/1.1/":
		return "dc"
	}
	return n.Space
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}
