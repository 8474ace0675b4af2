package wpimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/wordpress"
)

// images brings the item's images into the media library and maps them
// onto in: the featured image becomes the cover, the body's image URLs
// (sizes and attachment pages included) become media URLs, and the
// Pinterest meta and attributes become pins and the not-pinnable list.
// An image that cannot be had is reported and left out (its URL in the
// body stays as it was); the post is imported all the same.
func (im *importer) images(ctx context.Context, it *wordpress.Item, in *cms.PostInput) {
	if !im.opt.DryRun {
		cover, pins, noPin := cms.ImageInput{}, []cms.PinInput{}, []string{}
		in.Cover, in.Pins, in.NoPinMediaIDs = &cover, &pins, &noPin
	}
	told := map[string]bool{} // each missing image once per item
	get := func(r *imageRef, what string) string {
		if r == nil {
			return ""
		}
		res := im.media(ctx, r)
		if res.why != "" && !told[r.key] {
			told[r.key] = true
			im.rep.image(it.ID, it.Title, what+": "+res.why)
		}
		return res.id
	}
	if it.ThumbnailID > 0 {
		a := im.atts.byID[it.ThumbnailID]
		if a == nil {
			im.rep.image(it.ID, it.Title, fmt.Sprintf("featured image: attachment %d is not in the export", it.ThumbnailID))
		} else if r := im.attRef(a); r == nil {
			im.rep.image(it.ID, it.Title, "featured image "+a.label()+" is not an image the media library takes")
		} else if id := get(r, "featured image "+a.label()); id != "" {
			*in.Cover = cms.ImageInput{MediaID: id, Alt: a.Alt}
		}
	}
	p := pinner{im: im, in: in}
	body := rewriteURLs(*in.Body, func(u string, image bool) string {
		r := im.ref(u, p.attachmentOf(it, u))
		id := get(r, "image "+u)
		switch {
		case id != "":
		case !strings.HasPrefix(u, wordpress.AttachmentScheme):
			return u
		case r != nil && r.url != "": // a gallery's image that did not come: its old URL
			return r.url
		default:
			if !told[u] {
				told[u] = true
				im.rep.image(it.ID, it.Title, "gallery image: attachment "+strings.TrimPrefix(u, wordpress.AttachmentScheme)+" is not in the export")
			}
			return u
		}
		if image {
			return mediaURL(id, "w1024")
		}
		return mediaURL(id, "original")
	})
	in.Body = &body
	p.collect(it, get)
}

// label names an attachment in the report.
func (a *attachment) label() string {
	if a.File != "" {
		return a.File
	}
	return fmt.Sprintf("attachment %d", a.ID)
}

// pinner gathers an item's pins, each media once, in the order of the
// plugins: Social Warfare's pin image, Tasty Pins' hidden images, then
// the body's images that carry a pin description.
type pinner struct {
	im    *importer
	in    *cms.PostInput
	pins  []cms.PinInput
	at    map[string]int // media id -> index in pins
	noPin map[string]bool
}

// attachmentOf is the attachment id the body's <img> with this src names
// by its wp-image-N class (0 if none).
func (p *pinner) attachmentOf(it *wordpress.Item, src string) int64 {
	for _, img := range it.Body.Images {
		if img.URL == src && img.AttachmentID > 0 {
			return img.AttachmentID
		}
	}
	return 0
}

