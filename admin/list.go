package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The admin API of curated lists, the popular list's pins and exclusions,
// and the daily views of a post.

// listID returns the list named by the :id path parameter: an id, or
// "featured" for the featured list (created on first use).
func (a *Admin) listID(c *fiber.Ctx) (string, error) {
	if c.Params("id") == cms.FeaturedSlug {
		l, err := a.svc.FeaturedList(c.UserContext())
		if err != nil {
			return "", err
		}
		return l.ID, nil
	}
	return pathID(c, "id", "id")
}

// handleListList returns the curated lists, featured first.
func (a *Admin) handleListList(c *fiber.Ctx) error {
	lists, err := a.svc.ListLists(c.UserContext())
	if err != nil {
		return err
	}
	return ok(c, nonNil(lists))
}

// handleListCreate creates an empty list from {"name", "slug"?}: 201.
func (a *Admin) handleListCreate(c *fiber.Ctx) error {
	var in cms.ListInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Version != nil {
		return invalid("admin.createList", "version", "A new list has no version yet.")
	}
	l, err := a.svc.CreateList(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return created(c, l.ID, l)
}

// handleListGet returns one list ("featured" or an id).
func (a *Admin) handleListGet(c *fiber.Ctx) error {
	id, err := a.listID(c)
	if err != nil {
		return err
	}
	l, err := a.svc.GetList(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, l)
}

// handleListRename renames a list: {"name", "slug"?, "version"}.
func (a *Admin) handleListRename(c *fiber.Ctx) error {
	id, err := a.listID(c)
	if err != nil {
		return err
	}
	var in cms.ListInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := a.svc.RenameList(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, l)
}

// handleListDelete deletes a list (not the featured one): 204.
func (a *Admin) handleListDelete(c *fiber.Ctx) error {
	id, err := a.listID(c)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteList(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// entryInput is one entry of PUT /lists/{id}: times are RFC 3339 strings,
// "" or absent for none.
type entryInput struct {
	PostID string `json:"postId"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

type listEntriesRequest struct {
	Entries *[]entryInput `json:"entries"`
	Version *int          `json:"version"`
}

// parseEntryTime reads an entry's start or end, naming field when it is
// not an RFC 3339 time.
func parseEntryTime(pr cms.Problems, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		pr.Add(field, "Must be a date and time such as 2030-01-31T09:00:00Z.")
	}
	return t
}

// handleListEntries replaces a list's entries, in order:
// {"entries": [{"postId", "start"?, "end"?}], "version"}. Unknown or
// repeated post ids are 400 naming entries[i].postId.
func (a *Admin) handleListEntries(c *fiber.Ctx) error {
	const op = "admin.setListEntries"
	id, err := a.listID(c)
	if err != nil {
		return err
	}
	var req listEntriesRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr := cms.Problems{}
	if req.Entries == nil {
		pr.Add("entries", "List every post of the list, in order (an empty array empties it).")
	}
	if req.Version == nil {
		pr.Add("version", "The version of the list this order was made from is required.")
	}
	if err := pr.Err(op); err != nil {
		return err
	}
	entries := make([]cms.ListEntry, len(*req.Entries))
	for i, e := range *req.Entries {
		f := "entries[" + strconv.Itoa(i) + "]"
		entries[i] = cms.ListEntry{PostID: e.PostID, Start: parseEntryTime(pr, f+".start", e.Start), End: parseEntryTime(pr, f+".end", e.End)}
	}
	if err := pr.Err(op); err != nil {
		return err
	}
	l, err := a.svc.SetListEntries(c.UserContext(), actor(c), id, entries, *req.Version)
	if err != nil {
		return err
	}
	return ok(c, l)
}

type featureRequest struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// handleFeatureAdd puts post :postId on the featured list (at the end;
// one already there keeps its place), with an optional
// {"start", "end"} window.
func (a *Admin) handleFeatureAdd(c *fiber.Ctx) error {
	const op = "admin.feature"
	postID, err := pathID(c, "postId", "postId")
	if err != nil {
		return err
	}
	var req featureRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	pr := cms.Problems{}
	start, end := parseEntryTime(pr, "start", req.Start), parseEntryTime(pr, "end", req.End)
	if err := pr.Err(op); err != nil {
		return err
	}
	f, err := a.svc.FeaturedList(c.UserContext())
	if err != nil {
		return err
	}
	l, err := a.svc.AddToList(c.UserContext(), actor(c), f.ID, postID, start, end)
	if err != nil {
		return entryFieldsAs(err, op)
	}
	return ok(c, l)
}

// handleFeatureRemove takes post :postId off the featured list.
func (a *Admin) handleFeatureRemove(c *fiber.Ctx) error {
	postID, err := pathID(c, "postId", "postId")
	if err != nil {
		return err
	}
	f, err := a.svc.FeaturedList(c.UserContext())
	if err != nil {
		return err
	}
	l, err := a.svc.RemoveFromList(c.UserContext(), actor(c), f.ID, postID)
	if err != nil {
		return err
	}
	return ok(c, l)
}

// entryFieldsAs renames the entries[i].postId, .start and .end problems of
// a one-post edit to postId, start and end, the fields the client sent.
func entryFieldsAs(err error, op string) error {
	fields := cms.ErrorFields(err)
	if fields == nil || !cms.IsKind(err, cms.KindInvalid) {
		return err
	}
	pr := cms.Problems{}
	for k, v := range fields {
		if i := strings.LastIndexByte(k, '.'); strings.HasPrefix(k, "entries[") && i > 0 {
			k = k[i+1:]
		}
		pr.Add(k, v)
	}
	return pr.Err(op)
}

// popularView is the body of GET /popular: the pins and exclusions, and
// the list as it stands with view counts.
type popularView struct {
	Pinned   []string      `json:"pinned"`
	Excluded []string      `json:"excluded"`
	Version  int           `json:"version"`
	Window   string        `json:"window"`
	Posts    []popularPost `json:"posts"`
}

// popularPost is one post of the popular list as the admin sees it.
type popularPost struct {
	PostID string `json:"postId"`
	Title  string `json:"title"`
	Views  int64  `json:"views"`
	Pinned bool   `json:"pinned"`
}

// handlePopularGet returns the popular list's settings and its posts.
func (a *Admin) handlePopularGet(c *fiber.Ctx) error {
	pop, err := a.popular(c)
	if err != nil {
		return err
	}
	return ok(c, pop.view())
}

type popularRequest struct {
	Pinned   *[]string `json:"pinned"`
	Excluded *[]string `json:"excluded"`
	Version  *int      `json:"version"`
}

// handlePopularSet replaces the pins (in order; published posts only) and
// exclusions: {"pinned", "excluded", "version"}.
func (a *Admin) handlePopularSet(c *fiber.Ctx) error {
	var req popularRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr := cms.Problems{}
	if req.Pinned == nil {
		pr.Add("pinned", "List the pinned posts, in order (an empty array for none).")
	}
	if req.Excluded == nil {
		pr.Add("excluded", "List the excluded posts (an empty array for none).")
	}
	if req.Version == nil {
		pr.Add("version", "The version of the settings this change was made from is required.")
	}
	if err := pr.Err("admin.setPopular"); err != nil {
		return err
	}
	if _, err := a.svc.SetPopular(c.UserContext(), actor(c), *req.Pinned, *req.Excluded, *req.Version); err != nil {
		return err
	}
	pop, err := a.popular(c)
	if err != nil {
		return err
	}
	return ok(c, pop.view())
}

// handlePostViews returns a post's views per day over ?days= (default 30,
// 1 to 3660), oldest first.
func (a *Admin) handlePostViews(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	days := 30
	if s := c.Query("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return invalid("admin.postViews", "days", "Must be a whole number from 1 to 3660.")
		}
		days = n
	}
	if _, err := a.svc.GetPost(c.UserContext(), id); err != nil {
		return err
	}
	views, err := a.svc.PostViewsByDay(c.UserContext(), id, days)
	if err != nil {
		return err
	}
	return ok(c, views)
}
