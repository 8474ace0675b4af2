package wpimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/lullabycms/lullaby/cms/netguard"
)

// Where an image's bytes come from, for the report.
const (
	fromUploads  = "uploads"
	fromDownload = "download"
)

// imageRef is one image of the export the import may bring over: an
// attachment, or a file under the uploads folder known only by its URL.
type imageRef struct {
	key  string      // what the run's cache knows it by
	att  *attachment // nil for a file with no attachment item
	file string      // path under the uploads folder ("" if unknown)
	url  string      // absolute URL to download it from ("" if unknown)
}

// mediaResult is what became of one imageRef in this run.
type mediaResult struct {
	id  string // the media's id; "" when it was not imported (or in a dry run)
	why string // why it was not imported, for the report
}

// sizeSuffix matches what WordPress appends to the name of an upload's
// renditions: "-300x200" (a size), "-scaled" and "-rotated" (big-image
// handling since 5.3), "-e1612345678901" (an edit in the media editor).
var sizeSuffix = regexp.MustCompile(`(?:-\d+x\d+|-scaled|-rotated|-e\d{13})+(\.[A-Za-z0-9]+)$`)

// original is the uploads path of the file a rendition was made from.
func original(file string) string { return sizeSuffix.ReplaceAllString(file, "$1") }

// ref returns the image a URL of the export stands for, or nil when the
// URL is not one of the site's uploads (an image on another site stays
// as it is). attID, when known (class="wp-image-N"), wins over the URL.
func (im *importer) ref(raw string, attID int64) *imageRef {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	if strings.HasPrefix(raw, "wp-attachment:") {
		attID, _ = strconv.ParseInt(strings.TrimPrefix(raw, "wp-attachment:"), 10, 64)
	}
	if a := im.atts.byID[attID]; a != nil {
		return im.attRef(a)
	}
	if a := im.atts.byPageURL(raw); a != nil {
		return im.attRef(a)
	}
	file := uploadsPath(raw)
	if !isImageFile(file) {
		return nil
	}
	if id, ok := im.atts.byFile[original(file)]; ok {
		return im.attRef(im.atts.byID[id]) // whatever the host: a CDN's copy is hers too
	}
	if !im.ownHost(raw) {
		return nil // another site's uploads
	}
	return &imageRef{key: "file:" + file, file: file, url: im.absolute(raw)}
}

// ownHost reports whether a URL is relative or on one of the site's
// hosts: its home, where WordPress is installed, or where its
// attachments are.
func (im *importer) ownHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Host == "" {
		return true
	}
	host := strings.ToLower(u.Hostname())
	if im.atts.hosts[host] {
		return true
	}
	for _, s := range []string{im.site.Link, im.site.BaseSiteURL, im.site.BaseBlogURL} {
		if v, err := url.Parse(s); err == nil && strings.EqualFold(v.Hostname(), host) {
			return true
		}
	}
	return false
}

