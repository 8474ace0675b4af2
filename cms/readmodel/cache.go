package readmodel

import (
	"sync"
	"sync/atomic"
)

// boundedMap is a map bounded to maxCachedPages entries, safe for
// concurrent use; looking up a []byte key allocates nothing.
type boundedMap[V comparable] struct {
	mu sync.RWMutex
	m  map[string]V
}

// bodyCache is a map of ready bodies (lists, searches, feeds).
type bodyCache = boundedMap[*Body]

// get returns the value stored under key, or the zero value.
func (c *boundedMap[V]) get(key []byte) V {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[string(key)]
}

// size is the number of values stored.
func (c *boundedMap[V]) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// put stores v under key unless the cache is full, and returns the value
// the cache holds for key (v, or one stored meanwhile).
func (c *boundedMap[V]) put(key string, v V) V {
	held, _ := c.add(key, v)
	return held
}

// add is put that also says whether the value returned is one the cache
// holds.
func (c *boundedMap[V]) add(key string, v V) (held V, stored bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	if old := c.m[key]; old != zero {
		return old, true
	}
	if c.m == nil {
		c.m = map[string]V{}
	}
	if len(c.m) >= maxCachedPages {
		return v, false
	}
	c.m[key] = v
	return v, true
}

// The bodies of the Ghost and WordPress dialects are made once per
// snapshot for each distinct question and kept at two levels
// (servedCache):
//
//   - answers, by the query parsed and normalised (ghostQuery.appendKey,
//     wpQuery.appendKey), and for a read by what is read (the item, not
//     the id, slug or old slug it was asked by). The same question asked
//     with another content key, another parameter order, a cache buster
//     or other spacing gets the same body, ETag and compressed encodings,
//     rather than one more rendering, SHA-256 and brotli run each;
//   - raw, by the raw query string as it arrived, pointing into answers:
//     what the handler looks up first, with one map read and no parsing
//     (GhostCachedList, GhostCachedRead, WPCached).
//
// Both are bounded in entries (boundedMap), and the bytes of the bodies
// kept by maxServedBytes. Keys are made from bytes the request owns and
// stored as strings, that is copied.

// maxServedBytes bounds the bytes of the bodies a snapshot keeps for a
// dialect: a list of 100 whole posts is about 1 MB, so a client walking
// every page and query could otherwise fill memory within the caches'
// bound on entries (maxCachedPages). Past it, bodies are made for each
// request.
const maxServedBytes = 64 << 20

// served is what a dialect's cache holds: a body, or a body with more
// (WPResult).
type served interface {
	comparable
	bodyLen() int
}

func (b *Body) bodyLen() int { return len(b.JSON) }

// servedCache is the answers a snapshot has given through a dialect.
type servedCache[V served] struct {
	answers boundedMap[V] // normalised question -> answer
	raw     boundedMap[V] // question as asked -> an answer of answers
	kept    atomic.Int64  // bytes of the bodies in answers
}

// answer returns the answer kept under the normalised key, making it with
// render and keeping it first if needed (while the snapshot keeps less
// than maxServedBytes); kept says whether the answer given is one that
// answers holds.
func (c *servedCache[V]) answer(key []byte, render func() (V, error)) (v V, kept bool, err error) {
	var zero V
	if v := c.answers.get(key); v != zero {
		return v, true, nil
	}
	if v, err = render(); err != nil {
		return zero, false, err
	}
	n := int64(v.bodyLen())
	if c.kept.Add(n) > maxServedBytes {
		c.kept.Add(-n)
		return v, false, nil
	}
	held, stored := c.answers.add(string(key), v)
	if held != v || !stored {
		// Another request kept one first, or the cache is full of
		// entries: the bytes are given back.
		c.kept.Add(-n)
	}
	return held, stored, nil
}

// cached returns the answer remembered for the raw key, or the zero value.
func (c *servedCache[V]) cached(raw []byte) V { return c.raw.get(raw) }

// remember points the raw key (prefix, then the raw query string) at v,
// an answer that answers holds.
func (c *servedCache[V]) remember(prefix, raw []byte, v V) {
	if c.raw.size() < maxCachedPages {
		c.raw.put(string(append(prefix, raw...)), v)
	}
}
