package imaging_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"golang.org/x/image/webp"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/imaging"
)

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	photo := cmstest.MustJPEG(t, 40, 20)
	if got := imaging.JPEGOrientation(photo); got != 1 {
		t.Errorf("no EXIF: orientation %d, want 1", got)
	}
	for o := uint16(1); o <= 8; o++ {
		if got := imaging.JPEGOrientation(cmstest.WithEXIF(photo, o)); got != int(o) {
			t.Errorf("EXIF orientation %d read as %d", o, got)
		}
	}
	withSix := cmstest.WithEXIF(photo, 6)
	for n := 0; n < 200 && n < len(withSix); n++ {
		if got := imaging.JPEGOrientation(withSix[:n]); got < 1 || got > 8 {
			t.Fatalf("truncated to %d bytes: orientation %d", n, got)
		}
	}
	for _, bad := range [][]byte{nil, {0xff}, {0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff}, []byte("not a jpeg at all")} {
		if got := imaging.JPEGOrientation(bad); got != 1 {
			t.Errorf("JPEGOrientation(%q) = %d, want 1", bad, got)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	f.Add(cmstest.WithEXIF(cmstest.MustJPEG(f, 8, 8), 6))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		if got := imaging.JPEGOrientation(data); got < 1 || got > 8 {
			t.Fatalf("orientation %d", got)
		}
	})
}

// exifSource returns the pixel of a w x h stored image that EXIF
// orientation o shows at (x, y): the definition of the eight
// orientations, written out independently of imaging.Orient.
func exifSource(o, w, h, x, y int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, h - 1 - x
	case 7:
		return w - 1 - y, h - 1 - x
	case 8:
		return w - 1 - y, x
	}
	return x, y
}

// patterned returns a w x h YCbCr image of the ratio whose every sample
// differs from its neighbours.
func patterned(w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	for i := range img.Y {
		img.Y[i] = uint8(i*7 + i/w)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*13+5), uint8(255-i*3)
	}
	return img
}

func TestOrient(t *testing.T) {
	t.Parallel()
	ratios := map[string]image.YCbCrSubsampleRatio{
		"444": image.YCbCrSubsampleRatio444, "422": image.YCbCrSubsampleRatio422,
		"420": image.YCbCrSubsampleRatio420, "440": image.YCbCrSubsampleRatio440,
		"411": image.YCbCrSubsampleRatio411, // no turned ratio: through imglib
	}
	for o := 1; o <= 8; o++ {
		for rname, ratio := range ratios {
			for _, size := range [][2]int{{8, 4}, {12, 20}, {7, 5}, {1, 3}} {
				w, h := size[0], size[1]
				src := patterned(w, h, ratio)
				got := imaging.Orient(src, o)
				wantW, wantH := w, h
				if o >= 5 {
					wantW, wantH = h, w
				}
				if b := got.Bounds(); b != image.Rect(0, 0, wantW, wantH) {
					t.Fatalf("o=%d %s %dx%d: bounds %v, want %dx%d", o, rname, w, h, b, wantW, wantH)
				}
				if ycc, ok := got.(*image.YCbCr); ok {
					// The luma plane moves exactly, whatever the size.
					for y := range wantH {
						for x := range wantW {
							sx, sy := exifSource(o, w, h, x, y)
							if g, want := ycc.Y[ycc.YOffset(x, y)], src.Y[src.YOffset(sx, sy)]; g != want {
								t.Fatalf("o=%d %s %dx%d: Y at (%d,%d) = %d, want %d", o, rname, w, h, x, y, g, want)
							}
						}
					}
				}
				if w%4 != 0 || h%4 != 0 {
					continue // the chroma of an odd edge may shift by a sample
				}
				for y := range wantH {
					for x := range wantW {
						sx, sy := exifSource(o, w, h, x, y)
						if g, want := color.RGBAModel.Convert(got.At(x, y)), color.RGBAModel.Convert(src.At(sx, sy)); g != want {
							t.Fatalf("o=%d %s %dx%d: (%d,%d) = %v, want %v", o, rname, w, h, x, y, g, want)
						}
					}
				}
			}
		}
		// Other images (here NRGBA, as a PNG decodes) go through imglib.
		src := image.NewNRGBA(image.Rect(0, 0, 5, 3))
		for i := range src.Pix {
			src.Pix[i] = uint8(i * 11)
		}
		got := imaging.Orient(src, o)
		for y := range got.Bounds().Dy() {
			for x := range got.Bounds().Dx() {
				sx, sy := exifSource(o, 5, 3, x, y)
				if got.At(x, y) != src.At(sx, sy) {
					t.Fatalf("o=%d NRGBA: (%d,%d) = %v, want %v", o, x, y, got.At(x, y), src.At(sx, sy))
				}
			}
		}
	}
}

// TestProcessImageOrientations uploads the same 400x200 photo with every
// EXIF orientation and finds the red corner where it belongs in the JPEG
// original and in a WebP rendition.
func TestProcessImageOrientations(t *testing.T) {
	t.Parallel()
	photo := cmstest.MustJPEG(t, 400, 200)
	// Where the stored top-left corner is shown: left/top = false means
	// right/bottom.
	corner := map[int][2]bool{1: {true, true}, 2: {false, true}, 3: {false, false}, 4: {true, false},
		5: {true, true}, 6: {false, true}, 7: {false, false}, 8: {true, false}}
	for o := 1; o <= 8; o++ {
		processed, err := imaging.Process(context.Background(), cmstest.WithEXIF(photo, uint16(o)))
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		for _, v := range processed.Variants {
			if v.Name != "original" && v.Name != "w640.webp" {
				continue
			}
			var img image.Image
			if v.ContentType == "image/webp" {
				img, err = webp.Decode(bytes.NewReader(v.Data))
			} else {
				img, err = jpeg.Decode(bytes.NewReader(v.Data))
			}
			if err != nil {
				t.Fatalf("orientation %d, %s: %v", o, v.Name, err)
			}
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if wantW := map[bool]int{false: 400, true: 200}[o >= 5]; w != wantW || w != v.Width || h != v.Height {
				t.Errorf("orientation %d, %s: %dx%d (metadata %dx%d), want width %d", o, v.Name, w, h, v.Width, v.Height, wantW)
			}
			x, y := 5, 5
			if !corner[o][0] {
				x = w - 6
			}
			if !corner[o][1] {
				y = h - 6
			}
			if !cmstest.IsMarker(img.At(x, y)) || cmstest.IsMarker(img.At(w-1-x, h-1-y)) {
				t.Errorf("orientation %d, %s: marker not at (%d,%d): %v there, %v opposite", o, v.Name, x, y, img.At(x, y), img.At(w-1-x, h-1-y))
			}
		}
	}
}
