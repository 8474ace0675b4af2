package wordpress

import (
	"encoding/xml"
	"errors"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Status is a post status as WordPress stores it.
type Status string

// The statuses WordPress writes; any other is kept as read (see Known).
const (
	StatusPublish Status = "publish"
	StatusDraft   Status = "draft"
	StatusFuture  Status = "future"
	StatusPrivate Status = "private"
	StatusPending Status = "pending"
	StatusTrash   Status = "trash"
	StatusInherit Status = "inherit" // attachments and revisions
	StatusAuto    Status = "auto-draft"
)

// Known reports whether s is one of the statuses WordPress writes.
func (s Status) Known() bool {
	switch s {
	case StatusPublish, StatusDraft, StatusFuture, StatusPrivate, StatusPending, StatusTrash, StatusInherit, StatusAuto:
		return true
	}
	return false
}

// ItemTerm is a category, tag or other term an item is filed under.
type ItemTerm struct {
	Domain   string // "category", "post_tag", "post_format", ...
	Nicename string // the slug
	Name     string
}

// Item is one post, page, attachment, menu item or block of the export,
// as WordPress wrote it plus decoded views (Body, Pins, SEO, OldPaths).
type Item struct {
	ID      int64
	Title   string
	Link    string
	GUID    string
	PubDate time.Time // RSS pubDate; zero for drafts

	// Date is wp:post_date, the site's wall clock, in the site's zone when
	// DateGMT gives it (ZoneKnown), else read as UTC. DateGMT is zero when
	// WordPress left it unset (0000-00-00 00:00:00 on drafts).
	Date      time.Time
	DateGMT   time.Time
	ZoneKnown bool

	Creator   string // the author's login
	Slug      string // wp:post_name, URL-decoded
	Status    Status
	Type      string // "post", "page", "attachment", "nav_menu_item", "wp_block", ...
	Parent    int64
	MenuOrder int
	Sticky    bool
	Password  string
	Excerpt   string // raw HTML
	Content   string // raw HTML

	Terms    []ItemTerm
	Meta     map[string][]string // every wp:postmeta, in order per key
	Comments int                 // comments in the export (not read)

	AttachmentURL string // wp:attachment_url on attachments
	AltText       string // _wp_attachment_image_alt
	AttachedFile  string // _wp_attached_file, relative to uploads
	ThumbnailID   int64  // _thumbnail_id: the featured image's item ID

	Body     Body     // Content converted to Markdown (not for attachments)
	Pins     Pins     // Pinterest plugin meta
	SEO      SEO      // SEO plugin meta
	OldPaths []string // URL paths this item answered at, for redirects
	Notes    []string // what the reader noticed (unknown status, bad date)
}

// Categories returns the item's terms in the category domain.
func (it *Item) Categories() []ItemTerm { return it.termsIn("category") }

// Tags returns the item's terms in the post_tag domain.
func (it *Item) Tags() []ItemTerm { return it.termsIn("post_tag") }

func (it *Item) termsIn(domain string) []ItemTerm {
	var out []ItemTerm
	for _, t := range it.Terms {
		if t.Domain == domain {
			out = append(out, t)
		}
	}
	return out
}

// MetaValue returns the first value of a meta key, or "".
func (it *Item) MetaValue(key string) string {
	if v := it.Meta[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// readItem reads one <item> whose start has been consumed. An oversized
// field leaves the item readable and comes back as an *ItemError.
func (r *Reader) readItem() (*Item, error) {
	r.budget = itemBudget * r.opt.MaxField
	defer func() { r.budget = -1 }()
	it := &Item{Meta: map[string][]string{}}
	var date, dateGMT string
	var bad *ItemError
	tooLarge := func(field string, err error) error {
		if !errors.Is(err, ErrTooLarge) {
			return err
		}
		if bad == nil {
			bad = &ItemError{Field: field, Err: err}
		}
		return nil
	}
	for {
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		name := prefix(t.Name) + ":" + t.Name.Local
		var dst *string
		switch name {
		case ":title":
			dst = &it.Title
		case ":link":
			dst = &it.Link
		case ":guid":
			dst = &it.GUID
		case ":category":
			term := ItemTerm{}
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "domain":
					term.Domain = a.Value
				case "nicename":
					term.Nicename = a.Value
				}
			}
			v, err := r.text()
			if err = tooLarge("category", err); err != nil {
				return nil, err
			}
			term.Name = html.UnescapeString(strings.TrimSpace(v))
			it.Terms = append(it.Terms, term)
			continue
		case "wp:postmeta":
			f, err := r.fields()
			if err != nil {
				if err = tooLarge("meta "+f["meta_key"], err); err != nil {
					return nil, err
				}
				continue
			}
			if k := f["meta_key"]; k != "" {
				it.Meta[k] = append(it.Meta[k], f["meta_value"])
			}
			continue
		case "wp:comment":
			it.Comments++
			if err := r.d.Skip(); err != nil {
				return nil, err
			}
			continue
		}
		v, err := r.text()
		if err = tooLarge(strings.TrimPrefix(name, ":"), err); err != nil {
			return nil, err
		}
		if dst != nil {
			*dst = strings.TrimSpace(v)
			continue
		}
		switch name {
		case ":pubDate":
			it.PubDate, _ = time.Parse(time.RFC1123Z, strings.TrimSpace(v))
		case "dc:creator":
			it.Creator = strings.TrimSpace(v)
		case "content:encoded":
			it.Content = v
		case "excerpt:encoded":
			it.Excerpt = v
		case "wp:post_id":
			it.ID = atoi(v)
		case "wp:post_date":
			date = v
		case "wp:post_date_gmt":
			dateGMT = v
		case "wp:post_name":
			it.Slug = strings.TrimSpace(v)
			if s, err := url.PathUnescape(it.Slug); err == nil {
				it.Slug = s
			}
		case "wp:status":
			it.Status = Status(strings.TrimSpace(v))
		case "wp:post_type":
			it.Type = strings.TrimSpace(v)
		case "wp:post_parent":
			it.Parent = atoi(v)
		case "wp:menu_order":
			it.MenuOrder = int(atoi(v))
		case "wp:is_sticky":
			it.Sticky = strings.TrimSpace(v) == "1"
		case "wp:post_password":
			it.Password = v
		case "wp:attachment_url":
			it.AttachmentURL = strings.TrimSpace(v)
		}
	}
	r.finishItem(it, date, dateGMT)
	if bad != nil {
		bad.ID, bad.Title = it.ID, it.Title
		return it, bad
	}
	return it, nil
}

// finishItem derives the typed views of an item once all of it is read.
func (r *Reader) finishItem(it *Item, date, dateGMT string) {
	it.Title = html.UnescapeString(it.Title)
	if !it.Status.Known() {
		it.Notes = append(it.Notes, "unknown status "+strconv.Quote(string(it.Status))+" kept as read")
	}
	it.Date, it.DateGMT, it.ZoneKnown = parseDates(it, date, dateGMT)
	it.AltText = strings.TrimSpace(it.MetaValue("_wp_attachment_image_alt"))
	it.AttachedFile = it.MetaValue("_wp_attached_file")
	it.ThumbnailID = atoi(it.MetaValue("_thumbnail_id"))
	it.OldPaths = oldPaths(&r.site, it)
	it.Pins = decodePins(it)
	it.SEO = decodeSEO(&r.site, it, r.opt.TitleSeparator)
	if it.Type != "attachment" && !r.opt.SkipBodies {
		it.Body = ConvertHTML(it.Content, it.MetaValue("footnotes"))
	}
}

const wpTime = "2006-01-02 15:04:05"

// parseDates reads post_date and post_date_gmt. The site's zone at that
// moment is the difference between them, rounded to the quarter hour.
func parseDates(it *Item, date, dateGMT string) (local, gmt time.Time, zone bool) {
	date, dateGMT = strings.TrimSpace(date), strings.TrimSpace(dateGMT)
	if dateGMT != "" && !strings.HasPrefix(dateGMT, "0000-00-00") {
		var err error
		if gmt, err = time.Parse(wpTime, dateGMT); err != nil {
			it.Notes = append(it.Notes, "unreadable post_date_gmt "+strconv.Quote(dateGMT))
		}
	}
	if date == "" || strings.HasPrefix(date, "0000-00-00") {
		return time.Time{}, gmt, false
	}
	wall, err := time.Parse(wpTime, date)
	if err != nil {
		it.Notes = append(it.Notes, "unreadable post_date "+strconv.Quote(date))
		return time.Time{}, gmt, false
	}
	if gmt.IsZero() {
		return wall, gmt, false
	}
	offset := wall.Sub(gmt).Round(15 * time.Minute)
	if offset < -14*time.Hour || offset > 14*time.Hour {
		it.Notes = append(it.Notes, "post_date and post_date_gmt are more than 14 hours apart: zone unknown")
		return wall, gmt, false
	}
	loc := time.FixedZone("", int(offset/time.Second))
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc), gmt, true
}

