package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

// handleRedirectRemoveForm takes one old address (the form's from) off
// post :id at the form's version: one save of the post with the rest of
// its old addresses (cms.UpdatePost). The old address then no longer
// leads to the post.
func (a *Admin) handleRedirectRemoveForm(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	from := strings.Clone(strings.TrimSpace(c.FormValue("from")))
	version, ok := formVersion(c)
	if !ok || version == 0 {
		version = post.Version
	}
	rest := make([]string, 0, len(post.Redirects))
	for _, r := range post.Redirects {
		if r.From != from {
			rest = append(rest, r.From)
		}
	}
	if len(rest) == len(post.Redirects) {
		return a.flashRedirect(c, editorPath(post.ID), "That old address was already removed.")
	}
	msg := "Removed " + from + ": it no longer leads to this post."
	switch _, err := a.svc.UpdatePost(c.UserContext(), actor(c), post.ID, cms.PostInput{Redirects: &rest, Version: &version}); {
	case cms.IsKind(err, cms.KindConflict):
		msg = "Nothing was removed: the post was saved again in another window. Here it is as saved; remove it again if you still want to."
	case err != nil:
		return err
	}
	return a.flashRedirect(c, editorPath(post.ID), msg)
}
