// Package imaging turns an uploaded image into the renditions Lullaby
// stores for it. It owns everything that touches pixels: sniffing the
// type from the bytes (JPEG, PNG, WebP and GIF only), the limits checked
// before any pixel is decoded (side, pixels: decompression bombs), the
// EXIF orientation of a JPEG, the variants (sizes and crops, the widths a
// srcset lists) and the encoders (JPEG, PNG, WebP through libwebp in
// WebAssembly; build with -tags nodynamic, see docs/architecture.md).
//
// It imports nothing of Lullaby's: the domain (cms) declares the
// ImageProcessor it needs in plain types, Processor implements it, and
// cmd/lullaby wires the two, so that cms itself links no image codec. A
// refused image is an *Error naming the input at fault; cms turns it
// into its own Invalid error.
package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"

	imglib "github.com/disintegration/imaging"
	webpenc "github.com/gen2brain/webp"
	"golang.org/x/image/webp"
)

// Image limits. An image whose header claims more is refused before any
// pixel is decoded (a decompression bomb: a few KB of PNG can claim
// 100000x100000 pixels, 40 GB once decoded).
const (
	MaxPixels = 40_000_000
	MaxSide   = 12_000
	// JPEGQuality is the quality of every JPEG variant.
	JPEGQuality = 82
	// WebPQuality is the quality of every (lossy) WebP variant.
	WebPQuality = 80
)

// webpMethod is libwebp's speed/size trade-off (0 fastest, 6 smallest).
// The six WebP renditions of a 24 MP photo (8.4 MP in all), encoded one
// after the other on the 2-core build machine (libwebp in WebAssembly),
// took 4.1 s with method 4 (libwebp's default), 1.8 s with method 2 and
// 1.55 s with method 0, whose files were 7-12 % larger than method 4's
// (on the benchmark's synthetic photo; still 6-21 % smaller than the JPEG
// q82 variants, thumb excepted). Only method 0 keeps an upload safely
// under 3 s.
const webpMethod = 0

// variantSpec describes one variant: a width-bound resize (Height 0) or a
// crop-to-fill of exactly Width x Height.
type variantSpec struct {
	Name          string
	Width, Height int
	Fill          bool
	NoUpscale     bool
	WebP          bool // also encoded as WebP, as Name + ".webp"
}

// variants are produced for every upload, in this order.
// The WebP renditions follow them, in the same order.
var variants = []variantSpec{
	{Name: "thumb", Width: 320, NoUpscale: true, WebP: true},
	{Name: "w640", Width: 640, NoUpscale: true, WebP: true},
	{Name: "w1024", Width: 1024, NoUpscale: true, WebP: true},
	{Name: "w1600", Width: 1600, NoUpscale: true, WebP: true},
	{Name: "pin", Width: 1000, Height: 1500, Fill: true, WebP: true},
	{Name: "social", Width: 1200, Height: 630, Fill: true, WebP: true},
	{Name: "original"},
}

// WebPSuffix ends the name of a variant's WebP rendition ("pin.webp").
const WebPSuffix = ".webp"

// Image is a processed upload: what it is and every rendition of it.
type Image struct {
	ContentType   string // the sniffed type of the upload
	Width, Height int    // after EXIF orientation
	Variants      []Variant
}

// Variant is one encoded rendition of an Image: thumb, w640, w1024,
// w1600, pin, social and original, then the WebP renditions of all but
// the original (thumb.webp ... social.webp).
type Variant struct {
	Name          string
	ContentType   string
	Width, Height int
	Data          []byte // the encoded bytes, without metadata
}

// slots bounds how many images are decoded and resized at once: one.
// Processing a 24 MP photo keeps both cores busy for 2-3 s and runs under
// a memory limit sized for one image (see limitMemory); the others wait.
var slots = make(chan struct{}, 1)

