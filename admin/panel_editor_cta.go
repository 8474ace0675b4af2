package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// ctaForm is the post's own call to action in the editor: all fields
// empty means the post shows the site's.
type ctaForm struct {
	// Field says the form carries the fields (cta=1); without them the
	// stored call to action stays.
	Field bool
	cms.CallToAction
}

// Own reports whether the form sets the post's own call to action.
func (f ctaForm) Own() bool { return !f.IsZero() }

// parseCTAFields reads the call to action fields of the editor form.
func parseCTAFields(c *fiber.Ctx, f *postForm) {
	v := func(name string) string { return strings.Clone(c.FormValue(name)) }
	f.CTA = ctaForm{Field: v("cta") == "1", CallToAction: cms.CallToAction{
		Heading: v("callToAction.heading"), Text: strings.ReplaceAll(v("callToAction.text"), "\r\n", "\n"),
		ButtonLabel: v("callToAction.buttonLabel"), URL: v("callToAction.url"),
	}}
}

// ctaFromPost fills the form's call to action from the stored post.
func ctaFromPost(f *postForm, p *cms.Post) {
	f.CTA = ctaForm{Field: true}
	if p.CallToAction != nil {
		f.CTA.CallToAction = *p.CallToAction
	}
}

// ctaInput sets the call to action of in when the form carries it (all
// empty: the site's).
func (f postForm) ctaInput(in *cms.PostInput) {
	if f.CTA.Field {
		c := f.CTA.CallToAction
		in.CallToAction = &c
	}
}

// ctaChangedFrom reports whether saving f would change p's call to action.
func (f postForm) ctaChangedFrom(p *cms.Post) bool {
	if !f.CTA.Field {
		return false
	}
	t := strings.TrimSpace
	c := cms.CallToAction{Heading: t(f.CTA.Heading), Text: t(f.CTA.Text), ButtonLabel: t(f.CTA.ButtonLabel), URL: t(f.CTA.URL)}
	if p.CallToAction == nil {
		return !c.IsZero()
	}
	return c != *p.CallToAction
}
