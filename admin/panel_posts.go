package admin

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// panelPageSize is how many posts a list page shows.
const panelPageSize = 20

// maxBulk bounds how many posts one bulk action may touch.
const maxBulk = 50

// postsPage is the data of views/posts.html and views/trash.html.
type postsPage struct {
	page
	Posts      []postRow
	Total      int
	Pager      pager
	Q          string // the filter as asked, to keep it in the form
	Status     string
	Category   string
	Sort       string
	Categories []*cms.Category
	Errors     map[string]string // bad filter values
	Return     string            // this list's URL, to come back to after a bulk action
	Statuses   []option
	Sorts      []option
	// TextHits are the published posts whose text (not only the title)
	// matches Q, from the public search index, with highlighted snippets.
	TextHits []textHit
}

// postRow is one post in a list, with its category names.
type postRow struct {
	*cms.Post
	CategoryNames []string
	Featured      bool // on the featured list
}

// textHit is one published post found by the full-text search.
type textHit struct {
	ID, Title string
	Snippet   template.HTML // escaped text with <mark>ed words, by cms
}

// textHitsLimit is how many full-text matches the posts list shows.
const textHitsLimit = 10

// option is one choice of a <select>.
type option struct{ Value, Label string }

var (
	statusOptions = []option{{"", "Any status"}, {"draft", "Drafts"}, {"scheduled", "Scheduled"},
		{"published", "Published"}, {"archived", "Archived"}}
	sortOptions = []option{{"updated", "Last edited"}, {"newest", "Newest"}, {"oldest", "Oldest"}, {"title", "Title, A to Z"}}
)

// pager links the pages of a list.
type pager struct {
	Page, TotalPages int
	PrevURL, NextURL string
}

// newPager returns the pager of page (from 1) of total items, linking to
// base with the query q and "page" set.
func newPager(base string, q url.Values, page, total, size int) pager {
	p := pager{Page: page, TotalPages: max(1, (total+size-1)/size)}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		} else {
			v.Del("page")
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if page > 1 {
		p.PrevURL = link(min(page-1, p.TotalPages))
	}
	if page < p.TotalPages {
		p.NextURL = link(page + 1)
	}
	return p
}

// handlePostsPage lists posts: ?q= (title contains), &status=, &category=,
// &sort=, &page=. Bad filter values are named next to the filter and left
// out of the query.
func (a *Admin) handlePostsPage(c *fiber.Ctx) error {
	return a.renderPostList(c, false)
}

// handleTrashPage lists the trash, most recently trashed first.
func (a *Admin) handleTrashPage(c *fiber.Ctx) error {
	return a.renderPostList(c, true)
}

func (a *Admin) renderPostList(c *fiber.Ctx, trashed bool) error {
	base, name, title, nav := panelPrefix+"/posts", views.Posts, "Posts", "posts"
	if trashed {
		base, name, title, nav = panelPrefix+"/trash", views.Trash, "Trash", "trash"
	}
	// newPage once: it takes the flash message and computes the CSRF token.
	p := postsPage{page: a.newPage(c, title, nav), Statuses: statusOptions, Sorts: sortOptions, Errors: map[string]string{}}
	f := cms.PostFilter{Trashed: trashed, Limit: panelPageSize}
	q := url.Values{}
	if !trashed {
		p.Q, p.Status, p.Category, p.Sort = strings.TrimSpace(c.Query("q")), c.Query("status"), c.Query("category"), c.Query("sort")
		f.Query, f.Status, f.CategoryID, f.Sort = p.Q, cms.PostStatus(p.Status), p.Category, cms.PostSort(p.Sort)
		for k, v := range map[string]string{"q": p.Q, "status": p.Status, "category": p.Category, "sort": p.Sort} {
			if v != "" {
				q.Set(k, v)
			}
		}
	}
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			p.Errors["page"] = "Must be a page number."
			n = 1
		}
		f.Page = n
	}
	// Leave out what is wrong, say why, and list the rest.
	for field, msg := range cms.ErrorFields(f.Normalise()) {
		p.Errors[field] = msg
		switch field {
		case "q":
			f.Query = ""
		case "status":
			f.Status = ""
		case "category":
			f.CategoryID = ""
		case "sort":
			f.Sort = cms.SortUpdated
		case "page":
			f.Page = 1
		}
	}
	posts, total, err := a.posts.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	cats, err := a.svc.ListCategories(c.UserContext())
	if err != nil {
		return err
	}
	p.Categories = cats
	names := categoryNames(cats)
	featured, err := a.featuredSet(c.UserContext())
	if err != nil {
		return err
	}
	p.Posts = make([]postRow, len(posts))
	for i, post := range posts {
		row := postRow{Post: post, Featured: featured[post.ID]}
		for _, id := range post.CategoryIDs {
			if n, ok := names[id]; ok {
				row.CategoryNames = append(row.CategoryNames, n)
			}
		}
		p.Posts[i] = row
	}
	p.Total = total
	if !trashed && f.Query != "" && f.Page == 1 {
		p.TextHits = a.textHits(f.Query)
	}
	p.Pager = newPager(base, q, f.Page, total, f.Limit)
	p.Return = base
	if f.Page > 1 {
		q.Set("page", strconv.Itoa(f.Page))
	}
	if len(q) > 0 {
		p.Return += "?" + q.Encode()
	}
	status := fiber.StatusOK
	if len(p.Errors) > 0 {
		status = fiber.StatusBadRequest
	}
	return a.render(c, status, name, p)
}