// Processor processes uploads for a cms.Service: the zero value is
// ready. Its one method has the signature of cms.ImageProcessor, which
// the domain declares in plain types so that it needs neither this
// package nor its codecs.
type Processor struct{}

// ProcessImage runs Process and passes each of the image's variants, in
// order, to add; it returns the sniffed type and the size after
// orientation. Errors are Process's.
func (Processor) ProcessImage(ctx context.Context, data []byte, add func(name, contentType string, width, height int, data []byte)) (contentType string, width, height int, err error) {
	img, err := Process(ctx, data)
	if err != nil {
		return "", 0, 0, err
	}
	for _, v := range img.Variants {
		add(v.Name, v.ContentType, v.Width, v.Height, v.Data)
	}
	return img.ContentType, img.Width, img.Height, nil
}

// Process checks an upload and renders every variant, one image at a
// time: it first waits for the images before it, or for ctx to end (then
// ctx's error, wrapped). It is pure otherwise: no I/O beyond data. See
// process. A refused image is an *Error naming "file"; any other error is
// a failure of an encoder.
func Process(ctx context.Context, data []byte) (*Image, error) {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("imaging: waiting for other images: %w", ctx.Err())
	}
	defer func() { <-slots }()
	return process(data)
}

// process checks an upload and renders every variant. The type is sniffed from the bytes, the header decoded
// and checked against the limits before any full decode, the EXIF
// orientation of a JPEG applied, and every variant re-encoded (Go's
// encoders write no metadata, so EXIF, GPS and comments are gone). An
// animated GIF keeps its first frame. Images with transparency stay PNG;
// everything else becomes JPEG. Every variant but the original also gets
// a lossy WebP rendition (alpha kept), encoded concurrently. It runs
// under a memory limit (see limitMemory). Errors: *Error naming "file",
// an encoder's error.
func process(data []byte) (*Image, error) {
	ct := Sniff(data)
	if ct == "" {
		return nil, fileError("Only JPEG, PNG, WebP and GIF images are accepted (this file is "+describeType(data)+").", nil)
	}
	decodeConfig := map[string]func([]byte) (image.Config, error){
		"image/jpeg": func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		"image/png":  func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		"image/gif":  func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) },
		"image/webp": func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
	}[ct]
	cfg, err := decodeConfig(data)
	if err != nil {
		return nil, fileError("The image is damaged or incomplete.", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return nil, fileError(fmt.Sprintf("The image is %dx%d pixels: at most %d pixels a side and %d megapixels are accepted.",
			cfg.Width, cfg.Height, MaxSide, MaxPixels/1_000_000), nil)
	}
	defer limitMemory()()
	img, err := decodeImage(ct, data)
	if err != nil {
		return nil, fileError("The image is damaged or incomplete.", err)
	}
	if ct == "image/jpeg" {
		// Turned upright first, plane by plane (see orient); the decoded
		// copy is garbage from here on.
		img = orient(img, jpegOrientation(data))
	}
	b := img.Bounds()
	out := &Image{ContentType: ct, Width: b.Dx(), Height: b.Dy()}
	asPNG := ct != "image/jpeg" && hasTransparency(img)

	base := resizeBase(img)
	// The resized variants first. Their WebP renditions are encoded on
	// another goroutine (libwebp uses one core) while this one encodes
	// the JPEGs, the original last (also one core, 0.4 s at 24 MP); then
	// this one helps with the WebP renditions left. Both cores stay busy,
	// and the second encoder starts only once the full-size image is
	// garbage: its memory takes the place of the image's.
	vs := make([]image.Image, len(variants))
	var small []image.Image // the variants that get a WebP rendition
	var smallNames []string
	for i, spec := range variants {
		vs[i] = img
		if spec.Name != "original" {
			vs[i] = renderVariant(base, spec)
		}
		if spec.WebP {
			small, smallNames = append(small, vs[i]), append(smallNames, spec.Name+WebPSuffix)
		}
	}
	base = nil
	webps, webpErrs := make([][]byte, len(small)), make([]error, len(small))
	jobs := make(chan int, len(small))
	for _, i := range largestFirst(small) {
		jobs <- i
	}
	close(jobs)
	encodeWebPs := func(collect bool) {
		for i := range jobs {
			if collect {
				// Collect the previous encode's WebAssembly memory now,
				// while the other goroutine runs Go code, rather than let
				// the memory limit start a collection mid-encode (see
				// limitMemory): measured, it halved the pauses over 20 ms
				// and lowered the peak. The helper below does not: its
				// collection would wait for this goroutine's encode.
				runtime.GC()
			}
			webps[i], webpErrs[i] = encodeWebP(small[i])
		}
	}
	webpDone := make(chan struct{})
	go func() {
		defer close(webpDone)
		encodeWebPs(true)
	}()
	for i, spec := range variants {
		enc, vct, err := encodeImage(vs[i], asPNG)
		if err != nil {
			<-webpDone
			return nil, fmt.Errorf("imaging: encoding %s: %w", spec.Name, err)
		}
		vb := vs[i].Bounds()
		out.Variants = append(out.Variants, Variant{Name: spec.Name, ContentType: vct, Width: vb.Dx(), Height: vb.Dy(), Data: enc})
	}
	img, vs = nil, nil
	encodeWebPs(false)
	<-webpDone
	if err := errors.Join(webpErrs...); err != nil {
		return nil, fmt.Errorf("imaging: encoding WebP: %w", err)
	}
	for i, enc := range webps {
		vb := small[i].Bounds()
		out.Variants = append(out.Variants, Variant{Name: smallNames[i], ContentType: "image/webp",
			Width: vb.Dx(), Height: vb.Dy(), Data: enc})
	}
	return out, nil
}

