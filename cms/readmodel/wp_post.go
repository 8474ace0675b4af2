package readmodel

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The members of a WordPress post, in the order WordPress writes them;
// "lullaby" (our own data) is an addition.
var wpPostFields = [...]string{"id", "date", "date_gmt", "guid", "modified", "modified_gmt", "slug", "status", "type", "link",
	"title", "content", "excerpt", "author", "featured_media", "comment_status", "ping_status", "sticky", "template",
	"format", "meta", "categories", "tags", "yoast_head_json", "lullaby", "_links", "_embedded"}

// wpPost is the part of a post's WordPress object that depends on the post
// alone (not on the snapshot's numeric ids), by member (as wpPostFields).
type wpPost [len(wpPostFields)][]byte

// wpPostIndex is the index of each member in wpPostFields.
var wpPostIndex = func() map[string]int {
	m := make(map[string]int, len(wpPostFields))
	for i, k := range wpPostFields {
		m[k] = i
	}
	return m
}()

// set sets the member k.
func (w *wpPost) set(k string, v []byte) { w[wpPostIndex[k]] = v }

// Member values that are the same for every post.
var (
	wpPublish  = []byte(`"publish"`)
	wpTypePost = []byte(`"post"`)
	wpClosed   = []byte(`"closed"`)
	wpEmpty    = []byte(`""`)
	wpStandard = []byte(`"standard"`)
	wpNoMeta   = []byte(`[]`)
)

// wpPost returns the entry's WordPress members, made once.
func (e *postEntry) wpPost() *wpPost {
	e.wpOnce.Do(func() { e.wp = e.env.wpPost(e.post, e.public()) })
	return e.wp
}

// yoastHead is the SEO data of a post in the shape of Yoast SEO's
// yoast_head_json, which WordPress frontends read for <head>.
type yoastHead struct {
	Title                string       `json:"title"`
	Description          string       `json:"description,omitempty"`
	Robots               yoastRobots  `json:"robots"`
	Canonical            string       `json:"canonical,omitempty"`
	OGLocale             string       `json:"og_locale"`
	OGType               string       `json:"og_type"`
	OGTitle              string       `json:"og_title"`
	OGDescription        string       `json:"og_description,omitempty"`
	OGURL                string       `json:"og_url,omitempty"`
	OGSiteName           string       `json:"og_site_name,omitempty"`
	ArticlePublishedTime string       `json:"article_published_time"`
	ArticleModifiedTime  string       `json:"article_modified_time"`
	OGImage              []yoastImage `json:"og_image,omitempty"`
	Author               string       `json:"author"`
	TwitterCard          string       `json:"twitter_card"`
	Schema               *JSONLD      `json:"schema,omitempty"`
}

type yoastRobots struct {
	Index  string `json:"index"`
	Follow string `json:"follow"`
}

type yoastImage struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
}

// wpExtra is what a WordPress post carries of ours, under "lullaby".
type wpExtra struct {
	ID           string            `json:"id"`
	Pins         []PublicPin       `json:"pins"`
	References   []PublicReference `json:"references"`
	Footnotes    []cms.Footnote    `json:"footnotes"`
	CallToAction *cms.PublicCTA    `json:"callToAction"`
	ReadingTime  int               `json:"readingTime"`
	WordCount    int               `json:"wordCount"`
	// The medical review, as in our own API.
	Reviewers    []PublicReviewer `json:"reviewers"`
	LastReviewed *string          `json:"lastReviewed"`
	LastUpdated  time.Time        `json:"lastUpdated"`
}

