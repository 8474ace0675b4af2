package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// Routes registers the admin surface on r, the app's "/admin" group: the
// JSON API under /api/v1 (every response JSON, errors problem+json,
// nothing cached) and the HTML panel (panel_routes.go).
func (a *Admin) Routes(r fiber.Router) {
	api := r.Group("/api/v1", a.handleErrors, a.noStore, a.withTimeout)
	auth, body := a.authenticate, a.requireJSON

	// An owner who must set up two-factor sign-in first (a site setting)
	// can reach only these routes (enrolling); auth refuses the rest.
	enrolling := a.authenticateEnrolling
	api.Get("/openapi.json", a.handleOpenAPI) // no session: it holds no data
	api.Post("/setup", body, a.handleSetup)
	api.Post("/session", body, a.handleSessionCreate)
	api.Post("/session/2fa", body, a.handleSessionTwoFactor)
	api.Delete("/session", enrolling, a.handleSessionDelete)
	api.Delete("/sessions", enrolling, a.handleSessionsDelete)
	api.Get("/me", enrolling, a.handleMe)
	api.Put("/me/password", auth, body, a.handleMePassword)
	api.Get("/me/2fa", enrolling, a.handleTwoFactorGet)
	api.Post("/me/2fa/setup", enrolling, a.handleTwoFactorSetup)
	api.Post("/me/2fa", enrolling, body, a.handleTwoFactorConfirm)
	api.Post("/me/2fa/disable", auth, body, a.handleTwoFactorDisable)
	api.Post("/me/2fa/recovery-codes", auth, body, a.handleRecoveryCodes)

	api.Get("/posts", auth, a.handlePostList)
	api.Post("/posts", auth, body, a.handlePostCreate)
	api.Get("/posts/:id", auth, a.handlePostGet)
	api.Patch("/posts/:id", auth, body, a.handlePostUpdate)
	api.Delete("/posts/:id", auth, a.handlePostDelete)
	api.Post("/posts/:id/publish", auth, body, a.handlePostPublish)
	api.Post("/posts/:id/unpublish", auth, body, a.handlePostAction(a.svc.UnpublishPost))
	api.Post("/posts/:id/archive", auth, body, a.handlePostAction(a.svc.ArchivePost))
	api.Post("/posts/:id/trash", auth, body, a.handlePostAction(a.svc.TrashPost))
	api.Post("/posts/:id/restore", auth, body, a.handlePostAction(a.svc.RestorePost))
	api.Post("/posts/:id/schedule", auth, body, a.handlePostSchedule)
	api.Get("/posts/:id/pending", auth, a.handlePendingGet)
	api.Put("/posts/:id/pending", auth, body, a.handlePendingPut)
	api.Post("/posts/:id/pending/publish", auth, body, a.handlePendingPublish)
	api.Post("/posts/:id/pending/restore", auth, body, a.handlePendingRestore)
	api.Delete("/posts/:id/pending", auth, a.handlePendingDelete)
	api.Post("/posts/:id/preview-token", auth, a.handlePreviewToken)
	api.Get("/posts/:id/revisions", auth, a.handleRevisionList)
	api.Get("/posts/:id/revisions/:rid", auth, a.handleRevisionGet)
	api.Post("/posts/:id/revisions/:rid/restore", auth, body, a.handleRevisionRestore)

	api.Get("/categories", auth, a.handleCategoryList)
	api.Post("/categories", auth, body, a.handleCategoryCreate)
	api.Put("/categories/order", auth, body, a.handleCategoryOrder)
	api.Get("/categories/:id", auth, a.handleCategoryGet)
	api.Patch("/categories/:id", auth, body, a.handleCategoryUpdate)
	api.Delete("/categories/:id", auth, a.handleCategoryDelete)

	api.Get("/reviewers", auth, a.handleReviewerList)
	api.Post("/reviewers", auth, body, a.handleReviewerCreate)
	api.Get("/reviewers/:id", auth, a.handleReviewerGet)
	api.Patch("/reviewers/:id", auth, body, a.handleReviewerUpdate)
	api.Delete("/reviewers/:id", auth, a.handleReviewerDelete)

	api.Get("/media", auth, a.handleMediaList)
	api.Post("/media", auth, a.handleMediaUpload) // multipart: the app's larger BodyLimit applies
	api.Get("/media/:id", auth, a.handleMediaGet)
	api.Patch("/media/:id", auth, body, a.handleMediaUpdate)
	api.Delete("/media/:id", auth, a.handleMediaDelete)

	api.Get("/citations", auth, a.handleCitationList)
	api.Post("/citations", auth, body, a.handleCitationCreate)
	api.Post("/citations/parse", auth, body, a.handleCitationParse)
	api.Post("/citations/check", auth, body, a.handleCitationCheck)
	api.Get("/citations/:id", auth, a.handleCitationGet)
	api.Patch("/citations/:id", auth, body, a.handleCitationUpdate)
	api.Put("/citations/:id", auth, body, a.handleCitationUpdate)
	api.Delete("/citations/:id", auth, a.handleCitationDelete)
	api.Post("/citations/:id/merge", auth, body, a.handleCitationMerge)

	api.Get("/lists", auth, a.handleListList)
	api.Post("/lists", auth, body, a.handleListCreate)
	api.Put("/lists/featured/posts/:postId", auth, body, a.handleFeatureAdd)
	api.Delete("/lists/featured/posts/:postId", auth, a.handleFeatureRemove)
	api.Get("/lists/:id", auth, a.handleListGet)
	api.Patch("/lists/:id", auth, body, a.handleListRename)
	api.Put("/lists/:id", auth, body, a.handleListEntries)
	api.Delete("/lists/:id", auth, a.handleListDelete)
	api.Get("/popular", auth, a.handlePopularGet)
	api.Put("/popular", auth, body, a.handlePopularSet)
	api.Get("/posts/:id/views", auth, a.handlePostViews)

	api.Get("/quizzes/:slug", auth, a.handleQuizGet)
	api.Put("/quizzes/:slug", auth, body, a.handleQuizUpdate)
	api.Get("/quizzes/:slug/stats", auth, a.handleQuizStats)
	api.Post("/quizzes/:slug/preview", auth, body, a.handleQuizPreview)

	api.Get("/settings", auth, a.handleSettingsGet)
	api.Put("/settings", auth, body, a.handleSettingsUpdate)
	api.Get("/content-keys", auth, a.handleContentKeyList)
	api.Post("/content-keys", auth, body, a.handleContentKeyCreate)
	api.Delete("/content-keys/:id", auth, a.handleContentKeyRevoke)
	api.Get("/webhooks", auth, a.handleWebhookList)
	api.Post("/webhooks", auth, body, a.handleWebhookCreate)
	api.Get("/webhooks/disabled", auth, a.handleWebhookDisabled)
	api.Get("/webhooks/:id", auth, a.handleWebhookGet)
	api.Patch("/webhooks/:id", auth, body, a.handleWebhookUpdate)
	api.Delete("/webhooks/:id", auth, a.handleWebhookDelete)
	api.Post("/webhooks/:id/rotate-secret", auth, a.handleWebhookRotate)
	api.Post("/webhooks/:id/test", auth, a.handleWebhookTest)
	api.Get("/webhooks/:id/deliveries", auth, a.handleWebhookDeliveries)
	api.Get("/webhooks/:id/messages/:messageId", auth, a.handleWebhookMessage)
	api.Post("/webhooks/:id/messages/:messageId/redeliver", auth, a.handleWebhookRedeliver)

	api.Post("/import/wordpress", auth, a.handleImportWordPress) // multipart: see LargeRequest
	api.Get("/import", auth, a.handleImportStatus)
	api.Get("/export", auth, a.handleExport)

	api.Get("/users", auth, a.handleUserList)
	api.Post("/users", auth, body, a.handleUserCreate)
	api.Patch("/users/:id", auth, body, a.handleUserUpdate)
	api.Delete("/users/:id", auth, a.handleUserDelete)
	api.Post("/users/:id/password", auth, body, a.handleUserPassword)
	api.Delete("/users/:id/2fa", auth, a.handleUserTwoFactorReset)

	api.Use(a.handleNotFound)

	// The HTML panel: after the API, whose group answers every /api/v1 path.
	a.panelRoutes(r)
}

// noStore keeps every admin response out of caches.
func (a *Admin) noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// withTimeout bounds the time cms may spend on the request; handlers pass
// c.UserContext() on.
func (a *Admin) withTimeout(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), a.timeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// handleNotFound answers any path under /api/v1 that no route took (any
// method: 404 rather than 405, so the surface need not be enumerated).
func (a *Admin) handleNotFound(*fiber.Ctx) error { return fiber.ErrNotFound }