// imageMemoryBudget is how much memory processing one image may add to
// the process's live memory (see limitMemory). A 24 MP photo keeps about
// 100 MB live at its peak: the decoded photo (36 MB), its variants, the
// encoded bytes and libwebp's WebAssembly memory (up to 40 MB for w1600).
const imageMemoryBudget = 128 << 20

// imageMemory serialises the memory limit that processing changes.
var imageMemory sync.Mutex

// limitMemory sets a soft memory limit (runtime/debug.SetMemoryLimit) of
// the live memory plus imageMemoryBudget for the processing of one image,
// and returns the func that restores the previous limit. A 24 MP photo
// allocates 350-450 MB on the way, almost all of it pixel buffers used
// once and libwebp's WebAssembly memory, which wazero grows by copying;
// paced by GOGC alone, the heap would reach twice the largest live set
// before collecting, over the 300 MB an upload may take. The limit makes
// it collect sooner instead (cheap: nothing in a pixel buffer is
// scanned). A lower limit (GOMEMLIMIT) is kept. One image at a time.
//
// A collection that starts while libwebp runs waits for the WebAssembly
// call to return (wazero's compiled code has no preemption points), and
// every goroutine of the process waits with it: up to a few hundred
// milliseconds for w1600. Hence at most two encoders, the second only
// at the end (see process).
func limitMemory() (restore func()) {
	imageMemory.Lock()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	limit := int64(ms.HeapAlloc+ms.Sys-ms.HeapSys) + imageMemoryBudget
	prev := debug.SetMemoryLimit(-1)
	debug.SetMemoryLimit(min(prev, limit))
	return func() {
		debug.SetMemoryLimit(prev)
		imageMemory.Unlock()
	}
}

// largestFirst returns the indexes of imgs, the largest image first.
func largestFirst(imgs []image.Image) []int {
	order := make([]int, len(imgs))
	for i := range order {
		order[i] = i
	}
	area := func(i int) int { return imgs[i].Bounds().Dx() * imgs[i].Bounds().Dy() }
	slices.SortStableFunc(order, func(a, b int) int { return area(b) - area(a) })
	return order
}

