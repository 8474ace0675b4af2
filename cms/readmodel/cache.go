package readmodel

import (
	"sync"
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
// Both are bounded in entries (boundedMap), and the bytes the bodies
// keep by a budget (servedBudget): their own bytes, not those they share
// with the snapshot's posts (a post's HTML: bodyBuilder), and the
// compressed encodings made of them. Keys are made from bytes the request
// owns and stored as strings, that is copied.

// servedBudget bounds the bytes a snapshot keeps for a dialect, for a
// snapshot of n posts: what a client reading every post by id and by slug
// through both dialects needs (a body of a post keeps about 2 KB of its
// own, its encodings about as much), with room for lists, and at least
// minServedBytes. Past it, bodies are made for each request, and
// encodings of bodies kept are made for each request that asks for one.
func servedBudget(n int) int64 { return max(minServedBytes, int64(n)*servedBytesPerPost) }

// The terms of servedBudget.
const (
	minServedBytes     = 4 << 20
	servedBytesPerPost = 8 << 10
)

// served is what a dialect's cache holds: a body, or a body with more
// (WPResult).
type served interface {
	comparable
	body() *Body
}

func (b *Body) body() *Body { return b }

// servedCache is the answers a snapshot has given through a dialect.
type servedCache[V served] struct {
	answers boundedMap[V] // normalised question -> answer
	raw     boundedMap[V] // question as asked -> an answer of answers
	budget  byteBudget    // bytes of the bodies in answers and of their encodings
}

// answer returns the answer kept under the normalised key, making it with
// render and keeping it first if needed (while the budget allows); kept
// says whether the answer given is one that answers holds.
func (c *servedCache[V]) answer(key []byte, render func() (V, error)) (v V, kept bool, err error) {
	var zero V
	if v := c.answers.get(key); v != zero {
		return v, true, nil
	}
	if v, err = render(); err != nil {
		return zero, false, err
	}
	b := v.body()
	n := b.ownLen()
	if !c.budget.take(n) {
		return v, false, nil
	}
	b.budget = &c.budget // before others can see it; v is this request's alone until add
	held, stored := c.answers.add(string(key), v)
	if held != v || !stored {
		// Another request kept one first, or the cache is full of
		// entries: the bytes are given back.
		c.budget.give(n)
		b.budget = nil
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
