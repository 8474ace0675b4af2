package imaging

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"runtime"
	"testing"
	"time"
)

// pngHeader is a PNG signature and IHDR chunk claiming w x h RGB pixels.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	data := binary.BigEndian.AppendUint32(nil, w)
	data = binary.BigEndian.AppendUint32(data, h)
	data = append(data, 8, 2, 0, 0, 0)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString("IHDR")
	b.Write(data)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), data...)))
	return b.Bytes()
}

// TestProcessImageBombAllocatesNothing checks that a header claiming
// 100000x100000 pixels (40 GB decoded) is refused after reading the
// header only.
func TestProcessImageBombAllocatesNothing(t *testing.T) {
	bomb := pngHeader(100000, 100000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Process(context.Background(), bomb)
	runtime.ReadMemStats(&after)
	var ie *Error
	if !errors.As(err, &ie) || ie.Field() != "file" || ie.Error() == "" {
		t.Fatalf("err = %v, want an *Error naming file", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", n)
	}
}

func TestSniffImage(t *testing.T) {
	for data, want := range map[string]string{
		"\xFF\xD8\xFF\xE0":         "image/jpeg",
		"\x89PNG\r\n\x1a\n":        "image/png",
		"GIF89a":                   "image/gif",
		"RIFF\x00\x00\x00\x00WEBP": "image/webp",
		"RIFF\x00\x00\x00\x00WAVE": "",
		"<svg>":                    "",
		"II*\x00":                  "",
		"BM":                       "",
	} {
		if got := Sniff([]byte(data)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", data, got, want)
		}
	}
}

func TestHalveYCbCr(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444} {
		for _, size := range [][2]int{{8, 6}, {9, 7}, {3, 2}} {
			src := image.NewYCbCr(image.Rect(0, 0, size[0], size[1]), ratio)
			for i := range src.Y {
				src.Y[i] = uint8(100 + i%2*10) // columns (or rows) alternate 100 and 110
			}
			for i := range src.Cb {
				src.Cb[i], src.Cr[i] = 40, 200
			}
			got := halveYCbCr(src)
			if got.Rect != image.Rect(0, 0, size[0]/2, size[1]/2) || got.SubsampleRatio != ratio {
				t.Fatalf("%v %v: %v %v", ratio, size, got.Rect, got.SubsampleRatio)
			}
			for y := range got.Rect.Dy() {
				for x := range got.Rect.Dx() {
					c := got.YCbCrAt(x, y)
					if c.Y < 100 || c.Y > 110 || c.Cb != 40 || c.Cr != 200 {
						t.Fatalf("%v %v: (%d,%d) = %v", ratio, size, x, y, c)
					}
				}
			}
		}
	}
}

// TestProcessWaitsForItsTurn holds the one processing slot: an upload
// whose context ends while it waits gets the context's error, and one
// still waiting goes on once the slot is free.
func TestProcessWaitsForItsTurn(t *testing.T) {
	slots <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Process(ctx, pngHeader(1, 1)); !errors.Is(err, context.Canceled) {
		<-slots
		t.Fatalf("canceled while waiting: err = %v, want context.Canceled", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Process(context.Background(), pngHeader(100000, 100000))
		done <- err
	}()
	select {
	case err := <-done:
		<-slots
		t.Fatalf("Process ran while the slot was taken: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	<-slots
	var ie *Error
	if err := <-done; !errors.As(err, &ie) {
		t.Fatalf("after the wait: err = %v, want the bomb refused", err)
	}
}
