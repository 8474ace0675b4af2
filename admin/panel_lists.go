package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The lists screen: the featured list and her other curated lists, each
// reordered by drag and drop (assets/static/js/lists.js) or with up/down
// buttons, posts added by a title search and removed, each with an
// optional time window; and the popular list's pins and exclusions.
//
// Each list's entries are one form: the posts' ids in order and their
// windows. Every button of the list (save, move, remove, add) submits the
// whole form, so an edit in progress (a drag, a date) is never lost; the
// form carries the version it was made from, and a stale one is shown
// again with her order kept, to save over the other change.

// Limits of the lists screen.
const (
	listSearchResults = 10 // posts a title search offers
	maxFormEntries    = cms.MaxListEntries + 1
)

// listsPage is the data of views/lists.html.
type listsPage struct {
	page
	Lists   []listView
	New     listForm // the create form
	Popular popularState
	// Search is the title search of one list's "add a post" box (or of
	// the popular list's pins: ListID "popular").
	Search listSearch
	Alert  string
	Script bool
}

// listView is one list on the screen.
type listView struct {
	*cms.List
	Entries  []entryView // her order (or her unsaved order, after a failure)
	Version  int         // the version the entries form is made from
	Rename   listForm
	Alert    string // a failure of this list's entries form
	Featured bool
}

// entryView is one entry of a list.
type entryView struct {
	PostID     string
	Title      string
	Slug       string
	Status     string // the post's status, "trashed", or "" for a deleted post
	Public     bool
	Start, End string // datetime-local values in UTC; the script shows them in her zone
	StartUTC   string // RFC 3339, for the script
	EndUTC     string
	Ended      bool // the window closed
	Upcoming   bool // the window opens later
	Errors     map[string]string
	First      bool
	Last       bool
}

// listForm is a create or rename form.
type listForm struct {
	Name, Slug string
	Errors     map[string]string
	Open       bool
}

// listSearch is an "add a post" search and its results.
type listSearch struct {
	ListID  string
	Q       string
	Results []*cms.Post
	Done    bool // a search ran (so "nothing found" can be said)
}

// handleListsPage shows the lists screen; ?list=<id>&q= runs the "add a
// post" search of one list (list=popular: the pins of the popular list).
func (a *Admin) handleListsPage(c *fiber.Ctx) error {
	p, err := a.listsPage(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Lists, p)
}

