package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The service enforces who may manage users (owners; anyone may edit their
// own name and email) and answers Forbidden otherwise.

// handleUserList lists every user.
func (a *Admin) handleUserList(c *fiber.Ctx) error {
	users, err := a.svc.ListUsers(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return ok(c, nonNil(users))
}

// handleUserCreate adds a user with a password: 201 with Location.
func (a *Admin) handleUserCreate(c *fiber.Ctx) error {
	var in cms.UserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := a.svc.CreateUser(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, u.ID, u)
}

// handleUserUpdate changes a user's name, email or role; "version" required.
func (a *Admin) handleUserUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in cms.UserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := a.svc.UpdateUser(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, u)
}

// handleUserDelete removes a user: 204.
func (a *Admin) handleUserDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteUser(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type passwordResetRequest struct {
	Password string `json:"password"`
}

// handleUserPassword sets another user's password (owners): 204. It revokes
// that user's tokens.
func (a *Admin) handleUserPassword(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var req passwordResetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.svc.SetPassword(c.UserContext(), actor(c), id, req.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