// decodeImage decodes data of sniffed type ct with that format's decoder
// only (imaging also registers TIFF and BMP, which are not accepted). A
// JPEG's EXIF orientation is applied by process.
func decodeImage(ct string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch ct {
	case "image/jpeg":
		return jpeg.Decode(r) // turned upright later, see process
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
		return imglib.Fill(img, spec.Width, spec.Height, imglib.Center, imglib.Lanczos)
	case spec.NoUpscale && w <= spec.Width:
		return img
	default:
		return imglib.Resize(img, spec.Width, 0, imglib.Lanczos)
	}
}

// resizeBase returns img scaled down (Lanczos) to the smallest size from
// which every resized variant can still be cut without upscaling: the
// variants are then made from it rather than from a 24 MP original, which
// is about four times faster and barely changes them (each is a further
// downscale).
func resizeBase(img image.Image) image.Image {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	scale := 0.0
	for _, spec := range variants {
		scale = max(scale, float64(spec.Width)/w)
		if spec.Fill {
			scale = max(scale, float64(spec.Height)/h)
		}
	}
	if scale >= 0.9 { // little to gain
		return img
	}
	rw, rh := int(w*scale+0.999), int(h*scale+0.999)
	// Lanczos straight from 24 MP holds a 1600x6000 RGBA intermediate
	// (38 MB) and reads every pixel through six taps. Halving a photo's
	// YCbCr planes first (2x2 averages, which the Lanczos that follows
	// smooths over) costs 9 MB and saves 0.4 s of CPU.
	for ycc, ok := img.(*image.YCbCr); ok && rw*2 <= ycc.Rect.Dx() && rh*2 <= ycc.Rect.Dy() && ycc.Rect.Min == (image.Point{}); ycc, ok = img.(*image.YCbCr) {
		img = halveYCbCr(ycc)
	}
	return imglib.Resize(img, rw, rh, imglib.Lanczos)
}

// halveYCbCr returns src (at the origin) at half its width and height,
// each sample the average of a 2x2 block of its plane; the subsampling
// ratio stays. The planes are halved side by side.
func halveYCbCr(src *image.YCbCr) *image.YCbCr {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewYCbCr(image.Rect(0, 0, w/2, h/2), src.SubsampleRatio)
	cw, ch := chromaSize(src.SubsampleRatio, w, h)
	dcw, dch := chromaSize(dst.SubsampleRatio, w/2, h/2)
	var wg sync.WaitGroup
	wg.Go(func() { halvePlane(dst.Y, dst.YStride, w/2, h/2, src.Y, src.YStride, w, h) })
	wg.Go(func() {
		halvePlane(dst.Cb, dst.CStride, dcw, dch, src.Cb, src.CStride, cw, ch)
		halvePlane(dst.Cr, dst.CStride, dcw, dch, src.Cr, src.CStride, cw, ch)
	})
	wg.Wait()
	return dst
}

// halvePlane fills the dw x dh plane dst with the averages of 2x2 blocks
// of the sw x sh plane src (an odd last row or column is repeated).
func halvePlane(dst []uint8, ds, dw, dh int, src []uint8, ss, sw, sh int) {
	for y := range dh {
		r0 := src[min(2*y, sh-1)*ss:]
		r1 := src[min(2*y+1, sh-1)*ss:]
		row := dst[y*ds : y*ds+dw]
		for x := range row {
			x0, x1 := min(2*x, sw-1), min(2*x+1, sw-1)
			row[x] = uint8((int(r0[x0]) + int(r0[x1]) + int(r1[x0]) + int(r1[x1]) + 2) / 4)
		}
	}
}

// encodeWebP encodes img as a lossy WebP (an alpha channel is kept).
func encodeWebP(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := webpenc.Encode(&buf, img, webpenc.Options{Quality: WebPQuality, Method: webpMethod})
	return buf.Bytes(), err
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
