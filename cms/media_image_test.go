package cms

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"testing"
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
	_, err := processImage(bomb)
	runtime.ReadMemStats(&after)
	if !IsKind(err, KindInvalid) || ErrorFields(err)["file"] == "" {
		t.Fatalf("err = %v, want Invalid naming file", err)
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
		if got := sniffImage([]byte(data)); got != want {
			t.Errorf("sniffImage(%q) = %q, want %q", data, got, want)
		}
	}
}

func TestSanitizeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":    "passwd",
		`C:\Users\me\b.jpg`:   "b.jpg",
		"a\x00b\r\n.jpg":      "ab.jpg",
		"..":                  "image",
		"":                    "image",
		"/":                   "image",
		"photo\u202Egpj.exe":  "photogpj.exe",
		"  sleepy baby.png  ": "sleepy baby.png",
	} {
		if got := SanitizeFilename(in); got != want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", in, got, want)
		}
	}
	long := SanitizeFilename(string(bytes.Repeat([]byte("é"), 300)) + ".jpeg")
	if n := len([]rune(long)); n != MaxFilenameLength || long[len(long)-5:] != ".jpeg" {
		t.Errorf("long name: %d runes, %q", n, long[len(long)-5:])
	}
}
