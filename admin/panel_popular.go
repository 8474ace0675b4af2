package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// popularState is the popular list as the admin sees it: her pins and
// exclusions, and the list they give with the view counts over the
// default window, as the public API computes it (pins first, then the
// most viewed published posts that are not excluded).
type popularState struct {
	Version     int
	Window      string       // "30d"
	WindowLabel string       // "30 days"
	Rows        []popularRow // the list as it stands
	Pinned      []popularRow // in her order, published or not
	Excluded    []popularRow
	Alert       string
}

// popularRow is one post of the popular section.
type popularRow struct {
	PostID      string
	Title       string
	Status      string
	Public      bool
	Views       int64
	Pinned      bool
	Excluded    bool
	First, Last bool
}

// popularCandidates is how many of the most viewed posts are read to fill
// the list past excluded and unpublished ones.
const popularCandidates = 100

// popular computes the popular section: the settings, the view totals of
// the most viewed posts, and their titles from the post index.
func (a *Admin) popular(c *fiber.Ctx) (*popularState, error) {
	ctx := c.UserContext()
	settings, err := a.svc.PopularSettings(ctx)
	if err != nil {
		return nil, err
	}
	top, err := a.svc.TopPosts(ctx, readmodel.DefaultPopularWindow, popularCandidates)
	if err != nil {
		return nil, err
	}
	views := make(map[string]int64, len(top))
	ids := make([]string, 0, len(top)+len(settings.Entries)+len(settings.Excluded))
	for _, pv := range top {
		views[pv.PostID] = pv.Views
		ids = append(ids, pv.PostID)
	}
	for _, e := range settings.Entries {
		ids = append(ids, e.PostID)
	}
	ids = append(ids, settings.Excluded...)
	posts, err := a.posts.Posts(ctx, ids)
	if err != nil {
		return nil, err
	}
	excluded := map[string]bool{}
	for _, id := range settings.Excluded {
		excluded[id] = true
	}
	pinned := map[string]bool{}
	row := func(id string) popularRow {
		r := popularRow{PostID: id, Title: "(a deleted post)", Views: views[id], Pinned: pinned[id], Excluded: excluded[id]}
		if p := posts[id]; p != nil {
			r.Title, r.Status, r.Public = p.Title, string(p.Status), p.Public()
			if p.Trashed() {
				r.Status = "trashed"
			}
		}
		return r
	}
	s := &popularState{Version: settings.Version, Window: readmodel.DefaultPopularWindow.String(), WindowLabel: strconv.Itoa(int(readmodel.DefaultPopularWindow)) + " days"}
	for _, e := range settings.Entries {
		pinned[e.PostID] = true
	}
	for i, e := range settings.Entries {
		r := row(e.PostID)
		r.First, r.Last = i == 0, i == len(settings.Entries)-1
		s.Pinned = append(s.Pinned, r)
		if r.Public && len(s.Rows) < readmodel.PopularListSize {
			s.Rows = append(s.Rows, r)
		}
	}
	for _, pv := range top {
		if len(s.Rows) >= readmodel.PopularListSize {
			break
		}
		if r := row(pv.PostID); r.Public && !r.Pinned && !r.Excluded {
			s.Rows = append(s.Rows, r)
		}
	}
	for _, id := range settings.Excluded {
		s.Excluded = append(s.Excluded, row(id))
	}
	return s, nil
}

// view is the JSON of the popular section.
func (s *popularState) view() popularView {
	v := popularView{Pinned: []string{}, Excluded: []string{}, Version: s.Version, Window: s.Window, Posts: []popularPost{}}
	for _, r := range s.Pinned {
		v.Pinned = append(v.Pinned, r.PostID)
	}
	for _, r := range s.Excluded {
		v.Excluded = append(v.Excluded, r.PostID)
	}
	for _, r := range s.Rows {
		v.Posts = append(v.Posts, popularPost{PostID: r.PostID, Title: r.Title, Views: r.Views, Pinned: r.Pinned})
	}
	return v
}

// handlePopularForm changes the popular list's pins and exclusions: the
// form carries the current ones ("pinned", "excluded", repeated) and the
// version; the button pressed ("op") is pin:<id>, unpin:<id>, up:<id>,
// down:<id>, exclude:<id> or include:<id>.
func (a *Admin) handlePopularForm(c *fiber.Ctx) error {
	const op = "admin.popular"
	version, ok := formVersion(c)
	if !ok || version < 1 {
		return invalid(op, "version", "The form has no version; reload the page and try again.")
	}
	pinned, excluded := formValues(c, "pinned"), formValues(c, "excluded")
	if len(pinned) > maxFormEntries || len(excluded) > 10*maxFormEntries {
		return invalid(op, "pinned", "Too many posts.")
	}
	action, id, _ := strings.Cut(strings.Clone(c.FormValue("op")), ":")
	if !cms.ValidID(id) {
		return invalid(op, "op", "Choose a post.")
	}
	i := slices.Index(pinned, id)
	var msg string
	switch action {
	case "pin":
		if i < 0 {
			pinned = append(pinned, id)
		}
		excluded = slices.DeleteFunc(excluded, func(s string) bool { return s == id })
		msg = "Pinned the post to the top of the popular list."
	case "unpin":
		if i >= 0 {
			pinned = slices.Delete(pinned, i, i+1)
		}
		msg = "Unpinned the post."
	case "up", "down":
		moveAdjacent(pinned, i, action == "down")
		msg = "Moved the pinned post " + action + "."
	case "exclude":
		if i >= 0 {
			pinned = slices.Delete(pinned, i, i+1)
		}
		if !slices.Contains(excluded, id) {
			excluded = append(excluded, id)
		}
		msg = "The post is kept out of the popular list."
	case "include":
		excluded = slices.DeleteFunc(excluded, func(s string) bool { return s == id })
		msg = "The post can be in the popular list again."
	default:
		return invalid(op, "op", "Unknown action.")
	}
	if _, err := a.svc.SetPopular(c.UserContext(), actor(c), pinned, excluded, version); err != nil {
		fields := cms.ErrorFields(err)
		if fields == nil {
			return err
		}
		p, perr := a.listsPage(c)
		if perr != nil {
			return perr
		}
		p.Popular.Alert = "Nothing was changed: someone else changed the popular list since you opened the page. It is shown as it is now; please try again."
		if !isStale(err) {
			for _, m := range fields {
				p.Popular.Alert = "Nothing was changed: " + m
			}
		}
		return a.render(c, formStatus(c, err), views.Lists, p)
	}
	return a.flashRedirect(c, panelPrefix+"/lists#popular", msg)
}
