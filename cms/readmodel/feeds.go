package readmodel

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/lullabycms/lullaby/cms"
)

// Feeds of the newest published posts: RSS 2.0, Atom and JSON Feed 1.1,
// for the whole blog and per category, made from the snapshot on first
// request and kept in it. Items carry the full HTML (media links absolute,
// in-text citations formatted), the cover image first, and the reference
// list appended; an item's id is made from the post id alone, so editing a
// post (or changing its slug or the site URL) never changes it.

// FeedFormat names a feed format.
type FeedFormat string

// Feed formats.
const (
	FeedRSS  FeedFormat = "rss"  // RSS 2.0 with content:encoded, media:content and an enclosure
	FeedAtom FeedFormat = "atom" // Atom 1.0
	FeedJSON FeedFormat = "json" // JSON Feed 1.1
)

// FeedItems is the number of newest posts a feed lists.
const FeedItems = 50

// feedPath is where a format's feed is served, after the category prefix.
var feedPath = map[FeedFormat]string{FeedRSS: "/feed.xml", FeedAtom: "/feed.atom", FeedJSON: "/feed.json"}

// FeedItemID is the stable id of a post in the feeds (RSS guid, Atom id,
// JSON Feed id): it depends on the post id only.
func FeedItemID(postID string) string { return "urn:lullaby:post:" + postID }

// Feed returns the feed of the newest published posts in format, of one
// category when category (a slug) is not "". NotFound for an unknown
// category; Invalid for an unknown format.
func (s *Snapshot) Feed(format FeedFormat, category string) (*Body, error) {
	if _, ok := feedPath[format]; !ok {
		return nil, cms.Errorf(cms.KindInvalid, "readmodel.Snapshot.Feed", "Unknown feed format %q.", truncate(string(format), 20))
	}
	list, title := s.posts, ""
	if category != "" {
		c := s.byCatSlug[category]
		if c == nil {
			return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.Feed", "No category has the slug %q.", truncate(category, 120))
		}
		list, title = c.posts, c.cat.Name
	}
	key := "feed\x00" + string(format) + "\x00" + category
	if b := s.ext.feeds.get([]byte(key)); b != nil {
		return b, nil
	}
	b, err := s.buildFeed(format, category, title, list[:min(len(list), FeedItems)])
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: "readmodel.Snapshot.Feed", Err: err}
	}
	return s.ext.feeds.put(key, NewBody(b)), nil
}

// feedItem is what every format takes from one post.
type feedItem struct {
	post      *PublicPost
	id        string
	link      string
	content   string
	coverType string // MIME type of the cover's URL; "" without a cover
}

// siteLink is the site's home page: the site URL, else the public URL.
func (x *snapshotExt) siteLink() string {
	if x.st.Site.URL != "" {
		return x.st.Site.URL
	}
	return x.publicURL + "/"
}

// postLink is the post's page on her site, else its public API URL.
func (x *snapshotExt) postLink(p *PublicPost) string {
	if p.URL != "" {
		return p.URL
	}
	return x.publicURL + "/api/v1/posts/" + p.Slug
}

func (s *Snapshot) feedItems(list []*postEntry) ([]feedItem, error) {
	items := make([]feedItem, 0, len(list))
	for _, e := range list {
		var doc struct {
			Data PublicPost `json:"data"`
		}
		if err := json.Unmarshal(e.full.Bytes(), &doc); err != nil {
			return nil, err
		}
		p := &doc.Data
		it := feedItem{post: p, id: FeedItemID(p.ID), link: s.ext.postLink(p), content: feedContent(p, s.ext.st.CitationStyle)}
		if c := e.post.Cover; c != nil {
			it.coverType = cmpOr(pick(c, coverVariant, "original").ContentType, "image/jpeg")
		}
		items = append(items, it)
	}
	return items, nil
}

