package public

import "github.com/gofiber/fiber/v2"

// Routes registers the whole public API on r, the app's "/api/v1" group.
func (a *API) Routes(r fiber.Router) {
	r.Use(a.middleware)

	// The API's description is public even when content needs a key: it
	// tells a developer how to send one.
	r.Get("/openapi.json", a.handleOpenAPI)
	r.Use(a.contentKey)
	r.Get("/site", a.handleSite)
	r.Get("/posts", a.handlePostList)
	r.Get("/posts/:slug", a.handlePost)
	r.Get("/preview", a.handlePreview)
	r.Get("/redirects", a.handleRedirects)
	r.Post("/posts/:slug/views", a.handleView)
	r.Get("/lists", a.handleLists)
	r.Get("/lists/:slug", a.handleList)
	r.Get("/categories", a.handleCategoryList)
	r.Get("/categories/:slug", a.handleCategory)
	r.Get("/citations/:key", a.handleCitation)
	r.Get("/search", a.handleSearch)
	r.Get("/quizzes/:slug", a.handleQuiz)
	r.Post("/quizzes/:slug/answers", a.handleQuizAnswers)

	r.Use(a.handleNotFound)
}
