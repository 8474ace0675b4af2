// Package views holds the admin panel's html/template files (and the
// API docs page's), embedded into
// the binary. Each page is rendered inside layout.html; the names below
// are the templates' file names without ".html".
package views

import "embed"

// FS holds every template.
//
//go:embed *.html
var FS embed.FS

// Template names.
const (
	Layout         = "layout"          // the frame every page is rendered in
	Error          = "error"           // 403, 404, 500 and the like
	Setup          = "setup"           // first run: create the owner
	Login          = "login"           // email and password
	LoginCode      = "login_2fa"       // the second step: a code from the app or a recovery code
	TwoFactor      = "two_factor"      // set up two-factor sign-in; recovery codes shown once
	Dashboard      = "dashboard"       // drafts, scheduled, recently published
	Posts          = "posts"           // the posts list
	Trash          = "trash"           // trashed posts
	TrashConfirm   = "trash_confirm"   // "delete forever?"
	Categories     = "categories"      // create, rename, reorder, delete
	Reviewers      = "reviewers"       // the medical reviewers: add, edit, delete
	Settings       = "settings"        // site, author, call to action, CORS
	ImportExport   = "import_export"   // WordPress import (dry run, confirm, progress) and the export download
	Users          = "users"           // owners manage users
	Webhooks       = "webhooks"        // webhook endpoints and the form to add one
	Webhook        = "webhook"         // one endpoint: its secret once, its form, its delivery log
	Account        = "account"         // change password, log out everywhere
	Media          = "media"           // the media library
	Citations      = "citations"       // the reference library and the import box
	Citation       = "citation"        // add or edit one reference, its citing posts, delete, merge
	CitationImport = "citation_import" // several imported references, to save each
	RefHealth      = "ref_health"      // reference health: what the checker found, "Check now"
	Lists          = "lists"           // featured and curated lists, popular pins and exclusions
	Quiz           = "quiz"            // the Nap Quiz: questions, bands, results, and "try it"
	QuizResult     = "quiz_result"     // the "try it" result alone, for htmx
	// APIDocs is the public API docs page at /api/docs: a page of its own,
	// not rendered in layout.html.
	APIDocs = "api_docs"
)
