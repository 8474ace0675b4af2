package admin

import (
	"strconv"
	"testing"
	"time"
)

// The limiter is tested from inside because its window and size are not
// reachable through the API.
func TestLimiter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(3, time.Minute, 100)

	for i := range 3 {
		if ok, _ := l.allow("a", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("attempt %d refused, want allowed", i+1)
		}
	}
	ok, wait := l.allow("a", t0.Add(10*time.Second))
	if ok || wait != 50*time.Second {
		t.Fatalf("4th attempt = %v, wait %v; want refused, wait 50s", ok, wait)
	}
	if ok, _ := l.allow("b", t0.Add(10*time.Second)); !ok {
		t.Fatalf("other key refused, want allowed")
	}
	if ok, _ := l.allow("a", t0.Add(time.Minute)); !ok {
		t.Fatalf("attempt after the window refused, want allowed")
	}
}

func TestLimiterBounded(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(1, time.Minute, 50)
	for i := range 1000 {
		l.allow(strconv.Itoa(i), t0.Add(time.Duration(i)*time.Millisecond))
		if n := len(l.entries); n > 50 {
			t.Fatalf("after %d keys the limiter holds %d, want at most 50", i+1, n)
		}
	}
	// Once the windows are over, a sweep makes room without dropping live keys.
	later := t0.Add(2 * time.Minute)
	l.allow("live", later)
	for i := range 49 {
		l.allow("new"+strconv.Itoa(i), later)
	}
	if ok, _ := l.allow("live", later); ok {
		t.Fatalf("live key was forgotten by the sweep, want still limited")
	}
}
