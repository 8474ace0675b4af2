package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// webhookWithSecret is an endpoint with its signing secret: the answer of
// create and rotate only.
type webhookWithSecret struct {
	*cms.Webhook
	Secret string `json:"secret"`
}

// handleWebhookList lists the endpoints, without secrets; owners only.
func (a *Admin) handleWebhookList(c *fiber.Ctx) error {
	list, err := a.svc.ListWebhooks(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return ok(c, nonNil(list))
}

// handleWebhookDisabled lists the disabled endpoints with why and when,
// as the dashboard flags them.
func (a *Admin) handleWebhookDisabled(c *fiber.Ctx) error {
	list, err := a.svc.DisabledWebhooks(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return ok(c, nonNil(list))
}

// handleWebhookCreate makes an endpoint: 201 with its secret.
func (a *Admin) handleWebhookCreate(c *fiber.Ctx) error {
	var in cms.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, secret, err := a.svc.CreateWebhook(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, w.ID, webhookWithSecret{w, secret})
}

// handleWebhookGet returns one endpoint. Its secret is shown when the
// endpoint is made or rotated, never again (as the panel does): a lost
// secret is replaced by rotating it.
func (a *Admin) handleWebhookGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	w, err := a.svc.GetWebhook(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return ok(c, w)
}

// handleWebhookUpdate edits an endpoint (version required): 200.
func (a *Admin) handleWebhookUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in cms.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := a.svc.UpdateWebhook(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, w)
}

// handleWebhookDelete removes an endpoint, its messages and its log: 204.
func (a *Admin) handleWebhookDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteWebhook(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleWebhookRotate gives an endpoint a new secret: 200 with it.
func (a *Admin) handleWebhookRotate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	w, secret, err := a.svc.RotateWebhookSecret(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return ok(c, webhookWithSecret{w, secret})
}

// handleWebhookDeliveries returns a page of an endpoint's delivery log,
// newest first: ?limit= (1-200, 50) and ?before= (a page's next).
func (a *Admin) handleWebhookDeliveries(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	q := newQuery(c)
	before, limit := q.str("before"), q.positive("limit")
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.svc.WebhookDeliveries(c.UserContext(), actor(c), id, before, limit)
	if err != nil {
		return err
	}
	return ok(c, page)
}

// webhookMessageIDs reads the endpoint and message ids of the path.
func webhookMessageIDs(c *fiber.Ctx) (string, string, error) {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return "", "", err
	}
	msg, err := pathID(c, "messageId", "messageId")
	return id, msg, err
}

// handleWebhookMessage returns one message of an endpoint.
func (a *Admin) handleWebhookMessage(c *fiber.Ctx) error {
	id, msg, err := webhookMessageIDs(c)
	if err != nil {
		return err
	}
	m, err := a.svc.GetWebhookMessage(c.UserContext(), actor(c), id, msg)
	if err != nil {
		return err
	}
	return ok(c, m)
}

// handleWebhookRedeliver sends a message again, same webhook-id: 202
// with the message, due at once.
func (a *Admin) handleWebhookRedeliver(c *fiber.Ctx) error {
	id, msg, err := webhookMessageIDs(c)
	if err != nil {
		return err
	}
	m, err := a.svc.RedeliverWebhook(c.UserContext(), actor(c), id, msg)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(envelope{Data: m})
}

// handleWebhookTest sends a webhook.test event to the endpoint: 202 with
// its message.
func (a *Admin) handleWebhookTest(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	m, err := a.svc.SendTestWebhook(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(envelope{Data: m})
}
