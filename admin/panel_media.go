package admin

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The media library screen: every uploaded image as a card with its size,
// type and date, its alt text (editable in place, flagged when empty), the
// posts that use it, and delete (refused while a post uses it); an upload
// form, which assets/static/js/media.js extends with drag and drop onto
// the grid.

const (
	mediaPath     = panelPrefix + "/media"
	mediaPageSize = 24
)

// mediaPage is the data of views/media.html.
type mediaPage struct {
	page
	Cards   []mediaCard
	Q       string
	Missing bool // only images without alt text
	Total   int
	Pager   pager
	Return  string // this list's URL, for the forms to come back to
	Alert   string // a refused action, shown above the grid
	Errors  map[string]string
	MaxMB   int64
}

// mediaCard is one image of the library.
type mediaCard struct {
	*cms.Media
	Type   string // "JPEG", "PNG", ...
	Size   string // "1.2 MB"
	UsedBy []mediaUser
	Error  string // why the last action on it failed
}

// handleMediaPage lists the library: ?q= (file name or alt text),
// &missing=1 (no alt text), &page=.
func (a *Admin) handleMediaPage(c *fiber.Ctx) error {
	p, err := a.mediaPageFor(c, strings.Clone(c.Query("q")), c.Query("missing") == "1", c.QueryInt("page", 1))
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Media, p)
}

// mediaPageFor builds the library page for the filter.
func (a *Admin) mediaPageFor(c *fiber.Ctx, q string, missing bool, pageNo int) (*mediaPage, error) {
	ctx := c.UserContext()
	q = strings.TrimSpace(q)
	if len(q) > 200 {
		q = q[:200]
	}
	pageNo = max(pageNo, 1)
	p := &mediaPage{page: a.newPage(c, "Media library", "media"), Q: q, Missing: missing, Errors: map[string]string{},
		MaxMB: a.svc.MaxUploadBytes() >> 20}
	var items []*cms.Media
	var err error
	items, p.Total, _, err = a.svc.ListMedia(ctx, cms.MediaFilter{Query: q, MissingAlt: missing, Page: pageNo, Limit: mediaPageSize})
	if err != nil {
		return nil, err
	}
	vals := url.Values{}
	if q != "" {
		vals.Set("q", q)
	}
	if missing {
		vals.Set("missing", "1")
	}
	p.Pager = newPager(mediaPath, vals, pageNo, p.Total, mediaPageSize)
	if pageNo > 1 {
		vals.Set("page", strconv.Itoa(pageNo))
	}
	p.Return = mediaPath
	if len(vals) > 0 {
		p.Return += "?" + vals.Encode()
	}
	ids := make([]string, len(items))
	for i, m := range items {
		ids[i] = m.ID
	}
	usage := map[string][]*cms.Post{}
	if len(ids) > 0 {
		if usage, err = a.svc.MediaUsage(ctx, ids); err != nil {
			return nil, err
		}
	}
	for _, m := range items {
		card := mediaCard{Media: m, Type: mediaType(m.ContentType), Size: humanBytes(m.Bytes), UsedBy: []mediaUser{}}
		for _, post := range usage[m.ID] {
			card.UsedBy = append(card.UsedBy, mediaUser{ID: post.ID, Title: post.Title})
		}
		p.Cards = append(p.Cards, card)
	}
	return p, nil
}

// mediaType names a content type for people.
func mediaType(ct string) string {
	switch ct {
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	case "image/gif":
		return "GIF"
	case "image/webp":
		return "WebP"
	}
	return ct
}

// humanBytes formats n bytes as "820 KB" or "1.2 MB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// mediaReturn is where a library form goes back to: its "return" field
// when that is a library URL, else the library.
func mediaReturn(c *fiber.Ctx) string {
	r := strings.Clone(c.FormValue("return"))
	if r != mediaPath && !strings.HasPrefix(r, mediaPath+"?") {
		return mediaPath
	}
	return localNext(r)
}