// feedContent is a post's HTML for feed readers: the cover, the body and
// the reference list.
func feedContent(p *PublicPost, style cms.CitationStyle) string {
	var b strings.Builder
	if c := p.CoverImage; c != nil {
		b.WriteString(`<p><img src="` + html.EscapeString(c.URL) + `" alt="` + html.EscapeString(c.Alt) + `"`)
		if c.Width > 0 && c.Height > 0 {
			b.WriteString(` width="` + strconv.Itoa(c.Width) + `" height="` + strconv.Itoa(c.Height) + `"`)
		}
		b.WriteString("></p>\n")
	}
	b.WriteString(p.HTML)
	if len(p.References) > 0 {
		list := "ul"
		if style == cms.StyleAMA {
			list = "ol"
		}
		b.WriteString("\n<h2>References</h2>\n<" + list + ` class="references">` + "\n")
		for _, r := range p.References {
			f := r.APA
			if style == cms.StyleAMA {
				f = r.AMA
			}
			b.WriteString(`<li id="` + html.EscapeString(r.Anchor) + `">` + f.HTML + "</li>\n")
		}
		b.WriteString("</" + list + ">")
	}
	return b.String()
}

func (s *Snapshot) buildFeed(format FeedFormat, category, catName string, list []*postEntry) ([]byte, error) {
	items, err := s.feedItems(list)
	if err != nil {
		return nil, err
	}
	st := s.ext.st
	title := cmpOr(st.Site.Title, "Lullaby")
	if catName != "" {
		title += " — " + catName
	}
	self := s.ext.publicURL + feedPath[format]
	if category != "" {
		self = s.ext.publicURL + "/categories/" + category + feedPath[format]
	}
	var updated time.Time
	for _, it := range items {
		if it.post.UpdatedAt.After(updated) {
			updated = it.post.UpdatedAt
		}
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0).UTC()
	}
	desc := cmpOr(st.Site.Description, title)
	switch format {
	case FeedRSS:
		return rssFeed(title, s.ext.siteLink(), desc, self, updated, items)
	case FeedAtom:
		return atomFeed(title, s.ext.siteLink(), desc, self, updated, st, items)
	default:
		return jsonFeed(title, s.ext.siteLink(), desc, self, st, items)
	}
}

// RSS 2.0, written with encoding/xml: gorilla/feeds has no media:content
// and drops enclosures without a length.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Self          rssLink   `xml:"atom:link"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string         `xml:"title"`
	Link        string         `xml:"link"`
	Description string         `xml:"description"`
	Content     rssCDATA       `xml:"content:encoded"`
	Creator     string         `xml:"dc:creator,omitempty"`
	Categories  []string       `xml:"category"`
	GUID        rssGUID        `xml:"guid"`
	PubDate     string         `xml:"pubDate"`
	Enclosure   *rssEnclosure  `xml:"enclosure"`
	Media       []mediaContent `xml:"media:content"`
}

type rssCDATA struct {
	Text string `xml:",cdata"`
}

type rssGUID struct {
	ID          string `xml:",chardata"`
	IsPermaLink string `xml:"isPermaLink,attr"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"` // unknown: "0"
	Type   string `xml:"type,attr"`
}

type mediaContent struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
	Width  int    `xml:"width,attr,omitempty"`
	Height int    `xml:"height,attr,omitempty"`
}

