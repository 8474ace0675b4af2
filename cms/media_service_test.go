package cms_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/imaging"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"golang.org/x/image/webp"
)

// MustMediaService returns a service over a fresh database.
func MustMediaService(tb testing.TB, maxUpload int64) (*cms.Service, *mongodb.DB) {
	tb.Helper()
	f := cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.MaxUploadBytes = maxUpload })
	return f.Svc, f.DB
}

func TestUploadMediaStripsEXIFAndOrients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)
	// Stored 400x200; Orientation 6 means "rotate 90° clockwise to show".
	upload := cmstest.WithEXIF(cmstest.MustJPEG(t, 400, 200), 6)
	if !bytes.Contains(upload, []byte("SECRET-GPS-PLACE")) {
		t.Fatal("the test upload carries no GPS data")
	}
	owner := &cms.User{ID: cms.NewID()}
	m, err := svc.UploadMedia(ctx, owner, "../../etc/baby\x00.jpg", "A sleeping baby", bytes.NewReader(upload))
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 200 || m.Height != 400 {
		t.Errorf("size = %dx%d, want 200x400 (orientation applied)", m.Width, m.Height)
	}
	if m.Filename != "baby.jpg" || m.ContentType != "image/jpeg" || m.UploadedBy != owner.ID {
		t.Errorf("filename, type, uploader = %q, %q, %q", m.Filename, m.ContentType, m.UploadedBy)
	}
	var names []string
	for _, v := range m.Variants {
		names = append(names, v.Name)
		got, data, err := svc.MediaVariant(ctx, m.ID, v.Name)
		if err != nil {
			t.Fatalf("variant %s: %v", v.Name, err)
		}
		if got.ETag != v.ETag || int64(len(data)) != v.Bytes {
			t.Errorf("variant %s: etag %s bytes %d, want %s %d", v.Name, got.ETag, len(data), v.ETag, v.Bytes)
		}
		for _, leak := range []string{"Exif", "SECRET-GPS-PLACE", "\xFF\xE1"} {
			if bytes.Contains(data, []byte(leak)) {
				t.Errorf("variant %s still contains %q", v.Name, leak)
			}
		}
		img, err := decodeVariant(v, data)
		if err != nil {
			t.Fatalf("variant %s does not decode as %s: %v", v.Name, v.ContentType, err)
		}
		if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
			t.Errorf("variant %s is %dx%d, metadata says %dx%d", v.Name, b.Dx(), b.Dy(), v.Width, v.Height)
		}
	}
	if want := "thumb w640 w1024 w1600 pin social original thumb.webp w640.webp w1024.webp w1600.webp pin.webp social.webp"; strings.Join(names, " ") != want {
		t.Errorf("variants = %v, want %s", names, want)
	}
	// The red marker was top-left as stored; turned clockwise it is
	// top-right.
	_, data, _ := svc.MediaVariant(ctx, m.ID, "original")
	img, _ := jpeg.Decode(bytes.NewReader(data))
	if !cmstest.IsMarker(img.At(195, 5)) || cmstest.IsMarker(img.At(5, 5)) {
		t.Errorf("marker not moved: top-right %v, top-left %v", img.At(195, 5), img.At(5, 5))
	}
	for name, size := range map[string][2]int{"pin": {1000, 1500}, "social": {1200, 630}, "thumb": {200, 400}, "w640": {200, 400},
		"pin.webp": {1000, 1500}, "social.webp": {1200, 630}, "thumb.webp": {200, 400}} {
		v, _ := m.Variant(name)
		if v.Width != size[0] || v.Height != size[1] {
			t.Errorf("%s = %dx%d, want %dx%d", name, v.Width, v.Height, size[0], size[1])
		}
	}
}

// decodeVariant decodes a stored variant by its content type.
func decodeVariant(v cms.MediaVariant, data []byte) (image.Image, error) {
	switch v.ContentType {
	case "image/webp":
		return webp.Decode(bytes.NewReader(data))
	case "image/png":
		return png.Decode(bytes.NewReader(data))
	}
	return jpeg.Decode(bytes.NewReader(data))
}

