package admin

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// categoriesPage is the data of views/categories.html.
type categoriesPage struct {
	page
	Rows   []categoryRow
	New    categoryForm // the create form
	Alert  string       // a failure that is not about one field
	Script bool         // include drag-and-drop reordering
}

// categoryRow is one category with its edit form.
type categoryRow struct {
	*cms.Category
	Form        categoryForm
	First, Last bool
}

// categoryForm is what a category form holds, kept when it fails.
type categoryForm struct {
	Name, Slug, Description string
	Errors                  map[string]string
	Open                    bool // the edit form is shown open (it failed)
}

// handleCategoriesPage lists the categories in display order, each with
// its edit, move and delete controls, and the create form.
func (a *Admin) handleCategoriesPage(c *fiber.Ctx) error {
	p, err := a.categoriesPage(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Categories, p)
}

func (a *Admin) categoriesPage(c *fiber.Ctx) (*categoriesPage, error) {
	cats, err := a.svc.ListCategories(c.UserContext())
	if err != nil {
		return nil, err
	}
	p := &categoriesPage{page: a.newPage(c, "Categories", "categories"), Script: len(cats) > 1}
	for i, cat := range cats {
		p.Rows = append(p.Rows, categoryRow{Category: cat, First: i == 0, Last: i == len(cats)-1,
			Form: categoryForm{Name: cat.Name, Slug: cat.Slug, Description: cat.Description}})
	}
	return p, nil
}

// readCategoryForm reads the fields of a category form, copied.
func readCategoryForm(c *fiber.Ctx) (categoryForm, cms.CategoryInput) {
	f := categoryForm{
		Name:        strings.TrimSpace(c.FormValue("name")),
		Slug:        strings.TrimSpace(c.FormValue("slug")),
		Description: strings.TrimSpace(c.FormValue("description")),
	}
	return f, cms.CategoryInput{Name: &f.Name, Slug: &f.Slug, Description: &f.Description}
}

// handleCategoryCreateForm creates a category (an empty slug is made from
// the name); a bad field re-renders the page at 422 with the input kept.
func (a *Admin) handleCategoryCreateForm(c *fiber.Ctx) error {
	f, in := readCategoryForm(c)
	cat, err := a.svc.CreateCategory(c.UserContext(), actor(c), in)
	if field := cms.ErrorFields(err); field != nil {
		p, perr := a.categoriesPage(c)
		if perr != nil {
			return perr
		}
		f.Errors = field
		p.New = f
		return a.render(c, formStatus(c, err), views.Categories, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/categories", "Added the category “"+cat.Name+"”.")
}

// handleCategoryUpdateForm renames, re-slugs or re-describes a category;
// "version" (hidden) guards against overwriting someone else's change.
func (a *Admin) handleCategoryUpdateForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	f, in := readCategoryForm(c)
	if version, ok := formVersion(c); ok {
		in.Version = &version
	}
	cat, err := a.svc.UpdateCategory(c.UserContext(), actor(c), id, in)
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.categoriesPage(c)
		if perr != nil {
			return perr
		}
		for i := range p.Rows {
			if p.Rows[i].ID == id {
				f.Errors, f.Open = rowFormErrors(err, "category"), true
				p.Rows[i].Form = f
			}
		}
		return a.render(c, formStatus(c, err), views.Categories, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/categories", "Saved the category “"+cat.Name+"”.")
}

// handleCategoryDeleteForm deletes a category; posts filed under it keep
// working and simply no longer list it.
func (a *Admin) handleCategoryDeleteForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	cat, err := a.svc.GetCategory(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteCategory(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/categories", "Deleted the category “"+cat.Name+"”. Its posts are still there.")
}

// handleCategoryOrderForm changes the display order, from either
//   - the up/down buttons (no script needed): id=<category>&move=up|down, or
//   - drag and drop: ids=<every category id, in the new order>, repeated.
func (a *Admin) handleCategoryOrderForm(c *fiber.Ctx) error {
	const op = "admin.orderCategories"
	ids := formValues(c, "ids")
	if len(ids) == 0 {
		cats, err := a.svc.ListCategories(c.UserContext())
		if err != nil {
			return err
		}
		id, move := c.FormValue("id"), c.FormValue("move")
		i := slices.IndexFunc(cats, func(cat *cms.Category) bool { return cat.ID == id })
		j := i - 1
		if move == "down" {
			j = i + 1
		}
		if i < 0 || (move != "up" && move != "down") {
			return cms.Errorf(cms.KindInvalid, op, "Choose a category and whether to move it up or down.")
		}
		if j < 0 || j >= len(cats) {
			return redirect(c, panelPrefix+"/categories") // already first or last
		}
		cats[i], cats[j] = cats[j], cats[i]
		for _, cat := range cats {
			ids = append(ids, cat.ID)
		}
	}
	if _, err := a.svc.ReorderCategories(c.UserContext(), actor(c), ids); err != nil {
		if cms.IsKind(err, cms.KindInvalid) {
			// Someone added or removed a category meanwhile.
			return a.flashRedirect(c, panelPrefix+"/categories", "The categories changed meanwhile; here they are now. Please try again.")
		}
		return err
	}
	if wantsJSON(c) || isHTMX(c) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return a.flashRedirect(c, panelPrefix+"/categories", "Saved the new order.")
}
