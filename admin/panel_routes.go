package admin

import "github.com/gofiber/fiber/v2"

// panelRoutes registers the HTML panel on r, the app's "/admin" group,
// after the JSON API: Routes calls it. Static files come first (no
// session, cached for a year); every other panel response is HTML (or JSON
// for a script's fetch), private and never cached, with errors rendered as
// pages by panelErrors. Pages other than set-up and login need a session
// (panelAuth), and unsafe methods the session's CSRF token (panelCSRF).
func (a *Admin) panelRoutes(r fiber.Router) {
	r.Get("/assets/:hash/*", a.handleAsset)

	p := r.Group("", a.panelErrors, a.panelHeaders, a.withTimeout)
	p.Get("/setup", a.handleSetupPage)
	p.Post("/setup", a.sameOrigin, a.handleSetupForm)
	p.Get("/login", a.handleLoginPage)
	p.Post("/login", a.sameOrigin, a.handleLoginForm)
	p.Get("/login/2fa", a.handleLoginCodePage)
	p.Post("/login/2fa", a.sameOrigin, a.handleLoginCodeForm)
	// What an owner who must set up two-factor sign-in may do meanwhile.
	enrolling, csrf := a.panelAuthEnrolling, a.panelCSRF
	p.Get("/account/2fa", enrolling, a.handleTwoFactorPage)
	p.Post("/account/2fa", enrolling, csrf, a.handleTwoFactorForm)
	p.Post("/logout", enrolling, csrf, a.handleLogout)
	p.Post("/logout-everywhere", enrolling, csrf, a.handleLogoutEverywhere)

	authed := p.Group("", a.panelAuth, a.panelCSRF)
	authed.Get("/", a.handleDashboard)
	authed.Get("/account", a.handleAccountPage)
	authed.Post("/account", a.handleAccountForm)
	authed.Post("/account/2fa/recovery-codes", a.handleRecoveryCodesForm)
	authed.Post("/account/2fa/disable", a.handleTwoFactorDisableForm)

	authed.Get("/posts", a.handlePostsPage)
	authed.Post("/posts/bulk-trash", a.handleBulkTrash)
	authed.Get("/trash", a.handleTrashPage)
	authed.Get("/trash/:id/delete", a.handleTrashConfirm)
	authed.Post("/trash/:id/restore", a.handleTrashRestore)
	authed.Post("/trash/:id/delete", a.handleTrashDelete)

	authed.Get("/categories", a.handleCategoriesPage)
	authed.Post("/categories", a.handleCategoryCreateForm)
	authed.Post("/categories/order", a.handleCategoryOrderForm)
	authed.Post("/categories/:id", a.handleCategoryUpdateForm)
	authed.Post("/categories/:id/delete", a.handleCategoryDeleteForm)
	authed.Get("/reviewers", a.handleReviewersPage)
	authed.Post("/reviewers", a.handleReviewerCreateForm)
	authed.Post("/reviewers/:id", a.handleReviewerUpdateForm)
	authed.Post("/reviewers/:id/delete", a.handleReviewerDeleteForm)

	authed.Get("/lists", a.handleListsPage)
	authed.Post("/lists", a.handleListCreateForm)
	authed.Post("/popular", a.handlePopularForm)
	authed.Post("/lists/:id", a.handleListRenameForm)
	authed.Post("/lists/:id/entries", a.handleListEntriesForm)
	authed.Post("/lists/:id/delete", a.handleListDeleteForm)
	authed.Post("/posts/:id/featured", a.handleFeatureForm)

	authed.Get("/media", a.handleMediaPage)
	authed.Post("/media", a.handleMediaUploadForm)
	authed.Post("/media/:id", a.handleMediaAltForm)
	authed.Post("/media/:id/delete", a.handleMediaDeleteForm)

	authed.Get("/citations", a.handleCitationsPage)
	authed.Get("/citations/new", a.handleCitationNewPage)
	authed.Post("/citations", a.handleCitationCreateForm)
	authed.Post("/citations/import", a.handleCitationImportForm)
	authed.Get("/citations/health", a.handleRefHealthPage) // before /citations/:id
	authed.Post("/citations/health/check", a.handleRefCheckForm)
	authed.Get("/citations/:id", a.handleCitationPage)
	authed.Post("/citations/:id", a.handleCitationUpdateForm)
	authed.Post("/citations/:id/delete", a.handleCitationDeleteForm)
	authed.Post("/citations/:id/merge", a.handleCitationMergeForm)

	authed.Get("/quiz", a.handleQuizPage)
	authed.Post("/quiz", a.handleQuizForm)
	authed.Post("/quiz/preview", a.handleQuizPreviewForm)

	authed.Get("/settings", a.handleSettingsPage)
	authed.Post("/settings", a.handleSettingsForm)
	authed.Get("/settings/import-export", a.handleTransferPage)
	authed.Post("/settings/import", a.handleImportUploadForm)
	authed.Post("/settings/import/confirm", a.handleImportConfirmForm)
	authed.Post("/settings/import/discard", a.handleImportDiscardForm)
	authed.Get("/settings/import/status", a.handleImportStatus)
	authed.Post("/settings/export", a.handleExport)
	authed.Post("/settings/content-keys", a.handleContentKeyCreateForm)
	authed.Post("/settings/content-keys/:id/revoke", a.handleContentKeyRevokeForm)
	authed.Get("/settings/webhooks", a.handleWebhooksPage)
	authed.Post("/settings/webhooks", a.handleWebhookCreateForm)
	authed.Get("/settings/webhooks/:id", a.handleWebhookPage)
	authed.Post("/settings/webhooks/:id", a.handleWebhookUpdateForm)
	authed.Post("/settings/webhooks/:id/rotate", a.handleWebhookRotateForm)
	authed.Post("/settings/webhooks/:id/test", a.handleWebhookTestForm)
	authed.Post("/settings/webhooks/:id/delete", a.handleWebhookDeleteForm)
	authed.Post("/settings/webhooks/:id/messages/:message/redeliver", a.handleWebhookRedeliverForm)

	authed.Get("/users", a.handleUsersPage)
	authed.Post("/users", a.handleUserCreateForm)
	authed.Post("/users/:id", a.handleUserRoleForm)
	authed.Post("/users/:id/delete", a.handleUserDeleteForm)

	// The post editor: /posts/new, /posts/:id and below, /preview.
	a.editorRoutes(authed)

	// Anything else under /admin, for a logged-in user: a 404 page.
	authed.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
}