func TestUploadMediaDedupes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db := MustMediaService(t, 0)
	data := cmstest.MustJPEG(t, 64, 48)
	a, err := svc.UploadMedia(ctx, nil, "a.jpg", "", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.UploadMedia(ctx, nil, "b.jpg", "other", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || b.Filename != "a.jpg" {
		t.Errorf("second upload = %s %q, want the first, %s", b.ID, b.Filename, a.ID)
	}
	if _, n, err := db.ListMedia(ctx, cms.MediaFilter{Page: 1, Limit: 10}); err != nil || n != 1 {
		t.Errorf("stored %d media (%v), want 1", n, err)
	}
}

func TestUploadMediaRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db := MustMediaService(t, 64<<10)
	jpg := cmstest.MustJPEG(t, 300, 200)
	cases := []struct {
		name string
		data []byte
		kind cms.Kind
		msg  string
	}{
		{"PNGBomb", cmstest.PNGBomb(100000, 100000), cms.KindInvalid, "100000x100000"},
		{"TallPNG", cmstest.PNGBomb(10, 20000), cms.KindInvalid, "pixels"},
		{"TruncatedJPEG", jpg[:len(jpg)/2], cms.KindInvalid, "damaged"},
		{"HTMLRenamed", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), cms.KindInvalid, "text/html"},
		{"SVG", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), cms.KindInvalid, "SVG"},
		{"TIFF", []byte("II*\x00\x08\x00\x00\x00"), cms.KindInvalid, "TIFF"},
		{"BMP", []byte("BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), cms.KindInvalid, "BMP"},
		{"Empty", nil, cms.KindInvalid, "empty"},
		{"TooLarge", bytes.Repeat([]byte{0xFF}, 64<<10+1), cms.KindTooLarge, "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.UploadMedia(ctx, nil, "x.jpg", "", bytes.NewReader(tc.data))
			if !cms.IsKind(err, tc.kind) || cms.ErrorFields(err)["file"] == "" {
				t.Fatalf("err = %v, want %s naming file", err, tc.kind)
			}
			if !strings.Contains(cms.ErrorMessage(err), tc.msg) {
				t.Errorf("message %q does not mention %q", cms.ErrorMessage(err), tc.msg)
			}
		})
	}
	if _, n, _ := db.ListMedia(ctx, cms.MediaFilter{Page: 1, Limit: 10}); n != 0 {
		t.Errorf("%d media stored after refusals", n)
	}
	long := strings.Repeat("a", 1001)
	if _, err := svc.UploadMedia(ctx, nil, "x.jpg", long, bytes.NewReader(jpg)); cms.ErrorFields(err)["alt"] == "" {
		t.Errorf("long alt: err = %v, want Invalid naming alt", err)
	}
}

// failingImages is an ImageProcessor that fails with err.
type failingImages struct{ err error }

func (f failingImages) ProcessImage(context.Context, []byte, func(string, string, int, int, []byte)) (string, int, int, error) {
	return "", 0, 0, f.err
}

// TestUploadMediaProcessorErrors checks how the service words what its
// ImageProcessor fails with: an upload canceled while it waits for
// others is Unavailable, anything unexplained Internal, and a service
// wired without a processor refuses every upload. Nothing is stored.
func TestUploadMediaProcessorErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	cases := []struct {
		name   string
		images cms.ImageProcessor
		kind   cms.Kind
	}{
		{"Canceled", failingImages{fmt.Errorf("waiting: %w", context.Canceled)}, cms.KindUnavailable},
		{"DeadlineExceeded", failingImages{fmt.Errorf("waiting: %w", context.DeadlineExceeded)}, cms.KindUnavailable},
		{"EncoderFailed", failingImages{errors.New("encoder broke")}, cms.KindInternal},
		{"NoProcessor", nil, cms.KindInternal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := cmstest.MustServiceOn(t, db, func(c *cms.ServiceConfig) { c.Images = tc.images }).Svc
			if _, err := svc.UploadMedia(ctx, nil, "x.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 30, 20))); !cms.IsKind(err, tc.kind) {
				t.Fatalf("err = %v (%s), want %s", err, cms.ErrorKind(err), tc.kind)
			}
		})
	}
	if _, n, _ := db.ListMedia(ctx, cms.MediaFilter{Page: 1, Limit: 10}); n != 0 {
		t.Errorf("%d media stored after failures", n)
	}
}