func (p *pinner) add(mediaID string, pin cms.PinInput) {
	if mediaID == "" {
		return
	}
	if p.at == nil {
		p.at = map[string]int{}
	}
	if i, ok := p.at[mediaID]; ok { // fill in what the first mention lacked
		old := &p.pins[i]
		old.Title = cmpOr(old.Title, pin.Title)
		old.Description = cmpOr(old.Description, pin.Description)
		old.Alt = cmpOr(old.Alt, pin.Alt)
		old.Hidden = old.Hidden && pin.Hidden
		return
	}
	pin.MediaID = mediaID
	p.at[mediaID] = len(p.pins)
	p.pins = append(p.pins, pin)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// collect reads the pins from the item's meta and body and sets them,
// with the not-pinnable images, on the input.
func (p *pinner) collect(it *wordpress.Item, get func(*imageRef, string) string) {
	im, pm := p.im, it.Pins
	shown := map[string]bool{} // media ids shown in the body
	type bodyImage struct {
		id  string
		img wordpress.Image
	}
	var inBody []bodyImage
	for _, img := range it.Body.Images {
		id := get(im.ref(img.URL, img.AttachmentID), "image "+img.URL)
		if !img.Hidden && id != "" {
			shown[id] = true
		}
		inBody = append(inBody, bodyImage{id, img})
	}
	attPin := func(a *attachment, desc, title string, hidden bool) {
		if a == nil {
			return
		}
		id := get(im.attRef(a), "pin image "+a.label())
		p.add(id, cms.PinInput{Title: cmpOr(a.PinTitle, title), Description: cmpOr(a.PinText, desc), Alt: a.Alt, Hidden: hidden && !shown[id]})
	}
	// Social Warfare: the pin image by id, else by URL, with its description.
	for _, aid := range pm.ImageIDs {
		if a := im.atts.byID[aid]; a != nil {
			attPin(a, pm.Description, "", true)
		} else {
			im.rep.image(it.ID, it.Title, fmt.Sprintf("Social Warfare pin image: attachment %d is not in the export", aid))
		}
	}
	if pm.ImageURL != "" && len(pm.ImageIDs) == 0 {
		if r := im.ref(pm.ImageURL, 0); r != nil {
			id := get(r, "Social Warfare pin image "+pm.ImageURL)
			alt := ""
			if r.att != nil {
				alt = r.att.Alt
			}
			p.add(id, cms.PinInput{Description: pm.Description, Alt: alt, Hidden: !shown[id]})
		} else {
			im.rep.image(it.ID, it.Title, "Social Warfare pin image "+pm.ImageURL+" is not one of the site's uploads: not imported")
		}
	}
	// Tasty Pins: hidden images, each with its own text or the post's default.
	for _, aid := range pm.HiddenImageIDs {
		if a := im.atts.byID[aid]; a != nil {
			attPin(a, pm.DefaultText, pm.DefaultTitle, true)
		} else {
			im.rep.image(it.ID, it.Title, fmt.Sprintf("Tasty Pins hidden image: attachment %d is not in the export", aid))
		}
	}
	// The body: data-pin-* attributes, else Tasty Pins' text on the image's attachment.
	for _, b := range inBody {
		img := b.img
		r := im.ref(img.URL, img.AttachmentID)
		if img.NoPin || (r != nil && r.att != nil && r.att.NoPin) {
			if b.id != "" {
				p.noPinID(b.id)
			}
			continue
		}
		desc, title := img.PinDescription, img.PinTitle
		if r != nil && r.att != nil {
			desc, title = cmpOr(desc, r.att.PinText), cmpOr(title, r.att.PinTitle)
		}
		if desc == "" && title == "" && !img.Hidden {
			continue // an ordinary image: pinnable as it is, not a pin of its own
		}
		id := b.id
		if img.PinMedia != "" { // the image Pinterest should take instead
			if pr := im.ref(img.PinMedia, 0); pr != nil {
				id = get(pr, "pin image "+img.PinMedia)
			}
		}
		p.add(id, cms.PinInput{Title: title, Description: desc, Alt: img.Alt, Hidden: img.Hidden || !shown[id]})
	}
	p.finish(it)
}

func (p *pinner) noPinID(id string) {
	if p.noPin == nil {
		p.noPin = map[string]bool{}
	}
	p.noPin[id] = true
}

// finish fits the pins to Lullaby's limits, reporting what it cut, and
// sets them on the input.
func (p *pinner) finish(it *wordpress.Item) {
	if p.im.opt.DryRun {
		return
	}
	if len(p.pins) > cms.MaxPins {
		p.im.rep.note(it.ID, it.Title, fmt.Sprintf("%d pins: only the first %d kept", len(p.pins), cms.MaxPins))
		p.pins = p.pins[:cms.MaxPins]
	}
	fit := func(s string, n int, what string) string {
		s = strings.Join(strings.Fields(s), " ")
		if utf8.RuneCountInString(s) > n {
			s = clip(s, n)
			p.im.rep.note(it.ID, it.Title, fmt.Sprintf("%s cut to %d characters", what, n))
		}
		return s
	}
	for i := range p.pins {
		pin := &p.pins[i]
		pin.Title = fit(pin.Title, cms.MaxPinTitleLen, "pin title")
		pin.Description = fit(pin.Description, cms.MaxPinDescriptionLen, "pin description")
		pin.Alt = fit(pin.Alt, cms.MaxAltLength, "pin alt text")
	}
	*p.in.Pins = p.pins
	for id := range p.noPin {
		if _, isPin := p.at[id]; !isPin && len(*p.in.NoPinMediaIDs) < cms.MaxNoPinImages {
			*p.in.NoPinMediaIDs = append(*p.in.NoPinMediaIDs, id)
		}
	}
}

// htmlURL matches the src and href attributes of HTML kept in a body.
var htmlURL = regexp.MustCompile(`\b(src|href)="([^"]+)"`)

// rewriteURLs replaces the URLs of a Markdown body: each link or image
// destination, and each src and href of HTML kept in it, by what repl
// returns for it (image tells an image's source from a link's target).
func rewriteURLs(md string, repl func(u string, image bool) string) string {
	var b strings.Builder
	rest := md
	for {
		i := strings.Index(rest, "](")
		if i < 0 {
			break
		}
		start := i + 2
		end, dest := destination(rest[start:])
		if dest == "" {
			b.WriteString(rest[:start])
			rest = rest[start:]
			continue
		}
		b.WriteString(rest[:start])
		b.WriteString(strings.Replace(rest[start:start+end], dest, repl(dest, isImage(md[:len(md)-len(rest)+i])), 1))
		rest = rest[start+end:]
	}
	b.WriteString(rest)
	return htmlURL.ReplaceAllStringFunc(b.String(), func(m string) string {
		sub := htmlURL.FindStringSubmatch(m)
		return sub[1] + `="` + repl(sub[2], sub[1] == "src") + `"`
	})
}

// destination reads a link destination at the start of s ("url", "<url>")
// and returns how many bytes it spans and the URL.
func destination(s string) (int, string) {
	if strings.HasPrefix(s, "<") {
		if j := strings.IndexByte(s, '>'); j > 0 {
			return j + 1, s[1:j]
		}
		return 0, ""
	}
	j := strings.IndexAny(s, " \t\n)")
	if j < 0 {
		j = len(s)
	}
	return j, s[:j]
}

// isImage reports whether the link text that ends at the end of before
// (just before "](") opened with "![": an image rather than a link.
func isImage(before string) bool {
	depth, stop := 0, max(0, len(before)-4096) // link texts are short
	for i := len(before) - 1; i >= stop; i-- {
		if i > 0 && before[i-1] == '\\' {
			continue
		}
		switch before[i] {
		case ']':
			depth++
		case '[':
			if depth == 0 {
				return i > 0 && before[i-1] == '!'
			}
			depth--
		}
	}
	return false
}
