package readmodel

import (
	"strconv"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cite"
)

// JSONLD is a post's schema.org BlogPosting, ready for a page's
// <script type="application/ld+json">.
type JSONLD struct {
	Context       string       `json:"@context"`
	Type          string       `json:"@type"`
	Headline      string       `json:"headline"`
	Description   string       `json:"description,omitempty"`
	DatePublished string       `json:"datePublished,omitempty"`
	DateModified  string       `json:"dateModified,omitempty"`
	Author        JSONLDPerson `json:"author"`
	Publisher     JSONLDOrg    `json:"publisher"`
	Image         []string     `json:"image"`
	// MainEntityOfPage is the page the post is shown on, which carries
	// its medical review (reviewedBy, lastReviewed).
	MainEntityOfPage *JSONLDWebPage   `json:"mainEntityOfPage,omitempty"`
	URL              string           `json:"url,omitempty"`
	Keywords         []string         `json:"keywords"`
	ArticleSection   []string         `json:"articleSection"`
	WordCount        int              `json:"wordCount,omitempty"`
	Citation         []JSONLDCitation `json:"citation"`
}

// JSONLDPerson is the post's author, or one of its reviewers.
type JSONLDPerson struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	// HonorificSuffix holds the credentials after the name, "MD, FAAP".
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
	JobTitle        string `json:"jobTitle,omitempty"`
	Description     string `json:"description,omitempty"`
	URL             string `json:"url,omitempty"`
	Image           string `json:"image,omitempty"`
}

// JSONLDOrg is the publisher: the site.
type JSONLDOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// JSONLDCitation is one reference: a ScholarlyArticle (journal articles),
// a Book, or a CreativeWork.
type JSONLDCitation struct {
	Type          string             `json:"@type"`
	Name          string             `json:"name"`
	Author        []JSONLDCiteAuthor `json:"author,omitempty"`
	DatePublished string             `json:"datePublished,omitempty"`
	IsPartOf      string             `json:"isPartOf,omitempty"` // the journal or book
	Identifier    string             `json:"identifier,omitempty"`
	SameAs        string             `json:"sameAs,omitempty"` // https://doi.org/… or the URL
	URL           string             `json:"url,omitempty"`
}

// JSONLDCiteAuthor is an author of a reference.
type JSONLDCiteAuthor struct {
	Type       string `json:"@type"` // Person or Organization
	Name       string `json:"name"`
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
}

// jsonLD builds the BlogPosting of full, whose other fields are set.
func jsonLD(p *cms.Post, full *PublicPost, refs []*cms.Citation, st *cms.Settings) *JSONLD {
	ld := &JSONLD{
		Context: "https://schema.org", Type: "BlogPosting", Headline: cms.CutText(p.Title, 110),
		Description: full.SEO.Description,
		Author: JSONLDPerson{Type: "Person", Name: st.Author.Name, HonorificSuffix: st.Author.Credentials, JobTitle: st.Author.Title,
			URL: st.Site.URL, Image: full.Author.PhotoURL},
		Publisher: JSONLDOrg{Type: "Organization", Name: cmpOr(st.Site.Title, st.Author.Name), URL: st.Site.URL},
		Image:     []string{}, URL: full.URL, MainEntityOfPage: jsonLDPage(full),
		Keywords: full.Tags, ArticleSection: []string{}, WordCount: p.WordCount, Citation: []JSONLDCitation{},
	}
	if !p.PublishedAt.IsZero() {
		ld.DatePublished = p.PublishedAt.UTC().Format(time.RFC3339)
	}
	if !full.LastUpdated.IsZero() {
		ld.DateModified = full.LastUpdated.Format(time.RFC3339)
	}
	if full.CoverImage != nil {
		ld.Image = append(ld.Image, full.CoverImage.URL)
	}
	for _, pin := range full.Pins {
		ld.Image = append(ld.Image, pin.URL)
	}
	for _, c := range full.Categories {
		ld.ArticleSection = append(ld.ArticleSection, c.Name)
	}
	for _, c := range refs {
		ld.Citation = append(ld.Citation, jsonLDCitation(c))
	}
	return ld
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func jsonLDCitation(c *cms.Citation) JSONLDCitation {
	out := JSONLDCitation{Type: "CreativeWork", Name: cite.PlainTitle(c.Title), IsPartOf: cite.PlainTitle(c.Container), URL: c.URL}
	switch c.Type {
	case cms.CiteArticle:
		out.Type = "ScholarlyArticle"
	case cms.CiteBook:
		out.Type = "Book"
	case cms.CiteChapter:
		out.Type = "Chapter"
	case cms.CiteReport:
		out.Type = "Report"
	case cms.CiteWebpage:
		out.Type = "WebPage"
	}
	for _, n := range c.Authors {
		a := JSONLDCiteAuthor{Type: "Person", GivenName: n.Given, FamilyName: n.Family}
		switch {
		case n.Literal != "":
			a = JSONLDCiteAuthor{Type: "Organization", Name: n.Literal}
		case n.Given != "":
			a.Name = n.Given + " " + n.Family
		default:
			a.Name = n.Family
		}
		out.Author = append(out.Author, a)
	}
	if c.Year > 0 {
		d := strconv.Itoa(c.Year)
		if c.Month > 0 {
			d += "-" + twoDigits(c.Month)
			if c.Day > 0 {
				d += "-" + twoDigits(c.Day)
			}
		}
		out.DatePublished = d
	}
	switch {
	case c.DOI != "":
		out.Identifier = cite.DOIURL(c.DOI)
		out.SameAs = out.Identifier
	case c.URL != "":
		out.SameAs = c.URL
	}
	return out
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
