package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
)

func (a *API) handleLists(c *fiber.Ctx) error {
	return a.send(c, a.content.Snapshot().Lists())
}

// handleList serves a curated list, or the popular list at
// /lists/popular.
func (a *API) handleList(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if len(slug) > maxSlugParam {
		return cms.Errorf(cms.KindNotFound, "public.List", "No list has this slug.")
	}
	body, err := a.content.Snapshot().List(slug)
	if err != nil {
		return err
	}
	return a.send(c, body)
}

// handlePostListPopular serves GET /posts: sort=popular (and a window
// given with any sort) here, every other query by handlePostList.
func (a *API) handlePostListPopular(c *fiber.Ctx) error {
	sort, window := c.Query("sort"), c.Query("window")
	if sort != string(cms.SortPopular) && window == "" {
		return a.handlePostList(c)
	}
	snap := a.content.Snapshot()
	raw := c.Request().URI().QueryString()
	if b := snap.PostsForQuery(raw); b != nil {
		return a.send(c, b)
	}
	q, err := cms.ParsePostQuery(c.Query("page"), c.Query("limit"), c.Query("category"), c.Query("tag"), sort)
	if err != nil {
		return err
	}
	if err := q.SetWindow(window); err != nil {
		return err
	}
	b := snap.Posts(q)
	snap.RememberPostsForQuery(raw, b)
	return a.send(c, b)
}
