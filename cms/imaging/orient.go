package imaging

import (
	"encoding/binary"
	"image"

	imglib "github.com/disintegration/imaging"
)

// jpegOrientation returns the EXIF orientation (1-8) of JPEG data, or 1
// when there is none or it cannot be read. It reads only the markers before
// the image data, with every offset checked against the slice.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		size := int(binary.BigEndian.Uint16(data[i+2 : i+4]))
		if marker == 0xda || size < 2 || i+2+size > len(data) { // start of scan: no EXIF before it
			return 1
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xe1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from the first IFD of a TIFF block.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off : off+2]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:e+2]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8 : e+10])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// swapsSides reports whether orientation o turns the image a quarter.
func swapsSides(o int) bool { return o >= 5 }

// orient turns img upright for EXIF orientation o. A decoded JPEG (an
// *image.YCbCr or *image.Gray) is turned plane by plane and keeps its
// type: a 24 MP 4:2:0 photo then needs a second 36 MB copy, not the 96 MB
// of an NRGBA one, and JPEG encoding keeps its fast path.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	if out := orientPlanes(img, o); out != nil {
		return out
	}
	switch o {
	case 2:
		return imglib.FlipH(img)
	case 3:
		return imglib.Rotate180(img)
	case 4:
		return imglib.FlipV(img)
	case 5:
		return imglib.Transpose(img)
	case 6:
		return imglib.Rotate270(img)
	case 7:
		return imglib.Transverse(img)
	default:
		return imglib.Rotate90(img)
	}
}

// turnedRatio is the chroma subsampling of a YCbCr image turned a quarter
// (4:2:2 halves the width, so turned it halves the height: 4:4:0). 4:1:1
// and 4:1:0 have no turned counterpart in image.
var turnedRatio = map[image.YCbCrSubsampleRatio]image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444: image.YCbCrSubsampleRatio444,
	image.YCbCrSubsampleRatio420: image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio422: image.YCbCrSubsampleRatio440,
	image.YCbCrSubsampleRatio440: image.YCbCrSubsampleRatio422,
}

// orientPlanes turns an *image.YCbCr or *image.Gray (origin at 0,0) for
// orientation o (2-8) by remapping its planes, or returns nil for any
// other image. A chroma sample moves with the block of pixels it covers;
// at an odd edge the last, partial block's sample may land one sample
// off, which a subsampled chroma plane cannot show.
func orientPlanes(img image.Image, o int) image.Image {
	switch src := img.(type) {
	case *image.YCbCr:
		ratio, ok := src.SubsampleRatio, true
		if swapsSides(o) {
			ratio, ok = turnedRatio[src.SubsampleRatio]
		}
		if !ok || src.Rect.Min != (image.Point{}) {
			return nil
		}
		dst := image.NewYCbCr(turnedRect(src.Rect, o), ratio)
		w, h := src.Rect.Dx(), src.Rect.Dy()
		cw, ch := chromaSize(src.SubsampleRatio, w, h)
		remapPlane(dst.Y, dst.YStride, src.Y, src.YStride, w, h, o)
		remapPlane(dst.Cb, dst.CStride, src.Cb, src.CStride, cw, ch, o)
		remapPlane(dst.Cr, dst.CStride, src.Cr, src.CStride, cw, ch, o)
		return dst
	case *image.Gray:
		if src.Rect.Min != (image.Point{}) {
			return nil
		}
		dst := image.NewGray(turnedRect(src.Rect, o))
		remapPlane(dst.Pix, dst.Stride, src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy(), o)
		return dst
	}
	return nil
}

// chromaSize is the size of the chroma planes of a w x h image (as
// image.NewYCbCr makes them).
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (cw, ch int) {
	cw, ch = w, h
	switch r {
	case image.YCbCrSubsampleRatio422:
		cw = (w + 1) / 2
	case image.YCbCrSubsampleRatio420:
		cw, ch = (w+1)/2, (h+1)/2
	case image.YCbCrSubsampleRatio440:
		ch = (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		cw = (w + 3) / 4
	case image.YCbCrSubsampleRatio410:
		cw, ch = (w+3)/4, (h+1)/2
	}
	return cw, ch
}

// turnedRect is r (at the origin) after orientation o.
func turnedRect(r image.Rectangle, o int) image.Rectangle {
	if swapsSides(o) {
		return image.Rect(0, 0, r.Dy(), r.Dx())
	}
	return image.Rect(0, 0, r.Dx(), r.Dy())
}

// remapPlane writes into dst (row stride ds) the sw x sh plane src (row
// stride ss) turned for orientation o. Output pixel (X, Y) comes from
// source pixel (ax*X + bx*Y + cx, ay*X + by*Y + cy); the loops walk
// 64x64 tiles so that a quarter turn, which reads the source by columns,
// stays in the cache.
func remapPlane(dst []uint8, ds int, src []uint8, ss, sw, sh, o int) {
	var ax, bx, cx, ay, by, cy int
	switch o {
	case 2:
		ax, cx, by = -1, sw-1, 1
	case 3:
		ax, cx, by, cy = -1, sw-1, -1, sh-1
	case 4:
		ax, by, cy = 1, -1, sh-1
	case 5:
		bx, ay = 1, 1
	case 6:
		bx, ay, cy = 1, -1, sh-1
	case 7:
		bx, cx, ay, cy = -1, sw-1, -1, sh-1
	case 8:
		bx, cx, ay = -1, sw-1, 1
	default:
		ax, by = 1, 1
	}
	dw, dh := sw, sh
	if swapsSides(o) {
		dw, dh = sh, sw
	}
	stepX, stepY, off0 := ay*ss+ax, by*ss+bx, cy*ss+cx
	const tile = 64
	for ty := 0; ty < dh; ty += tile {
		for tx := 0; tx < dw; tx += tile {
			xe := min(tx+tile, dw)
			for y := ty; y < min(ty+tile, dh); y++ {
				row := dst[y*ds+tx : y*ds+xe]
				off := off0 + y*stepY + tx*stepX
				for i := range row {
					row[i] = src[off]
					off += stepX
				}
			}
		}
	}
}
