package wordpress

import (
	"regexp"
	"strings"
)

// Pins is what the Pinterest plugins stored in an item's meta. The keys
// were checked against the plugins' own source:
//
//   - Social Warfare (functions/media-options.php, the post meta box):
//     swp_pinterest_image_url (the pin image's URL), swp_pinterest_image
//     (its attachment id), swp_pinterest_description on posts;
//     swp_pin_button_opt_out = 1 on an attachment that must not be pinned.
//   - Tasty Pins (Tasty_Pins\Admin and Frontend constants): on attachments
//     tp_pinterest_text, tp_pinterest_title, tp_pinterest_repin_id; on
//     posts tp_pinterest_hidden_image (comma-separated attachment ids shown
//     only to Pinterest), tp_pinterest_default_text,
//     tp_pinterest_default_title and tp_pinterest_force_pinning. Tasty Pins
//     keeps "do not pin" for one image in the body, as data-pin-nopin on
//     the <img> (its tp_pinterest_nopin is a form field of the media
//     dialog, never stored as meta): see Image.NoPin.
type Pins struct {
	ImageURL       string  // Social Warfare pin image URL (post)
	ImageIDs       []int64 // Social Warfare pin image attachment ids (post)
	Description    string  // Social Warfare pin description (post)
	HiddenImageIDs []int64 // Tasty Pins hidden pin images (post)
	DefaultText    string  // Tasty Pins default description (post)
	DefaultTitle   string  // Tasty Pins default title (post)
	ForcePinning   bool    // Tasty Pins: pin the first hidden image from every image

	Text    string // Tasty Pins description of this image (attachment)
	Title   string // Tasty Pins title of this image (attachment)
	RepinID string // Tasty Pins repin id (attachment)
	NoPin   bool   // Social Warfare opt-out (attachment)
}

// IsZero reports whether no Pinterest meta was found.
func (p Pins) IsZero() bool {
	return p.ImageURL == "" && len(p.ImageIDs) == 0 && p.Description == "" && len(p.HiddenImageIDs) == 0 &&
		p.DefaultText == "" && p.DefaultTitle == "" && !p.ForcePinning && p.Text == "" && p.Title == "" && p.RepinID == "" && !p.NoPin
}

func decodePins(it *Item) Pins {
	m := func(k string) string { return strings.TrimSpace(it.MetaValue(k)) }
	return Pins{
		ImageURL:       m("swp_pinterest_image_url"),
		ImageIDs:       ids(m("swp_pinterest_image")),
		Description:    m("swp_pinterest_description"),
		HiddenImageIDs: ids(m("tp_pinterest_hidden_image")),
		DefaultText:    m("tp_pinterest_default_text"),
		DefaultTitle:   m("tp_pinterest_default_title"),
		ForcePinning:   truthy(m("tp_pinterest_force_pinning")),
		Text:           m("tp_pinterest_text"),
		Title:          m("tp_pinterest_title"),
		RepinID:        m("tp_pinterest_repin_id"),
		NoPin:          truthy(m("swp_pin_button_opt_out")),
	}
}

var (
	digits     = regexp.MustCompile(`\d+`)
	serialized = regexp.MustCompile(`i:\d+;(?:i:(\d+)|s:\d+:"(\d+)")`)
)

// ids reads attachment ids from a comma list ("12,15") or from a PHP
// serialized array of them (a:1:{i:0;i:12;}), keeping positive ids.
func ids(s string) []int64 {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "a:") { // serialized: the values follow "i:N;"
		var out []int64
		for _, m := range serialized.FindAllStringSubmatch(s, -1) {
			if n := atoi(m[1] + m[2]); n > 0 {
				out = append(out, n)
			}
		}
		return out
	}
	var out []int64
	for _, d := range digits.FindAllString(s, -1) {
		if n := atoi(d); n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func truthy(s string) bool { return s == "1" || s == "true" || s == "on" || s == "yes" }

// SEO is the search title and description an SEO plugin stored, with its
// template variables resolved. Unresolved lists the variables left as
// they were (the export lacks what they stand for).
type SEO struct {
	Title       string
	Description string
	Plugin      string // "yoast", "rankmath" or ""
	Unresolved  []string
}

var (
	yoastVar    = regexp.MustCompile(`%%[a-z_]+(?:_[a-z0-9]+)*%%`)
	rankMathVar = regexp.MustCompile(`%[a-z_]+(?:\([^)%]*\))?%`)
	spaces      = regexp.MustCompile(`\s+`)
)

// decodeSEO reads Yoast (_yoast_wpseo_title, _yoast_wpseo_metadesc) or,
// failing those, Rank Math (rank_math_title, rank_math_description).
func decodeSEO(site *Site, it *Item, sep string) SEO {
	var s SEO
	title, desc := it.MetaValue("_yoast_wpseo_title"), it.MetaValue("_yoast_wpseo_metadesc")
	pattern := yoastVar
	if title != "" || desc != "" {
		s.Plugin = "yoast"
	} else if title, desc = it.MetaValue("rank_math_title"), it.MetaValue("rank_math_description"); title != "" || desc != "" {
		s.Plugin, pattern = "rankmath", rankMathVar
	} else {
		return s
	}
	vars := map[string]string{
		"title": it.Title, "sitename": site.Title, "sitedesc": site.Description, "sep": sep,
		"excerpt": plainText(it.Excerpt), "excerpt_only": plainText(it.Excerpt), "page": "", "pagenumber": "",
		"name": it.Creator, "primary_category": "", "category": "",
	}
	if cats := it.Categories(); len(cats) > 0 {
		vars["category"], vars["primary_category"] = cats[0].Name, cats[0].Name
	}
	resolve := func(v string) string {
		out := pattern.ReplaceAllStringFunc(v, func(m string) string {
			name := strings.Trim(m, "%")
			if i := strings.IndexByte(name, '('); i >= 0 {
				name = name[:i]
			}
			if r, ok := vars[name]; ok {
				return r
			}
			s.Unresolved = append(s.Unresolved, m)
			return m
		})
		return strings.TrimSpace(spaces.ReplaceAllString(out, " "))
	}
	s.Title, s.Description = resolve(title), resolve(desc)
	return s
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText drops the tags of a short HTML fragment (an excerpt).
func plainText(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(tags.ReplaceAllString(s, " "), " "))
}
