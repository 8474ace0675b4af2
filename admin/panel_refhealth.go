package admin

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The "Reference health" screen: every reference with a DOI or a web
// address, with what the checker found (a status badge and its notice as
// text, the date of the check) and the posts citing it; those whose
// status changed in the last week come first, then those that need
// attention, worst first (cms.Service.ReferenceHealth). ?status= filters.
// "Check now" asks for a check of every reference at once: the checker
// runs in the background at its polite pace, so the request returns at
// once and the page says how long the check takes.

const refHealthPath = citationsPath + "/health"

// refHealthWeek is how far back "changed recently" looks.
const refHealthWeek = 7 * 24 * time.Hour

// Filters of the screen besides the statuses themselves.
const (
	filterAttention = "attention" // not ok
	filterChanged   = "changed"   // changed in the last week
)

// refHealthPage is the data of views/ref_health.html.
type refHealthPage struct {
	page
	Enabled   bool // the checker runs on this server
	CanCheck  bool // she may press "Check now"
	Filter    string
	Filters   []healthFilter
	Rows      []refHealthRow // those the filter keeps
	Total     int            // references with a DOI or web address
	Changed   int            // of them, changed in the last week
	Attention int            // of them, not ok
	// LastCheckedAt is the latest completed check; Requested the last
	// "Check now" (zero: none).
	LastCheckedAt, Requested time.Time
	CheckMinutes             int // about how long a full check takes
}

// healthFilter is one choice of the status filter, with how many
// references it keeps.
type healthFilter struct {
	Value, Label string
	Count        int
}

// refHealthRow is one reference of the screen.
type refHealthRow struct {
	ID, Key   string
	Formatted template.HTML
	Health    healthView
	Changed   bool         // its status changed in the last week
	Posts     []citingPost // the posts citing it (not trashed)
}

// keeps reports whether filter keeps row.
func (r refHealthRow) keeps(filter string) bool {
	switch filter {
	case "":
		return true
	case filterAttention:
		return r.Health.Attention()
	case filterChanged:
		return r.Changed
	}
	return r.Health.Status == filter
}

// healthFilters are the filter's choices, in the order shown.
var healthFilters = []healthFilter{
	{"", "All", 0}, {filterChanged, "Changed this week", 0}, {filterAttention, "Needs attention", 0},
	{string(cms.HealthRetracted), healthLabels[cms.HealthRetracted], 0},
	{string(cms.HealthWithdrawn), healthLabels[cms.HealthWithdrawn], 0},
	{string(cms.HealthConcern), healthLabels[cms.HealthConcern], 0},
	{string(cms.HealthCorrected), healthLabels[cms.HealthCorrected], 0},
	{string(cms.HealthBroken), healthLabels[cms.HealthBroken], 0},
	{string(cms.HealthArchived), healthLabels[cms.HealthArchived], 0},
	{string(cms.HealthOK), healthLabels[cms.HealthOK], 0},
	{healthUnchecked, "Not checked yet", 0},
}

// handleRefHealthPage shows the screen; an unknown ?status= is a 400.
func (a *Admin) handleRefHealthPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	filter := strings.Clone(c.Query("status"))
	known := false
	for _, f := range healthFilters {
		known = known || f.Value == filter
	}
	if !known {
		return invalid("admin.refHealth", "status", "Choose one of the filters shown.")
	}
	rep, err := a.svc.ReferenceHealth(ctx, a.now().Add(-refHealthWeek))
	if err != nil {
		return err
	}
	style, err := a.siteStyle(ctx)
	if err != nil {
		return err
	}
	p := refHealthPage{page: a.newPage(c, "Reference health", "refhealth"), Enabled: rep.Enabled, Filter: filter,
		LastCheckedAt: rep.LastCheckedAt, Requested: rep.Requested, Total: len(rep.Items)}
	p.CanCheck = p.User.CanManageSettings() && rep.Enabled
	// At the checker's default pace (one request a second to each
	// service), a reference costs about a second.
	p.CheckMinutes = max(1, (p.Total+59)/60)
	cited, err := a.citedBy(c, rep.Items)
	if err != nil {
		return err
	}
	all := make([]refHealthRow, 0, len(rep.Items))
	for _, it := range rep.Items {
		row := refHealthRow{ID: it.Citation.ID, Key: it.Citation.Key, Formatted: formatted(it.Citation, style),
			Health: newHealthView(it.Health), Changed: it.Changed, Posts: cited[it.Citation.ID]}
		all = append(all, row)
		if row.Changed {
			p.Changed++
		}
		if row.Health.Attention() {
			p.Attention++
		}
	}
	for _, f := range healthFilters {
		for _, r := range all {
			if r.keeps(f.Value) {
				f.Count++
			}
			if f.Value == filter && r.keeps(filter) {
				p.Rows = append(p.Rows, r)
			}
		}
		p.Filters = append(p.Filters, f)
	}
	return a.render(c, fiber.StatusOK, views.RefHealth, p)
}

// citedBy returns, by citation id, the posts (not trashed) citing each
// of items: one scan of the posts.
func (a *Admin) citedBy(c *fiber.Ctx, items []cms.ReferenceHealthItem) (map[string][]citingPost, error) {
	out := map[string][]citingPost{}
	if len(items) == 0 {
		return out, nil
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Citation.ID
	}
	posts, err := a.svc.CitingPosts(c.UserContext(), ids)
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		if p.Trashed() {
			continue
		}
		for _, id := range p.References {
			out[id] = append(out[id], citingPost{ID: p.ID, Title: p.Title})
		}
	}
	return out, nil
}

// handleRefCheckForm is "Check now": it asks for every reference to be
// checked at once and goes back to the screen, which says how long that
// takes. The check runs in the background (cms.RequestReferenceCheck
// returns at once).
func (a *Admin) handleRefCheckForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if !a.svc.ReferenceChecksEnabled() {
		return a.flashRedirect(c, refHealthPath, "Reference checks are off on this server: whoever runs it can turn them on (see the documentation on reference health).")
	}
	if err := a.svc.RequestReferenceCheck(ctx, actor(c)); err != nil {
		return err
	}
	return a.flashRedirect(c, refHealthPath, "Checking started. It runs in the background at a polite pace, about one reference a second, "+
		"so a large library takes a while: reload this page to see the results as they come in.")
}
