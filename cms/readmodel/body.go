package readmodel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// minCompressSize is the size below which compressing a body costs more
// than it saves.
const minCompressSize = 1024

// Compressors are reused: a brotli writer allocates large tables. Its
// window is 256 KB rather than the 4 MB its level defaults to: a body is
// rarely longer (a post is about 15 KB, a list of 100 whole posts about
// 1.4 MB, whose repeats lie within a post), and each writer made anew (a
// collection empties the pool) would allocate a ring buffer of the
// window's size.
var (
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
		return w
	}}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: 6, LGWin: 18}) }}
)

// Body is a ready-made response: its bytes, a strong ETag derived from
// them, and gzip and brotli encodings made on first use and then kept, so
// that serving a popular post never compresses it twice. Each encoding is
// a representation of its own with its own strong ETag (RFC 9110 8.8.3):
// the identity tag with "-gz" or "-br" inside the quotes.
//
// The bytes are held as parts sent one after the other, so that bodies
// share what they have in common rather than each holding a copy: a
// post's HTML (as a JSON string) is one slice, shared by its body in our
// API, the same with related posts, and its Ghost and WordPress bodies
// (bodyBuilder). Parts never change once in a body.
type Body struct {
	parts [][]byte
	size  int
	own   int    // bytes of the parts the body made (not shared); see bodyBuilder
	ETag  string // quoted, e.g. "\"3f2a...\""

	etag, gzETag, brETag []byte // ready for a response header

	gz, br atomic.Pointer[[][]byte] // the encodings once made and kept, as one part
	budget *byteBudget              // what keeping an encoding counts against; nil: none
}

// NewBody wraps b, computing its ETag. A body is kept for as long as its
// snapshot (often longer), so b is copied when the buffer it was built in
// has room to spare: a bytes.Buffer doubles as it grows, and bodies kept
// with that slack cost up to twice their size.
func NewBody(b []byte) *Body {
	b = exact(b)
	return newBody([][]byte{b}, len(b))
}

