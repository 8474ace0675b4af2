package cms_test

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestURLsRefuseUserinfo: every URL the CMS stores refuses a user name
// and password, naming its field, and accepts the same URL without them.
func TestURLsRefuseUserinfo(t *testing.T) {
	t.Parallel()
	type check struct {
		field    string
		validate func(u string) error
	}
	quizCTA := func(k string) func(string) error {
		return func(u string) error {
			q := cms.DefaultNapQuiz(nil)
			r := q.Results.Text(k)
			r.CTA.Label, r.CTA.URL = "Book a call", u
			return q.Validate()
		}
	}
	settings := func(set func(*cms.Settings, string)) func(string) error {
		return func(u string) error {
			s := cms.DefaultSettings()
			set(&s, u)
			return s.Validate()
		}
	}
	checks := []check{
		{"canonicalUrl", func(u string) error {
			p := cms.Post{Title: "Naps", Slug: "naps", Status: cms.StatusDraft}
			p.SEO.CanonicalURL = u
			return p.Validate()
		}},
		{"url", func(u string) error {
			c := cms.Citation{Type: cms.CiteWebpage, Title: "Safe sleep", URL: u}
			return c.Validate()
		}},
		{"site.url", settings(func(s *cms.Settings, u string) { s.Site.URL = u })},
		{"author.photoUrl", settings(func(s *cms.Settings, u string) { s.Author.PhotoURL = u })},
		{"callToAction.url", settings(func(s *cms.Settings, u string) { s.CallToAction.URL = u })},
		{"corsOrigins", settings(func(s *cms.Settings, u string) { s.CORSOrigins = []string{strings.TrimSuffix(u, "/")} })},
		{"results.below.cta.url", quizCTA(cms.ResultBelow)},
		{"results.within.cta.url", quizCTA(cms.ResultWithin)},
		{"results.above.cta.url", quizCTA(cms.ResultAbove)},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			for _, bad := range []string{"http://user:pw@evil.example/", "https://user@evil.example/", "https://:pw@evil.example/"} {
				if msg := cms.ErrorFields(c.validate(bad))[c.field]; msg == "" {
					t.Errorf("%s = %q: accepted, want refused", c.field, bad)
				}
			}
			if err := c.validate("https://good.example/"); cms.ErrorFields(err)[c.field] != "" {
				t.Errorf("%s = https://good.example/: %v", c.field, err)
			}
		})
	}
}