func (a *Admin) listsPage(c *fiber.Ctx) (*listsPage, error) {
	ctx := c.UserContext()
	lists, err := a.svc.ListLists(ctx)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, l := range lists {
		for _, e := range l.Entries {
			ids = append(ids, e.PostID)
		}
	}
	pop, err := a.popular(c)
	if err != nil {
		return nil, err
	}
	posts, err := a.posts.Posts(ctx, ids)
	if err != nil {
		return nil, err
	}
	p := &listsPage{page: a.newPage(c, "Lists", "lists"), Popular: *pop, Script: true}
	now := a.now()
	for _, l := range lists {
		p.Lists = append(p.Lists, listView{List: l, Version: l.Version, Featured: l.Slug == cms.FeaturedSlug,
			Entries: entryViews(l.Entries, posts, now, nil), Rename: listForm{Name: l.Name, Slug: l.Slug}})
	}
	if q := strings.TrimSpace(c.Query("q")); q != "" {
		p.Search = listSearch{ListID: strings.Clone(c.Query("list")), Q: strings.Clone(q), Done: true}
		f := cms.PostFilter{Query: p.Search.Q, Limit: listSearchResults, Sort: cms.SortTitle}
		if p.Search.ListID == cms.PopularSlug {
			f.Status = cms.StatusPublished
		}
		if err := f.Normalise(); err == nil {
			if p.Search.Results, _, err = a.posts.List(ctx, f); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// entryViews describes entries with their posts; errs are the problems of
// a failed save, keyed entries[i].field.
func entryViews(entries []cms.ListEntry, posts map[string]*cms.Post, now time.Time, errs map[string]string) []entryView {
	out := make([]entryView, len(entries))
	for i, e := range entries {
		v := entryView{PostID: e.PostID, Title: "(a deleted post)", Start: scheduleValue(e.Start), End: scheduleValue(e.End),
			StartUTC: isoUTC(e.Start), EndUTC: isoUTC(e.End), Ended: !e.End.IsZero() && !now.Before(e.End),
			Upcoming: !e.Start.IsZero() && now.Before(e.Start),
			First:    i == 0, Last: i == len(entries)-1, Errors: map[string]string{}}
		if p := posts[e.PostID]; p != nil {
			v.Title, v.Slug, v.Status, v.Public = p.Title, p.Slug, string(p.Status), p.Public()
			if p.Title == "" {
				v.Title = "(untitled)"
			}
			if p.Trashed() {
				v.Status = "trashed"
			}
		}
		prefix := "entries[" + strconv.Itoa(i) + "]."
		for k, msg := range errs {
			if f, ok := strings.CutPrefix(k, prefix); ok {
				v.Errors[f] = msg
			}
		}
		out[i] = v
	}
	return out
}

// readEntriesForm reads a list's entries form: postId, start, end,
// startTz and endTz, repeated in order. Bad times are problems named
// entries[i].start or .end.
func readEntriesForm(c *fiber.Ctx, pr cms.Problems) []cms.ListEntry {
	ids := formValues(c, "postId")
	if len(ids) > maxFormEntries {
		pr.Add("entries", "A list holds at most "+strconv.Itoa(cms.MaxListEntries)+" posts.")
		return nil
	}
	starts, ends := formValues(c, "start"), formValues(c, "end")
	startTz, endTz := formValues(c, "startTz"), formValues(c, "endTz")
	at := func(s []string, i int) string {
		if i < len(s) {
			return strings.TrimSpace(s[i])
		}
		return ""
	}
	out := make([]cms.ListEntry, len(ids))
	for i, id := range ids {
		f := "entries[" + strconv.Itoa(i) + "]"
		out[i].PostID = id
		var err error
		if out[i].Start, err = localToUTC(at(starts, i), at(startTz, i)); err != nil {
			pr.Add(f+".start", err.Error())
		}
		if out[i].End, err = localToUTC(at(ends, i), at(endTz, i)); err != nil {
			pr.Add(f+".end", err.Error())
		}
	}
	return out
}

// localError is a message about a date-time input, for people.
type localError string

func (e localError) Error() string { return string(e) }

// localToUTC reads a datetime-local value in her time zone: tz is the
// zone's offset at that time in minutes west of UTC (JavaScript's
// getTimezoneOffset, filled in by the script); "" means the value is in
// UTC. A full RFC 3339 time is taken as it is; "" is the zero time.
func localToUTC(value, tz string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t.UTC(), nil
	}
	var at time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if at, err = time.ParseInLocation(layout, value, time.UTC); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, localError("Enter a date and time such as 2030-01-31 09:00.")
	}
	if tz != "" {
		min, err := strconv.Atoi(tz)
		if err != nil || min < -16*60 || min > 16*60 {
			return time.Time{}, localError("The time zone of this time is not valid; reload the page and try again.")
		}
		at = at.Add(time.Duration(min) * time.Minute)
	}
	return at, nil
}

// handleListEntriesForm saves a list's entries form and carries out the
// button pressed ("op"): save, up:<id>, down:<id>, remove:<id> or
// add:<id>.
func (a *Admin) handleListEntriesForm(c *fiber.Ctx) error {
	const op = "admin.listEntries"
	id, err := panelID(c)
	if err != nil {
		return err
	}
	pr := cms.Problems{}
	entries := readEntriesForm(c, pr)
	version, ok := formVersion(c)
	if !ok || version < 1 {
		return invalid(op, "version", "The form has no version; reload the page and try again.")
	}
	action, postID, _ := strings.Cut(strings.Clone(c.FormValue("op")), ":")
	i := slices.IndexFunc(entries, func(e cms.ListEntry) bool { return e.PostID == postID })
	msg := "Saved “%s”."
	switch action {
	case "", "save":
	case "up", "down":
		moveAdjacent(entries, i, action == "down")
		msg = "Moved the post " + action + " in “%s”."
	case "remove":
		if i >= 0 {
			entries = slices.Delete(entries, i, i+1)
		}
		msg = "Removed the post from “%s”."
	case "add":
		if !cms.ValidID(postID) {
			return invalid(op, "op", "Choose a post to add.")
		}
		if i < 0 {
			entries = append(entries, cms.ListEntry{PostID: postID})
		}
		msg = "Added the post to “%s”."
	default:
		return invalid(op, "op", "Unknown action.")
	}
	var l *cms.List
	if err = pr.Err(op); err == nil {
		l, err = a.svc.SetListEntries(c.UserContext(), actor(c), id, entries, version)
	}
	if err != nil {
		return a.listFailed(c, id, entries, err)
	}
	return a.flashRedirect(c, panelPrefix+"/lists#list-"+l.ID, strings.Replace(msg, "%s", l.Name, 1))
}

// listFailed re-renders the screen after a failed save of list id's
// entries: her entries stay in the form; a stale version shows the
// stored version's number, so that saving again replaces the other change.
func (a *Admin) listFailed(c *fiber.Ctx, id string, entries []cms.ListEntry, err error) error {
	fields := cms.ErrorFields(err)
	if fields == nil {
		return err
	}
	p, perr := a.listsPage(c)
	if perr != nil {
		return perr
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.PostID
	}
	posts, perr := a.posts.Posts(c.UserContext(), ids)
	if perr != nil {
		return perr
	}
	for i := range p.Lists {
		lv := &p.Lists[i]
		if lv.ID != id {
			continue
		}
		lv.Entries = entryViews(entries, posts, a.now(), fields)
		switch {
		case isStale(err):
			lv.Alert = "Someone else changed this list since you opened the page. Your order and dates are still shown: save again to replace their change, or reload the page to see theirs."
		default:
			lv.Alert = "Nothing was saved: please check the entries marked below."
			if msg, ok := fields["entries"]; ok {
				lv.Alert = msg
			}
			for k, msg := range fields {
				if strings.HasSuffix(k, ".postId") {
					lv.Alert = "Nothing was saved: " + strings.ToLower(msg[:1]) + msg[1:] + " Reload the page and try again."
				}
			}
		}
	}
	return a.render(c, formStatus(c, err), views.Lists, p)
}

// readListForm reads a create or rename form, copied.
func readListForm(c *fiber.Ctx) (listForm, cms.ListInput) {
	f := listForm{Name: strings.TrimSpace(c.FormValue("name")), Slug: strings.TrimSpace(c.FormValue("slug"))}
	return f, cms.ListInput{Name: &f.Name, Slug: &f.Slug}
}

// handleListCreateForm creates a list; a bad name or slug re-renders the
// screen at 422 with her input.
func (a *Admin) handleListCreateForm(c *fiber.Ctx) error {
	f, in := readListForm(c)
	l, err := a.svc.CreateList(c.UserContext(), actor(c), in)
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.listsPage(c)
		if perr != nil {
			return perr
		}
		f.Errors = fields
		p.New = f
		return a.render(c, formStatus(c, err), views.Lists, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/lists#list-"+l.ID, "Added the list “"+l.Name+"”.")
}

// handleListRenameForm renames a list (the featured list keeps its slug).
func (a *Admin) handleListRenameForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	f, in := readListForm(c)
	if version, ok := formVersion(c); ok {
		in.Version = &version
	}
	l, err := a.svc.RenameList(c.UserContext(), actor(c), id, in)
	if fields := cms.ErrorFields(err); fields != nil {
		p, perr := a.listsPage(c)
		if perr != nil {
			return perr
		}
		for i := range p.Lists {
			if p.Lists[i].ID == id {
				f.Errors, f.Open = rowFormErrors(err, "list"), true
				p.Lists[i].Rename = f
			}
		}
		return a.render(c, formStatus(c, err), views.Lists, p)
	}
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/lists#list-"+l.ID, "Renamed the list “"+l.Name+"”.")
}

// handleListDeleteForm deletes a list (not the featured one).
func (a *Admin) handleListDeleteForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	l, err := a.svc.GetList(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteList(c.UserContext(), actor(c), id); err != nil {
		if msg, ok := cms.ErrorFields(err)["id"]; ok {
			return a.flashRedirect(c, panelPrefix+"/lists", msg)
		}
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/lists", "Deleted the list “"+l.Name+"”. Its posts are still there.")
}

// handleFeatureForm adds post :id to the featured list (featured=1) or
// takes it off (featured=0), then goes back to "return" (the posts list).
func (a *Admin) handleFeatureForm(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	back := localNext(c.FormValue("return"))
	if !strings.HasPrefix(back, panelPrefix+"/posts") {
		back = panelPrefix + "/posts"
	}
	on := c.FormValue("featured") == "1"
	if err := a.setFeatured(c.UserContext(), actor(c), post.ID, on); err != nil {
		return err
	}
	msg := "Took “" + post.Title + "” off the featured list."
	if on {
		msg = "Added “" + post.Title + "” to the featured list."
		if !post.Public() {
			msg += " It shows there once it is published."
		}
	}
	return a.flashRedirect(c, back, msg)
}

// setFeatured puts post id on the featured list or takes it off.
func (a *Admin) setFeatured(ctx context.Context, u *cms.User, id string, on bool) error {
	f, err := a.svc.FeaturedList(ctx)
	if err != nil {
		return err
	}
	if on {
		_, err = a.svc.AddToList(ctx, u, f.ID, id, time.Time{}, time.Time{})
	} else {
		_, err = a.svc.RemoveFromList(ctx, u, f.ID, id)
	}
	return err
}

// featuredSet returns the ids of the posts on the featured list.
func (a *Admin) featuredSet(ctx context.Context) (map[string]bool, error) {
	f, err := a.svc.FeaturedList(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(f.Entries))
	for _, e := range f.Entries {
		out[e.PostID] = true
	}
	return out, nil
}
