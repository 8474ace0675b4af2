package readmodel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// minCompressSize is the size below which compressing a body costs more
// than it saves.
const minCompressSize = 1024

// Compressors are reused: a brotli writer allocates large tables.
var (
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
		return w
	}}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, 6) }}
)

// Body is a ready-made response: JSON bytes, a strong ETag derived from
// them, and gzip and brotli encodings made on first use and then kept, so
// that serving a popular post never compresses it twice. Each encoding is
// a representation of its own with its own strong ETag (RFC 9110 8.8.3):
// the identity tag with "-gz" or "-br" inside the quotes.
type Body struct {
	JSON []byte
	ETag string // quoted, e.g. "\"3f2a...\""

	etag, gzETag, brETag []byte // ready for a response header

	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// NewBody wraps b, computing its ETag. A body is kept for as long as its
// snapshot (often longer), so b is copied when the buffer it was built in
// has room to spare: a bytes.Buffer doubles as it grows, and bodies kept
// with that slack cost up to twice their size.
func NewBody(b []byte) *Body {
	b = exact(b)
	sum := sha256.Sum256(b)
	tag := hex.EncodeToString(sum[:16])
	etag := `"` + tag + `"`
	return &Body{JSON: b, ETag: etag, etag: []byte(etag), gzETag: []byte(`"` + tag + `-gz"`), brETag: []byte(`"` + tag + `-br"`)}
}

// exact returns b, or a copy of it without spare capacity when that
// capacity is more than an eighth of its length.
func exact(b []byte) []byte {
	if cap(b)-len(b) > len(b)/8 {
		return bytes.Clone(b)
	}
	return b
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
func (b *Body) Gzip() []byte { return b.encoded(&b.gzOnce, &b.gz, &gzipWriters) }

// Brotli returns the brotli encoding, or nil when the body is too small to
// be worth compressing.
func (b *Body) Brotli() []byte { return b.encoded(&b.brOnce, &b.br, &brotliWriters) }

// compressor is what gzip and brotli writers have in common.
type compressor interface {
	io.WriteCloser
	Reset(io.Writer)
}

// encoded compresses the body once with a writer from pool into *dst.
func (b *Body) encoded(once *sync.Once, dst *[]byte, pool *sync.Pool) []byte {
	if len(b.JSON) < minCompressSize {
		return nil
	}
	once.Do(func() {
		var buf bytes.Buffer
		w := pool.Get().(compressor)
		w.Reset(&buf)
		_, _ = w.Write(b.JSON)
		_ = w.Close()
		pool.Put(w)
		*dst = exact(buf.Bytes())
	})
	return *dst
}

// Encoding returns the best encoding of b that an Accept-Encoding header
// allows: the bytes, their ETag and the Content-Encoding (nil for none).
// It does not allocate, but to read an explicit quality.
func (b *Body) Encoding(acceptEncoding []byte) (body, etag, enc []byte) {
	if len(acceptEncoding) > 0 {
		switch {
		case acceptsEncoding(acceptEncoding, "br") && b.Brotli() != nil:
			return b.Brotli(), b.BrotliETag(), encodingBrotli
		case acceptsEncoding(acceptEncoding, "gzip") && b.Gzip() != nil:
			return b.Gzip(), b.GzipETag(), encodingGzip
		}
	}
	return b.JSON, b.etag, nil
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
