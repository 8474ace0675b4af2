package readmodel

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The public API's JSON shapes. The read model renders them once per
// content change; public handlers only copy the bytes out.

// PublicSite is GET /api/v1/site.
type PublicSite struct {
	Title        string              `json:"title"`
	URL          string              `json:"url"`
	Description  string              `json:"description"`
	Author       PublicAuthorProfile `json:"author"`
	CallToAction cms.CallToAction    `json:"callToAction"`
	// CitationStyle is the site's style for in-text citations: "apa" or
	// "ama". References carry both formats.
	CitationStyle cms.CitationStyle `json:"citationStyle"`
}

// PublicCategoryRef names a category on a post.
type PublicCategoryRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// PublicAuthorProfile is the site's author box.
type PublicAuthorProfile struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Credentials follow her name: "MA, CPSC"; "" for none.
	Credentials string `json:"credentials"`
	Bio         string `json:"bio"`
	// PhotoURL is her photo's absolute URL (the w640 variant of a photo
	// from the media library), "" for none.
	PhotoURL string `json:"photoUrl"`
	// Photo is her photo from the media library with its srcset; absent
	// for none, or for a photo that is an address elsewhere.
	Photo *PublicImage `json:"photo,omitempty"`
}

// PublicAuthor is the post's byline; a post alone adds the bio and photo.
type PublicAuthor struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Credentials string       `json:"credentials,omitempty"`
	Bio         string       `json:"bio,omitempty"`
	PhotoURL    string       `json:"photoUrl,omitempty"`
	Photo       *PublicImage `json:"photo,omitempty"`
}

// authorPhotoVariant is the variant an author photo's URL names.
const authorPhotoVariant = "w640"

// author is the site's author box with absolute photo URLs.
func (l imageLinks) author(a *cms.AuthorProfile) PublicAuthorProfile {
	out := PublicAuthorProfile{Name: a.Name, Title: a.Title, Credentials: a.Credentials, Bio: a.Bio, PhotoURL: a.PhotoURL}
	if a.Photo != nil {
		im := l.image(a.Photo, authorPhotoVariant, "original")
		im.Alt = a.Name
		out.Photo, out.PhotoURL = &im, im.URL
	}
	return out
}

// PublicPostSummary is one post in a list: everything but the body.
type PublicPostSummary struct {
	ID          string              `json:"id"`
	Slug        string              `json:"slug"`
	Title       string              `json:"title"`
	Excerpt     string              `json:"excerpt"`
	PublishedAt time.Time           `json:"publishedAt"`
	UpdatedAt   time.Time           `json:"updatedAt"`
	ReadingTime int                 `json:"readingTime"`
	WordCount   int                 `json:"wordCount"`
	Categories  []PublicCategoryRef `json:"categories"`
	Tags        []string            `json:"tags"`
	Author      PublicAuthor        `json:"author"`
	// URL is the post's page on her site: the SEO canonical URL if set,
	// else the site URL + "/" + slug; "" when neither is known.
	URL        string       `json:"url"`
	CoverImage *PublicImage `json:"coverImage"` // nil: no cover
}

// PublicPost is GET /api/v1/posts/{slug}: the summary plus the rendered
// body and SEO fields.
type PublicPost struct {
	PublicPostSummary
	HTML  string       `json:"html"` // media links made absolute
	SEO   PublicSEO    `json:"seo"`
	Pins  []PublicPin  `json:"pins"` // in her order; never nil
	Meta  []PublicMeta `json:"meta"` // Open Graph and article tags for <head>
	Share PublicShare  `json:"share"`
	// References are the works the post cites, in her order: AMA numbers
	// follow it; in-text citations link to "#ref-<key>".
	References []PublicReference `json:"references"`
	// Footnotes are the post's footnotes as data, by number (the HTML
	// ends with them too): each note's text, its id and its markers' ids
	// in HTML, and the paragraph that cites it. Never nil.
	Footnotes []cms.Footnote `json:"footnotes"`
	// CallToAction is the call to action the post ends with: its own, else
	// the site's; null when that has nothing to show.
	CallToAction *cms.PublicCTA `json:"callToAction"`
	// Reviewers are the people who medically reviewed the post, in her
	// order ([] for none); LastReviewed is the date of that review
	// ("2026-03-01"), null for none. LastUpdated is when the words last
	// changed (or the publication, if later): a review is not an update.
	Reviewers    []PublicReviewer `json:"reviewers"`
	LastReviewed *string          `json:"lastReviewed"`
	LastUpdated  time.Time        `json:"lastUpdated"`
	// JSONLD is the post's schema.org BlogPosting (jsonld.go).
	JSONLD *JSONLD `json:"jsonLd"`
	// Related, Previous and Next are added per snapshot (related.go):
	// "related" (her picks, else up to 3 suggestions), "previous" (older)
	// and "next" (newer), post summaries or null.
}

