package cms_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// benchPhoto returns a w x h JPEG with some detail, as a camera photo
// would have.
func benchPhoto(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[img.YOffset(x, y)] = uint8((x*7 + y*3 + (x/17)*(y/23)) % 256)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i%200), uint8(128+i%50)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkProcessImage4000x6000 generates every variant of a 24 MP JPEG
// (run with -benchmem). Rotated is the same photo with EXIF orientation 6.
// On Linux it also reports peak-RSS-MB: the process's peak resident memory
// while processing, the test photo's own generation left out (the peak is
// reset after it, through /proc/self/clear_refs).
func BenchmarkProcessImage4000x6000(b *testing.B) {
	photo := benchPhoto(b, 4000, 6000)
	for name, data := range map[string][]byte{"Upright": photo, "Rotated": cmstest.WithEXIF(photo, 6)} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			runtime.GC()
			debug.FreeOSMemory()
			resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
			for b.Loop() {
				if _, _, err := cms.ProcessImage(data); err != nil {
					b.Fatal(err)
				}
			}
			if peak := peakRSSMB(); resetPeak && peak > 0 {
				b.ReportMetric(peak, "peak-RSS-MB")
			}
		})
	}
}

// peakRSSMB reads the process's peak resident memory (VmHWM), in MB.
func peakRSSMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
