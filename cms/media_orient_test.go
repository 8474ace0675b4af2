package cms_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	photo := cmstest.MustJPEG(t, 40, 20)
	if got := cms.JPEGOrientation(photo); got != 1 {
		t.Errorf("no EXIF: orientation %d, want 1", got)
	}
	for o := uint16(1); o <= 8; o++ {
		if got := cms.JPEGOrientation(cmstest.WithEXIF(photo, o)); got != int(o) {
			t.Errorf("EXIF orientation %d read as %d", o, got)
		}
	}
	withSix := cmstest.WithEXIF(photo, 6)
	for n := 0; n < 200 && n < len(withSix); n++ {
		if got := cms.JPEGOrientation(withSix[:n]); got < 1 || got > 8 {
			t.Fatalf("truncated to %d bytes: orientation %d", n, got)
		}
	}
	for _, bad := range [][]byte{nil, {0xff}, {0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff}, []byte("not a jpeg at all")} {
		if got := cms.JPEGOrientation(bad); got != 1 {
			t.Errorf("JPEGOrientation(%q) = %d, want 1", bad, got)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	f.Add(cmstest.WithEXIF(cmstest.MustJPEG(f, 8, 8), 6))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		if got := cms.JPEGOrientation(data); got < 1 || got > 8 {
			t.Fatalf("orientation %d", got)
		}
	})
}
