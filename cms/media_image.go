package cms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime"
	"net/http"
	"runtime"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// Image limits. An image whose header claims more is refused before any
// pixel is decoded (a decompression bomb: a few KB of PNG can claim
// 100000x100000 pixels, 40 GB once decoded).
const (
	MaxImagePixels = 40_000_000
	MaxImageSide   = 12_000
	// JPEGQuality is the quality of every JPEG variant.
	JPEGQuality = 82
)

// variantSpec describes one variant: a width-bound resize (Height 0) or a
// crop-to-fill of exactly Width x Height.
type variantSpec struct {
	Name          string
	Width, Height int
	Fill          bool
	NoUpscale     bool
}

// mediaVariants are produced for every upload, in this order.
var mediaVariants = []variantSpec{
	{Name: "thumb", Width: 320, NoUpscale: true},
	{Name: "w640", Width: 640, NoUpscale: true},
	{Name: "w1024", Width: 1024, NoUpscale: true},
	{Name: "w1600", Width: 1600, NoUpscale: true},
	{Name: "pin", Width: 1000, Height: 1500, Fill: true},
	{Name: "social", Width: 1200, Height: 630, Fill: true},
	{Name: "original"},
}

// processedImage is the outcome of processing one upload.
type processedImage struct {
	ContentType   string // sniffed type of the upload
	Width, Height int    // after orientation
	Variants      []MediaVariant
	Data          [][]byte // encoded bytes of each variant
}

// sniffImage returns the MIME type of data from its magic numbers: only
// JPEG, PNG, GIF and WebP are recognised; anything else is "".
func sniffImage(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return "image/webp"
	}
	return ""
}

// fileProblem is the Invalid error naming the "file" field.
func fileProblem(op, msg string) error {
	return &Error{Kind: KindInvalid, Op: op, Message: msg, Fields: map[string]string{"file": msg}}
}

// processImage checks an upload and renders every variant. It is pure: no
// I/O beyond data. The type is sniffed from the bytes, the header decoded
// and checked against the limits before any full decode, the EXIF
// orientation of a JPEG applied, and every variant re-encoded (Go's
// encoders write no metadata, so EXIF, GPS and comments are gone). An
// animated GIF keeps its first frame. Images with transparency stay PNG;
// everything else becomes JPEG. Errors: KindInvalid naming "file".
func processImage(data []byte) (*processedImage, error) {
	const op = "cms.UploadMedia"
	ct := sniffImage(data)
	if ct == "" {
		return nil, fileProblem(op, "Only JPEG, PNG, WebP and GIF images are accepted (this file is "+describeType(data)+").")
	}
	decodeConfig := map[string]func([]byte) (image.Config, error){
		"image/jpeg": func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		"image/png":  func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		"image/gif":  func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) },
		"image/webp": func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
	}[ct]
	cfg, err := decodeConfig(data)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: op, Message: "The image is damaged or incomplete.", Fields: map[string]string{"file": "The image is damaged or incomplete."}, Err: err}
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide || cfg.Width*cfg.Height > MaxImagePixels {
		return nil, fileProblem(op, fmt.Sprintf("The image is %dx%d pixels: at most %d pixels a side and %d megapixels are accepted.",
			cfg.Width, cfg.Height, MaxImageSide, MaxImagePixels/1_000_000))
	}
	img, err := decodeImage(ct, data)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: op, Message: "The image is damaged or incomplete.", Fields: map[string]string{"file": "The image is damaged or incomplete."}, Err: err}
	}
	// The EXIF orientation is applied to the small intermediate the
	// variants are cut from, and to the full-size image only when the
	// original is made, last: turning a 24 MP photo first would hold two
	// full-size copies for the whole run.
	o := 1
	if ct == "image/jpeg" {
		o = jpegOrientation(data)
	}
	b := img.Bounds()
	out := &processedImage{ContentType: ct, Width: b.Dx(), Height: b.Dy()}
	if swapsSides(o) {
		out.Width, out.Height = b.Dy(), b.Dx()
	}
	asPNG := ct != "image/jpeg" && hasTransparency(img)
	base := orient(resizeBase(img, swapsSides(o)), o)
	for _, spec := range mediaVariants {
		var v image.Image
		if spec.Name == "original" {
			if o != 1 {
				// The turned copy is the one full-size allocation of the
				// run: collect the variants' garbage first so it reuses
				// that memory instead of adding to the peak.
				base = nil
				runtime.GC()
			}
			v = orient(img, o)
			img = nil // the turned copy replaces it
		} else {
			v = renderVariant(base, spec)
		}
		enc, vct, err := encodeImage(v, asPNG)
		if err != nil {
			return nil, &Error{Kind: KindInternal, Op: op, Err: err}
		}
		sum := sha256.Sum256(enc)
		vb := v.Bounds()
		out.Variants = append(out.Variants, MediaVariant{
			Name: spec.Name, ContentType: vct, Width: vb.Dx(), Height: vb.Dy(),
			Bytes: int64(len(enc)), ETag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		})
		out.Data = append(out.Data, enc)
	}
	return out, nil
}