// rerenderMedia shows the library page the form came from with alert
// above it and msg on the card of media id.
func (a *Admin) rerenderMedia(c *fiber.Ctx, status int, id, alert, msg string) error {
	u, _ := url.Parse(mediaReturn(c))
	q := u.Query()
	pageNo, _ := strconv.Atoi(q.Get("page"))
	p, err := a.mediaPageFor(c, q.Get("q"), q.Get("missing") == "1", pageNo)
	if err != nil {
		return err
	}
	p.Alert = alert
	for i := range p.Cards {
		if p.Cards[i].ID == id {
			p.Cards[i].Error = msg
		}
	}
	if id == "" && msg != "" {
		p.Errors["file"] = msg
	}
	return a.render(c, status, views.Media, p)
}

// handleMediaUploadForm stores an image sent by the library's upload
// form (multipart: file, alt) and goes back to the library.
func (a *Admin) handleMediaUploadForm(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return a.rerenderMedia(c, fiber.StatusUnprocessableEntity, "", "Nothing was uploaded.", "Choose an image file to upload.")
	}
	if limit := a.svc.MaxUploadBytes(); fh.Size > limit {
		msg := fmt.Sprintf("The file is too large: the limit is %d MiB.", limit>>20)
		return a.rerenderMedia(c, fiber.StatusRequestEntityTooLarge, "", "Nothing was uploaded.", msg)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	m, isNew, err := a.uploadMedia(c, fh.Filename, c.FormValue("alt"), f)
	if err != nil {
		if fields := cms.ErrorFields(err); fields != nil {
			msg := fields["file"]
			if msg == "" {
				msg = cms.ErrorMessage(err)
			}
			return a.rerenderMedia(c, formStatus(c, err), "", "Nothing was uploaded.", msg)
		}
		return err
	}
	msg := "Uploaded “" + m.Filename + "”."
	if !isNew {
		msg = "This image was already in the library (as “" + m.Filename + "”): nothing new was stored."
	}
	return a.flashRedirect(c, mediaPath, msg)
}

// handleMediaAltForm saves the alt text of image :id (alt, version).
func (a *Admin) handleMediaAltForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	alt := strings.TrimSpace(strings.Clone(c.FormValue("alt")))
	version, _ := formVersion(c)
	_, err = a.svc.UpdateMedia(c.UserContext(), actor(c), id, cms.MediaInput{Alt: &alt, Version: &version})
	switch {
	case err == nil:
		msg := "Alt text saved."
		if alt == "" {
			msg = "Alt text removed: the image is flagged until it has one."
		}
		return a.flashRedirect(c, mediaReturn(c), msg)
	case isStale(err):
		return a.rerenderMedia(c, formStatus(c, err), id, "", "This image changed in another window meanwhile; here is its current alt text. Nothing was saved.")
	case cms.IsKind(err, cms.KindInvalid):
		msg := cms.ErrorFields(err)["alt"]
		if msg == "" {
			msg = cms.ErrorMessage(err)
		}
		return a.rerenderMedia(c, formStatus(c, err), id, "", msg)
	}
	return err
}

// handleMediaDeleteForm deletes image :id once confirmed (confirm=yes);
// while a post uses it the library comes back with the reason.
func (a *Admin) handleMediaDeleteForm(c *fiber.Ctx) error {
	id, err := panelID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return a.rerenderMedia(c, fiber.StatusUnprocessableEntity, id, "", "Press “Delete for good” to confirm.")
	}
	err = a.svc.DeleteMedia(c.UserContext(), actor(c), id)
	switch {
	case err == nil:
		return a.flashRedirect(c, mediaReturn(c), "Image deleted.")
	case cms.IsKind(err, cms.KindConflict):
		msg := cms.ErrorMessage(err)
		return a.rerenderMedia(c, formStatus(c, err), id, "Not deleted: "+msg, msg)
	}
	return err
}