// isImageFile reports whether an uploads path names an image the media
// library takes; a PDF or a video stays a link to the old site.
func isImageFile(file string) bool {
	switch strings.ToLower(path.Ext(file)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// attRef is the image of an attachment, or nil when it is not an image.
func (im *importer) attRef(a *attachment) *imageRef {
	if !isImageFile(a.File) && !isImageFile(uploadsPath(a.URL)) {
		return nil
	}
	u := a.URL
	if u == "" && a.File != "" {
		u = strings.TrimRight(im.uploadsURL(), "/") + "/" + a.File
	}
	return &imageRef{key: "attachment:" + strconv.FormatInt(a.ID, 10), att: a, file: a.File, url: im.absolute(u)}
}

// uploadsURL is where the site kept its uploads, for attachments that
// give only their file.
func (im *importer) uploadsURL() string {
	base := im.site.BaseSiteURL
	if base == "" {
		base = im.site.Link
	}
	return strings.TrimRight(base, "/") + "/wp-content/uploads/"
}

// absolute resolves a URL against the site's home ("" when it cannot).
func (im *importer) absolute(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		return u.String()
	}
	base, err := url.Parse(im.site.Link)
	if err != nil || !base.IsAbs() {
		return ""
	}
	return base.ResolveReference(u).String()
}

// byPageURL returns the attachment whose page the link leads to.
func (x *attachments) byPageURL(link string) *attachment {
	if k := pageKey(link); k != "" {
		if id, ok := x.byPage[k]; ok {
			return x.byID[id]
		}
	}
	return nil
}

// media brings one image into the media library (once per run: the
// result is kept) and returns its media id, or why it could not.
//
// A re-run does not duplicate media because the library keeps one media
// per content (UploadMedia matches the SHA-256 of the bytes): the same
// file read again, or the same picture uploaded twice to WordPress, or
// one she had already uploaded to Lullaby by hand, is the media that is
// there. A source key would have needed a field and an index on media
// and would still have duplicated the same bytes under two names.
func (im *importer) media(ctx context.Context, r *imageRef) mediaResult {
	if res, ok := im.done[r.key]; ok {
		return res
	}
	res := im.fetchMedia(ctx, r)
	im.done[r.key] = res
	return res
}

func (im *importer) fetchMedia(ctx context.Context, r *imageRef) mediaResult {
	data, from, err := im.imageBytes(ctx, r)
	if err != nil {
		return mediaResult{why: err.Error()}
	}
	if im.opt.DryRun {
		im.rep.mediaFrom(from)
		return mediaResult{}
	}
	name, alt := path.Base(r.file), ""
	if r.file == "" {
		if u, err := url.Parse(r.url); err == nil {
			name = path.Base(u.Path)
		}
	}
	if r.att != nil {
		alt = r.att.Alt
	}
	m, created, err := im.svc.UploadMediaStatus(ctx, im.opt.Actor, name, alt, bytes.NewReader(data))
	if err != nil {
		return mediaResult{why: describe(err)}
	}
	im.rep.mediaFrom(from)
	im.rep.mediaSaved(created)
	if im.opt.Progress != nil {
		verb := "added"
		if !created {
			verb = "already in the media library:"
		}
		im.opt.Progress(fmt.Sprintf("image %s %s (%s)", verb, name, from))
	}
	return mediaResult{id: m.ID}
}

// imageBytes reads the image from the uploads folder, else (when allowed)
// downloads it. In a dry run it only checks the file is there, and
// fetches nothing.
func (im *importer) imageBytes(ctx context.Context, r *imageRef) ([]byte, string, error) {
	var problems []string
	if im.root != nil {
		if r.file == "" {
			problems = append(problems, "not under the uploads folder")
		} else {
			data, err := im.readUpload(r.file)
			if err == nil {
				return data, fromUploads, nil
			}
			problems = append(problems, err.Error())
		}
	}
	switch {
	case im.guard != nil && r.url != "":
		if im.opt.DryRun {
			if _, err := im.guard.CheckURL(r.url); err != nil {
				return nil, "", errors.New(strings.Join(append(problems, "download refused: "+err.Error()), "; "))
			}
			return nil, fromDownload, nil
		}
		data, err := im.guard.Fetch(ctx, r.url)
		if err == nil {
			return data, fromDownload, nil
		}
		if errors.Is(err, netguard.ErrTooLarge) {
			err = fmt.Errorf("larger than the upload limit of %d MiB", im.svc.MaxUploadBytes()>>20)
		}
		problems = append(problems, "download of "+r.url+" failed: "+err.Error())
	case im.guard != nil:
		problems = append(problems, "no URL to download it from")
	case im.root == nil:
		problems = append(problems, "no --uploads folder given and downloads are off (--download)")
	}
	return nil, "", errors.New(strings.Join(problems, "; "))
}

// readUpload reads a file under the uploads folder. os.Root refuses a
// name that leaves the folder, by ".." or by a symbolic link pointing
// outside it. In a dry run it only checks that a regular file is there.
func (im *importer) readUpload(file string) ([]byte, error) {
	name := path.Clean(strings.TrimLeft(file, "/"))
	if name == "." || strings.HasPrefix(name, "../") || name == ".." || strings.Contains(name, "\\") {
		return nil, fmt.Errorf("%s is not a path inside the uploads folder", file)
	}
	f, err := im.root.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not in the uploads folder", name)
		}
		return nil, fmt.Errorf("%s in the uploads folder: %v", name, stripRoot(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in the uploads folder is not a file", name)
	}
	limit := im.svc.MaxUploadBytes()
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is larger than the upload limit of %d MiB", name, limit>>20)
	}
	if im.opt.DryRun {
		return nil, nil
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// stripRoot is an os.Root error without the repetition of the name.
func stripRoot(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openUploads opens the uploads folder, or returns nil for "".
func openUploads(dir string) (*os.Root, error) {
	if dir == "" {
		return nil, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("uploads folder: %w", err)
	}
	return root, nil
}

// mediaURL is the URL a body uses for a media's variant.
func mediaURL(id, variant string) string { return "/media/" + id + "/" + variant }
