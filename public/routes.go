package public

import "github.com/gofiber/fiber/v2"

// Routes registers the whole public API on r, the app's "/api/v1" group.
func (a *API) Routes(r fiber.Router) {
	r.Use(a.middleware)

	r.Get("/openapi.json", a.handleOpenAPI)
	r.Get("/site", a.handleSite)
	r.Get("/posts", a.handlePostList)
	r.Get("/posts/:slug", a.handlePost)
	r.Get("/categories", a.handleCategoryList)
	r.Get("/categories/:slug", a.handleCategory)
	r.Get("/citations/:key", a.handleCitation)

	r.Use(a.handleNotFound)
}
