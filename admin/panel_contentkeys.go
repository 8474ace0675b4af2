package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// contentKeysSection is the "Content API keys" part of the settings page.
type contentKeysSection struct {
	Keys    []*cms.ContentKey
	New     *createdContentKey // the key just made: its secret, shown this once
	Form    contentKeyForm     // the create form
	Alert   string             // a refusal that is not about one field
	BaseURL string             // this server, for the examples of use
}

// contentKeyForm is what the create form holds, kept when it fails.
type contentKeyForm struct {
	Name, Origins, RateLimit string
	Errors                   map[string]string
}

// settingsPageFor returns the settings page showing s and the content keys.
func (a *Admin) settingsPageFor(c *fiber.Ctx, s cms.Settings) (settingsPage, error) {
	keys, err := a.svc.ListContentKeys(c.UserContext(), actor(c))
	if err != nil {
		return settingsPage{}, err
	}
	return settingsPage{page: a.newPage(c, "Settings", "settings"), S: s, CORSOrigins: strings.Join(s.CORSOrigins, "\n"),
		Keys: contentKeysSection{Keys: keys, BaseURL: c.BaseURL()}}, nil
}

// currentSettingsPage is settingsPageFor the stored settings.
func (a *Admin) currentSettingsPage(c *fiber.Ctx) (settingsPage, error) {
	s, err := a.svc.GetSettings(c.UserContext())
	if err != nil {
		return settingsPage{}, err
	}
	return a.settingsPageFor(c, *s)
}

// handleContentKeyCreateForm makes a key and shows the settings page with
// its secret, this once (the page is never cached, and no redirect or
// flash carries the secret anywhere else). Bad fields re-render the page
// at 422 with her input.
func (a *Admin) handleContentKeyCreateForm(c *fiber.Ctx) error {
	f := contentKeyForm{Name: strings.TrimSpace(c.FormValue("name")), Origins: strings.TrimSpace(c.FormValue("origins")),
		RateLimit: strings.TrimSpace(c.FormValue("rateLimit"))}
	origins := []string{}
	for _, line := range strings.FieldsFunc(f.Origins, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			origins = append(origins, line)
		}
	}
	in := cms.ContentKeyInput{Name: &f.Name, Origins: &origins}
	var err error
	if f.RateLimit != "" {
		n, perr := strconv.Atoi(f.RateLimit)
		if perr != nil {
			err = cms.Problems{"rateLimit": "Must be a whole number of requests a minute, or empty for no limit."}.Err("admin.contentKeyForm")
		}
		in.RateLimit = &n
	}
	var k *cms.ContentKey
	var secret string
	if err == nil {
		k, secret, err = a.svc.CreateContentKey(c.UserContext(), actor(c), in)
	}
	if err != nil && !refused(err) {
		return err
	}
	p, perr := a.currentSettingsPage(c)
	if perr != nil {
		return perr
	}
	if err != nil {
		f.Errors = cms.ErrorFields(err)
		p.Keys.Form = f
		if len(f.Errors) == 0 {
			p.Keys.Alert = cms.ErrorMessage(err)
		}
		return a.render(c, formStatus(c, err), views.Settings, p)
	}
	p.Keys.New = &createdContentKey{k, secret}
	return a.render(c, fiber.StatusOK, views.Settings, p)
}

// handleContentKeyRevokeForm revokes a key for good (the page asks first).
func (a *Admin) handleContentKeyRevokeForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	k, err := a.svc.RevokeContentKey(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/settings#content-keys", "Revoked the content key “"+k.Name+"”. Frontends using it are refused now.")
}
