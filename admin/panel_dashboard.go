package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// dashboardPage is the data of views/dashboard.html.
type dashboardPage struct {
	page
	*cms.Dashboard
	DraftCount, PublishedCount int
}

// handleDashboard shows drafts, scheduled posts (in her time zone),
// recently published posts and quick links, from one query.
func (a *Admin) handleDashboard(c *fiber.Ctx) error {
	d, err := a.posts.Dashboard(c.UserContext())
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Dashboard, dashboardPage{page: a.newPage(c, "Dashboard", "dashboard"), Dashboard: d,
		DraftCount: d.Counts[cms.StatusDraft], PublishedCount: d.Counts[cms.StatusPublished]})
}
