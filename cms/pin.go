package cms

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on the images of a post.
const (
	MaxPins              = 20
	MaxPinTitleLen       = 100 // Pinterest shows at most 100 characters
	MaxPinDescriptionLen = 500 // and at most 500
	MaxNoPinImages       = 200
	// PinWidth and PinHeight are the size Pinterest recommends for a pin
	// (2:3); the editor warns about smaller or differently shaped images.
	PinWidth, PinHeight = 1000, 1500
)

// PostImage places a media image on a post (the cover, or a pin's image)
// with the alt text for this use. Width, Height and Variants are copied
// from the media when the post is saved: a media's files never change
// (new bytes are a new media) and a used media cannot be deleted, so the
// copy stays true, and the read model needs no second collection.
type PostImage struct {
	MediaID  string         `json:"mediaId"`
	Alt      string         `json:"alt"`
	Width    int            `json:"width"`
	Height   int            `json:"height"`
	Variants []ImageVariant `json:"variants"`
}

// ImageVariant is one rendition of a PostImage: what a URL and a srcset
// need.
type ImageVariant struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
}

// Variant returns the named variant, or false.
func (im *PostImage) Variant(name string) (ImageVariant, bool) {
	for _, v := range im.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return ImageVariant{}, false
}

// Pin is an image offered to Pinterest with its own title and description.
// A hidden pin is offered to Pinterest (in the save links and the page's
// markup) but not shown in the post.
type Pin struct {
	PostImage
	Title       string `json:"title"`
	Description string `json:"description"`
	Hidden      bool   `json:"hidden"`
}

// PinWarnings returns what makes the pin's image a poor pin: not 2:3, or
// smaller than 1000x1500. Saving is still allowed.
func (im *PostImage) PinWarnings() []string {
	var out []string
	if im.Width == 0 || im.Height == 0 {
		return nil
	}
	// 2:3 within 1%: 1000x1500, 1080x1620, 735x1102 are all fine.
	if r := float64(im.Width) / float64(im.Height); r < 0.66*0.99 || r > 0.6667*1.01 {
		out = append(out, fmt.Sprintf("The image is %dx%d, not 2:3: Pinterest crops it (the pin variant is cut to 1000x1500 from its center).", im.Width, im.Height))
	}
	if im.Width < PinWidth || im.Height < PinHeight {
		out = append(out, fmt.Sprintf("The image is %dx%d, smaller than 1000x1500: it may look blurry on Pinterest.", im.Width, im.Height))
	}
	return out
}

// ImageInput sets a post's cover: a media id and the alt text. An empty
// MediaID removes the cover.
type ImageInput struct {
	MediaID string `json:"mediaId"`
	Alt     string `json:"alt"`
}

