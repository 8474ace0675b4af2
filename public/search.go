package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// maxSearchRawQuery bounds the query string of a search: a longer one is
// refused before it is parsed.
const maxSearchRawQuery = 2048

// handleSearch serves GET /api/v1/search?q=&page=&limit=.
func (a *API) handleSearch(c *fiber.Ctx) error {
	if len(c.Request().URI().QueryString()) > maxSearchRawQuery {
		return cms.Problems{"q": "Must be at most 200 characters."}.Err("public.Search")
	}
	q, err := readmodel.ParseSearchQuery(c.Query("q"), c.Query("page"), c.Query("limit"))
	if err != nil {
		return err
	}
	body, err := a.content.Snapshot().Search(q)
	if err != nil {
		return err
	}
	return a.send(c, body)
}
