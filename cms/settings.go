package cms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Settings are the site-wide texts a frontend shows around the posts.
type Settings struct {
	Site         SiteSettings  `json:"site"`
	Author       AuthorProfile `json:"author"`
	CallToAction CallToAction  `json:"callToAction"`
	CORSOrigins  []string      `json:"corsOrigins"` // extra origins allowed to call the public API
	// CitationStyle is how posts cite their references: "apa" (the
	// default) or "ama". The public API returns both formats of each
	// reference; this picks the in-text form.
	CitationStyle CitationStyle `json:"citationStyle"`
	// RequireOwnerTwoFactor makes two-factor sign-in compulsory for
	// owners: one without it can only set it up (or log out).
	RequireOwnerTwoFactor bool `json:"requireOwnerTwoFactor"`
	// RequireContentKey makes the public APIs answer only requests that
	// carry a content key (ContentKey); off, the content is public.
	RequireContentKey bool `json:"requireContentKey"`
	// PreviewURL is where "Preview on site" opens a draft on her
	// frontend: a URL template with {token} and optionally {slug} and
	// {id} (see PreviewURLProblem, PreviewLink); "" when not set.
	PreviewURL string    `json:"previewUrl"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updatedAt,omitzero"`
	// ReviewPeriodMonths is how long a medical review holds: a published
	// post last reviewed longer ago is "due for review" (default 12).
	ReviewPeriodMonths int `json:"reviewPeriodMonths"`
	// ContactEmail is the address the reference checker sends with its
	// requests (in the User-Agent, as Crossref's polite pool asks), so
	// that the services and sites it visits can write to her; "" sends
	// none.
	ContactEmail string `json:"contactEmail"`
}

// SiteSettings names and describes the site.
type SiteSettings struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	Description string `json:"description"`
}

// AuthorProfile is the author box: who writes the blog.
type AuthorProfile struct {
	Name  string `json:"name"`
	Title string `json:"title"` // e.g. "Certified pediatric sleep consultant"
	// Credentials follow her name, e.g. "MA, CPSC" (schema.org's
	// honorificSuffix).
	Credentials string `json:"credentials"`
	Bio         string `json:"bio"`
	// PhotoMediaID is her photo from the media library ("" for none); it
	// wins over PhotoURL.
	PhotoMediaID string `json:"photoMediaId"`
	// PhotoURL is a photo elsewhere, as set before photos came from the
	// media library; kept working for such settings.
	PhotoURL string `json:"photoUrl"`
	// Photo is the size and variants of PhotoMediaID's media, copied when
	// it is chosen (as a post copies its cover's).
	Photo *PostImage `json:"-"`
}

// CallToAction ends every post, e.g. "Book a consultation".
type CallToAction struct {
	Heading     string `json:"heading"`
	Text        string `json:"text"`
	ButtonLabel string `json:"buttonLabel"`
	URL         string `json:"url"`
}

// defaultCTALabel is the button label of a call to action that names none.
const defaultCTALabel = "Book a consultation"

// DefaultSettings are used until the owner saves her own.
func DefaultSettings() Settings {
	return Settings{
		Site:          SiteSettings{Title: "My Lullaby blog"},
		CallToAction:  CallToAction{ButtonLabel: defaultCTALabel},
		CORSOrigins:   []string{},
		CitationStyle: StyleAPA,

		ReviewPeriodMonths: DefaultReviewPeriodMonths,
	}
}

// DefaultReviewPeriodMonths is how long a medical review holds until she
// sets her own period.
const DefaultReviewPeriodMonths = 12

// MaxReviewPeriodMonths is the longest review period she can set.
const MaxReviewPeriodMonths = 60

// SettingsInput is a whole-settings update; Version is required.
type SettingsInput struct {
	Site          *SiteSettings  `json:"site"`
	Author        *AuthorProfile `json:"author"`
	CallToAction  *CallToAction  `json:"callToAction"`
	CORSOrigins   *[]string      `json:"corsOrigins"`
	CitationStyle *CitationStyle `json:"citationStyle"`
	// RequireOwnerTwoFactor: see Settings.
	RequireOwnerTwoFactor *bool `json:"requireOwnerTwoFactor"`
	// RequireContentKey: see Settings.
	RequireContentKey *bool `json:"requireContentKey"`
	// PreviewURL: see Settings; "" removes it.
	PreviewURL *string `json:"previewUrl"`
	Version    *int    `json:"version"`
	// ReviewPeriodMonths: see Settings.
	ReviewPeriodMonths *int `json:"reviewPeriodMonths"`
	// ContactEmail: see Settings; "" removes it.
	ContactEmail *string `json:"contactEmail"`
}

