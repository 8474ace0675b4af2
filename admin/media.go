package admin

import (
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// mediaView is a Media as the admin API shows it: each variant with the
// URL public serves it at, and a srcset of the width-bound variants.
type mediaView struct {
	*cms.Media
	Variants []mediaVariantView `json:"variants"`
	URL      string             `json:"url"`    // the original variant
	Srcset   string             `json:"srcset"` // thumb, w640, w1024, w1600, original
}

type mediaVariantView struct {
	cms.MediaVariant
	URL string `json:"url"`
}

// mediaURL is the path public serves a variant at.
func mediaURL(id, variant string) string { return "/media/" + id + "/" + variant }

func newMediaView(m *cms.Media) mediaView {
	v := mediaView{Media: m, URL: mediaURL(m.ID, "original"), Variants: make([]mediaVariantView, len(m.Variants))}
	var srcset []string
	seen := map[int]bool{}
	for i, mv := range m.Variants {
		v.Variants[i] = mediaVariantView{MediaVariant: mv, URL: mediaURL(m.ID, mv.Name)}
		switch mv.Name {
		case "thumb", "w640", "w1024", "w1600", "original":
			if !seen[mv.Width] {
				seen[mv.Width] = true
				srcset = append(srcset, fmt.Sprintf("%s %dw", v.Variants[i].URL, mv.Width))
			}
		}
	}
	v.Srcset = strings.Join(srcset, ", ")
	return v
}

// mediaUser is a post that uses a media, as the single-media GET lists it.
type mediaUser struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// mediaDetail is one media with the posts that use it.
type mediaDetail struct {
	mediaView
	UsedBy []mediaUser `json:"usedBy"`
}

// handleMediaUpload stores an image sent as multipart/form-data (field
// "file", optional "alt"): 201 with the new media, or 200 with the
// existing media when the same bytes were uploaded before (nothing new is
// stored then).
//
// fasthttp reads the whole request body (up to the app's BodyLimit) before
// any handler runs, so a client that disconnects mid-upload never reaches
// this handler and nothing is stored; the store cleans up after itself if
// writing the variants fails part-way.
func (a *Admin) handleMediaUpload(c *fiber.Ctx) error {
	const op = "admin.uploadMedia"
	if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != fiber.MIMEMultipartForm {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Send the image as multipart/form-data with the field \"file\".")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return invalid(op, "file", "Attach the image as the form field \"file\".")
	}
	if limit := a.svc.MaxUploadBytes(); fh.Size > limit {
		msg := fmt.Sprintf("The file is too large: the limit is %d MiB.", limit>>20)
		return &cms.Error{Kind: cms.KindTooLarge, Op: op, Message: msg, Fields: map[string]string{"file": msg}}
	}
	f, err := fh.Open()
	if err != nil {
		return &cms.Error{Kind: cms.KindInternal, Op: op, Err: err}
	}
	defer f.Close()
	m, isNew, err := a.uploadMedia(c, fh.Filename, c.FormValue("alt"), f)
	if err != nil {
		return err
	}
	if !isNew {
		c.Location(strings.TrimSuffix(c.Route().Path, "/") + "/" + m.ID)
		return ok(c, newMediaView(m))
	}
	return created(c, m.ID, newMediaView(m))
}

// uploadMedia stores the image read from f and reports whether it is new:
// the same bytes uploaded before return the existing media.
func (a *Admin) uploadMedia(c *fiber.Ctx, filename, alt string, f io.Reader) (*cms.Media, bool, error) {
	return a.svc.UploadMediaStatus(c.UserContext(), actor(c), strings.Clone(filename), strings.Clone(alt), f)
}

// handleMediaList lists the media library, newest first: page, limit, q.
func (a *Admin) handleMediaList(c *fiber.Ctx) error {
	q := newQuery(c)
	f := cms.MediaFilter{Query: q.str("q"), Page: q.positive("page"), Limit: q.positive("limit")}
	if err := q.err(); err != nil {
		return err
	}
	items, total, f, err := a.svc.ListMedia(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]mediaView, len(items))
	for i, m := range items {
		out[i] = newMediaView(m)
	}
	return c.JSON(envelope{Data: out, Meta: &meta{Pagination: pagination{
		Page: f.Page, Limit: f.Limit, Total: total, TotalPages: (total + f.Limit - 1) / f.Limit}}})
}

// handleMediaGet returns one media and usedBy, the posts (trashed ones
// included) that use it.
func (a *Admin) handleMediaGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	m, err := a.svc.GetMedia(c.UserContext(), id)
	if err != nil {
		return err
	}
	usage, err := a.svc.MediaUsage(c.UserContext(), []string{m.ID})
	if err != nil {
		return err
	}
	d := mediaDetail{mediaView: newMediaView(m), UsedBy: []mediaUser{}}
	for _, p := range usage[m.ID] {
		d.UsedBy = append(d.UsedBy, mediaUser{ID: p.ID, Title: p.Title})
	}
	return ok(c, d)
}

// handleMediaUpdate changes the alt text: {"alt": "...", "version": n}.
func (a *Admin) handleMediaUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in cms.MediaInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := a.svc.UpdateMedia(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return ok(c, newMediaView(m))
}

// handleMediaDelete removes a media and its files: 204.
func (a *Admin) handleMediaDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteMedia(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
