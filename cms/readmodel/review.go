package readmodel

import (
	"strconv"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// PublicReviewer is a person who medically reviewed a post.
type PublicReviewer struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"` // e.g. "MD, FAAP"; "" for none
	Bio         string `json:"bio"`
	// PhotoURL is their photo's absolute URL (its w640 variant), "" for
	// none; Photo is the same photo with its srcset, absent for none.
	PhotoURL string       `json:"photoUrl"`
	Photo    *PublicImage `json:"photo,omitempty"`
	URL      string       `json:"url"` // their profile page; "" for none
}

// reviewer is r as posts show them, with absolute photo URLs.
func (l imageLinks) reviewer(r *cms.Reviewer) PublicReviewer {
	out := PublicReviewer{ID: r.ID, Name: r.Name, Credentials: r.Credentials, Bio: r.Bio, URL: r.ProfileURL}
	if r.Photo != nil {
		im := l.image(r.Photo, authorPhotoVariant, "original")
		im.Alt = r.Name
		out.Photo, out.PhotoURL = &im, im.URL
	}
	return out
}

// review fills full's medical review from p: its reviewers that still
// exist, in her order, the review's date, and when the words last
// changed.
func (env *entryEnv) review(p *cms.Post, full *PublicPost) {
	full.Reviewers = []PublicReviewer{}
	for _, id := range p.ReviewerIDs {
		if r := env.reviewers[id]; r != nil {
			full.Reviewers = append(full.Reviewers, *r)
		}
	}
	if p.LastReviewed != "" && len(full.Reviewers) > 0 {
		full.LastReviewed = &p.LastReviewed
	}
	full.LastUpdated = LastUpdated(p)
}

// LastUpdated is when p's words last changed, as readers are told: its
// ContentUpdatedAt (UpdatedAt for posts saved before that was kept), or
// its publication when later — edits to a draft are no update to readers.
func LastUpdated(p *cms.Post) time.Time {
	t := p.ContentUpdatedAt
	if t.IsZero() {
		t = p.UpdatedAt
	}
	if p.PublishedAt.After(t) {
		t = p.PublishedAt
	}
	return t.UTC()
}

// reviewerDeps is what entries embed of the reviewers: an entry made
// before any of them changed is stale.
func reviewerDeps(rs []*cms.Reviewer) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.ID)
		b.WriteString(strconv.Itoa(r.Version))
	}
	return b.String()
}

// JSONLDWebPage is the page a post is the main entity of. Its medical
// review belongs here: schema.org defines reviewedBy and lastReviewed on
// WebPage, not on BlogPosting (a CreativeWork).
type JSONLDWebPage struct {
	Type         string         `json:"@type"`
	ID           string         `json:"@id,omitempty"`
	URL          string         `json:"url,omitempty"`
	ReviewedBy   []JSONLDPerson `json:"reviewedBy,omitempty"`
	LastReviewed string         `json:"lastReviewed,omitempty"`
}

// jsonLDPage is the WebPage of a post: its canonical address, and its
// review when it has one; nil when there is neither.
func jsonLDPage(full *PublicPost) *JSONLDWebPage {
	page := &JSONLDWebPage{Type: "WebPage", ID: full.SEO.CanonicalURL, URL: full.SEO.CanonicalURL}
	if full.LastReviewed != nil {
		page.LastReviewed = *full.LastReviewed
		for _, r := range full.Reviewers {
			page.ReviewedBy = append(page.ReviewedBy, JSONLDPerson{Type: "Person", Name: r.Name, HonorificSuffix: r.Credentials,
				Description: r.Bio, URL: r.URL, Image: r.PhotoURL})
		}
	}
	if page.ID == "" && page.LastReviewed == "" {
		return nil
	}
	return page
}