// PublicImage is an image of a post with absolute URLs: URL is one
// variant (the cover's w1600, a pin's pin), Srcset the width-bound ones.
type PublicImage struct {
	MediaID string `json:"mediaId"`
	URL     string `json:"url"`    // absolute: <publicURL>/media/<id>/<variant>
	Width   int    `json:"width"`  // of URL's variant
	Height  int    `json:"height"` // of URL's variant
	Alt     string `json:"alt"`
	// Srcset lists the width-bound JPEG/PNG variants (thumb, w640, w1024,
	// w1600, original), one per width, narrowest first: "URL 640w, URL
	// 1024w".
	Srcset string `json:"srcset"`
	// SrcsetWebp lists the same widths from the .webp variants, when the
	// media has them.
	SrcsetWebp string `json:"srcsetWebp,omitempty"`
}

// PublicPin is a pin of a post: its image (URL is the 1000x1500 "pin"
// variant), its Pinterest title and description, and a ready "save" link.
type PublicPin struct {
	PublicImage
	Title       string `json:"title"`
	Description string `json:"description"`
	Hidden      bool   `json:"hidden"` // offer to Pinterest, do not show in the post body
	// SaveURL opens Pinterest's "save" dialog for this pin:
	// https://www.pinterest.com/pin/create/button/?url=…&media=…&description=…
	// (no url= when the post has no URL).
	SaveURL string `json:"saveUrl"`
}

// PublicMeta is one <meta property=… content=…> tag of a post's page.
type PublicMeta struct {
	Property string `json:"property"`
	Content  string `json:"content"`
}

// PublicShare holds a post's share links; a link that needs the post's
// URL is left out when the post has none.
type PublicShare struct {
	Pinterest string `json:"pinterest,omitempty"`
	Facebook  string `json:"facebook,omitempty"`
	X         string `json:"x,omitempty"`
	Email     string `json:"email,omitempty"`
}

// PublicSEO carries the fields a frontend puts in <head>; empty ones fall
// back to the post's title, excerpt and URL.
type PublicSEO struct {
	Title        string `json:"title"`
	Description  string `json:"description"`
	CanonicalURL string `json:"canonicalUrl"`
}

// PublicCategory is one category with its number of published posts.
type PublicCategory struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	PostCount   int    `json:"postCount"`
}

// PublicCategoryPage is GET /api/v1/categories/{slug}: the category and a
// page of its posts.
type PublicCategoryPage struct {
	PublicCategory
	Posts []PublicPostSummary `json:"posts"`
}

// Pagination is the meta.pagination block of every list.
type Pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// Variant names a post's public images use.
const (
	coverVariant  = "w1600"  // the largest width-bound rendition
	pinVariant    = "pin"    // 1000x1500, cropped
	socialVariant = "social" // 1200x630, cropped
)

// srcsetVariants are the width-bound variants a srcset lists, narrowest
// first; each may have a ".webp" twin.
var srcsetVariants = []string{"thumb", "w640", "w1024", "w1600", "original"}

// imageLinks makes the absolute URLs of a post's images and pages.
type imageLinks struct {
	base string // the public URL, without a trailing slash; "" for relative URLs
}

// variantURL is the URL at which the media serves the variant.
func (l imageLinks) variantURL(id, variant string) string {
	return l.base + "/media/" + id + "/" + variant
}

// pick returns the first of names that im has, or the original size
// under the last name when it has none of them (an image saved before its
// variants were known).
func pick(im *cms.PostImage, names ...string) cms.ImageVariant {
	for _, n := range names {
		if v, ok := im.Variant(n); ok {
			return v
		}
	}
	return cms.ImageVariant{Name: names[len(names)-1], Width: im.Width, Height: im.Height}
}

// image returns im with the URL of the first variant of names it has.
func (l imageLinks) image(im *cms.PostImage, names ...string) PublicImage {
	v := pick(im, names...)
	return PublicImage{
		MediaID: im.MediaID, URL: l.variantURL(im.MediaID, v.Name), Width: v.Width, Height: v.Height, Alt: im.Alt,
		Srcset: l.srcset(im, ""), SrcsetWebp: l.srcset(im, ".webp"),
	}
}

// srcset lists the width-bound variants of im with the name suffix
// ("" or ".webp"), one per width, narrowest first.
func (l imageLinks) srcset(im *cms.PostImage, suffix string) string {
	type entry struct {
		name  string
		width int
	}
	var list []entry
	for _, n := range srcsetVariants {
		v, ok := im.Variant(n + suffix)
		if !ok || v.Width <= 0 || (suffix == "" && v.ContentType == "image/webp") {
			continue
		}
		if !slices.ContainsFunc(list, func(e entry) bool { return e.width == v.Width }) {
			list = append(list, entry{v.Name, v.Width})
		}
	}
	slices.SortStableFunc(list, func(a, b entry) int { return a.width - b.width })
	var b strings.Builder
	for i, e := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(l.variantURL(im.MediaID, e.name))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(e.width))
		b.WriteByte('w')
	}
	return b.String()
}

