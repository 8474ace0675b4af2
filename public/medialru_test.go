package public

import (
	"fmt"
	"sync"
	"testing"
)

func TestMediaLRUEvictsByBudget(t *testing.T) {
	l := newMediaLRU(800)
	add := func(key string, n int) { l.add(&mediaEntry{key: key, data: make([]byte, n)}, 0) }
	add("a", 100)
	add("b", 100)
	add("c", 100)
	if _, ok := l.get("a", 0); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	for i := range 5 {
		add(fmt.Sprint("d", i), 100) // 800 bytes: full
	}
	if n, size := l.len(); n != 8 || size != 800 {
		t.Fatalf("len = %d, %d bytes; want 8, 800", n, size)
	}
	add("e", 100) // evicts b, the least recently used
	if _, ok := l.get("b", 0); ok {
		t.Error("b survived eviction")
	}
	for _, k := range []string{"a", "c", "e"} {
		if _, ok := l.get(k, 0); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	add("huge", 101) // over budget/8: not kept
	if _, ok := l.get("huge", 0); ok {
		t.Error("an entry over an eighth of the budget was cached")
	}
	add("a", 50) // replacing an entry adjusts the size
	if _, size := l.len(); size > 800 {
		t.Errorf("size %d over budget", size)
	}
}

func TestMediaLRUConcurrent(t *testing.T) {
	l := newMediaLRU(1000)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := fmt.Sprint(g, "/", i%20)
				if _, ok := l.get(k, 0); !ok {
					l.add(&mediaEntry{key: k, data: make([]byte, 1+i%100)}, 0)
				}
			}
		}()
	}
	wg.Wait()
	if _, size := l.len(); size > 1000 {
		t.Errorf("size %d over budget", size)
	}
}

func TestParseRange(t *testing.T) {
	for h, want := range map[string][3]int64{ // start, end, ok(1)
		"bytes=0-9":     {0, 9, 1},
		"bytes=90-":     {90, 99, 1},
		"bytes=-10":     {90, 99, 1},
		"bytes=-1000":   {0, 99, 1},
		"bytes=50-5000": {50, 99, 1},
		"bytes=100-":    {-1, 0, 1},
		"bytes=-0":      {-1, 0, 1},
		"bytes=5-1":     {0, 0, 0},
		"bytes=0-1,4-5": {0, 0, 0},
		"items=0-1":     {0, 0, 0},
		"bytes=x-":      {0, 0, 0},
	} {
		s, e, ok := parseRange(h, 100)
		got := [3]int64{s, e, 0}
		if ok {
			got[2] = 1
		}
		if got != want {
			t.Errorf("parseRange(%q) = %v, want %v", h, got, want)
		}
	}
}

// TestMediaLRUVersion: a new content version empties the cache, and an
// entry read at an older version is not kept.
func TestMediaLRUVersion(t *testing.T) {
	t.Parallel()
	l := newMediaLRU(1 << 20)
	l.add(&mediaEntry{key: "a", data: make([]byte, 10)}, 0)
	if _, ok := l.get("a", 0); !ok {
		t.Fatal("entry missing at the same version")
	}
	if _, ok := l.get("a", 1); ok {
		t.Fatal("entry kept after the content version moved")
	}
	l.add(&mediaEntry{key: "b", data: make([]byte, 10)}, 0)
	if n, size := l.len(); n != 0 || size != 0 {
		t.Fatalf("an entry read at an old version was kept: %d entries, %d bytes", n, size)
	}
}

// len returns the number of entries and their total size.
func (l *mediaLRU) len() (int, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len(), l.size
}
