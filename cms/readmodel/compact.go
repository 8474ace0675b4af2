package readmodel

import "slices"

// What the read model keeps is made amid much garbage of the same sizes:
// decoding, rendering and encoding, on every processor. Go's allocator
// puts an object in a free slot of a span of its size class, so what is
// kept lies scattered among what is not, an object or two to a span, and
// those spans stay in use once the garbage is gone: at 1,000 posts, the
// HTML of the entries alone held ~20 MB of spans for ~9 MB of bytes.
// Copying the bytes does not help by itself (the copies go to the free
// slots of the same spans); copying them into chunks too large for any
// size class does, since a chunk is pages of its own.

// chunkSize is the size of the chunks a slab carves: past 32 KB, an
// allocation has pages of its own; and a chunk holds the bytes of a few
// entries, so that one entry replaced (a post edited) keeps little alive
// beside the others.
const chunkSize = 128 << 10

// slab carves byte slices out of chunks of chunkSize, one after the
// other. A chunk stays in memory while any slice of it does.
type slab struct{ chunk []byte }

// clone returns a copy of b carved from the slab; one too long to share a
// chunk is an allocation of its own (its own pages too).
func (s *slab) clone(b []byte) []byte {
	n := len(b)
	if n > chunkSize/4 {
		return slices.Clone(b)
	}
	if cap(s.chunk)-len(s.chunk) < n {
		s.chunk = make([]byte, 0, chunkSize)
	}
	at := len(s.chunk)
	s.chunk = append(s.chunk, b...)
	return s.chunk[at : at+n : at+n]
}

// compactEntries copies the bytes each entry of entries at build keeps
// (its HTML, source, summary and body parts) into chunks of a slab,
// entry by entry; the originals, scattered, go back to the allocator.
// The entries must not be visible to others yet.
func compactEntries(entries []*postEntry, build []int) {
	var s slab
	for _, i := range build {
		e := entries[i]
		e.html = s.clone(e.html)
		if e.split {
			e.full.parts = [][]byte{s.clone(e.full.parts[0]), e.html, s.clone(e.full.parts[2])}
		} else {
			e.full.parts = [][]byte{s.clone(e.full.parts[0])}
		}
		e.src = s.clone(e.src)
		e.summary = s.clone(e.summary)
	}
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