// pinterestSaveURL is Pinterest's "save" link for an image of the post at
// pageURL (left out when "").
func pinterestSaveURL(pageURL, media, description string) string {
	var b strings.Builder
	b.WriteString("https://www.pinterest.com/pin/create/button/?")
	if pageURL != "" {
		b.WriteString("url=")
		b.WriteString(url.QueryEscape(pageURL))
		b.WriteByte('&')
	}
	b.WriteString("media=")
	b.WriteString(url.QueryEscape(media))
	b.WriteString("&description=")
	b.WriteString(url.QueryEscape(description))
	return b.String()
}

// mailtoEscape encodes s for a mailto: header value, with %20 for spaces
// (mail clients show a '+' as it is).
func mailtoEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// postURL is the post's page on her site: the canonical URL, else the
// site URL + "/" + slug, else "".
func postURL(p *cms.Post, st *cms.Settings) string {
	switch {
	case p.SEO.CanonicalURL != "":
		return p.SEO.CanonicalURL
	case st.Site.URL != "":
		return st.Site.URL + "/" + p.Slug
	}
	return ""
}

// addImages fills the image fields, meta tags and share links of full,
// whose summary fields (URL and CoverImage included) and SEO are set.
func (l imageLinks) addImages(full *PublicPost, p *cms.Post, st *cms.Settings) {
	full.Pins = make([]PublicPin, 0, len(p.Pins))
	for i := range p.Pins {
		pin := &p.Pins[i]
		pp := PublicPin{PublicImage: l.image(&pin.PostImage, pinVariant, "original"),
			Title: pin.Title, Description: pin.Description, Hidden: pin.Hidden}
		desc := cmp.Or(pin.Description, pin.Title, p.Title)
		pp.SaveURL = pinterestSaveURL(full.URL, pp.URL, desc)
		full.Pins = append(full.Pins, pp)
	}

	meta := make([]PublicMeta, 0, 16)
	add := func(property, content string) {
		if content != "" {
			meta = append(meta, PublicMeta{Property: property, Content: content})
		}
	}
	add("og:type", "article")
	add("og:title", full.SEO.Title)
	add("og:description", full.SEO.Description)
	add("og:url", full.URL)
	add("og:site_name", st.Site.Title)
	var og *PublicImage
	switch {
	case p.Cover != nil:
		og = ptr(l.image(p.Cover, socialVariant, coverVariant, "original"))
	case len(p.Pins) > 0:
		og = &full.Pins[0].PublicImage
	}
	if og != nil {
		add("og:image", og.URL)
		if og.Width > 0 && og.Height > 0 {
			add("og:image:width", strconv.Itoa(og.Width))
			add("og:image:height", strconv.Itoa(og.Height))
		}
		add("og:image:alt", og.Alt)
	}
	if !p.PublishedAt.IsZero() {
		add("article:published_time", p.PublishedAt.UTC().Format(time.RFC3339))
	}
	if !full.LastUpdated.IsZero() {
		add("article:modified_time", full.LastUpdated.Format(time.RFC3339))
	}
	add("article:author", full.Author.Name)
	if len(full.Categories) > 0 {
		add("article:section", full.Categories[0].Name)
	}
	for _, t := range full.Tags {
		add("article:tag", t)
	}
	full.Meta = meta

	switch {
	case len(full.Pins) > 0:
		full.Share.Pinterest = full.Pins[0].SaveURL
	case full.CoverImage != nil:
		full.Share.Pinterest = pinterestSaveURL(full.URL, full.CoverImage.URL, p.Title)
	}
	if u := full.URL; u != "" {
		full.Share.Facebook = "https://www.facebook.com/sharer/sharer.php?u=" + url.QueryEscape(u)
		full.Share.X = "https://x.com/intent/post?url=" + url.QueryEscape(u) + "&text=" + url.QueryEscape(p.Title)
		full.Share.Email = "mailto:?subject=" + mailtoEscape(p.Title) + "&body=" + mailtoEscape(u)
	}
}

// absoluteMedia returns a replacer that makes the relative media links of
// rendered HTML (src="/media/…", href="/media/…") absolute, or nil when
// there is no public URL to prefix.
func (l imageLinks) absoluteMedia() *strings.Replacer {
	if l.base == "" {
		return nil
	}
	return strings.NewReplacer(
		`src="/media/`, `src="`+l.base+`/media/`,
		`href="/media/`, `href="`+l.base+`/media/`,
	)
}