// textHits runs q through the full-text search of published posts (the
// index behind GET /api/v1/search: stemming, typos, phrases), so that the
// title search also finds published posts by their text. A query the
// search refuses, or a failing index, shows no hits rather than an error.
func (a *Admin) textHits(q string) []textHit {
	rm := a.read
	sq, err := readmodel.ParseSearchQuery(q, "1", strconv.Itoa(textHitsLimit))
	if err != nil {
		return nil
	}
	res, err := rm.Search(sq)
	if err != nil {
		a.log.Warn("posts list: full-text search failed", "err", err)
		return nil
	}
	out := make([]textHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		snippet := h.Highlights.Body
		if snippet == "" {
			snippet = template.HTMLEscapeString(h.Post.Excerpt)
		}
		out = append(out, textHit{ID: h.Post.ID, Title: h.Post.Title, Snippet: template.HTML(snippet)})
	}
	return out
}

// handleBulkTrash moves the posts checked in the list (form field "ids",
// repeated) to the trash and goes back to the list. Public content is
// refreshed once for the lot (cms.Service.TrashPosts), not once per post.
func (a *Admin) handleBulkTrash(c *fiber.Ctx) error {
	back := localNext(c.FormValue("return"))
	if !strings.HasPrefix(back, panelPrefix+"/posts") {
		back = panelPrefix + "/posts"
	}
	ids := formValues(c, "ids")
	if len(ids) == 0 {
		return a.flashRedirect(c, back, "Nothing was moved: tick the posts to move to the trash first.")
	}
	if len(ids) > maxBulk {
		return cms.Errorf(cms.KindInvalid, "admin.bulkTrash", "Select at most %d posts at a time.", maxBulk)
	}
	n, err := a.svc.TrashPosts(c.UserContext(), actor(c), ids)
	if err != nil {
		return err
	}
	msg := "Moved 1 post to the trash."
	if n != 1 {
		msg = "Moved " + strconv.Itoa(n) + " posts to the trash."
	}
	return a.flashRedirect(c, back, msg+" You can restore posts from the trash.")
}

// trashConfirmPage is the data of views/trash_confirm.html.
type trashConfirmPage struct {
	page
	Post *cms.Post
}

// handleTrashConfirm asks "delete forever?" about a trashed post; the
// delete button of the trash list lands here when no script asked first.
func (a *Admin) handleTrashConfirm(c *fiber.Ctx) error {
	post, err := a.trashedPost(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.TrashConfirm, trashConfirmPage{page: a.newPage(c, "Delete forever?", "trash"), Post: post})
}

// handleTrashRestore takes a post out of the trash.
func (a *Admin) handleTrashRestore(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	post, err := a.svc.RestorePost(c.UserContext(), actor(c), id, 0)
	if err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/trash", "Restored “"+post.Title+"” ("+string(post.Status)+").")
}

// handleTrashDelete deletes a trashed post for good, but only with the
// form field confirm=yes (sent by the confirmation page, or by the trash
// list once its script asked); without it, it shows the confirmation page.
func (a *Admin) handleTrashDelete(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return redirect(c, panelPrefix+"/trash/"+id+"/delete")
	}
	post, err := a.svc.GetPost(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := a.svc.DeletePost(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return a.flashRedirect(c, panelPrefix+"/trash", "Deleted “"+post.Title+"” forever.")
}

// trashedPost returns the post of the path's :id if it is in the trash;
// 404 otherwise.
func (a *Admin) trashedPost(c *fiber.Ctx) (*cms.Post, error) {
	post, err := a.panelPost(c)
	if err != nil {
		return nil, err
	}
	if !post.Trashed() {
		return nil, cms.Errorf(cms.KindNotFound, "admin.trash", "This post is not in the trash.")
	}
	return post, nil
}

// categoryNames maps category ids to names.
func categoryNames(cats []*cms.Category) map[string]string {
	names := make(map[string]string, len(cats))
	for _, cat := range cats {
		names[cat.ID] = cat.Name
	}
	return names
}

// panelID returns the path's :id; a malformed one is a 404 page.
func panelID(c *fiber.Ctx) (string, error) {
	id := param(c, "id")
	if !cms.ValidID(id) {
		return "", fiber.ErrNotFound
	}
	return id, nil
}