func rssFeed(title, link, desc, self string, updated time.Time, items []feedItem) ([]byte, error) {
	doc := rssDoc{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/", Atom: "http://www.w3.org/2005/Atom",
		Media: "http://search.yahoo.com/mrss/", DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{Title: title, Link: link, Description: desc, Self: rssLink{Href: self, Rel: "self", Type: "application/rss+xml"},
			LastBuildDate: updated.UTC().Format(time.RFC1123Z), Generator: "Lullaby", Items: []rssItem{}}}
	for _, it := range items {
		p := it.post
		ri := rssItem{Title: p.Title, Link: it.link, Description: p.Excerpt, Content: rssCDATA{it.content},
			Creator: p.Author.Name, GUID: rssGUID{ID: it.id, IsPermaLink: "false"},
			PubDate: p.PublishedAt.UTC().Format(time.RFC1123Z)}
		for _, c := range p.Categories {
			ri.Categories = append(ri.Categories, c.Name)
		}
		if c := p.CoverImage; c != nil {
			ri.Enclosure = &rssEnclosure{URL: c.URL, Length: "0", Type: it.coverType}
			ri.Media = append(ri.Media, mediaContent{URL: c.URL, Medium: "image", Width: c.Width, Height: c.Height})
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return xmlBytes(doc)
}

func xmlBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// gorillaFeed is the feed in gorilla/feeds' shape, for JSON Feed.
func gorillaFeed(title, link, desc string, updated time.Time, st *cms.Settings, items []feedItem) *feeds.Feed {
	f := &feeds.Feed{Title: title, Link: &feeds.Link{Href: link}, Description: desc, Updated: updated,
		Author: &feeds.Author{Name: st.Author.Name}}
	for _, it := range items {
		p := it.post
		gi := &feeds.Item{Title: p.Title, Link: &feeds.Link{Href: it.link}, Description: p.Excerpt, Id: it.id,
			Created: p.PublishedAt, Updated: p.UpdatedAt, Content: it.content, Author: &feeds.Author{Name: p.Author.Name}}
		if c := p.CoverImage; c != nil {
			gi.Enclosure = &feeds.Enclosure{Url: c.URL, Type: it.coverType, Length: "0"}
		}
		f.Add(gi)
	}
	return f
}

// Atom 1.0 (RFC 4287), written with encoding/xml: gorilla/feeds writes a
// category without its required term attribute, keeps only one, and has no
// rel="self" link.
type atomDoc struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    *atomAuthor `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Author     *atomAuthor    `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
}

func atomFeed(title, link, desc, self string, updated time.Time, st *cms.Settings, items []feedItem) ([]byte, error) {
	doc := atomDoc{ID: self, Title: title, Subtitle: desc, Updated: updated.UTC().Format(time.RFC3339),
		Links:     []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}, {Href: self, Rel: "self", Type: "application/atom+xml"}},
		Generator: "Lullaby", Entries: []atomEntry{}}
	if st.Author.Name != "" {
		doc.Author = &atomAuthor{Name: st.Author.Name}
	}
	for _, it := range items {
		p := it.post
		e := atomEntry{ID: it.id, Title: p.Title, Updated: p.UpdatedAt.UTC().Format(time.RFC3339),
			Published: p.PublishedAt.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Href: it.link, Rel: "alternate", Type: "text/html"}},
			Content:   atomText{Type: "html", Text: it.content}}
		if p.Author.Name != "" {
			e.Author = &atomAuthor{Name: p.Author.Name}
		} else if doc.Author == nil {
			// RFC 4287 4.1.2: an entry without an author needs a feed author.
			e.Author = &atomAuthor{Name: title}
		}
		if p.Excerpt != "" {
			e.Summary = &atomText{Type: "text", Text: p.Excerpt}
		}
		if c := p.CoverImage; c != nil {
			e.Links = append(e.Links, atomLink{Href: c.URL, Rel: "enclosure", Type: it.coverType})
		}
		for _, c := range p.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c.Slug, Label: c.Name})
		}
		for _, t := range p.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return xmlBytes(doc)
}

func jsonFeed(title, link, desc, self string, st *cms.Settings, items []feedItem) ([]byte, error) {
	jf := (&feeds.JSON{Feed: gorillaFeed(title, link, desc, time.Time{}, st, items)}).JSONFeed()
	jf.FeedUrl, jf.Author = self, nil // author is deprecated in 1.1: authors stays
	if st.Author.Name == "" {
		jf.Authors = nil
	}
	for i, ji := range jf.Items {
		p := items[i].post
		ji.Author = nil
		ji.Tags = p.Tags
		if len(ji.Tags) == 0 {
			ji.Tags = nil
		}
		if p.CoverImage != nil {
			ji.Image = p.CoverImage.URL
		}
		if ji.Summary == "" {
			ji.Summary = p.SEO.Description
		}
	}
	b, err := marshal(jf)
	if err != nil {
		return nil, err
	}
	if len(jf.Items) == 0 { // gorilla/feeds omits an empty list; the spec requires it
		b = append(b[:len(b)-1], `,"items":[]}`...)
	}
	return append(b, '\n'), nil
}
