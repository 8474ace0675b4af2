package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// usersPage is the data of views/users.html.
type usersPage struct {
	page
	Users  []*cms.User
	New    userForm // the create form
	Alert  string   // a refusal that is not about one field
	Roles  []option
	Owners int
}

// userForm is what the create form holds, kept when it fails.
type userForm struct {
	Email, Name, Role string
	Errors            map[string]string
}

var roleOptions = []option{{"editor", "Editor: writes and publishes posts"}, {"owner", "Owner: also manages settings and users"}}

// handleUsersPage lists the users with their roles; owners only.
func (a *Admin) handleUsersPage(c *fiber.Ctx) error {
	p, err := a.usersPage(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Users, p)
}

func (a *Admin) usersPage(c *fiber.Ctx) (*usersPage, error) {
	users, err := a.svc.ListUsers(c.UserContext(), actor(c))
	if err != nil {
		return nil, err
	}
	p := &usersPage{page: a.newPage(c, "Users", "users"), Users: users, Roles: roleOptions, New: userForm{Role: "editor"}}
	for _, u := range users {
		if u.Role == cms.RoleOwner {
			p.Owners++
		}
	}
	return p, nil
}

// handleUserCreateForm adds a user with an initial password that she
// passes on; bad fields re-render the page at 422 with the input kept
// (but never the password).
func (a *Admin) handleUserCreateForm(c *fiber.Ctx) error {
	f := userForm{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role")}
	role, password := cms.Role(f.Role), c.FormValue("password")
	u, err := a.svc.CreateUser(c.UserContext(), actor(c), cms.UserInput{Email: &f.Email, Name: &f.Name, Role: &role, Password: &password})
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.usersPage(c)
		if perr != nil {
			return perr
		}
		f.Errors = fields
		p.New = f
		return a.render(c, formStatus(c, err), views.Users, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/users", "Added "+u.Name+" as "+string(u.Role)+". Give them the password you chose; they can change it under Account.")
}

// handleUserRoleForm changes a user's role ("version" hidden); the service
// keeps at least one owner.
func (a *Admin) handleUserRoleForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	role := cms.Role(c.FormValue("role"))
	in := cms.UserInput{Role: &role}
	if n, ok := formVersion(c); ok {
		in.Version = &n
	}
	u, err := a.svc.UpdateUser(c.UserContext(), actor(c), id, in)
	if err != nil {
		return a.usersRefusal(c, err)
	}
	return a.flashRedirect(c, panelPrefix+"/users", u.Name+" is now "+string(u.Role)+".")
}

// handleUserDeleteForm removes a user (not yourself, not the last owner).
func (a *Admin) handleUserDeleteForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	u, err := a.svc.GetUser(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteUser(c.UserContext(), actor(c), id); err != nil {
		return a.usersRefusal(c, err)
	}
	return a.flashRedirect(c, panelPrefix+"/users", "Removed "+u.Name+".")
}

// usersRefusal shows the users page with the reason a change was refused
// (the last owner, yourself, a stale version, a bad role); other errors go
// to the error page.
func (a *Admin) usersRefusal(c *fiber.Ctx, err error) error {
	if !refused(err) {
		return err
	}
	p, perr := a.usersPage(c)
	if perr != nil {
		return perr
	}
	p.Alert = cms.ErrorMessage(err)
	if f := cms.ErrorFields(err); f["role"] != "" {
		p.Alert = "Role: " + f["role"]
	} else if f["version"] != "" {
		p.Alert = "This user was changed by someone else meanwhile; here is how things stand now. Please try again."
	}
	return a.render(c, formStatus(c, err), views.Users, p)
}
