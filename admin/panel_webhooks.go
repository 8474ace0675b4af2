package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// webhooksPath is the Webhooks screen, under Settings.
const webhooksPath = panelPrefix + "/settings/webhooks"

// webhookEventChoices are the event checkboxes of the endpoint form, in
// the order shown, each with what it means.
var webhookEventChoices = []webhookEventChoice{
	{cms.EventPostPublished, "A post went public: published now, or its scheduled time came."},
	{cms.EventPostUpdated, "A public post was edited and stays public."},
	{cms.EventPostUnpublished, "A public post left the site: back to draft, archived or trashed."},
	{cms.EventPostDeleted, "A post was deleted for good."},
	{cms.EventPostScheduled, "A post was scheduled, or its time changed."},
	{cms.EventMediaAll, "Any media event: an upload or a deletion."},
	{cms.EventMediaUploaded, "A new image or file in the media library."},
	{cms.EventMediaDeleted, "A media item was deleted."},
	{cms.EventSiteChanged, "Published content changed, sent once things are quiet: the one a static build needs."},
}

// webhookEventChoice is one checkbox of the endpoint form.
type webhookEventChoice struct{ Type, Hint string }

// webhookForm is what the endpoint form holds, kept when it fails.
type webhookForm struct {
	URL, Description string
	Events           []string
	Enabled          bool
	Version          int
	Errors           map[string]string
}

// Has reports whether the form ticks event type t.
func (f webhookForm) Has(t string) bool { return slices.Contains(f.Events, t) }

// newWebhookSecret is an endpoint's secret, shown once after it is made
// or rotated.
type newWebhookSecret struct {
	Secret  string
	Rotated bool // a rotation: the old secret still signs for a day
}

// webhooksPage is the data of views/webhooks.html: the endpoints and the
// form to add one.
type webhooksPage struct {
	page
	Webhooks []*cms.Webhook
	Choices  []webhookEventChoice
	Form     webhookForm
	Alert    string
}

// webhookPage is the data of views/webhook.html: one endpoint, its form,
// its secret when just made, and a page of its delivery log.
type webhookPage struct {
	page
	W          *cms.Webhook
	Choices    []webhookEventChoice
	Form       webhookForm
	New        *newWebhookSecret
	Alert      string
	Deliveries []*cms.WebhookDelivery
	Next       string // the cursor of the older page, if any
	Older      bool   // this page is not the newest
}

// handleWebhooksPage lists the endpoints with the form to add one;
// owners only.
func (a *Admin) handleWebhooksPage(c *fiber.Ctx) error {
	p, err := a.webhooksPage(c)
	if err != nil {
		return err
	}
	p.Form = webhookForm{Events: []string{cms.EventSiteChanged}, Enabled: true}
	return a.render(c, fiber.StatusOK, views.Webhooks, p)
}

func (a *Admin) webhooksPage(c *fiber.Ctx) (*webhooksPage, error) {
	list, err := a.svc.ListWebhooks(c.UserContext(), actor(c))
	if err != nil {
		return nil, err
	}
	return &webhooksPage{page: a.newPage(c, "Webhooks", "settings"), Webhooks: list, Choices: webhookEventChoices}, nil
}

// readWebhookForm reads the endpoint form's fields.
func readWebhookForm(c *fiber.Ctx) (webhookForm, cms.WebhookInput) {
	f := webhookForm{URL: strings.TrimSpace(c.FormValue("url")), Description: strings.TrimSpace(c.FormValue("description")),
		Enabled: c.FormValue("enabled") != ""}
	for _, v := range c.Context().PostArgs().PeekMulti("events") {
		f.Events = append(f.Events, string(v))
	}
	if f.Events == nil {
		f.Events = []string{}
	}
	events := slices.Clone(f.Events)
	return f, cms.WebhookInput{URL: &f.URL, Description: &f.Description, Events: &events}
}

// handleWebhookCreateForm makes an endpoint and shows its page with the
// secret, this once. Bad fields re-render the list at 422 with her input.
func (a *Admin) handleWebhookCreateForm(c *fiber.Ctx) error {
	f, in := readWebhookForm(c)
	f.Enabled = true
	w, secret, err := a.svc.CreateWebhook(c.UserContext(), actor(c), in)
	if err != nil {
		if !refused(err) {
			return err
		}
		p, perr := a.webhooksPage(c)
		if perr != nil {
			return perr
		}
		f.Errors = cms.ErrorFields(err)
		if len(f.Errors) == 0 {
			p.Alert = cms.ErrorMessage(err)
		}
		p.Form = f
		return a.render(c, formStatus(c, err), views.Webhooks, p)
	}
	p, err := a.webhookPage(c, w, "")
	if err != nil {
		return err
	}
	p.New = &newWebhookSecret{Secret: secret}
	p.Flash = "Added the endpoint. Copy its secret now: it is not shown again."
	return a.render(c, fiber.StatusOK, views.Webhook, p)
}

// webhookPage returns the page of endpoint w with the page of its log
// before cursor before ("" for the newest).
func (a *Admin) webhookPage(c *fiber.Ctx, w *cms.Webhook, before string) (*webhookPage, error) {
	log, err := a.svc.WebhookDeliveries(c.UserContext(), actor(c), w.ID, before, 0)
	if err != nil {
		return nil, err
	}
	return &webhookPage{page: a.newPage(c, "Webhook", "settings"), W: w, Choices: webhookEventChoices,
		Form:       webhookForm{URL: w.URL, Description: w.Description, Events: w.Events, Enabled: w.Enabled, Version: w.Version},
		Deliveries: log.Deliveries, Next: log.Next, Older: before != ""}, nil
}

