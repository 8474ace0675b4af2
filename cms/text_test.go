package cms_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestTextFieldsRefuseControlCharacters: fields of one line refuse every
// control character, tab and line breaks included; multi-line text
// refuses all but tab and line breaks. Each problem names its field.
func TestTextFieldsRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	post := func(set func(*cms.Post, string)) func(string) error {
		return func(v string) error {
			p := cms.Post{Title: "Naps", Slug: "naps", Status: cms.StatusDraft}
			set(&p, v)
			return p.Validate()
		}
	}
	pin := func(set func(*cms.Pin, string)) func(string) error {
		return post(func(p *cms.Post, v string) {
			p.Pins = []cms.Pin{{PostImage: cms.PostImage{MediaID: cms.NewID()}}}
			set(&p.Pins[0], v)
		})
	}
	settings := func(set func(*cms.Settings, string)) func(string) error {
		return func(v string) error {
			s := cms.DefaultSettings()
			set(&s, v)
			return s.Validate()
		}
	}
	for _, tt := range []struct {
		field     string
		multiline bool
		validate  func(string) error
	}{
		{"title", false, post(func(p *cms.Post, v string) { p.Title = v })},
		{"excerpt", true, post(func(p *cms.Post, v string) { p.Excerpt = v })},
		{"body", true, post(func(p *cms.Post, v string) { p.Body = v })},
		{"tags", false, post(func(p *cms.Post, v string) { p.Tags = []string{v} })},
		{"seoTitle", false, post(func(p *cms.Post, v string) { p.SEO.Title = v })},
		{"seoDescription", true, post(func(p *cms.Post, v string) { p.SEO.Description = v })},
		{"cover.alt", false, post(func(p *cms.Post, v string) { p.Cover = &cms.PostImage{MediaID: cms.NewID(), Alt: v} })},
		{"pins[0].title", false, pin(func(p *cms.Pin, v string) { p.Title = v })},
		{"pins[0].description", true, pin(func(p *cms.Pin, v string) { p.Description = v })},
		{"pins[0].alt", false, pin(func(p *cms.Pin, v string) { p.Alt = v })},
		{"name", false, func(v string) error { c := cms.Category{Name: v, Slug: "c"}; return c.Validate() }},
		{"description", true, func(v string) error { c := cms.Category{Name: "C", Slug: "c", Description: v}; return c.Validate() }},
		{"name", false, func(v string) error { l := cms.List{Name: v, Slug: "l"}; return l.Validate() }},
		{"alt", false, func(v string) error { m := cms.Media{Alt: v}; return m.Validate() }},
		{"site.title", false, settings(func(s *cms.Settings, v string) { s.Site.Title = v })},
		{"site.description", true, settings(func(s *cms.Settings, v string) { s.Site.Description = v })},
		{"author.name", false, settings(func(s *cms.Settings, v string) { s.Author.Name = v })},
		{"author.bio", true, settings(func(s *cms.Settings, v string) { s.Author.Bio = v })},
		{"callToAction.heading", false, settings(func(s *cms.Settings, v string) { s.CallToAction.Heading = v })},
		{"callToAction.text", true, settings(func(s *cms.Settings, v string) { s.CallToAction.Text = v })},
		{"callToAction.buttonLabel", false, settings(func(s *cms.Settings, v string) { s.CallToAction.ButtonLabel = v })},
	} {
		t.Run(tt.field, func(t *testing.T) {
			for _, bad := range []string{"a\x00b", "a\x1bb", "a\x7fb", "a\u0085b"} {
				if cms.ErrorFields(tt.validate(bad))[tt.field] == "" {
					t.Errorf("%q accepted", bad)
				}
			}
			for _, v := range []string{"a\tb", "a\nb", "a\r\nb"} {
				named := cms.ErrorFields(tt.validate(v))[tt.field] != ""
				if named == tt.multiline {
					t.Errorf("%q: named %v, multiline %v", v, named, tt.multiline)
				}
			}
			if err := tt.validate("Plain text, with “quotes” and \u2028."); cms.ErrorFields(err)[tt.field] != "" {
				t.Errorf("plain text refused: %v", err)
			}
		})
	}
}
