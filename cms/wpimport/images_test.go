package wpimport_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/netguard"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

// att is an attachment item of a test export.
type att struct {
	id   int64
	file string // _wp_attached_file
	alt  string
	meta map[string]string
	url  string // wp:attachment_url when not under BASE/wp-content/uploads/
}

const site = "https://quietnights.example"

// export is a small WordPress export of items (with BASE standing for
// the site's URL) followed by the attachments, as WordPress orders them.
func export(base string, items []string, atts []att) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Quiet Nights</title><link>%[1]s</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>%[1]s</wp:base_site_url><wp:base_blog_url>%[1]s</wp:base_blog_url>
`, base)
	for _, it := range items {
		b.WriteString(strings.ReplaceAll(it, "BASE", base))
	}
	for _, a := range atts {
		u := a.url
		if u == "" {
			u = base + "/wp-content/uploads/" + a.file
		}
		fmt.Fprintf(&b, `<item><title>%[2]s</title><link>%[1]s/?attachment_id=%[3]d</link>
<wp:post_id>%[3]d</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>%[6]s</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[%[4]s]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[%[5]s]]></wp:meta_value></wp:postmeta>
`, base, filepath.Base(a.file), a.id, a.file, a.alt, u)
		for k, v := range a.meta {
			fmt.Fprintf(&b, "<wp:postmeta><wp:meta_key>%s</wp:meta_key><wp:meta_value><![CDATA[%s]]></wp:meta_value></wp:postmeta>\n", k, v)
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// post is a published post item with the given body and meta.
func post(id int64, slug, body string, meta map[string]string) string {
	var m strings.Builder
	for k, v := range meta {
		fmt.Fprintf(&m, "<wp:postmeta><wp:meta_key>%s</wp:meta_key><wp:meta_value><![CDATA[%s]]></wp:meta_value></wp:postmeta>\n", k, v)
	}
	return fmt.Sprintf(`<item><title>Post %[1]d</title><link>BASE/%[2]s/</link>
<content:encoded><![CDATA[%[3]s]]></content:encoded>
<wp:post_id>%[1]d</wp:post_id><wp:post_date>2024-03-10 19:30:00</wp:post_date><wp:post_date_gmt>2024-03-10 19:30:00</wp:post_date_gmt>
<wp:post_name>%[2]s</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
%[4]s</item>
`, id, slug, body, m.String())
}

// The export of most tests: one post using every kind of image, one whose
// featured image is missing from the uploads.
var (
	mediaAtts = []att{
		{id: 501, file: "2024/03/room.jpg", alt: "A dim room with blackout blinds"},
		{id: 502, file: "2024/03/big-scaled.jpg", alt: "A big picture"},
		{id: 503, file: "2024/03/private.jpg", alt: "Not for Pinterest", meta: map[string]string{"swp_pin_button_opt_out": "1"}},
		{id: 504, file: "2024/03/sw-pin.jpg", alt: "The pin"},
		{id: 505, file: "2024/03/tasty.jpg", alt: "Tasty hidden", meta: map[string]string{
			"tp_pinterest_text": "Tasty text for this image", "tp_pinterest_title": "Tasty title"}},
		{id: 506, file: "2024/03/gone.jpg", alt: "Never uploaded"},
		{id: 507, file: "2024/03/nopin.jpg", alt: "Pin me not"},
	}
	mediaBody = `<!-- wp:image -->
