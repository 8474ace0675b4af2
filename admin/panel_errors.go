package admin

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/problem"
	"github.com/lullabycms/lullaby/views"
)

// errorPage is the data of views/error.html.
type errorPage struct {
	page
	Status  int
	Message string
}

// panelErrors is the first middleware of the panel: any error (or panic)
// from what follows becomes an HTML error page, or the API's problem+json
// for a script's fetch. Forms that fail validation do not come here: their
// handlers re-render the form (formStatus).
func (a *Admin) panelErrors(c *fiber.Ctx) error { return catch(c, a.panelError) }

// panelError is the panel's one error writer: err with the status of its
// kind (problemOf, as the API) and a message safe to show, as a page, or
// as problem+json when a script asked for JSON.
func (a *Admin) panelError(c *fiber.Ctx, err error) error {
	p := a.problemOf(c, err, "admin panel")
	var fe *fiber.Error
	switch {
	case p.Status == fiber.StatusInternalServerError:
		p.Detail = "Something went wrong on our side. Please try again; if it keeps happening, tell whoever runs this site."
	case errors.As(err, &fe) && fe.Code == fiber.StatusNotFound:
		p.Detail = "There is no such page. It may have been moved or deleted."
	}
	if wantsJSON(c) {
		return sendProblem(c, err, p)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := errorPage{page: a.newPage(c, errorTitle(p.Status), ""), Status: p.Status, Message: p.Detail}
	var buf bytes.Buffer
	if rerr := a.renderView(&buf, views.Error, data, views.Layout); rerr != nil {
		a.log.ErrorContext(c.UserContext(), "admin panel: cannot render the error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(p.Status).SendString(http.StatusText(p.Status) + ": " + p.Detail)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(p.Status).Send(buf.Bytes())
}

// refused reports whether err is a refusal the page that was sent can
// show beside the form — invalid input, a conflict, too large — rather
// than a failure for the error page.
func refused(err error) bool {
	switch cms.ErrorKind(err) {
	case cms.KindInvalid, cms.KindConflict, cms.KindTooLarge:
		return err != nil
	}
	return false
}

// conflictOn reports whether err is a conflict over field: a stale
// "version" (someone saved since), a taken "slug" or "doi".
func conflictOn(err error, field string) bool {
	_, ok := cms.ErrorFields(err)[field]
	return ok && cms.IsKind(err, cms.KindConflict)
}

// formStatus is the status of a page re-rendered for err, a form with
// its fields marked or an alert: 422 for bad input (and for a nil err,
// when the handler's own checks failed), else the status of err's kind
// (problem.StatusOf: 409 for a conflict, 413 for too large, 401, 404,
// 429 with Retry-After).
func formStatus(c *fiber.Ctx, err error) int {
	p := problem.From(err)
	if err == nil || p.Status == fiber.StatusBadRequest {
		return fiber.StatusUnprocessableEntity
	}
	sendRetryAfter(c, p)
	return p.Status
}

// rowFormErrors is what a list screen's failed edit form (a category, a
// list's name, a reviewer) shows: the field errors, or, when someone else
// saved the what since she opened the page, one line saying so. The page
// shows their version; her text stays in the form.
func rowFormErrors(err error, what string) map[string]string {
	if isStale(err) {
		return map[string]string{"": "Someone else changed this " + what + " since you opened the page; it is shown as it is now. Your text is still in the form: save again to replace theirs."}
	}
	return cms.ErrorFields(err)
}

// errorTitle is the heading of the error page for status, in plain words.
func errorTitle(status int) string {
	switch status {
	case fiber.StatusBadRequest:
		return "Something is not right"
	case fiber.StatusUnauthorized:
		return "Please log in"
	case fiber.StatusForbidden:
		return "Not allowed"
	case fiber.StatusNotFound:
		return "Page not found"
	case fiber.StatusConflict:
		return "That could not be done"
	case fiber.StatusRequestEntityTooLarge:
		return "Too large"
	case fiber.StatusTooManyRequests:
		return "Too many attempts"
	case fiber.StatusServiceUnavailable:
		return "Please try again"
	case fiber.StatusInternalServerError:
		return "Something went wrong"
	}
	return http.StatusText(status)
}

// wantsJSON reports whether the request comes from a script that expects
// JSON (fetch with Accept or Content-Type application/json) rather than
// from the browser loading a page or htmx swapping HTML.
func wantsJSON(c *fiber.Ctx) bool {
	if isHTMX(c) {
		return false
	}
	accept := c.Get(fiber.HeaderAccept)
	if strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html") {
		return true
	}
	return isJSONType(c.Get(fiber.HeaderContentType))
}

// panelHeaders marks every panel response as private and uncacheable and
// sets the browser protections: CSP, no framing, no referrer leaks.
func (a *Admin) panelHeaders(c *fiber.Ctx) error {
	setPanelHeaders(c)
	return c.Next()
}

// setPanelHeaders sets the headers of panelHeaders.
func setPanelHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "no-store")
	h.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderReferrerPolicy, "same-origin")
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
}