// oldPaths lists the URL paths (with their query) the item was reachable
// at on the old site: its link, the link with each of its old slugs
// (_wp_old_slug, which WordPress redirects from) in place of its slug,
// and the plain ?p= / ?page_id= / ?attachment_id= form WordPress always
// answers.
func oldPaths(site *Site, it *Item) []string {
	var paths []string
	if u, err := url.Parse(it.Link); err == nil && it.Link != "" {
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		paths = append(paths, p)
		if u.RawQuery == "" {
			paths = append(paths, oldSlugPaths(u.EscapedPath(), it)...)
		}
	}
	if it.ID <= 0 {
		return paths
	}
	home := "/"
	if u, err := url.Parse(site.Link); err == nil && u.Path != "" {
		home = strings.TrimSuffix(u.Path, "/") + "/"
	}
	param := "p"
	switch it.Type {
	case "page":
		param = "page_id"
	case "attachment":
		param = "attachment_id"
	}
	plain := home + "?" + param + "=" + strconv.FormatInt(it.ID, 10)
	if len(paths) == 0 || paths[0] != plain {
		paths = append(paths, plain)
	}
	return paths
}

// oldSlugPaths returns path, the item's pretty link, with each of the
// item's old slugs in place of its slug, when the link ends with the
// slug (date, name and page permalinks do; plain ones have no slug).
func oldSlugPaths(path string, it *Item) []string {
	olds := it.Meta["_wp_old_slug"]
	if len(olds) == 0 || it.Slug == "" {
		return nil
	}
	trimmed := strings.TrimSuffix(path, "/")
	i := strings.LastIndexByte(trimmed, '/')
	last, err := url.PathUnescape(trimmed[i+1:])
	if slug, err2 := url.PathUnescape(it.Slug); err != nil || err2 != nil || !strings.EqualFold(last, slug) {
		return nil
	}
	var out []string
	for _, old := range olds {
		old = strings.TrimSpace(old)
		if old == "" || old == it.Slug || strings.ContainsAny(old, "/?#") {
			continue
		}
		out = append(out, trimmed[:i+1]+old+path[len(trimmed):])
	}
	return out
}