// webhookFromPath reads the endpoint named by the path's :id (the
// service refuses those who may not manage webhooks). The actions, which
// read it themselves, take the id alone (panelID).
func (a *Admin) webhookFromPath(c *fiber.Ctx) (*cms.Webhook, error) {
	id, err := panelID(c)
	if err != nil {
		return nil, err
	}
	return a.svc.GetWebhook(c.UserContext(), actor(c), id)
}

// handleWebhookPage shows one endpoint: its form, actions and delivery
// log (?before= pages back through it).
func (a *Admin) handleWebhookPage(c *fiber.Ctx) error {
	w, err := a.webhookFromPath(c)
	if err != nil {
		return err
	}
	before := strings.Clone(c.Query("before"))
	p, err := a.webhookPage(c, w, before)
	if cms.IsKind(err, cms.KindInvalid) { // a cursor that is not one: the newest page
		p, err = a.webhookPage(c, w, "")
	}
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Webhook, p)
}

// handleWebhookUpdateForm saves the endpoint form (enabling a disabled
// endpoint clears why it was disabled); bad fields re-render at 422.
func (a *Admin) handleWebhookUpdateForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	f, in := readWebhookForm(c)
	f.Version, err = strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return fiber.ErrBadRequest
	}
	in.Enabled, in.Version = &f.Enabled, &f.Version
	saved, err := a.svc.UpdateWebhook(c.UserContext(), actor(c), id, in)
	if err != nil {
		if !refused(err) {
			return err
		}
		w, perr := a.webhookFromPath(c) // as it is now
		if perr != nil {
			return perr
		}
		p, perr := a.webhookPage(c, w, "")
		if perr != nil {
			return perr
		}
		f.Errors = cms.ErrorFields(err)
		if len(f.Errors) == 0 || conflictOn(err, "version") {
			p.Alert = cms.ErrorMessage(err)
			if conflictOn(err, "version") {
				p.Alert = "Someone changed this endpoint since you opened it; this is what it is now. Make your change again."
				return a.render(c, fiber.StatusConflict, views.Webhook, p)
			}
		}
		p.Form = f
		return a.render(c, formStatus(c, err), views.Webhook, p)
	}
	return a.flashRedirect(c, webhookPath(saved.ID), "Saved the endpoint.")
}

// handleWebhookRotateForm gives the endpoint a new secret and shows it,
// this once.
func (a *Admin) handleWebhookRotateForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	w, secret, err := a.svc.RotateWebhookSecret(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	p, err := a.webhookPage(c, w, "")
	if err != nil {
		return err
	}
	p.New = &newWebhookSecret{Secret: secret, Rotated: true}
	return a.render(c, fiber.StatusOK, views.Webhook, p)
}

// handleWebhookTestForm sends a webhook.test event to the endpoint.
func (a *Admin) handleWebhookTestForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	if _, err := a.svc.SendTestWebhook(c.UserContext(), actor(c), id); err != nil {
		if !refused(err) {
			return err
		}
		return a.flashRedirect(c, webhookPath(id), cms.ErrorMessage(err))
	}
	return a.flashRedirect(c, webhookPath(id)+"#deliveries", "Sent a test event. Its delivery shows below in a moment (reload to see it).")
}

// handleWebhookRedeliverForm sends one message of the endpoint again,
// with the same webhook-id.
func (a *Admin) handleWebhookRedeliverForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	mid := param(c, "message")
	if !cms.ValidID(mid) {
		return fiber.ErrNotFound
	}
	m, err := a.svc.RedeliverWebhook(c.UserContext(), actor(c), id, mid)
	if err != nil {
		if !refused(err) {
			return err
		}
		return a.flashRedirect(c, webhookPath(id)+"#deliveries", cms.ErrorMessage(err))
	}
	return a.flashRedirect(c, webhookPath(id)+"#deliveries", "Redelivering "+m.EventType+" ("+m.EventID+"). The new attempt shows below in a moment.")
}

// handleWebhookDeleteForm deletes the endpoint and its log (the page asks
// first).
func (a *Admin) handleWebhookDeleteForm(c *fiber.Ctx) error {
	w, err := a.webhookFromPath(c)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteWebhook(c.UserContext(), actor(c), w.ID); err != nil {
		return err
	}
	return a.flashRedirect(c, webhooksPath, "Deleted the endpoint "+w.URL+". It gets nothing more.")
}

func webhookPath(id string) string { return webhooksPath + "/" + id }

// disabledWebhooks returns the endpoints to flag on the dashboard of u:
// nil for those who may not manage settings, or when they cannot be read
// (the rest of the dashboard still shows).
func (a *Admin) disabledWebhooks(ctx context.Context, u *cms.User) []*cms.Webhook {
	if u == nil || !u.CanManageSettings() {
		return nil
	}
	list, err := a.svc.DisabledWebhooks(ctx, u)
	if err != nil {
		a.log.Warn("dashboard: reading disabled webhooks", "err", err)
		return nil
	}
	return list
}
