package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/public"
)

// newApp builds the one fiber app and registers each surface on its group.
func newApp(cfg *config, log *slog.Logger, adm *admin.Admin, pub *public.API, health fiber.Handler) *fiber.App {
	fc := fiber.Config{
		AppName:               "lullaby",
		BodyLimit:             cfg.BodyLimitMB << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          fallbackErrorHandler(log),
	}
	if len(cfg.TrustedProxies) > 0 {
		fc.EnableTrustedProxyCheck = true
		fc.TrustedProxies = cfg.TrustedProxies
		fc.ProxyHeader = fiber.HeaderXForwardedFor
	}
	app := fiber.New(fc)
	app.Use(recover.New(recover.Config{EnableStackTrace: true}))
	app.Use(requestid.New())
	app.Use(func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		return c.Next()
	})
	app.Get("/healthz", health)
	app.Get("/readyz", health)
	pub.Routes(app.Group("/api/v1"))
	adm.Routes(app.Group("/admin"))
	return app
}

// fallbackErrorHandler answers errors that no surface translated (unknown
// paths outside the APIs, oversized bodies, panics) as problem+json.
func fallbackErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status := http.StatusInternalServerError
		detail := "An internal error occurred."
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status, detail = fe.Code, fe.Message
		}
		if status >= 500 {
			log.Error("request failed", "err", err, "path", c.Path(), "requestId", c.GetRespHeader(fiber.HeaderXRequestID))
			detail = "An internal error occurred."
		}
		body, _ := json.Marshal(map[string]any{
			"type": "urn:lullaby:problem:http-" + strconv.Itoa(status), "title": http.StatusText(status),
			"status": status, "detail": detail, "instance": c.Path(),
			"requestId": c.GetRespHeader(fiber.HeaderXRequestID),
		})
		c.Set(fiber.HeaderContentType, "application/problem+json")
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(status).Send(body)
	}
}
