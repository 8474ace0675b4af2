package wpimport

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/wordpress"
)

// Opener opens the export from its start. Import calls it twice: the
// attachments come after the posts that use them in a WordPress export,
// so a first pass indexes them and a second imports the posts.
type Opener func() (io.ReadCloser, error)

// attachment is what the import keeps of one attachment item between
// the passes: a few short strings, never a body, so memory stays small
// whatever the size of the export.
type attachment struct {
	ID       int64
	URL      string // wp:attachment_url
	File     string // _wp_attached_file, relative to wp-content/uploads
	Link     string // the attachment page
	Alt      string
	PinText  string // Tasty Pins description of this image
	PinTitle string // Tasty Pins title of this image
	NoPin    bool   // Social Warfare opt-out
}

// attachments indexes the export's attachments by id, by the path of
// their file under the uploads folder and by their page's URL.
type attachments struct {
	byID   map[int64]*attachment
	byFile map[string]int64 // "2021/03/x.jpg" -> id
	byPage map[string]int64 // attachment page URL (no scheme, no slash at the end) -> id
	hosts  map[string]bool  // the hosts of the attachments' URLs
	items  int              // every item of the export, of any type
}

func newAttachments() *attachments {
	return &attachments{byID: map[int64]*attachment{}, byFile: map[string]int64{}, byPage: map[string]int64{}, hosts: map[string]bool{}}
}

// index reads the whole export once and keeps its attachments. A reading
// error after the header ends the pass quietly with what was read: the
// import pass meets the same error and reports it.
func index(ctx context.Context, open Opener) (*attachments, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	rd, err := wordpress.NewReader(rc, wordpress.Options{SkipBodies: true})
	if err != nil {
		return nil, err
	}
	idx := newAttachments()
	for it, err := range rd.Items() {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ie *wordpress.ItemError
		if err != nil && !errors.As(err, &ie) {
			break
		}
		idx.items++
		if it != nil && it.Type == "attachment" && it.ID > 0 {
			idx.add(it)
		}
	}
	return idx, nil
}

func (x *attachments) add(it *wordpress.Item) {
	a := &attachment{ID: it.ID, URL: it.AttachmentURL, File: strings.TrimLeft(it.AttachedFile, "/"), Link: it.Link,
		Alt:     clip(strings.Join(strings.Fields(it.AltText), " "), cms.MaxAltLength), // as the library and covers take it
		PinText: it.Pins.Text, PinTitle: it.Pins.Title, NoPin: it.Pins.NoPin}
	x.byID[a.ID] = a
	if a.File == "" {
		a.File = uploadsPath(a.URL)
	}
	if a.File != "" { // by its own name and by the name its renditions derive from
		x.byFile[a.File] = a.ID
		x.byFile[original(a.File)] = a.ID
	}
	if a.Link != "" {
		x.byPage[pageKey(a.Link)] = a.ID
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		x.hosts[strings.ToLower(u.Hostname())] = true
	}
}

// uploadsPath is the part of a URL after /wp-content/uploads/ (or after
// /uploads/ of a multisite's /files/), "" when it has none.
func uploadsPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	p := u.Path
	for _, marker := range []string{"/wp-content/uploads/", "/uploads/"} {
		if i := strings.LastIndex(p, marker); i >= 0 {
			return p[i+len(marker):]
		}
	}
	return ""
}

// pageKey is a URL without scheme, query order or trailing slash, for
// matching links to attachment pages: http and https, with and without
// the slash, all lead to the same page.
func pageKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	key := strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
	if id := u.Query().Get("attachment_id"); id != "" {
		key += "?attachment_id=" + id
	}
	return key
}
