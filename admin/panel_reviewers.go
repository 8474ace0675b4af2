package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// reviewersPage is the data of views/reviewers.html.
type reviewersPage struct {
	page
	Rows  []reviewerRow
	New   reviewerForm // the add form
	Alert string       // a failure that is not about one field
}

// reviewerRow is one reviewer with their edit form.
type reviewerRow struct {
	*cms.Reviewer
	Form reviewerForm
}

// reviewerForm is what a reviewer form holds, kept when it fails.
type reviewerForm struct {
	Name, Credentials, Bio, PhotoMediaID, ProfileURL string
	Errors                                           map[string]string
	Open                                             bool // the edit form is shown open (it failed)
}

func newReviewerForm(r *cms.Reviewer) reviewerForm {
	return reviewerForm{Name: r.Name, Credentials: r.Credentials, Bio: r.Bio, PhotoMediaID: r.PhotoMediaID, ProfileURL: r.ProfileURL}
}

// handleReviewersPage lists the medical reviewers, each with its edit and
// delete controls, and the add form.
func (a *Admin) handleReviewersPage(c *fiber.Ctx) error {
	p, err := a.reviewersPage(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Reviewers, p)
}

func (a *Admin) reviewersPage(c *fiber.Ctx) (*reviewersPage, error) {
	rs, err := a.svc.ListReviewers(c.UserContext())
	if err != nil {
		return nil, err
	}
	p := &reviewersPage{page: a.newPage(c, "Reviewers", "reviewers")}
	for _, r := range rs {
		p.Rows = append(p.Rows, reviewerRow{Reviewer: r, Form: newReviewerForm(r)})
	}
	return p, nil
}

// readReviewerForm reads the fields of a reviewer form, copied.
func readReviewerForm(c *fiber.Ctx) (reviewerForm, cms.ReviewerInput) {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	f := reviewerForm{Name: v("name"), Credentials: v("credentials"), Bio: v("bio"), PhotoMediaID: v("photoMediaId"), ProfileURL: v("profileUrl")}
	return f, cms.ReviewerInput{Name: &f.Name, Credentials: &f.Credentials, Bio: &f.Bio, PhotoMediaID: &f.PhotoMediaID, ProfileURL: &f.ProfileURL}
}

// handleReviewerCreateForm adds a reviewer; a bad field re-renders the
// page at 422 with the input kept.
func (a *Admin) handleReviewerCreateForm(c *fiber.Ctx) error {
	f, in := readReviewerForm(c)
	r, err := a.svc.CreateReviewer(c.UserContext(), actor(c), in)
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.reviewersPage(c)
		if perr != nil {
			return perr
		}
		f.Errors = fields
		p.New = f
		return a.render(c, formStatus(c, err), views.Reviewers, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/reviewers", "Added the reviewer “"+r.Name+"”.")
}

// handleReviewerUpdateForm saves a reviewer's edit; "version" (hidden)
// guards against overwriting someone else's change.
func (a *Admin) handleReviewerUpdateForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	f, in := readReviewerForm(c)
	if version, ok := formVersion(c); ok {
		in.Version = &version
	}
	r, err := a.svc.UpdateReviewer(c.UserContext(), actor(c), id, in)
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.reviewersPage(c)
		if perr != nil {
			return perr
		}
		for i := range p.Rows {
			if p.Rows[i].ID == id {
				f.Errors, f.Open = rowFormErrors(err, "reviewer"), true
				p.Rows[i].Form = f
			}
		}
		return a.render(c, formStatus(c, err), views.Reviewers, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/reviewers", "Saved the reviewer “"+r.Name+"”.")
}

// handleReviewerDeleteForm deletes a reviewer named on no post; one
// named on posts stays, and the page says which posts name them.
func (a *Admin) handleReviewerDeleteForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	r, err := a.svc.GetReviewer(c.UserContext(), id)
	if err != nil {
		return err
	}
	err = a.svc.DeleteReviewer(c.UserContext(), actor(c), id)
	if cms.IsKind(err, cms.KindConflict) {
		p, perr := a.reviewersPage(c)
		if perr != nil {
			return perr
		}
		p.Alert = cms.ErrorMessage(err)
		return a.render(c, fiber.StatusConflict, views.Reviewers, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/reviewers", "Deleted the reviewer “"+r.Name+"”.")
}