// PinInput is one pin of a post as an edit sends it.
type PinInput struct {
	MediaID     string `json:"mediaId"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Alt         string `json:"alt"`
	Hidden      bool   `json:"hidden"`
}

// applyImages copies the cover, pins and not-pinnable list of in onto p.
// An image keeps its resolved size and variants when its media did not
// change; new ones are resolved by Service.resolveImages.
func (in *PostInput) applyImages(p *Post) {
	known := map[string]PostImage{}
	if p.Cover != nil {
		known[p.Cover.MediaID] = *p.Cover
	}
	for _, pin := range p.Pins {
		known[pin.MediaID] = pin.PostImage
	}
	image := func(id, alt string) PostImage {
		id = strings.ToLower(strings.TrimSpace(id))
		im := PostImage{MediaID: id}
		if k, ok := known[id]; ok {
			im = k
		}
		im.Alt = strings.TrimSpace(alt)
		return im
	}
	if in.Cover != nil {
		if strings.TrimSpace(in.Cover.MediaID) == "" {
			p.Cover = nil
		} else {
			im := image(in.Cover.MediaID, in.Cover.Alt)
			p.Cover = &im
		}
	}
	if in.Pins != nil {
		p.Pins = make([]Pin, 0, len(*in.Pins))
		for _, pi := range *in.Pins {
			p.Pins = append(p.Pins, Pin{PostImage: image(pi.MediaID, pi.Alt),
				Title: strings.TrimSpace(pi.Title), Description: strings.TrimSpace(pi.Description), Hidden: pi.Hidden})
		}
	}
	if in.NoPinMediaIDs != nil {
		ids := make([]string, 0, len(*in.NoPinMediaIDs))
		for _, id := range *in.NoPinMediaIDs {
			ids = append(ids, strings.ToLower(strings.TrimSpace(id)))
		}
		p.NoPinMediaIDs = dedupe(ids, false)
	}
}

// validateImages adds the problems of p's cover and pins to pr.
func (p *Post) validateImages(pr Problems) {
	if p.Cover != nil {
		if !ValidID(p.Cover.MediaID) {
			pr.Add("cover.mediaId", "Must be a media id.")
		}
		if utf8.RuneCountInString(p.Cover.Alt) > MaxAltLength {
			pr.Add("cover.alt", "The alt text must be at most 1000 characters.")
		}
		checkLine(pr, "cover.alt", p.Cover.Alt)
	}
	if len(p.Pins) > MaxPins {
		pr.Add("pins", fmt.Sprintf("A post can have at most %d pins.", MaxPins))
	}
	seen := map[string]bool{}
	for i, pin := range p.Pins {
		f := fmt.Sprintf("pins[%d].", i)
		switch {
		case !ValidID(pin.MediaID):
			pr.Add(f+"mediaId", "Must be a media id.")
		case seen[pin.MediaID]:
			pr.Add(f+"mediaId", "This image is already a pin of this post.")
		}
		seen[pin.MediaID] = true
		if utf8.RuneCountInString(pin.Title) > MaxPinTitleLen {
			pr.Add(f+"title", "The pin title must be at most 100 characters.")
		}
		if utf8.RuneCountInString(pin.Description) > MaxPinDescriptionLen {
			pr.Add(f+"description", "The pin description must be at most 500 characters.")
		}
		if utf8.RuneCountInString(pin.Alt) > MaxAltLength {
			pr.Add(f+"alt", "The alt text must be at most 1000 characters.")
		}
		checkLine(pr, f+"title", pin.Title)
		checkText(pr, f+"description", pin.Description)
		checkLine(pr, f+"alt", pin.Alt)
	}
	if len(p.NoPinMediaIDs) > MaxNoPinImages {
		pr.Add("noPinMediaIds", "At most 200 images can be marked not pinnable.")
	}
	for _, id := range p.NoPinMediaIDs {
		if !ValidID(id) {
			pr.Add("noPinMediaIds", "Each entry must be a media id.")
			break
		}
	}
}

// mediaPath matches the media URLs a body links to: /media/{id}/..., also
// inside absolute URLs.
var mediaPath = regexp.MustCompile(`/media/([0-9a-fA-F]{24})/`)

// bodyMediaIDs returns the ids of the media a Markdown body refers to, in
// order of first appearance.
func bodyMediaIDs(body string) []string {
	var ids []string
	for _, m := range mediaPath.FindAllStringSubmatch(body, -1) {
		id := strings.ToLower(m[1])
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// usedMediaIDs returns every media p uses: cover, pins and body images;
// never nil, so that a post just saved shows "mediaIds": [] as it does
// when read back.
func (p *Post) usedMediaIDs() []string {
	ids := []string{}
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if p.Cover != nil {
		add(p.Cover.MediaID)
	}
	for _, pin := range p.Pins {
		add(pin.MediaID)
	}
	for _, id := range bodyMediaIDs(p.Body) {
		add(id)
	}
	return ids
}

// resolveImage copies the size and variants of im's media onto im, unless
// it has them. A media not in the library is Invalid naming field.
func (s *Service) resolveImage(ctx context.Context, op, field string, im *PostImage) error {
	if len(im.Variants) > 0 {
		return nil
	}
	m, err := s.store.GetMedia(ctx, im.MediaID)
	if IsKind(err, KindNotFound) || IsKind(err, KindInvalid) {
		return Problems{field: "Unknown image " + im.MediaID + ": it is not in the media library."}.Err(op)
	}
	if err != nil {
		return err
	}
	im.Width, im.Height = m.Width, m.Height
	im.Variants = make([]ImageVariant, len(m.Variants))
	for i, v := range m.Variants {
		im.Variants[i] = ImageVariant{Name: v.Name, ContentType: v.ContentType, Width: v.Width, Height: v.Height}
	}
	return nil
}

// resolveImages fills the size and variants of every image of p not
// resolved yet, from the media library. An unknown media is Invalid,
// naming the field.
func (s *Service) resolveImages(ctx context.Context, op string, p *Post) error {
	resolve := func(field string, im *PostImage) error { return s.resolveImage(ctx, op, field, im) }
	if p.Cover != nil {
		if err := resolve("cover.mediaId", p.Cover); err != nil {
			return err
		}
	}
	for i := range p.Pins {
		if err := resolve(fmt.Sprintf("pins[%d].mediaId", i), &p.Pins[i].PostImage); err != nil {
			return err
		}
	}
	p.MediaIDs = p.usedMediaIDs()
	return nil
}
