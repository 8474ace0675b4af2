package public

import (
	"container/list"
	"sync"

	"github.com/lullabycms/lullaby/cms"
)

// mediaEntry is one cached variant: its metadata and bytes.
type mediaEntry struct {
	key     string
	variant cms.MediaVariant
	etag    []byte // variant.ETag, ready for the response header
	data    []byte
}

// mediaLRU holds recently served variants, evicting the least recently
// used once their total size passes budget bytes. A variant larger than an
// eighth of the budget is not kept (one huge original must not flush every
// hot pin). It is safe for concurrent use.
type mediaLRU struct {
	mu      sync.Mutex
	version int64 // the content version the entries belong to
	budget  int64
	size    int64
	order   *list.List // front: most recently used; values *mediaEntry
	items   map[string]*list.Element
}

func newMediaLRU(budget int64) *mediaLRU {
	return &mediaLRU{budget: budget, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the entry for key and marks it recently used. When the
// content version moved (an image may have been deleted), every entry is
// dropped first.
func (l *mediaLRU) get(key string, version int64) (*mediaEntry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if version != l.version {
		l.version, l.size = version, 0
		l.order.Init()
		clear(l.items)
	}
	el, ok := l.items[key]
	if !ok {
		return nil, false
	}
	l.order.MoveToFront(el)
	return el.Value.(*mediaEntry), true
}

// add stores e, read at content version, evicting old entries past the
// budget. An entry read before the version moved is not kept.
func (l *mediaLRU) add(e *mediaEntry, version int64) {
	n := int64(len(e.data))
	if n > l.budget/8 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if version != l.version {
		return
	}
	if el, ok := l.items[e.key]; ok {
		l.size -= int64(len(el.Value.(*mediaEntry).data))
		l.order.Remove(el)
	}
	l.items[e.key] = l.order.PushFront(e)
	l.size += n
	for l.size > l.budget {
		last := l.order.Back()
		old := last.Value.(*mediaEntry)
		l.order.Remove(last)
		delete(l.items, old.key)
		l.size -= int64(len(old.data))
	}
}