func (env *entryEnv) wpPost(p *cms.Post, full *PublicPost) *wpPost {
	sum := &full.PublicPostSummary
	w := &wpPost{}
	published, updated := wpTime(p.PublishedAt), wpTime(p.UpdatedAt)
	w.set("date", published)
	w.set("date_gmt", published)
	w.set("guid", rendered(sum.URL, false))
	w.set("modified", updated)
	w.set("modified_gmt", updated)
	w.set("slug", jsonString(p.Slug))
	w.set("status", wpPublish)
	w.set("type", wpTypePost)
	w.set("link", jsonString(sum.URL))
	w.set("title", rendered(p.Title, false))
	// "content" is written from the entry's HTML (writePost), shared.
	w.set("excerpt", rendered("<p>"+htmlEscaper.Replace(sum.Excerpt)+"</p>\n", true))
	w.set("comment_status", wpClosed)
	w.set("ping_status", wpClosed)
	w.set("template", wpEmpty)
	w.set("format", wpStandard)
	w.set("meta", wpNoMeta)
	y := yoastHead{Title: full.SEO.Title, Description: full.SEO.Description, Robots: yoastRobots{Index: "index", Follow: "follow"},
		Canonical: full.SEO.CanonicalURL, OGLocale: "en_US", OGType: "article", OGTitle: full.SEO.Title,
		OGDescription: full.SEO.Description, OGURL: full.SEO.CanonicalURL, OGSiteName: env.st.Site.Title,
		ArticlePublishedTime: p.PublishedAt.UTC().Format("2006-01-02T15:04:05+00:00"),
		ArticleModifiedTime:  p.UpdatedAt.UTC().Format("2006-01-02T15:04:05+00:00"),
		Author:               env.author.Name, TwitterCard: "summary_large_image", Schema: full.JSONLD}
	if p.Cover != nil {
		im := env.links.image(p.Cover, socialVariant, coverVariant, "original")
		v := pick(p.Cover, socialVariant, coverVariant, "original")
		y.OGImage = []yoastImage{{Width: im.Width, Height: im.Height, URL: im.URL, Type: v.ContentType}}
	}
	yoast, _ := marshal(y) // plain data: cannot fail
	w.set("yoast_head_json", yoast)
	ours, _ := marshal(wpExtra{ID: p.ID, Pins: full.Pins, References: full.References, Footnotes: full.Footnotes, CallToAction: full.CallToAction,
		ReadingTime: p.ReadingTime, WordCount: p.WordCount, Reviewers: full.Reviewers, LastReviewed: full.LastReviewed, LastUpdated: full.LastUpdated})
	w.set("lullaby", ours)
	packValues(w[:])
	return w
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// writePost writes the WordPress object of e: its members in fields (all
// when nil), with _embedded when embed.
func (g *wpIndex) writePost(b *bodyBuilder, e *postEntry, fields map[string]bool, embed bool) {
	w := e.wpPost()
	id := strconv.FormatInt(g.postID[e], 10)
	author := strconv.FormatInt(g.authorID, 10)
	var media *wpMedia
	if c := e.post.Cover; c != nil {
		media = g.media[c.MediaID]
	}
	b.WriteByte('{')
	n := 0
	for i, k := range wpPostFields {
		if fields != nil && !fields[k] {
			continue
		}
		if k == "_embedded" && !embed {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteString(`"` + k + `":`)
		switch k {
		case "id":
			b.WriteString(id)
		case "author":
			b.WriteString(author)
		case "featured_media":
			if media != nil {
				b.WriteString(strconv.FormatInt(media.id, 10))
			} else {
				b.WriteByte('0')
			}
		case "sticky":
			b.WriteString(strconv.FormatBool(g.sticky[e.post.ID]))
		case "categories":
			writeTermIDs(&b.Buffer, g.catsOf[e])
		case "tags":
			writeTermIDs(&b.Buffer, g.tagsOf[e])
		case "_links":
			g.writePostLinks(&b.Buffer, id, author, media)
		case "content":
			b.WriteString(`{"rendered":`)
			b.Share(e.html)
			b.WriteString(`,"protected":false}`)
		case "_embedded":
			b.WriteString(`{"author":[`)
			b.Share(g.authorJSON)
			b.WriteByte(']')
			if media != nil {
				b.WriteString(`,"wp:featuredmedia":[`)
				b.Share(media.json)
				b.WriteByte(']')
			}
			b.WriteString(`,"wp:term":[`)
			writeTerms(b, g.catsOf[e])
			b.WriteByte(',')
			writeTerms(b, g.tagsOf[e])
			b.WriteString(`]}`)
		default:
			b.Share(w[i])
		}
	}
	b.WriteByte('}')
}

func writeTermIDs(b *bytes.Buffer, terms []*wpTerm) {
	b.WriteByte('[')
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(t.id, 10))
	}
	b.WriteByte(']')
}

func writeTerms(b *bodyBuilder, terms []*wpTerm) {
	b.WriteByte('[')
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Share(t.json)
	}
	b.WriteByte(']')
}