func (in *SettingsInput) apply(s *Settings) {
	trim := strings.TrimSpace
	if in.Site != nil {
		s.Site = SiteSettings{Title: trim(in.Site.Title), URL: strings.TrimRight(trim(in.Site.URL), "/"), Description: trim(in.Site.Description)}
	}
	if in.Author != nil {
		a := AuthorProfile{Name: trim(in.Author.Name), Title: trim(in.Author.Title), Credentials: trim(in.Author.Credentials), Bio: trim(in.Author.Bio),
			PhotoMediaID: strings.ToLower(trim(in.Author.PhotoMediaID)), PhotoURL: trim(in.Author.PhotoURL)}
		if old := s.Author.Photo; old != nil && old.MediaID == a.PhotoMediaID {
			a.Photo = old
		}
		s.Author = a
	}
	if in.CallToAction != nil {
		s.CallToAction = in.CallToAction.normalised()
	}
	if in.CitationStyle != nil {
		s.CitationStyle = CitationStyle(strings.ToLower(strings.TrimSpace(string(*in.CitationStyle))))
	}
	if in.RequireOwnerTwoFactor != nil {
		s.RequireOwnerTwoFactor = *in.RequireOwnerTwoFactor
	}
	if in.RequireContentKey != nil {
		s.RequireContentKey = *in.RequireContentKey
	}
	if in.PreviewURL != nil {
		s.PreviewURL = trim(*in.PreviewURL)
	}
	if in.ReviewPeriodMonths != nil {
		s.ReviewPeriodMonths = *in.ReviewPeriodMonths
	}
	if in.ContactEmail != nil {
		s.ContactEmail = trim(*in.ContactEmail)
	}
	if in.CORSOrigins != nil {
		out := []string{}
		for _, o := range dedupe(*in.CORSOrigins, true) {
			out = append(out, strings.TrimRight(o, "/"))
		}
		s.CORSOrigins = out
	}
}

// Validate checks every settings field.
func (s *Settings) Validate() error {
	pr := Problems{}
	maxLen := func(field, v string, n int) {
		if utf8.RuneCountInString(v) > n {
			pr.Add(field, "Too long.")
		}
	}
	if s.Site.Title == "" {
		pr.Add("site.title", "A site title is required.")
	}
	maxLen("site.title", s.Site.Title, 200)
	maxLen("site.description", s.Site.Description, 1000)
	if s.Site.URL != "" {
		if msg := URLProblem(s.Site.URL); msg != "" {
			pr.Add("site.url", msg)
		}
	}
	maxLen("author.name", s.Author.Name, 200)
	maxLen("author.title", s.Author.Title, 200)
	maxLen("author.credentials", s.Author.Credentials, MaxReviewerCredentialsLen)
	if s.ReviewPeriodMonths < 1 || s.ReviewPeriodMonths > MaxReviewPeriodMonths {
		pr.Add("reviewPeriodMonths", "Must be between 1 and 60 months.")
	}
	maxLen("author.bio", s.Author.Bio, 5000)
	if msg := ContactEmailProblem(s.ContactEmail); msg != "" {
		pr.Add("contactEmail", msg)
	}
	if s.Author.PhotoMediaID != "" && !ValidID(s.Author.PhotoMediaID) {
		pr.Add("author.photoMediaId", "Must be a media id.")
	}
	if s.Author.PhotoURL != "" {
		if msg := URLProblem(s.Author.PhotoURL); msg != "" {
			pr.Add("author.photoUrl", msg)
		}
	}
	s.CallToAction.validate(pr)
	for _, f := range []struct {
		field, v  string
		multiline bool
	}{
		{"site.title", s.Site.Title, false}, {"site.description", s.Site.Description, true},
		{"author.name", s.Author.Name, false}, {"author.title", s.Author.Title, false},
		{"author.credentials", s.Author.Credentials, false}, {"author.bio", s.Author.Bio, true},
	} {
		if f.multiline {
			checkText(pr, f.field, f.v)
		} else {
			checkLine(pr, f.field, f.v)
		}
	}
	if !s.CitationStyle.Valid() {
		pr.Add("citationStyle", "Must be apa or ama.")
	}
	if s.PreviewURL != "" {
		if msg := PreviewURLProblem(s.PreviewURL); msg != "" {
			pr.Add("previewUrl", msg)
		}
	}
	if msg := originsProblem(s.CORSOrigins); msg != "" {
		pr.Add("corsOrigins", msg)
	}
	return pr.Err("cms.Settings.Validate")
}
