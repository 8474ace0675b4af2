package imaging_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/imaging"
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

// BenchmarkProcess4000x6000 generates every variant of a 24 MP JPEG
// (run with -benchmem), WebP renditions included. Rotated is the same
// photo with EXIF orientation 6 (shown 6000x4000); Sideways is a 6000x4000
// photo with orientation 6, shown 4000x6000 as Upright is (a phone's
// portrait photo).
// On Linux it also reports peak-RSS-MB: the process's peak resident memory
// while processing, the test photo's own generation left out (the peak is
// reset after it, through /proc/self/clear_refs); and cpu-s/op, the CPU
// time (user and system, all threads) per upload, which a busy shared
// machine inflates far less than the wall time.
func BenchmarkProcess4000x6000(b *testing.B) {
	photo := benchPhoto(b, 4000, 6000)
	// One-time set-up (compiling the WebP encoder) is not what is measured.
	if _, err := imaging.Process(context.Background(), cmstest.MustJPEG(b, 64, 48)); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"Upright", photo},
		{"Rotated", cmstest.WithEXIF(photo, 6)},
		{"Sideways", cmstest.WithEXIF(benchPhoto(b, 6000, 4000), 6)},
	}
	for _, c := range cases {
		data := c.data
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			runtime.GC()
			debug.FreeOSMemory()
			resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := imaging.Process(context.Background(), data); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			}
			if peak := peakRSSMB(); resetPeak && peak > 0 {
				b.ReportMetric(peak, "peak-RSS-MB")
			}
		})
	}
}

// cpuTime returns the CPU time the process has used, or 0 where
// getrusage is not available.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