<figure class="wp-block-image"><a href="BASE/wp-content/uploads/2024/03/room.jpg"><img src="BASE/wp-content/uploads/2024/03/room-300x200.jpg" alt="Room" class="wp-image-501"/></a></figure>
<!-- /wp:image -->
<!-- wp:paragraph --><p>See <a href="BASE/?attachment_id=502">the big one</a>.</p><!-- /wp:paragraph -->
<!-- wp:image --><figure class="wp-block-image"><img src="BASE/wp-content/uploads/2024/03/big-1024x683.jpg" alt="Big" data-pin-description="Pin this: sleep in big pictures" data-pin-title="Big pin"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="BASE/wp-content/uploads/2024/03/private.jpg" alt="Private" class="wp-image-503"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="BASE/wp-content/uploads/2024/03/nopin.jpg" alt="No pin" data-pin-nopin="true"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="BASE/wp-content/uploads/2024/03/missing.jpg" alt="Missing"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="https://elsewhere.example/cat.jpg" alt="Elsewhere"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="https://elsewhere.example/wp-content/uploads/2024/03/theirs.jpg" alt="Theirs"/></figure><!-- /wp:image -->
<!-- wp:image --><figure class="wp-block-image"><img src="https://i0.wp.com/quietnights.example/wp-content/uploads/2024/03/nopin-600x400.jpg?resize=600" alt="Through a CDN"/></figure><!-- /wp:image -->`
	mediaItems = []string{
		post(10, "images-everywhere", mediaBody, map[string]string{
			"_thumbnail_id":             "501",
			"swp_pinterest_image":       "504",
			"swp_pinterest_description": "Social Warfare says: calm nights",
			"tp_pinterest_hidden_image": "505",
		}),
		post(11, "missing-cover", `<p>A gallery, one of whose images is gone.</p>[gallery ids="502,599"]`, map[string]string{"_thumbnail_id": "506"}),
	}
)

// uploadsDir writes a distinct tiny JPEG for each attachment (but 506)
// and returns the folder and the files' bytes by path.
func uploadsDir(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir, files := t.TempDir(), map[string][]byte{}
	for i, a := range mediaAtts {
		if a.id == 506 {
			continue
		}
		files[a.file] = cmstest.MustJPEG(t, 40+i, 60+i)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, files
}

func opener(b []byte) wpimport.Opener {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// mustImport imports and fails the test on an error.
func mustImport(t *testing.T, svc *cms.Service, data []byte, opt wpimport.Options) *wpimport.Report {
	t.Helper()
	if opt.Actor == nil {
		opt.Actor = cmstest.Owner()
	}
	rep, err := wpimport.Import(context.Background(), svc, opener(data), opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return rep
}

// imported is the post made from item id, with its body.
func imported(t *testing.T, svc *cms.Service, base string, id int64) *cms.Post {
	t.Helper()
	p, err := svc.PostBySource(context.Background(), fmt.Sprintf("wordpress:%s:%d", base, id))
	if err != nil {
		t.Fatalf("post of item %d: %v", id, err)
	}
	if p, err = svc.GetPost(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	return p
}

// mediaByFile maps each media's filename to its id.
func mediaByFile(t *testing.T, svc *cms.Service) map[string]*cms.Media {
	t.Helper()
	ms, _, _, err := svc.ListMedia(context.Background(), cms.MediaFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*cms.Media{}
	for _, m := range ms {
		out[m.Filename] = m
	}
	return out
}

func reportText(rep *wpimport.Report) string {
	var b strings.Builder
	rep.WriteTo(&b)
	return b.String()
}

func TestImagesFromUploads(t *testing.T) {
	f := cmstest.MustService(t)
	dir, _ := uploadsDir(t)
	data := export(site, mediaItems, mediaAtts)
	rep := mustImport(t, f.Svc, data, wpimport.Options{Uploads: dir})
	text := reportText(rep)
	if rep.Created != 2 || rep.MediaNew != 6 || rep.FromUploads != 6 {
		t.Fatalf("created %d posts, %d new media from %d files; want 2, 6, 6\n%s", rep.Created, rep.MediaNew, rep.FromUploads, text)
	}
	media := mediaByFile(t, f.Svc)
	id := func(name string) string {
		t.Helper()
		m := media[name]
		if m == nil {
			t.Fatalf("no media %s in the library (have %v)\n%s", name, media, text)
		}
		return m.ID
	}
	if got := media["room.jpg"].Alt; got != "A dim room with blackout blinds" {
		t.Errorf("room.jpg alt = %q, want the attachment's alt text", got)
	}

	p := imported(t, f.Svc, site, 10)
	t.Run("Cover", func(t *testing.T) {
		if p.Cover == nil || p.Cover.MediaID != id("room.jpg") || p.Cover.Alt != "A dim room with blackout blinds" {
			t.Fatalf("cover = %+v, want room.jpg with its alt", p.Cover)
		}
	})
	t.Run("BodyRewritten", func(t *testing.T) {
		for _, want := range []string{
			"![Room](/media/" + id("room.jpg") + "/w1024)",                    // a size variant of 501, by its class
			"](/media/" + id("room.jpg") + "/original)",                       // the link around it, to the full size
			"[the big one](/media/" + id("big-scaled.jpg") + "/original)",     // the attachment page
			"![Big](/media/" + id("big-scaled.jpg") + "/w1024)",               // a size of a -scaled upload, by its name
			"https://elsewhere.example/cat.jpg",                               // another site's image stays
			"https://elsewhere.example/wp-content/uploads/2024/03/theirs.jpg", // even from its uploads
			"![Through a CDN](/media/" + id("nopin.jpg") + "/w1024)",          // a CDN's copy of hers
			site + "/wp-content/uploads/2024/03/missing.jpg",                  // a missing one stays
		} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, p.Body)
			}
		}
		if strings.Contains(p.Body, "room-300x200.jpg") || strings.Contains(p.Body, "attachment_id") {
			t.Errorf("body still has an old URL:\n%s", p.Body)
		}
	})
	t.Run("Pins", func(t *testing.T) {
		type pin struct {
			file, title, desc string
			hidden            bool
		}
		want := []pin{
			{"sw-pin.jpg", "", "Social Warfare says: calm nights", true},
			{"tasty.jpg", "Tasty title", "Tasty text for this image", true},
			{"big-scaled.jpg", "Big pin", "Pin this: sleep in big pictures", false},
		}
		if len(p.Pins) != len(want) {
			t.Fatalf("%d pins %+v, want %d", len(p.Pins), p.Pins, len(want))
		}
		for i, w := range want {
			got := p.Pins[i]
			if got.MediaID != id(w.file) || got.Title != w.title || got.Description != w.desc || got.Hidden != w.hidden {
				t.Errorf("pin %d = %+v, want %+v", i, got, w)
			}
		}
		if p.Pins[0].Alt != "The pin" || p.Pins[0].Width == 0 {
			t.Errorf("pin 0 alt %q, width %d: want the attachment's alt and the media's size", p.Pins[0].Alt, p.Pins[0].Width)
		}
		noPin := map[string]bool{}
		for _, m := range p.NoPinMediaIDs {
			noPin[m] = true
		}
		if len(noPin) != 2 || !noPin[id("private.jpg")] || !noPin[id("nopin.jpg")] {
			t.Errorf("not pinnable %v, want private.jpg (Social Warfare opt-out) and nopin.jpg (data-pin-nopin)", p.NoPinMediaIDs)
		}
	})
	t.Run("MissingReported", func(t *testing.T) {
		q := imported(t, f.Svc, site, 11)
		if q.Cover != nil {
			t.Errorf("cover %+v for a missing file", q.Cover)
		}
		if !strings.Contains(q.Body, "(/media/"+id("big-scaled.jpg")+"/w1024)") {
			t.Errorf("gallery image 502 not rewritten:\n%s", q.Body)
		}
		for _, want := range []string{
			`item 11 "Post 11": featured image 2024/03/gone.jpg: 2024/03/gone.jpg is not in the uploads folder`,
			`item 11 "Post 11": gallery image: attachment 599 is not in the export`,
			`item 10 "Post 10": image ` + site + `/wp-content/uploads/2024/03/missing.jpg: 2024/03/missing.jpg is not in the uploads folder`,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("RerunAddsNoMedia", func(t *testing.T) {
		rep := mustImport(t, f.Svc, data, wpimport.Options{Uploads: dir})
		if rep.Updated != 2 || rep.MediaNew != 0 || rep.MediaReused != 6 {
			t.Fatalf("re-run: %d updated, %d new media, %d reused; want 2, 0, 6", rep.Updated, rep.MediaNew, rep.MediaReused)
		}
		if n := len(mediaByFile(t, f.Svc)); n != 6 {
			t.Fatalf("%d media after a re-run, want 6", n)
		}
		again := imported(t, f.Svc, site, 10)
		if again.Body != p.Body || again.Cover.MediaID != p.Cover.MediaID || len(again.Pins) != len(p.Pins) {
			t.Fatalf("re-run changed the post:\n%s\n---\n%s", p.Body, again.Body)
		}
	})
}

func TestImagesDryRun(t *testing.T) {
	f := cmstest.MustService(t)
	dir, _ := uploadsDir(t)
	rep := mustImport(t, f.Svc, export(site, mediaItems, mediaAtts), wpimport.Options{Uploads: dir, DryRun: true})
	if rep.FromUploads != 6 || rep.Downloaded != 0 || len(rep.Images) != 3 {
		t.Fatalf("dry run: %d to copy, %d to download, %d missing; want 6, 0, 3\n%s", rep.FromUploads, rep.Downloaded, len(rep.Images), reportText(rep))
	}
	if n := len(mediaByFile(t, f.Svc)); n != 0 {
		t.Fatalf("a dry run stored %d media", n)
	}
	if !strings.Contains(reportText(rep), "Images that would be copied from the uploads folder: 6, downloaded: 0") {
		t.Errorf("report:\n%s", reportText(rep))
	}
}

func TestImagesWithoutSource(t *testing.T) {
	f := cmstest.MustService(t)
	rep := mustImport(t, f.Svc, export(site, mediaItems, mediaAtts), wpimport.Options{})
	if rep.Created != 2 || rep.MediaNew != 0 {
		t.Fatalf("created %d, media %d; want 2 posts, no media", rep.Created, rep.MediaNew)
	}
	if want := "no --uploads folder given and downloads are off (--download)"; !strings.Contains(reportText(rep), want) {
		t.Errorf("report lacks %q:\n%s", want, reportText(rep))
	}
	if p := imported(t, f.Svc, site, 10); p.Cover != nil || !strings.Contains(p.Body, "room-300x200.jpg") {
		t.Errorf("without images the post keeps its URLs and has no cover: %+v\n%s", p.Cover, p.Body)
	}
}

func TestImagesDownloaded(t *testing.T) {
	f := cmstest.MustService(t)
	_, files := uploadsDir(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		data, ok := files[strings.TrimPrefix(r.URL.Path, "/wp-content/uploads/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	defer srv.Close()
	data := export(srv.URL, mediaItems, mediaAtts)
	guard := netguard.New(netguard.Options{AllowPrivate: true, MaxBytes: f.Svc.MaxUploadBytes()})
	rep := mustImport(t, f.Svc, data, wpimport.Options{Download: true, Guard: guard})
	text := reportText(rep)
	if rep.Downloaded != 6 || rep.MediaNew != 6 {
		t.Fatalf("downloaded %d, new media %d; want 6, 6\n%s", rep.Downloaded, rep.MediaNew, text)
	}
	p := imported(t, f.Svc, srv.URL, 10)
	if p.Cover == nil || p.Cover.Alt != "A dim room with blackout blinds" || len(p.Pins) != 3 {
		t.Fatalf("cover %+v, %d pins", p.Cover, len(p.Pins))
	}
	if want := "download of " + srv.URL + "/wp-content/uploads/2024/03/gone.jpg failed: " + srv.URL + "/wp-content/uploads/2024/03/gone.jpg answered 404 Not Found"; !strings.Contains(text, want) {
		t.Errorf("report lacks %q:\n%s", want, text)
	}

	t.Run("DryRun", func(t *testing.T) {
		before := hits.Load()
		rep := mustImport(t, cmstest.MustService(t).Svc, data, wpimport.Options{Download: true, Guard: guard, DryRun: true})
		if rep.Downloaded != 8 || hits.Load() != before {
			t.Fatalf("dry run: %d would be downloaded (want the 8 images used), server hit %d times (want 0)\n%s", rep.Downloaded, hits.Load()-before, reportText(rep))
		}
	})
	t.Run("PrivateAddressRefused", func(t *testing.T) {
		before := hits.Load()
		g := wpimport.Options{Download: true} // the default guard: no private addresses
		rep := mustImport(t, cmstest.MustService(t).Svc, data, g)
		if rep.Downloaded != 0 || rep.Created != 2 || hits.Load() != before {
			t.Fatalf("downloaded %d (server hit %d times), created %d", rep.Downloaded, hits.Load()-before, rep.Created)
		}
		if !strings.Contains(reportText(rep), "download refused") && !strings.Contains(reportText(rep), "not allowed") {
			t.Errorf("report does not say the download was refused:\n%s", reportText(rep))
		}
	})
}

func TestUploadsStayInside(t *testing.T) {
	f := cmstest.MustService(t)
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.jpg")
	if err := os.WriteFile(outside, cmstest.MustJPEG(t, 30, 30), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "2024"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "2024", "link.jpg")); err != nil {
		t.Fatal(err)
	}
	atts := []att{{id: 601, file: "2024/link.jpg"}, {id: 602, file: "../" + filepath.Base(filepath.Dir(outside)) + "/secret.jpg"}}
	items := []string{post(20, "a", "<p>x</p>", map[string]string{"_thumbnail_id": "601"}), post(21, "b", "<p>y</p>", map[string]string{"_thumbnail_id": "602"})}
	rep := mustImport(t, f.Svc, export(site, items, atts), wpimport.Options{Uploads: dir})
	if rep.MediaNew != 0 || len(rep.Images) != 2 || rep.Created != 2 {
		t.Fatalf("media %d, image lines %d, created %d; want 0, 2, 2\n%s", rep.MediaNew, len(rep.Images), rep.Created, reportText(rep))
	}
}

// TestDownloadRefused: attachment URLs on a private or loopback address,
// or not http(s), are never fetched; each is reported and the posts are
// imported.
func TestDownloadRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	atts := []att{
		{id: 701, file: "2024/03/a.jpg", url: "file:///var/www/wp-content/uploads/2024/03/a.jpg"},
		{id: 702, file: "2024/03/b.jpg", url: "http://169.254.169.254/wp-content/uploads/2024/03/b.jpg"},
		{id: 703, file: "2024/03/c.jpg", url: srv.URL + "/wp-content/uploads/2024/03/c.jpg"},
		{id: 704, file: "2024/03/d.jpg", url: "http://[fd00::1]/wp-content/uploads/2024/03/d.jpg"},
	}
	var items []string
	for i, a := range atts {
		items = append(items, post(int64(30+i), fmt.Sprintf("p%d", i), "<p>x</p>", map[string]string{"_thumbnail_id": fmt.Sprint(a.id)}))
	}
	f := cmstest.MustService(t)
	rep := mustImport(t, f.Svc, export(site, items, atts), wpimport.Options{Download: true})
	text := reportText(rep)
	if rep.Created != 4 || rep.Downloaded != 0 || len(rep.Images) != 4 || hits.Load() != 0 {
		t.Fatalf("created %d, downloaded %d, %d image lines, server hit %d times; want 4, 0, 4, 0\n%s", rep.Created, rep.Downloaded, len(rep.Images), hits.Load(), text)
	}
	for _, want := range []string{"scheme file: only http and https are fetched", "169.254.169.254 is a link-local address",
		"127.0.0.1 is a loopback address", "fd00::1 is an IPv6 unique local address"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}
