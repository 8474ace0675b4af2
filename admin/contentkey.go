package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// createdContentKey is a new key with its secret: the one response that
// ever carries it.
type createdContentKey struct {
	*cms.ContentKey
	Secret string `json:"secret"`
}

// handleContentKeyList lists the content keys, revoked ones too; owners
// only. Secrets are not kept, so none is listed.
func (a *Admin) handleContentKeyList(c *fiber.Ctx) error {
	keys, err := a.svc.ListContentKeys(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return ok(c, nonNil(keys))
}

// handleContentKeyCreate makes a key: 201 with its secret, shown this once.
func (a *Admin) handleContentKeyCreate(c *fiber.Ctx) error {
	var in cms.ContentKeyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	k, secret, err := a.svc.CreateContentKey(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, k.ID, createdContentKey{k, secret})
}

// handleContentKeyRevoke revokes a key (DELETE: it stops working for
// good; it stays listed as revoked): 200 with the key.
func (a *Admin) handleContentKeyRevoke(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	k, err := a.svc.RevokeContentKey(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return ok(c, k)
}
