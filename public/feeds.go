package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// FeedRoutes registers the feeds, the sitemap and robots.txt on r, the
// app's root: /feed.xml (RSS 2.0), /feed.atom, /feed.json (JSON Feed
// 1.1), /categories/{slug}/feed.xml (and .atom, .json), /sitemap.xml and
// /robots.txt. Errors are problem+json, as in the API.
func (a *API) FeedRoutes(r fiber.Router) {
	for format, ext := range map[readmodel.FeedFormat]string{readmodel.FeedRSS: "xml", readmodel.FeedAtom: "atom", readmodel.FeedJSON: "json"} {
		r.Get("/feed."+ext, a.middleware, a.handleFeed(format))
		r.Get("/categories/:slug/feed."+ext, a.middleware, a.handleFeed(format))
	}
	r.Get("/sitemap.xml", a.middleware, a.handleSitemap)
	r.Get("/robots.txt", a.middleware, a.handleRobots)
}

// Content types of the feeds, the sitemap and robots.txt.
var (
	valueRSS      = []byte("application/rss+xml; charset=utf-8")
	valueAtom     = []byte("application/atom+xml; charset=utf-8")
	valueFeedJSON = []byte("application/feed+json; charset=utf-8")
	valueXML      = []byte("application/xml; charset=utf-8")
	valueText     = []byte("text/plain; charset=utf-8")
)

var feedTypes = map[readmodel.FeedFormat][]byte{readmodel.FeedRSS: valueRSS, readmodel.FeedAtom: valueAtom, readmodel.FeedJSON: valueFeedJSON}

func (a *API) handleFeed(format readmodel.FeedFormat) fiber.Handler {
	ct := feedTypes[format]
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		if len(slug) > maxSlugParam {
			return cms.Errorf(cms.KindNotFound, "public.Feed", "No category has this slug.")
		}
		body, err := a.content.Snapshot().Feed(format, slug)
		if err != nil {
			return err
		}
		return a.sendType(c, body, ct)
	}
}

func (a *API) handleSitemap(c *fiber.Ctx) error {
	body, err := a.content.Snapshot().Sitemap()
	if err != nil {
		return err
	}
	return a.sendType(c, body, valueXML)
}

func (a *API) handleRobots(c *fiber.Ctx) error {
	return a.sendType(c, a.content.Snapshot().Robots(), valueText)
}
