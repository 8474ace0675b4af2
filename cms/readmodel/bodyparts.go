package readmodel

import (
	"bytes"
	"encoding/json"
)

// minSharedPart is the length from which bodyBuilder.Share points to a
// slice rather than copying it: below it a part of its own (a slice
// header, and one more write per response) costs about what it saves.
const minSharedPart = 256

// bodyBuilder writes a Body: the bytes it makes through its Buffer, and
// slices held elsewhere for at least as long as the body (a post's HTML,
// a tag or author object of the snapshot) through Share, which the body
// points to instead of copying. So one post's HTML is held once, however
// many bodies (ours, with related posts, the dialects', lists of whole
// posts) carry it.
type bodyBuilder struct {
	bytes.Buffer
	shared []sharedPart
}

// sharedPart is a slice shared at an offset of the builder's own bytes.
type sharedPart struct {
	at int
	b  []byte
}

// Share writes p, pointing to it rather than copying it when it is long
// enough to be worth it. p must not change afterwards.
func (bb *bodyBuilder) Share(p []byte) {
	if len(p) < minSharedPart {
		bb.Write(p)
		return
	}
	bb.shared = append(bb.shared, sharedPart{bb.Len(), p})
}

// ShareBody writes the bytes of b but for its first skip and last trim
// bytes, sharing its parts.
func (bb *bodyBuilder) ShareBody(b *Body, skip, trim int) {
	end := b.size - trim
	at := 0 // offset of p in b
	for _, p := range b.parts {
		from, to := max(skip-at, 0), min(end-at, len(p))
		at += len(p)
		if from < to {
			bb.Share(p[from:to])
		}
	}
}

// maxPartedBody is the length past which a body is kept whole rather
// than in parts: a body in parts is copied into each response, into a
// buffer of its length that the server keeps per connection for the
// next, while a whole one is sent as it is. Bodies that long are lists
// of whole posts, few beside the posts.
const maxPartedBody = 64 << 10

// Body returns the body written: its own bytes copied once, exactly (the
// shared parts point into them), the shared slices as they are; or, past
// maxPartedBody, all of it copied into one part.
func (bb *bodyBuilder) Body() *Body {
	own := exact(bb.Bytes())
	if len(bb.shared) == 0 {
		return NewBody(own)
	}
	if n := bb.Len() + bb.sharedLen(); n > maxPartedBody {
		whole := make([]byte, 0, n)
		prev := 0
		for _, s := range bb.shared {
			whole = append(append(whole, own[prev:s.at]...), s.b...)
			prev = s.at
		}
		return NewBody(append(whole, own[prev:]...))
	}
	parts := make([][]byte, 0, 2*len(bb.shared)+1)
	prev := 0
	for _, s := range bb.shared {
		if s.at > prev {
			parts = append(parts, own[prev:s.at])
		}
		parts = append(parts, s.b)
		prev = s.at
	}
	if prev < len(own) {
		parts = append(parts, own[prev:])
	}
	return newBody(parts, len(own))
}

// sharedLen is the length of the shared parts written.
func (bb *bodyBuilder) sharedLen() int {
	n := 0
	for _, s := range bb.shared {
		n += len(s.b)
	}
	return n
}

// ownLen is the bytes of the body not shared with others: what keeping it
// costs beyond what the snapshot holds anyway.
func (b *Body) ownLen() int { return b.own }

// htmlMark stands in for a post's HTML while its body is encoded, to be
// replaced by the HTML's own slice (splitHTML). Encoded, it is a JSON
// string that no HTML, title or URL holds: it begins with a NUL.
const htmlMark = "\x00lullaby:html\x00"

var htmlMarkJSON = jsonString(htmlMark)

// markAt returns where in b, an encoding of a post in which its HTML was
// htmlMark, the mark is; false unless it is there exactly once (a text of
// the post holds it).
func markAt(b []byte) (int, bool) {
	i := bytes.Index(b, htmlMarkJSON)
	return i, i >= 0 && !bytes.Contains(b[i+len(htmlMarkJSON):], htmlMarkJSON)
}

// newFullBody makes the body of GET /api/v1/posts/{slug} of full (without
// related posts), with the HTML as a part of its own: the body, and the
// HTML as a JSON string for the post's other bodies to share. split says
// whether the body's parts are head, HTML and tail (they are but when a
// text of the post holds the mark). What the body keeps is carved from s
// (nil: allocations of its own).
func newFullBody(full PublicPost, s *slab) (body *Body, html []byte, split bool, err error) {
	if html, err = encodeKept(full.HTML, s); err != nil {
		return nil, nil, false, err
	}
	type doc struct {
		Data PublicPost `json:"data"`
	}
	text := full.HTML
	full.HTML = htmlMark
	buf := encodeBuffers.Get().(*bytes.Buffer)
	defer putEncodeBuffer(buf)
	b, err := encodeInto(buf, doc{full})
	if err != nil {
		return nil, nil, false, err
	}
	if i, ok := markAt(b); ok {
		head, tail := s.keep(b[:i]), s.keep(b[i+len(htmlMarkJSON):])
		return newBody([][]byte{head, html, tail}, len(head)+len(tail)), html, true, nil
	}
	// A text of the post holds the mark (NUL characters): the body is made
	// whole, and the others share only the HTML.
	full.HTML = text
	whole, err := encodeKept(doc{full}, s)
	if err != nil {
		return nil, nil, false, err
	}
	return newBody([][]byte{whole}, len(whole)), html, false, nil
}

// public is the entry's post as our API shows it, but for its HTML (which
// the dialects share: postEntry.html), read back from its body: what the
// dialects render their fields from, at a fraction of the cost and
// garbage of rendering the post again. A body that does not read back
// (it cannot: it was encoded from the same type) renders it again.
func (e *postEntry) public() *PublicPost {
	b := e.full.parts
	var doc struct {
		Data PublicPost `json:"data"`
	}
	var err error
	if e.split {
		err = json.Unmarshal(bytes.Join([][]byte{b[0], b[2]}, []byte(`""`)), &doc)
	} else {
		err = json.Unmarshal(e.full.Bytes(), &doc)
	}
	if err != nil {
		_, full := e.env.publicPost(e.sourced())
		return &full
	}
	return &doc.Data
}
