package cmstest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Marker is the colour TestImage paints in its top-left corner, so that
// tests can see where orientation moved it.
var Marker = color.RGBA{R: 255, A: 255}

// IsMarker reports whether c is Marker, give or take what lossy encoding
// changes.
func IsMarker(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xC000 && g < 0x4000 && b < 0x4000
}

// TestImage returns a w x h opaque image: grey, with a Marker-coloured
// square (a tenth of the shorter side) in the top-left corner.
func TestImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	side := max(min(w, h)/10, 1)
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 128, G: 128, B: 128, A: 255}
			if x < side && y < side {
				c = Marker
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// MustJPEG encodes TestImage(w, h) as a JPEG.
func MustJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, TestImage(w, h), &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// MustPNG encodes img as a PNG.
func MustPNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// WithEXIF returns the JPEG jpg with an EXIF APP1 segment inserted after
// its SOI marker: IFD0 carries Orientation=orientation and a GPS IFD with
// a latitude reference "N", a latitude of 48/1 51/1 0/1 and the
// GPSProcessingMethod "SECRET-GPS-PLACE" (a string tests look for).
func WithEXIF(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	_ = binary.Write(&t, le, uint32(8)) // IFD0 offset
	// IFD0 at 8: 2 entries (12 bytes each) + next-IFD offset.
	const ifd0 = 8
	gpsIFD := uint32(ifd0 + 2 + 2*12 + 4)
	_ = binary.Write(&t, le, uint16(2))
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&t, le, tag)
		_ = binary.Write(&t, le, typ)
		_ = binary.Write(&t, le, count)
		_ = binary.Write(&t, le, value)
	}
	entry(0x0112, 3, 1, uint32(orientation)) // Orientation, SHORT (left-justified)
	entry(0x8825, 4, 1, gpsIFD)              // GPSInfo IFD pointer, LONG
	_ = binary.Write(&t, le, uint32(0))
	// GPS IFD: 3 entries; out-of-line values follow it.
	method := []byte("ASCII\x00\x00\x00SECRET-GPS-PLACE")
	data := gpsIFD + 2 + 3*12 + 4
	_ = binary.Write(&t, le, uint16(3))
	entry(0x0001, 2, 2, uint32('N'))                // GPSLatitudeRef "N\0"
	entry(0x0002, 5, 3, data)                       // GPSLatitude, 3 RATIONALs
	entry(0x001B, 7, uint32(len(method)), data+3*8) // GPSProcessingMethod, UNDEFINED
	_ = binary.Write(&t, le, uint32(0))
	for _, r := range [][2]uint32{{48, 1}, {51, 1}, {0, 1}} {
		_ = binary.Write(&t, le, r)
	}
	t.Write(method)

	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var seg bytes.Buffer
	seg.Write([]byte{0xFF, 0xE1})
	_ = binary.Write(&seg, binary.BigEndian, uint16(len(payload)+2))
	seg.Write(payload)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg.Bytes()...)
	return append(out, jpg[2:]...)
}

// PNGBomb returns a tiny, well-formed PNG header claiming w x h pixels
// (IHDR and IEND, no pixel data).
func PNGBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IEND", nil)
	return b.Bytes()
}
