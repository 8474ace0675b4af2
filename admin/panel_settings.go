package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// settingsPage is the data of views/settings.html.
type settingsPage struct {
	page
	S           cms.Settings      // the values in the form
	CORSOrigins string            // one origin per line
	Errors      map[string]string // per field, keyed like the API ("site.title")
	Alert       string            // a failure that is not about one field
	Keys        contentKeysSection
}

// handleSettingsPage shows the site settings; owners only (403 page for
// editors).
func (a *Admin) handleSettingsPage(c *fiber.Ctx) error {
	if !actor(c).CanManageSettings() {
		return cms.Errorf(cms.KindForbidden, "admin.settings", "Only owners can change the site settings.")
	}
	p, err := a.currentSettingsPage(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Settings, p)
}

// handleSettingsForm saves every section at once, from the version the
// form was opened at. Bad fields re-render the form at 422 with her input;
// a save by someone else meanwhile re-renders it at 409 with her input and
// the new version, so that saving again is a deliberate choice.
func (a *Admin) handleSettingsForm(c *fiber.Ctx) error {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	s := cms.Settings{
		Site: cms.SiteSettings{Title: v("site.title"), URL: v("site.url"), Description: v("site.description")},
		Author: cms.AuthorProfile{Name: v("author.name"), Title: v("author.title"), Credentials: v("author.credentials"), Bio: v("author.bio"),
			PhotoMediaID: v("author.photoMediaId"), PhotoURL: v("author.photoUrl")},
		CallToAction: cms.CallToAction{Heading: v("callToAction.heading"), Text: v("callToAction.text"), ButtonLabel: v("callToAction.buttonLabel"), URL: v("callToAction.url")},
		CORSOrigins:  []string{},
		// An empty choice (an old page without the select) keeps the
		// stored style; cms refuses anything else unknown.
		CitationStyle: cms.CitationStyle(v("citationStyle")),
	}
	for _, line := range strings.FieldsFunc(c.FormValue("corsOrigins"), func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			s.CORSOrigins = append(s.CORSOrigins, line)
		}
	}
	in := cms.SettingsInput{Site: &s.Site, Author: &s.Author, CallToAction: &s.CallToAction, CORSOrigins: &s.CORSOrigins}
	if s.CitationStyle != "" {
		in.CitationStyle = &s.CitationStyle
	}
	if raw := v("reviewPeriodMonths"); raw != "" { // absent: an old page; kept as stored
		s.ReviewPeriodMonths, _ = strconv.Atoi(raw) // not a number: 0, refused by cms naming the field
		in.ReviewPeriodMonths = &s.ReviewPeriodMonths
	}
	if c.FormValue("references") != "" { // the page has the contact address
		s.ContactEmail = v("contactEmail")
		in.ContactEmail = &s.ContactEmail
	}
	if c.FormValue("security") != "" { // the page has the security section
		s.RequireOwnerTwoFactor = c.FormValue("requireOwnerTwoFactor") != ""
		in.RequireOwnerTwoFactor = &s.RequireOwnerTwoFactor
	}
	if c.FormValue("publicAPI") != "" { // the page has the public API section
		s.RequireContentKey = c.FormValue("requireContentKey") != ""
		in.RequireContentKey = &s.RequireContentKey
		s.PreviewURL = v("previewUrl")
		in.PreviewURL = &s.PreviewURL
	}
	if n, ok := formVersion(c); ok {
		in.Version, s.Version = &n, n
	}
	_, err := a.svc.UpdateSettings(c.UserContext(), actor(c), in)
	if err == nil {
		return a.flashRedirect(c, panelPrefix+"/settings", "Settings saved. The public API shows them now.")
	}
	fields := cms.ErrorFields(err)
	if fields == nil {
		return err
	}
	p, perr := a.settingsPageFor(c, s)
	if perr != nil {
		return perr
	}
	p.CORSOrigins, p.Errors = strings.TrimSpace(c.FormValue("corsOrigins")), fields
	if isStale(err) {
		cur, gerr := a.svc.GetSettings(c.UserContext())
		if gerr != nil {
			return gerr
		}
		p.S.Version, p.Errors = cur.Version, nil
		p.Alert = "Someone else saved the settings since you opened this page. Your changes are still in the form below; save again to replace theirs, or reload the page to see theirs."
	} else {
		p.Alert = "Some settings need your attention; see the messages next to them."
	}
	return a.render(c, formStatus(c, err), views.Settings, p)
}
