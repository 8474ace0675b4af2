package readmodel

import (
	"strconv"
	"sync/atomic"
)

// The bodies of the Ghost dialect are made once per snapshot for each
// distinct question and kept at two levels:
//
//   - bodies, by the query parsed and normalised (ghostQuery.appendKey),
//     and for a read by what is read (a post's id, not the id, slug or old
//     slug it was asked by). The same question asked with another content
//     key, another parameter order, a cache buster or other spacing gets
//     the same body, ETag and compressed encodings, rather than one more
//     rendering, SHA-256 and brotli run each;
//   - raw, by the raw query string as it arrived, pointing into bodies:
//     what the handler looks up first, with one map read and no parsing
//     (GhostCachedList, GhostCachedRead).
//
// Both are bounded in entries (bodyCache), and the bytes of the bodies
// kept by maxGhostCacheBytes. Keys are made from bytes the request owns
// and stored as strings, that is copied.

// maxGhostCacheBytes bounds the bytes of the bodies a snapshot keeps for
// the dialect: a list of 100 whole posts is about 1 MB, so a client
// walking every page and query could otherwise fill memory within the
// caches' bound on entries (maxCachedPages). Past it, bodies are made
// for each request.
const maxGhostCacheBytes = 64 << 20

// ghostCache is the bodies a snapshot has served through the dialect.
type ghostCache struct {
	bodies bodyCache    // normalised query -> body
	raw    bodyCache    // resource, id or slug as asked, raw query -> a body of bodies
	kept   atomic.Int64 // bytes of the bodies in bodies
}

// body returns the body kept under the normalised key, making it with
// render and keeping it first if needed (while the snapshot keeps less
// than maxGhostCacheBytes); kept says whether the body served is one that
// bodies holds.
func (g *ghostCache) body(key []byte, render func() []byte) (b *Body, kept bool) {
	if b := g.bodies.get(key); b != nil {
		return b, true
	}
	b = NewBody(render())
	n := int64(len(b.JSON))
	if g.kept.Add(n) > maxGhostCacheBytes {
		g.kept.Add(-n)
		return b, false
	}
	// The cache may be full of entries (maxCachedPages): then put keeps
	// nothing, and the bytes are given back.
	if kept := g.bodies.put(string(key), b); kept != b || g.bodies.get(key) != b {
		g.kept.Add(-n)
		return kept, kept != b
	}
	return b, true
}

// remember points the raw key (prefix, then the raw query string) at b,
// a body that bodies holds.
func (g *ghostCache) remember(prefix, raw []byte, b *Body) {
	if g.raw.size() < maxCachedPages {
		g.raw.put(string(append(prefix, raw...)), b)
	}
}

// appendKey appends q normalised: two requests with the same key get the
// same body.
func (q *ghostQuery) appendKey(b []byte) []byte {
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(q.limit), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(q.page), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(q.sel), 36)
	if q.counts {
		b = append(b, 'c')
	}
	b = append(b, ',')
	if !(len(q.order) == 1 && q.order[0] == ghostOrder{field: "published_at", desc: true}) {
		for _, o := range q.order {
			b = append(b, o.field...)
			b = append(b, "+-"[b2i(o.desc)])
		}
	}
	if q.fields != nil {
		b = append(b, 'f')
		for _, f := range q.fields {
			b = strconv.AppendQuote(b, f)
		}
	}
	b = append(b, ',')
	return q.filter.appendKey(b)
}

// appendKey appends the filter n (nil: none) unambiguously.
func (n *nqlNode) appendKey(b []byte) []byte {
	switch {
	case n == nil:
		return b
	case n.cond != nil:
		c := n.cond
		b = append(b, c.field...)
		b = append(b, c.op...)
		for _, v := range c.values {
			b = strconv.AppendQuote(b, v)
		}
		return b
	}
	parts, sep := n.and, byte('+')
	if n.or != nil {
		parts, sep = n.or, ','
	}
	b = append(b, '(')
	for i, c := range parts {
		if i > 0 {
			b = append(b, sep)
		}
		b = c.appendKey(b)
	}
	return append(b, ')')
}