func TestUploadMediaFormats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)

	// Transparent PNG stays PNG.
	trans := image.NewNRGBA(image.Rect(0, 0, 50, 40))
	trans.SetNRGBA(1, 1, color.NRGBA{R: 255, A: 128})
	m, err := svc.UploadMedia(ctx, nil, "t.png", "", bytes.NewReader(cmstest.MustPNG(t, trans)))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range m.Variants {
		want := "image/png"
		if strings.HasSuffix(v.Name, imaging.WebPSuffix) {
			want = "image/webp"
		}
		if v.ContentType != want {
			t.Errorf("transparent PNG variant %s is %s, want %s", v.Name, v.ContentType, want)
		}
	}
	_, data, _ := svc.MediaVariant(ctx, m.ID, "thumb.webp")
	if img, err := webp.Decode(bytes.NewReader(data)); err != nil {
		t.Error(err)
	} else if o, ok := img.(interface{ Opaque() bool }); !ok || o.Opaque() {
		t.Errorf("the WebP rendition of a transparent PNG lost its alpha channel (%T)", img)
	}
	_, data, _ = svc.MediaVariant(ctx, m.ID, "original")
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Error(err)
	}

	// Opaque PNG becomes JPEG.
	m, err = svc.UploadMedia(ctx, nil, "o.png", "", bytes.NewReader(cmstest.MustPNG(t, cmstest.TestImage(30, 20))))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Variant("original"); v.ContentType != "image/jpeg" || m.ContentType != "image/png" {
		t.Errorf("opaque PNG: original %s, upload %s", v.ContentType, m.ContentType)
	}

	// Animated GIF: the first frame.
	pal := color.Palette{color.Black, color.White}
	f1, f2 := image.NewPaletted(image.Rect(0, 0, 20, 10), pal), image.NewPaletted(image.Rect(0, 0, 20, 10), pal)
	for i := range f2.Pix {
		f2.Pix[i] = 1
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{f1, f2}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	m, err = svc.UploadMedia(ctx, nil, "a.gif", "", bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	_, data, _ = svc.MediaVariant(ctx, m.ID, "original")
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := img.At(5, 5).RGBA(); r > 0x2000 {
		t.Errorf("GIF original is not the (black) first frame: %v", img.At(5, 5))
	}
}

func TestMediaCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)
	m, err := svc.UploadMedia(ctx, nil, "nap.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 20, 20)))
	if err != nil {
		t.Fatal(err)
	}
	alt, v := "Baby napping", 1
	got, err := svc.UpdateMedia(ctx, nil, m.ID, cms.MediaInput{Alt: &alt, Version: &v})
	if err != nil || got.Alt != alt || got.Version != 2 {
		t.Fatalf("UpdateMedia = %+v, %v", got, err)
	}
	if _, err := svc.UpdateMedia(ctx, nil, m.ID, cms.MediaInput{Alt: &alt, Version: &v}); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("stale update: %v, want Conflict", err)
	}
	items, total, f, err := svc.ListMedia(ctx, cms.MediaFilter{Query: "NAPPING"})
	if err != nil || total != 1 || len(items) != 1 || f.Limit != 20 {
		t.Errorf("ListMedia(q) = %d items, total %d, %v", len(items), total, err)
	}
	if _, total, _, _ := svc.ListMedia(ctx, cms.MediaFilter{Query: "none"}); total != 0 {
		t.Errorf("ListMedia(none) total = %d", total)
	}
	if _, _, err := svc.MediaVariant(ctx, m.ID, "huge"); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("unknown variant: %v", err)
	}
	if err := svc.DeleteMedia(ctx, nil, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GetMedia(ctx, m.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if _, err := svc.GetMedia(ctx, "nope"); !cms.IsKind(err, cms.KindInvalid) {
		t.Errorf("malformed id: %v", err)
	}
}

// TestSweepMediaKeepsStoredMedia sweeps, directly and from the scheduler,
// with a clock two hours ahead: every file of a stored media is then past
// the grace period, and none may go. (cms/mongodb's tests leave real
// orphans and see them swept.)
func TestSweepMediaKeepsStoredMedia(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var logs cmstest.SyncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := cmstest.MustService(t, func(c *cms.ServiceConfig) {
		c.Logger, c.Now = log, func() time.Time { return time.Now().Add(2 * time.Hour) }
	})
	svc := f.Svc
	m, err := svc.UploadMedia(ctx, nil, "nap.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 40, 30)))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.SweepMedia(ctx); err != nil || n != 0 {
		t.Fatalf("SweepMedia = %d, %v; want 0", n, err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); svc.RunScheduler(sctx, 10*time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "no orphaned media files") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	if !strings.Contains(logs.String(), "no orphaned media files") {
		t.Fatalf("the scheduler did not sweep; log:\n%s", logs.String())
	}
	for _, v := range m.Variants {
		if _, _, err := svc.MediaVariant(ctx, m.ID, v.Name); err != nil {
			t.Errorf("variant %s after the sweeps: %v", v.Name, err)
		}
	}
}
