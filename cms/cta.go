package cms

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a call to action, in characters.
const (
	MaxCTAHeadingLen = 200
	MaxCTATextLen    = 2000
	MaxCTALabelLen   = 60
)

// normalised returns c with its fields trimmed.
func (c CallToAction) normalised() CallToAction {
	trim := strings.TrimSpace
	return CallToAction{Heading: trim(c.Heading), Text: trim(c.Text), ButtonLabel: trim(c.ButtonLabel), URL: trim(c.URL)}
}

// IsZero reports whether every field of c is empty.
func (c CallToAction) IsZero() bool { return c == CallToAction{} }

// validate records the problems of c under "callToAction.<field>": the
// lengths, control characters (line breaks only in the text), and a URL
// the CMS stores (see URLProblem).
func (c CallToAction) validate(pr Problems) {
	for _, f := range []struct {
		name, v   string
		max       int
		multiline bool
	}{
		{"heading", c.Heading, MaxCTAHeadingLen, false}, {"text", c.Text, MaxCTATextLen, true},
		{"buttonLabel", c.ButtonLabel, MaxCTALabelLen, false},
	} {
		field := "callToAction." + f.name
		if n := utf8.RuneCountInString(f.v); n > f.max {
			pr.Add(field, "Must be at most "+strconv.Itoa(f.max)+" characters.")
		}
		if f.multiline {
			checkText(pr, field, f.v)
		} else {
			checkLine(pr, field, f.v)
		}
	}
	if c.URL != "" {
		if msg := URLProblem(c.URL); msg != "" {
			pr.Add("callToAction.url", msg)
		}
	}
}

// validatePostCTA checks a post's own call to action, which replaces the
// site's: besides what any call to action needs, its button has both a
// label and a URL, and it says something (a heading or a text).
func validatePostCTA(c *CallToAction, pr Problems) {
	if c == nil {
		return
	}
	c.validate(pr)
	switch {
	case c.URL == "" && c.ButtonLabel != "":
		pr.Add("callToAction.url", "A button needs the address it leads to.")
	case c.URL != "" && c.ButtonLabel == "":
		pr.Add("callToAction.buttonLabel", "A button needs a label.")
	}
	if c.Heading == "" && c.Text == "" {
		pr.Add("callToAction.heading", "A heading or a text is required (or remove the post's own call to action).")
	}
}

// CTASource says whose call to action a post shows.
type CTASource string

// Sources of a post's call to action.
const (
	CTAFromPost CTASource = "post" // her own, set on the post
	CTAFromSite CTASource = "site" // the settings'
)

// PublicCTA is the call to action a post shows, in the public API.
type PublicCTA struct {
	CallToAction
	Source CTASource `json:"source"`
}

// PostCTA returns the call to action that applies to p: its own when set,
// else the site's; nil when that one has nothing to show (no heading, text
// or URL).
func PostCTA(p *Post, site CallToAction) *PublicCTA {
	if p.CallToAction != nil {
		return &PublicCTA{CallToAction: *p.CallToAction, Source: CTAFromPost}
	}
	if site.Heading == "" && site.Text == "" && site.URL == "" {
		return nil
	}
	return &PublicCTA{CallToAction: site, Source: CTAFromSite}
}