// newBody makes the body of parts, own bytes of which are its own.
func newBody(parts [][]byte, own int) *Body {
	h := sha256.New()
	size := 0
	for _, p := range parts {
		h.Write(p)
		size += len(p)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	tag := hex.EncodeToString(sum[:16])
	etag := `"` + tag + `"`
	return &Body{parts: parts, size: size, own: own, ETag: etag, etag: []byte(etag),
		gzETag: []byte(`"` + tag + `-gz"`), brETag: []byte(`"` + tag + `-br"`)}
}

// exact returns b, or a copy of it without spare capacity when that
// capacity is more than an eighth of its length.
func exact(b []byte) []byte {
	if cap(b)-len(b) > len(b)/8 {
		return bytes.Clone(b)
	}
	return b
}

// Len is the length of the body in bytes.
func (b *Body) Len() int { return b.size }

// Bytes returns the body's bytes. They must not be modified; for a body
// of several parts they are a copy, made for each call (what serves the
// body uses Encoding and WriteBody, which do not copy).
func (b *Body) Bytes() []byte {
	if len(b.parts) == 1 {
		return b.parts[0]
	}
	return b.appendTo(make([]byte, 0, b.size))
}

// appendTo appends the body's bytes to dst.
func (b *Body) appendTo(dst []byte) []byte {
	for _, p := range b.parts {
		dst = append(dst, p...)
	}
	return dst
}

// ETagBytes returns the ETag as bytes; they must not be modified.
func (b *Body) ETagBytes() []byte { return b.etag }

// GzipETag returns the ETag of the gzip encoding; it must not be modified.
func (b *Body) GzipETag() []byte { return b.gzETag }

// BrotliETag returns the ETag of the brotli encoding; it must not be
// modified.
func (b *Body) BrotliETag() []byte { return b.brETag }

// Gzip returns the gzip encoding, or nil when the body is too small to
// be worth compressing.
func (b *Body) Gzip() []byte { return first(b.encoded(&b.gz, &gzipWriters)) }

// Brotli returns the brotli encoding, or nil when the body is too small to
// be worth compressing.
func (b *Body) Brotli() []byte { return first(b.encoded(&b.br, &brotliWriters)) }

// first is the first of parts, or nil.
func first(parts [][]byte) []byte {
	if len(parts) == 0 {
		return nil
	}
	return parts[0]
}

// compressor is what gzip and brotli writers have in common.
type compressor interface {
	io.WriteCloser
	Reset(io.Writer)
}

// encoded returns the body compressed with a writer from pool, as one
// part: the one kept in *dst, else made and kept there unless the body's
// budget is spent (then it is made again for the next request). Two first
// requests at once may both compress; one result is kept.
func (b *Body) encoded(dst *atomic.Pointer[[][]byte], pool *sync.Pool) [][]byte {
	if b.size < minCompressSize {
		return nil
	}
	if p := dst.Load(); p != nil {
		return *p
	}
	var buf bytes.Buffer
	w := pool.Get().(compressor)
	w.Reset(&buf)
	for _, p := range b.parts {
		_, _ = w.Write(p)
	}
	_ = w.Close()
	pool.Put(w)
	enc := [][]byte{exact(buf.Bytes())}
	if !b.budget.take(len(enc[0])) {
		return enc
	}
	if !dst.CompareAndSwap(nil, &enc) {
		b.budget.give(len(enc[0]))
		return *dst.Load()
	}
	return enc
}

// byteBudget bounds the bytes some bodies keep (cache.go); its methods
// are safe for concurrent use and do nothing on nil.
type byteBudget struct {
	used atomic.Int64
	max  int64
}

// take counts n bytes more, and reports whether they fit.
func (k *byteBudget) take(n int) bool {
	if k == nil {
		return true
	}
	if k.used.Add(int64(n)) > k.max {
		k.used.Add(-int64(n))
		return false
	}
	return true
}

// give hands back n bytes taken.
func (k *byteBudget) give(n int) {
	if k != nil {
		k.used.Add(-int64(n))
	}
}

// Encoding returns the best encoding of b that an Accept-Encoding header
// allows: its bytes as parts to send in order (WriteBody), their ETag
// and the Content-Encoding (nil for none). It does not allocate, but to
// read an explicit quality or to return an encoding its budget did not
// let the body keep.
func (b *Body) Encoding(acceptEncoding []byte) (parts [][]byte, etag, enc []byte) {
	if len(acceptEncoding) > 0 {
		switch {
		case acceptsEncoding(acceptEncoding, "br") && b.size >= minCompressSize:
			return b.encoded(&b.br, &brotliWriters), b.brETag, encodingBrotli
		case acceptsEncoding(acceptEncoding, "gzip") && b.size >= minCompressSize:
			return b.encoded(&b.gz, &gzipWriters), b.gzETag, encodingGzip
		}
	}
	return b.parts, b.etag, nil
}

// Response is what WriteBody needs of an HTTP response: a
// *fasthttp.Response has it (the read model does not import the HTTP
// library).
type Response interface {
	SetBodyRaw(body []byte)
	SetBody(body []byte)
	AppendBody(p []byte)
}

// WriteBody makes parts (from Encoding) the body of r: one part as it is,
// not copied (parts never change), several copied one after the other.
func WriteBody(r Response, parts [][]byte) {
	if len(parts) == 1 {
		r.SetBodyRaw(parts[0])
		return
	}
	r.SetBody(nil)
	for _, p := range parts {
		r.AppendBody(p)
	}
}

var (
	encodingBrotli = []byte("br")
	encodingGzip   = []byte("gzip")
)

// ETagMatches implements If-None-Match's weak comparison: any listed tag,
// with or without W/, or "*". It does not allocate.
func ETagMatches(header, etag []byte) bool {
	for len(header) > 0 {
		var part []byte
		part, header, _ = bytes.Cut(header, comma)
		part = bytes.TrimPrefix(bytes.TrimSpace(part), weakPrefix)
		if bytes.Equal(part, etag) || string(part) == "*" {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header lists enc
// with a non-zero quality. It allocates only to read an explicit quality.
func acceptsEncoding(header []byte, enc string) bool {
	for len(header) > 0 {
		var part []byte
		part, header, _ = bytes.Cut(header, comma)
		name, params, _ := bytes.Cut(bytes.TrimSpace(part), semicolon)
		if !bytes.EqualFold(bytes.TrimSpace(name), []byte(enc)) {
			continue
		}
		k, v, ok := bytes.Cut(bytes.TrimSpace(params), equals)
		if !ok || string(bytes.TrimSpace(k)) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
		return err == nil && q > 0
	}
	return false
}

var (
	comma      = []byte(",")
	semicolon  = []byte(";")
	equals     = []byte("=")
	weakPrefix = []byte("W/")
)
