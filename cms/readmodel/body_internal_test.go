package readmodel

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// mustWhole is what a body of parts must be: its ETag the SHA-256 of all
// its bytes, its encodings those bytes compressed.
func mustWhole(t *testing.T, b *Body, want []byte) {
	t.Helper()
	if got := b.Bytes(); !bytes.Equal(got, want) || b.Len() != len(want) {
		t.Fatalf("bytes (%d, Len %d) =\n%s\nwant (%d)\n%s", len(got), b.Len(), got, len(want), want)
	}
	sum := sha256.Sum256(want)
	if tag := `"` + hex.EncodeToString(sum[:16]) + `"`; b.ETag != tag || string(b.ETagBytes()) != tag {
		t.Errorf("ETag = %s, want %s (the SHA-256 of the whole)", b.ETag, tag)
	}
	if len(want) < minCompressSize {
		if b.Gzip() != nil || b.Brotli() != nil {
			t.Error("a small body was compressed")
		}
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(b.Gzip()))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{"gzip": zr, "br": brotli.NewReader(bytes.NewReader(b.Brotli()))} {
		if plain, err := io.ReadAll(r); err != nil || !bytes.Equal(plain, want) {
			t.Errorf("%s does not decode to the body (%v)", name, err)
		}
	}
	for accept, want := range map[string][]byte{"br": b.Brotli(), "gzip": b.Gzip(), "": nil} {
		parts, _, _ := b.Encoding([]byte(accept))
		if want == nil {
			want = b.Bytes()
		}
		if got := bytes.Join(parts, nil); !bytes.Equal(got, want) {
			t.Errorf("Encoding(%q) gives other bytes", accept)
		}
	}
}

// TestBodyParts: a body made of bytes of its own and slices it shares is
// one body: bytes, ETag and encodings are those of the whole, the long
// slices are pointed to (not copied), the short ones copied.
func TestBodyParts(t *testing.T) {
	html := []byte(`"` + strings.Repeat("<p>Drowsy but awake.</p>", 60) + `"`)
	tag := []byte(`{"id":"` + strings.Repeat("t", minSharedPart) + `"}`)
	short := []byte(`{"id":"short"}`)
	var bb bodyBuilder
	bb.WriteString(`{"posts":[{"html":`)
	bb.Share(html)
	bb.WriteString(`,"tags":[`)
	bb.Share(tag)
	bb.Share(tag) // two shared parts in a row
	bb.WriteByte(',')
	bb.Share(short)
	bb.WriteString(`]}]}`)
	b := bb.Body()
	whole := []byte(`{"posts":[{"html":` + string(html) + `,"tags":[` + string(tag) + string(tag) + `,` + string(short) + `]}]}`)
	mustWhole(t, b, whole)

	var shared int
	for _, p := range b.parts {
		for _, s := range [][]byte{html, tag, short} {
			if len(p) > 0 && &p[0] == &s[0] {
				shared++
				if len(s) < minSharedPart {
					t.Errorf("a short slice (%d bytes) was pointed to", len(s))
				}
			}
		}
	}
	if shared != 3 || b.ownLen() != len(whole)-len(html)-2*len(tag) {
		t.Errorf("%d parts shared, own %d bytes; want 3 and %d", shared, b.ownLen(), len(whole)-len(html)-2*len(tag))
	}

	// Sharing a body of parts, less its ends, across the parts' bounds.
	for _, c := range []struct{ skip, trim int }{{0, 0}, {0, 2}, {len(`{"posts":[`), 2}, {len(`{"posts":[{"html":`) + 5, len(short) + 8}} {
		var sb bodyBuilder
		sb.WriteString("[")
		sb.ShareBody(b, c.skip, c.trim)
		sb.WriteString("]")
		mustWhole(t, sb.Body(), []byte("["+string(whole[c.skip:len(whole)-c.trim])+"]"))
	}

	mustWhole(t, NewBody([]byte(`{"small":true}`)), []byte(`{"small":true}`))

	// A body past maxPartedBody is kept whole: one part, all its own.
	var lb bodyBuilder
	lb.WriteString("[")
	for range maxPartedBody/len(html) + 1 {
		lb.Share(html)
		lb.WriteString(",")
	}
	lb.WriteString("0]")
	long := lb.Body()
	mustWhole(t, long, []byte("["+strings.Repeat(string(html)+",", maxPartedBody/len(html)+1)+"0]"))
	if len(long.parts) != 1 || long.ownLen() != long.Len() {
		t.Errorf("a body of %d bytes is in %d parts, %d bytes its own", long.Len(), len(long.parts), long.ownLen())
	}
}

// TestNewFullBody: a post's body holds its HTML as a part of its own,
// and is the JSON the post encodes to; a post whose texts hold the mark
// gets its body whole, and correct.
func TestNewFullBody(t *testing.T) {
	full := PublicPost{HTML: "<p>" + strings.Repeat("Wake windows grow with age. ", 80) + "</p>"}
	full.Title, full.Slug = "Wake windows", "wake-windows"
	want, err := marshal(struct {
		Data PublicPost `json:"data"`
	}{full})
	if err != nil {
		t.Fatal(err)
	}
	b, html, split, err := newFullBody(full, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustWhole(t, b, want)
	if !split || len(b.parts) != 3 || &b.parts[1][0] != &html[0] || !bytes.Equal(html, jsonString(full.HTML)) {
		t.Errorf("the HTML is not a part of its own (%d parts)", len(b.parts))
	}

	full.Title = "A title with " + htmlMark
	want, _ = marshal(struct {
		Data PublicPost `json:"data"`
	}{full})
	b, html, split, err = newFullBody(full, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustWhole(t, b, want)
	if !split || !bytes.Equal(html, jsonString(full.HTML)) {
		t.Errorf("the mark inside a title: split %v, or the HTML given to share is not the post's", split)
	}

	full.Title = htmlMark // the mark twice: the body is made whole
	want, _ = marshal(struct {
		Data PublicPost `json:"data"`
	}{full})
	if b, html, split, err = newFullBody(full, nil); err != nil {
		t.Fatal(err)
	}
	mustWhole(t, b, want)
	if split || len(b.parts) != 1 || !bytes.Equal(html, jsonString(full.HTML)) {
		t.Errorf("a body holding the mark: split %v, %d parts", split, len(b.parts))
	}
}

// TestPackValues: packed values keep their bytes in one allocation, nil
// ones stay nil, empty ones empty, and the shared ones are not copied.
func TestPackValues(t *testing.T) {
	html := []byte(`"<p>shared</p>"`)
	vals := [][]byte{[]byte(`"id"`), nil, html, {}, []byte(`{"a":1}`)}
	want := make([]string, len(vals))
	for i, v := range vals {
		want[i] = string(v)
	}
	packValues(vals, 2)
	for i, v := range vals {
		if string(v) != want[i] {
			t.Errorf("value %d: %q, want %q", i, v, want[i])
		}
	}
	if vals[1] != nil || vals[3] == nil {
		t.Error("a nil value became empty, or an empty one nil")
	}
	if &vals[2][0] != &html[0] {
		t.Error("the shared value was copied")
	}
	if n := testing.AllocsPerRun(10, func() { packValues(vals, 2) }); n != 1 {
		t.Errorf("packing took %v allocations, want 1", n)
	}
	if vals[0] = append(vals[0], 'x'); string(vals[4]) != want[4] {
		t.Error("appending to a value overwrites the next")
	}
}
