package cms

import (
	"bytes"
	"testing"
)

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
