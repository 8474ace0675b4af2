package cms_test

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestPostCallToActionValidate checks a post's own call to action: every
// problem is named, and a good one passes.
func TestPostCallToActionValidate(t *testing.T) {
	t.Parallel()
	good := cms.CallToAction{Heading: "Get the toddler guide", Text: "Free.", ButtonLabel: "Download", URL: "https://sleep.example.org/guide"}
	for _, tc := range []struct {
		name   string
		edit   func(c *cms.CallToAction)
		fields []string // nil: valid
	}{
		{"OK", func(c *cms.CallToAction) {}, nil},
		{"OKNoButton", func(c *cms.CallToAction) { c.ButtonLabel, c.URL = "", "" }, nil},
		{"OKTextOnly", func(c *cms.CallToAction) { c.Heading = "" }, nil},
		{"ErrUserinfo", func(c *cms.CallToAction) { c.URL = "https://user:pw@evil.example/guide" }, []string{"callToAction.url"}},
		{"ErrNotHTTP", func(c *cms.CallToAction) { c.URL = "javascript:alert(1)" }, []string{"callToAction.url"}},
		{"ErrLabelWithoutURL", func(c *cms.CallToAction) { c.URL = "" }, []string{"callToAction.url"}},
		{"ErrURLWithoutLabel", func(c *cms.CallToAction) { c.ButtonLabel = "" }, []string{"callToAction.buttonLabel"}},
		{"ErrNothingToSay", func(c *cms.CallToAction) { c.Heading, c.Text = "", "" }, []string{"callToAction.heading"}},
		{"ErrControlCharacters", func(c *cms.CallToAction) {
			c.Heading, c.ButtonLabel, c.Text = "Get\x00it", "Down\nload", "Line one\nline two\x07"
		},
			[]string{"callToAction.heading", "callToAction.buttonLabel", "callToAction.text"}},
		{"OKLineBreakInText", func(c *cms.CallToAction) { c.Text = "Line one\nline two" }, nil},
		{"ErrAllTooLong", func(c *cms.CallToAction) {
			c.Heading, c.Text, c.ButtonLabel = strings.Repeat("h", 201), strings.Repeat("t", 2001), strings.Repeat("b", 61)
		}, []string{"callToAction.heading", "callToAction.text", "callToAction.buttonLabel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			p := cms.Post{Title: "Naps", Slug: "naps", Status: cms.StatusDraft, CallToAction: &c}
			err := p.Validate()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", c, err)
				}
				return
			}
			fields := cms.ErrorFields(err)
			for _, f := range tc.fields {
				if fields[f] == "" {
					t.Errorf("Validate(%+v) = %v, want %s named", c, err, f)
				}
			}
			if len(fields) != len(tc.fields) {
				t.Errorf("fields = %v, want exactly %v", fields, tc.fields)
			}
		})
	}
}

// TestPostCTA checks which call to action a post shows.
func TestPostCTA(t *testing.T) {
	t.Parallel()
	site := cms.CallToAction{Heading: "Tired?", ButtonLabel: "Book", URL: "https://sleep.example.org/book"}
	own := cms.CallToAction{Heading: "Guide", ButtonLabel: "Get it", URL: "https://sleep.example.org/guide"}
	if got := cms.PostCTA(&cms.Post{}, site); got == nil || got.CallToAction != site || got.Source != cms.CTAFromSite {
		t.Errorf("no own: %+v, want the site's", got)
	}
	if got := cms.PostCTA(&cms.Post{CallToAction: &own}, site); got == nil || got.CallToAction != own || got.Source != cms.CTAFromPost {
		t.Errorf("own: %+v, want the post's", got)
	}
	if got := cms.PostCTA(&cms.Post{}, cms.DefaultSettings().CallToAction); got != nil {
		t.Errorf("default settings: %+v, want nil (a label without a link says nothing)", got)
	}
}
