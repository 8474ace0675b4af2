package wordpress

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestReadRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		want      error
		mention   string
	}{
		{"ErrNotWXR RSS feed", string(mustRead(t, "testdata/not-wxr.xml")), ErrNotWXR, "wp:wxr_version"},
		{"ErrNotWXR HTML", `<html><body>hello</body></html>`, ErrNotWXR, "<html>"},
		{"ErrNotWXR empty", ``, ErrNotWXR, "no XML element"},
		{"ErrNotWXR no channel", `<rss version="2.0"></rss>`, ErrNotWXR, "no <channel>"},
		{"ErrEntities billion laughs", string(mustRead(t, "testdata/billion-laughs.xml")), ErrEntities, "DOCTYPE"},
		{"ErrEntities external entity", string(mustRead(t, "testdata/external-entity.xml")), ErrEntities, "entities"},
		{"ErrTruncated header", wxr("")[:120], ErrTruncated, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.src), Options{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("err = %v, want %v mentioning %q", err, tc.want, tc.mention)
			}
		})
	}
}

// TestReadEntityBombBounded feeds a DOCTYPE followed by an endless stream
// of entity declarations: the refusal must come at once, after reading
// only the start of it.
func TestReadEntityBombBounded(t *testing.T) {
	t.Parallel()
	head := strings.NewReader(`<?xml version="1.0"?><!DOCTYPE r [`)
	endless := &repeat{b: []byte(`<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;">`)}
	src := &countingReader{r: io.MultiReader(head, endless)}
	_, err := NewReader(src, Options{})
	if !errors.Is(err, ErrEntities) || src.n > 64<<10 {
		t.Errorf("err = %v after %d bytes, want ErrEntities within 64 KB", err, src.n)
	}
}

func TestReadTruncated(t *testing.T) {
	t.Parallel()
	full := mustRead(t, "testdata/sleepblog.xml")
	cut := bytes.Index(full, []byte("<wp:post_id>104</wp:post_id>"))
	r, err := NewReader(bytes.NewReader(full[:cut]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var last error
	for it, err := range r.Items() {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, it.ID)
	}
	if len(ids) != 3 || ids[2] != 103 || !errors.Is(last, ErrTruncated) || !strings.Contains(last.Error(), "after 3 whole items") {
		t.Errorf("read %v then %v; want items 101-103 then ErrTruncated after 3", ids, last)
	}
	if _, err := r.Next(); !errors.Is(err, ErrTruncated) {
		t.Errorf("Next after the end = %v, want the same ErrTruncated", err)
	}
}

func TestReadMalformed(t *testing.T) {
	t.Parallel()
	r, err := NewReader(strings.NewReader(wxr(`<item><title>a</titel></item>`)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "malformed XML after 0 items") {
		t.Errorf("err = %v, want malformed XML", err)
	}
}

// TestReadOversizedField streams a 50 MB content:encoded between two good
// items: that item comes back with an ItemError naming the field, the
// next one reads, and the memory allocated stays far below the field.
func TestReadOversizedField(t *testing.T) {
	// Not parallel: it measures the heap of the whole process.
	const size = 50 << 20
	head := wxr(`<item><wp:post_id>1</wp:post_id><title>before</title></item>
<item><wp:post_id>2</wp:post_id><title>huge</title><content:encoded><![CDATA[`)
	tail := `]]></content:encoded><wp:status>publish</wp:status></item><item><wp:post_id>3</wp:post_id><title>after</title></item>`
	i := strings.Index(head, "</channel>")
	src := io.MultiReader(strings.NewReader(head[:i]), io.LimitReader(&repeat{b: []byte("zzz<p>&amp; ")}, size), strings.NewReader(tail+head[i:]))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := NewReader(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for it, err := range r.Items() {
		var ie *ItemError
		switch {
		case err == nil:
			got = append(got, it.Title)
		case errors.As(err, &ie) && errors.Is(err, ErrTooLarge):
			got = append(got, "error: "+err.Error())
			if it.Content != "" || it.Status != StatusPublish || ie.ID != 2 || ie.Field != "content:encoded" {
				t.Errorf("oversized item = %+v, error %+v", it, ie)
			}
		default:
			t.Fatalf("fatal: %v", err)
		}
	}
	runtime.ReadMemStats(&after)
	if len(got) != 3 || got[0] != "before" || !strings.Contains(got[1], `item 2 ("huge"): content:encoded: field too large`) || got[2] != "after" {
		t.Errorf("items = %q", got)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 40<<20 {
		t.Errorf("allocated %d MB reading a 50 MB field, want < 40 MB", alloc>>20)
	}
}

func TestReadFieldLimitOption(t *testing.T) {
	t.Parallel()
	src := wxr(`<item><wp:post_id>9</wp:post_id><wp:postmeta><wp:meta_key>big</wp:meta_key><wp:meta_value><![CDATA[` +
		strings.Repeat("x", 2000) + `]]></wp:meta_value></wp:postmeta><title>t</title></item>`)
	r, err := NewReader(strings.NewReader(src), Options{MaxField: 1000})
	if err != nil {
		t.Fatal(err)
	}
	it, err := r.Next()
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Field != "meta big" || it.Title != "t" || len(it.Meta["big"]) != 0 {
		t.Errorf("item %+v, err %v; want an ItemError for meta big", it, err)
	}
}

// TestReadItemBudget fills one item with many meta values, each under
// the field limit: past four fields' worth the item fails, the next reads.
func TestReadItemBudget(t *testing.T) {
	t.Parallel()
	meta := `<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>` + strings.Repeat("v", 900) + `</wp:meta_value></wp:postmeta>`
	src := wxr(`<item><wp:post_id>1</wp:post_id>` + strings.Repeat(meta, 10) + `</item><item><wp:post_id>2</wp:post_id>` + meta + `</item>`)
	r, err := NewReader(strings.NewReader(src), Options{MaxField: 1000})
	if err != nil {
		t.Fatal(err)
	}
	it, err := r.Next()
	var ie *ItemError
	if !errors.As(err, &ie) || ie.ID != 1 || !strings.Contains(err.Error(), "holds over 4000 bytes") || len(it.Meta["k"]) != 4 {
		t.Errorf("item 1: %d values, err %v; want 4 values and the item's ItemError", len(it.Meta["k"]), err)
	}
	if it, err := r.Next(); err != nil || it.ID != 2 || len(it.Meta["k"]) != 1 {
		t.Errorf("item 2: %+v, %v", it, err)
	}
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// repeat reads its bytes over and over.
type repeat struct {
	b   []byte
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
