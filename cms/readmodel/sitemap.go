package readmodel

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The sitemap lists the pages of published posts on her site (loc is the
// post's URL: the canonical URL, else the site URL + "/" + slug), with
// lastmod and the absolute URLs of the cover and pins as Google image
// entries. Posts with no URL (no site URL set and no canonical URL) are
// left out: the sitemap protocol wants absolute page URLs, and the API's
// JSON is not a page. The home page (the site URL) comes first.

// Sitemap namespaces.
const (
	sitemapNS      = "http://www.sitemaps.org/schemas/sitemap/0.9"
	sitemapImageNS = "http://www.google.com/schemas/sitemap-image/1.1"
)

// MaxSitemapURLs is the sitemap protocol's limit of URLs per file; past it
// the newest posts are kept (a sitemap index would be needed).
const MaxSitemapURLs = 50000

type sitemapDoc struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	ImageNS string       `xml:"xmlns:image,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string         `xml:"loc"`
	LastMod string         `xml:"lastmod,omitempty"`
	Images  []sitemapImage `xml:"image:image"`
}

type sitemapImage struct {
	Loc string `xml:"image:loc"`
}

// Sitemap returns the body of /sitemap.xml. Internal if encoding fails.
func (s *Snapshot) Sitemap() (*Body, error) {
	if b := s.ext.feeds.get([]byte("sitemap")); b != nil {
		return b, nil
	}
	doc := sitemapDoc{NS: sitemapNS, ImageNS: sitemapImageNS, URLs: []sitemapURL{}}
	if home := s.ext.st.Site.URL; home != "" {
		u := sitemapURL{Loc: home + "/"}
		if len(s.posts) > 0 {
			u.LastMod = w3cTime(s.posts[0].post.UpdatedAt)
		}
		doc.URLs = append(doc.URLs, u)
	}
	for _, e := range s.posts {
		if len(doc.URLs) >= MaxSitemapURLs {
			break
		}
		var full struct {
			Data struct {
				URL        string       `json:"url"`
				CoverImage *PublicImage `json:"coverImage"`
				Pins       []PublicPin  `json:"pins"`
			} `json:"data"`
		}
		if err := json.Unmarshal(e.full.Bytes(), &full); err != nil {
			return nil, &cms.Error{Kind: cms.KindInternal, Op: "readmodel.Snapshot.Sitemap", Err: err}
		}
		if !absoluteURL(full.Data.URL) {
			continue
		}
		u := sitemapURL{Loc: full.Data.URL, LastMod: w3cTime(e.post.UpdatedAt)}
		if c := full.Data.CoverImage; c != nil && absoluteURL(c.URL) {
			u.Images = append(u.Images, sitemapImage{c.URL})
		}
		for _, p := range full.Data.Pins {
			if absoluteURL(p.URL) {
				u.Images = append(u.Images, sitemapImage{p.URL})
			}
		}
		doc.URLs = append(doc.URLs, u)
	}
	b, err := xmlBytes(doc)
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: "readmodel.Snapshot.Sitemap", Err: err}
	}
	return s.ext.feeds.put("sitemap", NewBody(b)), nil
}

// Robots returns the body of /robots.txt: everything may be crawled but
// the admin panel, and the sitemap is named (when the public URL is known;
// a relative Sitemap line is not allowed).
func (s *Snapshot) Robots() *Body {
	if b := s.ext.feeds.get([]byte("robots")); b != nil {
		return b
	}
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\nDisallow: /admin/\n")
	if s.ext.publicURL != "" {
		b.WriteString("\nSitemap: " + s.ext.publicURL + "/sitemap.xml\n")
	}
	return s.ext.feeds.put("robots", NewBody([]byte(b.String())))
}

func absoluteURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// w3cTime formats t as a W3C datetime (RFC 3339 in UTC), "" when zero.
func w3cTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