func (g *wpIndex) writePostLinks(b *bytes.Buffer, id, author string, media *wpMedia) {
	v2 := g.api + "/wp/v2/"
	b.WriteString(`{"self":`)
	b.Write(jsonArray(href(v2+"posts/"+id, false)))
	b.WriteString(`,"collection":`)
	b.Write(jsonArray(href(v2+"posts", false)))
	b.WriteString(`,"about":`)
	b.Write(jsonArray(href(v2+"types/post", false)))
	b.WriteString(`,"author":`)
	b.Write(jsonArray(href(v2+"users/"+author, true)))
	if media != nil {
		b.WriteString(`,"wp:featuredmedia":`)
		b.Write(jsonArray(href(v2+"media/"+strconv.FormatInt(media.id, 10), true)))
	}
	b.WriteString(`,"wp:term":`)
	b.Write(jsonArray(href(v2+"categories?post="+id, true, "taxonomy", "category"),
		href(v2+"tags?post="+id, true, "taxonomy", "post_tag")))
	b.WriteString(`,"curies":`)
	b.Write(wpCuries)
	b.WriteByte('}')
}

// wpRoute is one route of the discovery index.
type wpRoute struct {
	Namespace string       `json:"namespace"`
	Methods   []string     `json:"methods"`
	Endpoints []wpEndpoint `json:"endpoints"`
}

type wpEndpoint struct {
	Methods []string         `json:"methods"`
	Args    map[string]wpArg `json:"args"`
}

type wpArg struct {
	Required bool   `json:"required"`
	Type     string `json:"type,omitempty"`
}

// wpRouteArgs are the query parameters each route answers, by route; the
// client (wpapi) adds a method for each.
var wpRouteArgs = map[string][]string{
	"/wp/v2/posts":                     {"context", "page", "per_page", "search", "include", "slug", "categories", "tags", "sticky", "orderby", "order", "_fields", "_embed"},
	"/wp/v2/posts/(?P<id>[\\d]+)":      {"id", "context", "_fields", "_embed"},
	"/wp/v2/categories":                {"context", "page", "per_page", "search", "include", "slug", "post", "hide_empty", "orderby", "order", "_fields"},
	"/wp/v2/categories/(?P<id>[\\d]+)": {"id", "context", "_fields"},
	"/wp/v2/tags":                      {"context", "page", "per_page", "search", "include", "slug", "post", "hide_empty", "orderby", "order", "_fields"},
	"/wp/v2/tags/(?P<id>[\\d]+)":       {"id", "context", "_fields"},
	"/wp/v2/users":                     {"context", "page", "per_page", "slug", "_fields"},
	"/wp/v2/users/(?P<id>[\\d]+)":      {"id", "context", "_fields"},
	"/wp/v2/media/(?P<id>[\\d]+)":      {"id", "context", "_fields"},
	"/wp/v2":                           {"namespace", "context"},
}

func (g *wpIndex) rootJSON(st *cms.Settings, base, siteURL string) []byte {
	routes := map[string]wpRoute{}
	for path, args := range wpRouteArgs {
		r := wpRoute{Namespace: "wp/v2", Methods: []string{"GET"}, Endpoints: []wpEndpoint{{Methods: []string{"GET"}, Args: map[string]wpArg{}}}}
		for _, a := range args {
			r.Endpoints[0].Args[a] = wpArg{Required: a == "id" || a == "namespace"}
		}
		routes[path] = r
	}
	home := siteURL
	if home == "" {
		home = base
	}
	b, err := marshal(struct {
		Name           string             `json:"name"`
		Description    string             `json:"description"`
		URL            string             `json:"url"`
		Home           string             `json:"home"`
		GMTOffset      int                `json:"gmt_offset"`
		TimezoneString string             `json:"timezone_string"`
		Namespaces     []string           `json:"namespaces"`
		Authentication []string           `json:"authentication"`
		Routes         map[string]wpRoute `json:"routes"`
		Links          map[string][]any   `json:"_links"`
	}{Name: st.Site.Title, Description: st.Site.Description, URL: base, Home: home, TimezoneString: "UTC",
		Namespaces: []string{"wp/v2"}, Authentication: []string{}, Routes: routes,
		Links: map[string][]any{"help": {map[string]string{"href": "https://developer.wordpress.org/rest-api/"}}}})
	if err != nil {
		return []byte(`{}`)
	}
	return b
}
