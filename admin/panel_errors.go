package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// errorPage is the data of views/error.html.
type errorPage struct {
	page
	Status  int
	Message string
}

// panelErrors is the first middleware of the panel: any error (or panic)
// from what follows becomes an HTML error page, or a small JSON body for a
// script's fetch. Forms that fail validation do not come here: their
// handlers re-render the form at 422.
func (a *Admin) panelErrors(c *fiber.Ctx) error { return catch(c, a.panelError) }

// panelError answers err with the status its kind maps to (kindStatus, as
// the JSON API does) and a message safe to show.
func (a *Admin) panelError(c *fiber.Ctx, err error) error {
	status, msg := fiber.StatusInternalServerError, cms.ErrorMessage(nil)
	var ce *cms.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ce):
		status, msg = kindStatus[ce.Kind], cms.ErrorMessage(err)
	case errors.As(err, &fe):
		status, msg = fe.Code, fe.Message
		switch fe.Code {
		case fiber.StatusNotFound:
			msg = "There is no such page. It may have been moved or deleted."
		case fiber.StatusMethodNotAllowed:
			msg = "This page does not accept the " + c.Method() + " method."
		}
	case errors.Is(err, context.DeadlineExceeded):
		status, msg = fiber.StatusServiceUnavailable, "This took too long; please try again."
	}
	if status < 400 || status > 599 {
		status = fiber.StatusInternalServerError
	}
	switch {
	case status == fiber.StatusInternalServerError:
		msg = "Something went wrong on our side. Please try again; if it keeps happening, tell whoever runs this site."
		a.log.ErrorContext(c.UserContext(), "admin panel error", "err", err, "requestId", requestID(c),
			"method", c.Method(), "path", c.Path())
	case status == fiber.StatusServiceUnavailable:
		a.log.WarnContext(c.UserContext(), "admin panel unavailable", "err", err, "requestId", requestID(c))
	case status == fiber.StatusForbidden && msg == "":
		msg = "You are not allowed to do this."
	}
	if status == fiber.StatusTooManyRequests {
		setRetryAfter(c, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if wantsJSON(c) {
		body, _ := json.Marshal(map[string]any{"status": status, "detail": msg, "errors": cms.ErrorFields(err)})
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Status(status).Send(body)
	}
	data := errorPage{page: a.newPage(c, errorTitle(status), ""), Status: status, Message: msg}
	var buf bytes.Buffer
	if rerr := a.views.Render(&buf, views.Error, data, views.Layout); rerr != nil {
		a.log.ErrorContext(c.UserContext(), "admin panel: cannot render the error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(http.StatusText(status) + ": " + msg)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
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
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "no-store")
	h.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderReferrerPolicy, "same-origin")
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Next()
}
