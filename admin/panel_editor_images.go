package admin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The editor's images: the cover, the Pinterest pins and the "pinnable"
// switch of each image in the body. They travel with the rest of the form
// (and, from the script, with the autosave's JSON) and are saved by the
// same cms.UpdatePost. The form marks that it carries them with
// images=1, so a form without them (an older page, a bare action button)
// leaves the stored images alone.

// imageForm is the cover (or a pin's image) as the form holds it.
type imageForm struct {
	MediaID, Alt string
}

// pinForm is one pin as the form holds it.
type pinForm struct {
	MediaID, Title, Description, Alt string
	Hidden                           bool
}

// pinField matches the names of the pins' form fields: pins[3].title.
var pinField = regexp.MustCompile(`^pins\[(\d{1,3})\]\.(mediaId|title|description|alt|hidden)$`)

// bodyMedia matches the media URLs a body refers to (as cms finds them).
var bodyMedia = regexp.MustCompile(`/media/([0-9a-fA-F]{24})/`)

// bodyMediaIDs returns the media ids the Markdown body refers to, in order
// of first appearance, lower-case.
func bodyMediaIDs(body string) []string {
	var ids []string
	for _, m := range bodyMedia.FindAllStringSubmatch(body, -1) {
		if id := strings.ToLower(m[1]); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// formFields returns every field of the request's form (URL-encoded or
// multipart), copied.
func formFields(c *fiber.Ctx) map[string][]string {
	out := map[string][]string{}
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		for k, vs := range mf.Value {
			out[k] = slices.Clone(vs)
		}
		return out
	}
	for k, v := range c.Request().PostArgs().All() {
		out[string(k)] = append(out[string(k)], string(v))
	}
	return out
}

// parseImageFields reads the image fields of the editor form into f.
func parseImageFields(c *fiber.Ctx, f *postForm) {
	all := formFields(c)
	first := func(k string) string {
		if vs := all[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	f.Images = first("images") == "1"
	if !f.Images {
		return
	}
	f.Cover = imageForm{MediaID: strings.TrimSpace(first("cover.mediaId")), Alt: first("cover.alt")}
	pins := map[int]*pinForm{}
	for k, vs := range all {
		m := pinField.FindStringSubmatch(k)
		if m == nil || len(vs) == 0 {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		p := pins[i]
		if p == nil {
			p = &pinForm{}
			pins[i] = p
		}
		v := strings.ReplaceAll(vs[0], "\r\n", "\n")
		switch m[2] {
		case "mediaId":
			p.MediaID = strings.TrimSpace(v)
		case "title":
			p.Title = v
		case "description":
			p.Description = v
		case "alt":
			p.Alt = v
		case "hidden":
			p.Hidden = v == "1" || v == "on" || v == "true"
		}
	}
	idx := make([]int, 0, len(pins))
	for i := range pins {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	f.Pins = make([]pinForm, 0, len(idx))
	for _, i := range idx {
		f.Pins = append(f.Pins, *pins[i])
	}
	// The body's images listed with a "pinnable" box: the unticked ones
	// are not pinnable.
	pinnable := all["pinnable"]
	f.NoPinMediaIDs = []string{}
	for _, id := range all["bodyImages"] {
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !slices.Contains(pinnable, id) && !slices.Contains(f.NoPinMediaIDs, id) {
			f.NoPinMediaIDs = append(f.NoPinMediaIDs, id)
		}
	}
}

// imagesFromPost fills the image fields of f from the stored post.
func imagesFromPost(f *postForm, p *cms.Post) {
	f.Images = true
	if p.Cover != nil {
		f.Cover = imageForm{MediaID: p.Cover.MediaID, Alt: p.Cover.Alt}
	}
	f.Pins = make([]pinForm, len(p.Pins))
	for i, pin := range p.Pins {
		f.Pins[i] = pinForm{MediaID: pin.MediaID, Title: pin.Title, Description: pin.Description, Alt: pin.Alt, Hidden: pin.Hidden}
	}
	f.NoPinMediaIDs = slices.Clone(nonNil(p.NoPinMediaIDs))
}

// imageInput sets the image fields of in from f, when the form has them.
func (f postForm) imageInput(in *cms.PostInput) {
	if !f.Images {
		return
	}
	in.Cover = &cms.ImageInput{MediaID: f.Cover.MediaID, Alt: f.Cover.Alt}
	pins := make([]cms.PinInput, len(f.Pins))
	for i, p := range f.Pins {
		pins[i] = cms.PinInput{MediaID: p.MediaID, Title: p.Title, Description: p.Description, Alt: p.Alt, Hidden: p.Hidden}
	}
	in.Pins = &pins
	nopin := slices.Clone(nonNil(f.NoPinMediaIDs))
	in.NoPinMediaIDs = &nopin
}

// imagesChangedFrom reports whether saving f's images would change p's.
func (f postForm) imagesChangedFrom(p *cms.Post) bool {
	if !f.Images {
		return false
	}
	t, low := strings.TrimSpace, func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	var cover imageForm
	if p.Cover != nil {
		cover = imageForm{MediaID: p.Cover.MediaID, Alt: p.Cover.Alt}
	}
	if low(f.Cover.MediaID) != cover.MediaID || (cover.MediaID != "" && t(f.Cover.Alt) != cover.Alt) || len(f.Pins) != len(p.Pins) {
		return true
	}
	for i, pin := range f.Pins {
		s := p.Pins[i]
		if low(pin.MediaID) != s.MediaID || t(pin.Title) != s.Title || t(pin.Description) != s.Description ||
			t(pin.Alt) != s.Alt || pin.Hidden != s.Hidden {
			return true
		}
	}
	return !slices.Equal(nonNil(f.NoPinMediaIDs), nonNil(p.NoPinMediaIDs))
}

// imageView is an image of the editor: the cover or a pin's.
type imageView struct {
	MediaID  string
	Alt      string
	Width    int
	Height   int
	Known    bool     // found in the library (or on the post)
	Warnings []string // why it makes a poor pin (pins only)
	Error    string   // the mediaId field's error
	AltError string
}

// pinView is one pin of the editor.
type pinView struct {
	Index int
	imageView
	Title, Description    string
	Hidden                bool
	TitleHint, DescHint   lengthHint
	TitleError, DescError string
	TitleMax, DescMax     int
}

// Field returns the form name of the pin's field name: pins[2].title.
func (p pinView) Field(name string) string { return fmt.Sprintf("pins[%d].%s", p.Index, name) }

// bodyImageView is an image of the body with its "pinnable" box.
type bodyImageView struct {
	MediaID  string
	Pinnable bool
}

// editorImages is what the editor shows of the post's images.
type editorImages struct {
	Cover      *imageView // nil: no cover
	Pins       []pinView
	BodyImages []bodyImageView
	PinsError  string // about the pins as a whole ("at most 20")
	NoPinError string
	// NewPin renders the pin template the script copies.
	NewPin pinView
}

// editorImagesFor builds the images part of the editor for the form f of
// post (nil when new), with the field errors errs. Sizes come from the
// stored post when the image is one of its own, else from the library
// (a read by id each, at most a pin's worth).
func (a *Admin) editorImagesFor(ctx context.Context, post *cms.Post, f postForm, errs map[string]string) editorImages {
	known := map[string]cms.PostImage{}
	if post != nil {
		if post.Cover != nil {
			known[post.Cover.MediaID] = *post.Cover
		}
		for _, p := range post.Pins {
			known[p.MediaID] = p.PostImage
		}
	}
	lookups := 0
	image := func(id, alt string) imageView {
		id = strings.ToLower(strings.TrimSpace(id))
		v := imageView{MediaID: id, Alt: alt}
		if im, ok := known[id]; ok {
			v.Width, v.Height, v.Known = im.Width, im.Height, true
			return v
		}
		if cms.ValidID(id) && lookups < cms.MaxPins+1 {
			lookups++
			if m, err := a.svc.GetMedia(ctx, id); err == nil {
				v.Width, v.Height, v.Known = m.Width, m.Height, true
				known[id] = cms.PostImage{MediaID: id, Width: m.Width, Height: m.Height}
			}
		}
		return v
	}
	out := editorImages{PinsError: errs["pins"], NoPinError: errs["noPinMediaIds"],
		NewPin: pinView{Index: 0, TitleMax: cms.MaxPinTitleLen, DescMax: cms.MaxPinDescriptionLen,
			TitleHint: newLengthHint("", cms.MaxPinTitleLen, cms.MaxPinTitleLen), DescHint: newLengthHint("", cms.MaxPinDescriptionLen, cms.MaxPinDescriptionLen)}}
	if strings.TrimSpace(f.Cover.MediaID) != "" {
		v := image(f.Cover.MediaID, f.Cover.Alt)
		v.Error, v.AltError = errs["cover.mediaId"], errs["cover.alt"]
		out.Cover = &v
	}
	for i, p := range f.Pins {
		v := pinView{Index: i, imageView: image(p.MediaID, p.Alt), Title: p.Title, Description: p.Description, Hidden: p.Hidden,
			TitleMax: cms.MaxPinTitleLen, DescMax: cms.MaxPinDescriptionLen,
			TitleHint: newLengthHint(p.Title, cms.MaxPinTitleLen, cms.MaxPinTitleLen),
			DescHint:  newLengthHint(p.Description, cms.MaxPinDescriptionLen, cms.MaxPinDescriptionLen)}
		v.Warnings = (&cms.PostImage{Width: v.Width, Height: v.Height}).PinWarnings()
		v.Error, v.AltError = errs[v.Field("mediaId")], errs[v.Field("alt")]
		v.TitleError, v.DescError = errs[v.Field("title")], errs[v.Field("description")]
		out.Pins = append(out.Pins, v)
	}
	for _, id := range bodyMediaIDs(f.Body) {
		out.BodyImages = append(out.BodyImages, bodyImageView{MediaID: id, Pinnable: !slices.Contains(f.NoPinMediaIDs, id)})
	}
	return out
}
