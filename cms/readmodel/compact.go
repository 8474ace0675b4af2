package readmodel

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"
)

// What the read model keeps is made amid much garbage of the same sizes:
// decoding, rendering and encoding, on every processor. Go's allocator
// puts an object in a free slot of a span of its size class, so what is
// kept lies scattered among what is not, an object or two to a span, and
// those spans stay in use once the garbage is gone: at 1,000 posts, the
// HTML of the entries alone held ~20 MB of spans for ~9 MB of bytes.
// Copying the bytes to fresh allocations does not help (the copies go to
// the free slots of the same spans); carving them from chunks too large
// for any size class does, since a chunk is pages of its own. So an
// entry is encoded in a pooled buffer and what it keeps is carved from
// its builder's slab: one copy, no buffer grown step by step and then
// copied to its length.

// chunkSize is the size of the chunks a slab carves: past 32 KB, an
// allocation has pages of its own; and a chunk holds the bytes of a few
// entries, so that one entry replaced (a post edited) keeps little alive
// beside the others.
const chunkSize = 128 << 10

// slab carves byte slices out of chunks of chunkSize, one after the
// other. A chunk stays in memory while any slice of it does.
type slab struct{ chunk []byte }

// keep returns a copy of b carved from the slab; one too long to share a
// chunk is an allocation of its own (its own pages too), and so is every
// copy with a nil slab.
func (s *slab) keep(b []byte) []byte {
	n := len(b)
	if s == nil {
		return bytes.Clone(b)
	}
	if n > chunkSize/4 {
		c := make([]byte, n)
		copy(c, b)
		return c
	}
	if cap(s.chunk)-len(s.chunk) < n {
		s.chunk = make([]byte, 0, chunkSize)
	}
	at := len(s.chunk)
	s.chunk = append(s.chunk, b...)
	return s.chunk[at : at+n : at+n]
}

// encodeBuffers are the buffers entries are encoded in, to carve what
// they keep from a slab: no buffer grown step by step, then copied to its
// length, for each of them.
var encodeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putEncodeBuffer gives buf back to encodeBuffers, unless it grew large.
func putEncodeBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		encodeBuffers.Put(buf)
	}
}

// encodeInto encodes v into buf as JSON without escaping <, > and &
// (marshal) and returns the bytes, which buf owns.
func encodeInto(buf *bytes.Buffer, v any) ([]byte, error) {
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// encodeKept encodes v as encodeInto does, keeping the bytes in s (nil:
// an allocation of their own).
func encodeKept(v any, s *slab) ([]byte, error) {
	buf := encodeBuffers.Get().(*bytes.Buffer)
	defer putEncodeBuffer(buf)
	b, err := encodeInto(buf, v)
	if err != nil {
		return nil, err
	}
	return s.keep(b), nil
}

// packValues copies the values of vals, but those at the indexes in
// shared, into one allocation and points them into it. A post's fields
// in a dialect are some thirty small values made on the post's first
// request, amid that request's garbage: packed, they are one object kept
// as long as the post rather than thirty scattered ones, each holding a
// span of the heap among freed objects. Nil values stay nil.
func packValues(vals [][]byte, shared ...int) {
	n := 0
	for i, v := range vals {
		if !slices.Contains(shared, i) {
			n += len(v)
		}
	}
	buf := make([]byte, 0, n)
	for i, v := range vals {
		if v == nil || slices.Contains(shared, i) {
			continue
		}
		at := len(buf)
		buf = append(buf, v...)
		vals[i] = buf[at:len(buf):len(buf)]
	}
}