// decodeImage decodes data of sniffed type ct with that format's decoder
// only (imaging also registers TIFF and BMP, which are not accepted). A
// JPEG's EXIF orientation is applied by processImage.
func decodeImage(ct string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch ct {
	case "image/jpeg":
		return jpeg.Decode(r) // turned upright later, see processImage
	case "image/png":
		return png.Decode(r)
	case "image/gif":
		return gif.Decode(r) // the first frame
	default:
		return webp.Decode(r)
	}
}

// renderVariant resizes img for spec with Lanczos resampling. Width-bound
// variants are never upscaled (a small image gives a small variant).
func renderVariant(img image.Image, spec variantSpec) image.Image {
	w := img.Bounds().Dx()
	switch {
	case spec.Name == "original":
		return img
	case spec.Fill:
		return imaging.Fill(img, spec.Width, spec.Height, imaging.Center, imaging.Lanczos)
	case spec.NoUpscale && w <= spec.Width:
		return img
	default:
		return imaging.Resize(img, spec.Width, 0, imaging.Lanczos)
	}
}

// resizeBase returns img scaled down (Lanczos) to the smallest size from
// which every resized variant can still be cut without upscaling: the
// variants are then made from it rather than from a 24 MP original, which
// is about four times faster and barely changes them (each is a further
// downscale).
//
// swapped says the image will be turned a quarter afterwards: the sizes
// the variants need are then measured against its other sides.
func resizeBase(img image.Image, swapped bool) image.Image {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	if swapped {
		w, h = h, w
	}
	scale := 0.0
	for _, spec := range mediaVariants {
		scale = max(scale, float64(spec.Width)/w)
		if spec.Fill {
			scale = max(scale, float64(spec.Height)/h)
		}
	}
	if scale >= 0.9 { // little to gain
		return img
	}
	rw, rh := int(w*scale+0.999), int(h*scale+0.999)
	if swapped {
		rw, rh = rh, rw
	}
	return imaging.Resize(img, rw, rh, imaging.Lanczos)
}

// encodeImage encodes img as PNG when asPNG, else as JPEG.
func encodeImage(img image.Image, asPNG bool) ([]byte, string, error) {
	// image/jpeg has fast paths for *image.RGBA and *image.YCbCr only; an
	// *image.NRGBA (what imaging returns) would be read pixel by pixel
	// through an interface, one allocation each. Opaque NRGBA pixels are
	// RGBA pixels: view them as such, without a copy.
	if n, ok := img.(*image.NRGBA); ok && !asPNG && n.Opaque() {
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	var buf bytes.Buffer
	if asPNG {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		err := enc.Encode(&buf, img)
		return buf.Bytes(), "image/png", err
	}
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	return buf.Bytes(), "image/jpeg", err
}

// hasTransparency reports whether any pixel of img is not fully opaque.
func hasTransparency(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return !o.Opaque()
	}
	return true
}

// describeType names what data looks like, for the refusal message.
func describeType(data []byte) string {
	head := bytes.TrimLeft(data[:min(len(data), 512)], " \t\r\n\xEF\xBB\xBF")
	switch {
	case len(data) == 0:
		return "empty"
	case bytes.Contains(bytes.ToLower(head), []byte("<svg")):
		return "an SVG image, which can carry scripts"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "a TIFF image"
	case bytes.HasPrefix(data, []byte("BM")):
		return "a BMP image"
	}
	return "of type " + httpDetect(data)
}

// httpDetect returns the media type http.DetectContentType gives data.
func httpDetect(data []byte) string {
	ct := http.DetectContentType(data)
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}
