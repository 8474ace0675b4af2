package wordpress

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// AttachmentScheme prefixes the image URLs this package makes up for
// attachments it knows only by id ([gallery ids="12,15"]): the importer
// rewrites "wp-attachment:12" like any other image URL, with the URL of
// the attachment item 12.
const AttachmentScheme = "wp-attachment:"

var scAttr = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)`)

// shortcode is one [name attrs]...[/name] found in a body.
type shortcode struct {
	start, end int // byte range in the text, closing tag included
	name       string
	attrs      map[string]string
	raw        string // the text between the name and "]"
	inner      string
	closed     bool // had a [/name]
}

// nextShortcode finds the next shortcode at or after from. Escaped ones
// ([[gallery]]) are skipped, as WordPress shows them literally.
func nextShortcode(s string, from int) (shortcode, bool) {
	for from < len(s) {
		i := strings.IndexByte(s[from:], '[')
		if i < 0 {
			return shortcode{}, false
		}
		i += from
		from = i + 1
		if i+1 < len(s) && s[i+1] == '[' {
			from = i + 2
			continue
		}
		j := i + 1
		for j < len(s) && (isWordByte(s[j]) || s[j] == '-') {
			j++
		}
		if j == i+1 || j >= len(s) || (s[j] != ' ' && s[j] != ']' && s[j] != '/') {
			continue
		}
		end := strings.IndexByte(s[j:], ']')
		if end < 0 || end > 4096 || strings.ContainsAny(s[j:j+end], "[<") {
			continue
		}
		sc := shortcode{start: i, end: j + end + 1, name: s[i+1 : j], raw: s[j : j+end], attrs: map[string]string{}}
		for _, m := range scAttr.FindAllStringSubmatch(s[j:j+end], -1) {
			k, v := m[1]+m[3]+m[5], m[2]+m[4]+m[6]
			sc.attrs[strings.ToLower(k)] = html.UnescapeString(v)
		}
		if closeAt := strings.Index(s[sc.end:], "[/"+sc.name+"]"); closeAt >= 0 && !strings.HasSuffix(s[j:j+end], "/") {
			sc.inner = s[sc.end : sc.end+closeAt]
			sc.end += closeAt + len("[/"+sc.name+"]")
			sc.closed = true
		}
		return sc, true
	}
	return shortcode{}, false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var imgEnd = regexp.MustCompile(`(?is)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)

// expandShortcodes turns the shortcodes WordPress ships into the HTML they
// stand for ([caption], [gallery], [embed], [video], [audio]) and reports
// the others, which stay as text.
func expandShortcodes(s string, lossy *[]string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	at := 0
	for {
		sc, ok := nextShortcode(s, at)
		if !ok {
			break
		}
		repl, known := shortcodeHTML(sc, lossy)
		if !known {
			if sc.closed || len(sc.attrs) > 0 {
				*lossy = append(*lossy, fmt.Sprintf("shortcode [%s] kept as text: its plugin's output is not in the export", sc.name))
			}
			b.WriteString(s[at : sc.start+1])
			at = sc.start + 1
			continue
		}
		b.WriteString(s[at:sc.start])
		b.WriteString(repl)
		at = sc.end
	}
	b.WriteString(s[at:])
	return b.String()
}

func shortcodeHTML(sc shortcode, lossy *[]string) (string, bool) {
	switch sc.name {
	case "caption", "wp_caption":
		img, caption := sc.inner, sc.attrs["caption"]
		if m := imgEnd.FindStringSubmatch(sc.inner); m != nil {
			img = m[1]
			if c := strings.TrimSpace(m[2]); c != "" {
				caption = c
			}
		}
		return "<figure>" + img + "<figcaption>" + caption + "</figcaption></figure>", true
	case "gallery":
		idList := ids(sc.attrs["ids"] + "," + sc.attrs["include"])
		if len(idList) == 0 {
			*lossy = append(*lossy, "gallery of the images attached to the post dropped: rebuild it from the attachments whose parent is this item")
			return "", true
		}
		var b strings.Builder
		b.WriteString("<ul>")
		for _, id := range idList {
			fmt.Fprintf(&b, `<li><img src="%s%d" alt=""></li>`, AttachmentScheme, id)
		}
		b.WriteString("</ul>")
		*lossy = append(*lossy, fmt.Sprintf("gallery shortcode of %d images turned into a list of images", len(idList)))
		return b.String(), true
	case "embed":
		u := strings.TrimSpace(sc.inner)
		*lossy = append(*lossy, "embed of "+u+" turned into a link")
		return linkHTML(u), true
	case "video", "audio":
		u := sc.attrs["src"]
		for _, k := range []string{"mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a"} {
			if u == "" {
				u = sc.attrs[k]
			}
		}
		if u == "" { // [audio https://…] names its file without a key
			u = bareURL.FindString(sc.raw)
		}
		*lossy = append(*lossy, sc.name+" shortcode turned into a link to "+u)
		return linkHTML(u), true
	}
	return "", false
}

func linkHTML(u string) string {
	e := html.EscapeString(u)
	return `<p><a href="` + e + `">` + e + `</a></p>`
}

var (
	bareURL      = regexp.MustCompile(`https?://[^\s"'\]]+`)
	easyFootnote = regexp.MustCompile(`\(\((.+?)\)\)`)
	bareURLLine  = regexp.MustCompile(`(?m)^[ \t]*(https?://[^\s<>"]+)[ \t]*$`)
	oEmbedHosts  = regexp.MustCompile(`^https?://(?:[a-z0-9-]+\.)*(?:youtube\.com|youtu\.be|vimeo\.com|twitter\.com|x\.com|instagram\.com|pinterest\.[a-z.]+|tiktok\.com|spotify\.com|soundcloud\.com|facebook\.com|flickr\.com|dailymotion\.com|ted\.com|reddit\.com|tumblr\.com)/`)
)

// autoEmbeds turns a URL alone on its line of a classic body, which
// WordPress would have embedded, into a link.
func autoEmbeds(s string, lossy *[]string) string {
	return bareURLLine.ReplaceAllStringFunc(s, func(line string) string {
		u := strings.TrimSpace(line)
		if oEmbedHosts.MatchString(u) {
			*lossy = append(*lossy, "embed of "+u+" turned into a link")
		}
		return linkHTML(u)
	})
}
