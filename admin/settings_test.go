package admin_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	editor := e.MustEditor(t, owner)
	put := func(token string, body any) *Resp {
		return e.Do(t, Req{Method: "PUT", Path: api + "/settings", Token: token, Body: body})
	}

	var s cms.Settings
	e.Do(t, Req{Method: "GET", Path: api + "/settings", Token: editor.Token}).MustStatus(t, 200).Data(t, &s)
	MustEqual(t, "default version", s.Version, 0)
	MustEqual(t, "default title", s.Site.Title, cms.DefaultSettings().Site.Title)

	site := map[string]any{"title": "Sweet Dreams Sleep", "url": "https://sleep.example.com/", "description": "Evidence-based sleep help."}
	p := put(editor.Token, map[string]any{"version": 0, "site": site}).MustProblem(t, 403)
	MustEqual(t, "type", p.Type, "urn:lullaby:problem:forbidden")

	for _, tc := range []struct {
		name   string
		body   any
		fields []string
	}{
		{"ErrNoVersion", map[string]any{"site": site}, []string{"version"}},
		{"ErrBadURL", map[string]any{"version": 0, "site": map[string]any{"title": "T", "url": "ftp://x"}}, []string{"site.url"}},
		{"ErrNestedType", `{"version": 0, "site": {"title": 5}}`, []string{"site.title"}},
		{"ErrNestedUnknown", `{"version": 0, "site": {"title": "T", "colour": "blue"}}`, []string{"site.colour"}},
		{"ErrBadOrigin", map[string]any{"version": 0, "corsOrigins": []string{"https://a.example/path"}}, []string{"corsOrigins"}},
		{"ErrPhotoNotMedia", map[string]any{"version": 0, "author": map[string]any{"name": "Jo", "photoMediaId": "me.jpg"}}, []string{"author.photoMediaId"}},
		{"ErrPhotoUnknown", map[string]any{"version": 0, "author": map[string]any{"name": "Jo", "photoMediaId": "64b0000000000000000000aa"}}, []string{"author.photoMediaId"}},
		{"ErrContactEmail", map[string]any{"version": 0, "contactEmail": "Jo <jo@example.com>"}, []string{"contactEmail"}},
		{"ErrContactEmailType", `{"version": 0, "contactEmail": 5}`, []string{"contactEmail"}},
	} {
		t.Run(tc.name, func(t *testing.T) { put(owner.Token, tc.body).MustProblem(t, 400, tc.fields...) })
	}

	put(owner.Token, map[string]any{"version": 0, "site": site,
		"callToAction": map[string]any{"heading": "Tired?", "buttonLabel": "Book a call", "url": "https://sleep.example.com/book"}}).MustStatus(t, 200).Data(t, &s)
	MustEqual(t, "version", s.Version, 1)
	MustEqual(t, "site.url", s.Site.URL, "https://sleep.example.com")
	MustEqual(t, "cta", s.CallToAction.ButtonLabel, "Book a call")
	put(owner.Token, map[string]any{"version": 1, "contactEmail": " sleep@example.com "}).MustStatus(t, 200).Data(t, &s)
	MustEqual(t, "contactEmail", s.ContactEmail, "sleep@example.com")

	put(owner.Token, map[string]any{"version": 0, "site": site}).MustProblem(t, 409, "version")
	e.Do(t, Req{Method: "GET", Path: api + "/settings", Token: editor.Token}).MustStatus(t, 200).Data(t, &s)
	MustEqual(t, "version after stale put", s.Version, 2)
}

// TestPanelSettingsContactEmail: the settings page keeps a bad contact
// address in the form at 422 with its message, and saves a good one.
func TestPanelSettingsContactEmail(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	st, err := e.Svc.GetSettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	form := func(email string) url.Values {
		return url.Values{"site.title": {"Sleep"}, "references": {"1"}, "contactEmail": {email}, "version": {strconv.Itoa(st.Version)}}
	}
	b.PostCSRF(t, "/admin/settings", form("sleep at example")).MustStatus(t, 422).
		MustContain(t, `id="contactEmail-error"`, `value="sleep at example"`)
	b.PostCSRF(t, "/admin/settings", form("sleep@example.com")).MustRedirect(t, "/admin/settings")
	if st, _ = e.Svc.GetSettings(t.Context()); st.ContactEmail != "sleep@example.com" {
		t.Fatalf("contactEmail = %q", st.ContactEmail)
	}
	b.Get(t, "/admin/settings").MustContain(t, `value="sleep@example.com"`)
}
