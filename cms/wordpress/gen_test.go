package wordpress

import (
	"io"
	"runtime"
	"testing"

	"github.com/lullabycms/lullaby/cms/wordpress/wpgen"
)

// readAll reads an export to the end, returning the items read and the
// peak heap in use, sampled every 50 items.
func readAll(tb testing.TB, src io.Reader) (items int, peak uint64) {
	tb.Helper()
	r, err := NewReader(src, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var ms runtime.MemStats
	for _, err := range r.Items() {
		if err != nil {
			tb.Fatal(err)
		}
		items++
		if items%50 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	return items, peak
}

// TestReadGeneratedExport reads a generated 2,000-item export (about
// 9 MB) through a pipe and checks the heap never holds a fraction of it:
// the reader streams.
func TestReadGeneratedExport(t *testing.T) {
	// Not parallel: it measures the heap of the whole process.
	n, peak := readAll(t, wpgen.Reader(2000))
	if n != 2000 {
		t.Errorf("read %d items, want 2000", n)
	}
	if peak > 64<<20 {
		t.Errorf("peak heap in use %d MB, want < 64 MB", peak>>20)
	}
}

// BenchmarkReadConvert reads and converts a generated 2,000-item export;
// it reports the time per item and the peak heap in use.
func BenchmarkReadConvert(b *testing.B) {
	const n = 2000
	var peak uint64
	for b.Loop() {
		_, p := readAll(b, wpgen.Reader(n))
		peak = max(peak, p)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/item")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
