package wordpress

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"testing"
)

// generatedExport streams an export of n items, alternating block-editor
// and classic posts of a few KB with images, pins, SEO meta and footnotes,
// through a pipe: the whole file never exists in memory.
func generatedExport(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriter(pw)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated Nights</title><link>https://gen.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>sleep</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Sleep]]></wp:cat_name></wp:category>
`)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(w, `<item><title><![CDATA[Night %d: what helped]]></title><link>https://gen.example/2024/01/night-%d/</link>
<dc:creator><![CDATA[maren]]></dc:creator><guid isPermaLink="false">https://gen.example/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[Night %d in short.]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date><![CDATA[2024-01-02 21:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2024-01-02 20:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[night-%d]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[post]]></wp:post_type><wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="sleep"><![CDATA[Sleep]]></category>
<wp:postmeta><wp:meta_key>_yoast_wpseo_title</wp:meta_key><wp:meta_value><![CDATA[%%%%title%%%% %%%%sep%%%% %%%%sitename%%%%]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>swp_pinterest_description</wp:meta_key><wp:meta_value><![CDATA[Pin for night %d]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA[[{"id":"n%d","content":"Diary entry %d."}]]]></wp:meta_value></wp:postmeta>
</item>
`, i, i, i, generatedBody(i), i, i, i, i, i, i)
		}
		fmt.Fprint(w, "</channel></rss>\n")
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

func generatedBody(i int) string {
	para := "Tonight the baby settled after two songs and a short walk around the landing; we kept the lights low, the voices soft, and the routine exactly as it was yesterday, which seems to be what matters most. "
	if i%2 == 0 {
		return fmt.Sprintf(`<!-- wp:paragraph --><p>%s<sup data-fn="n%d" class="fn"><a href="#n%d">1</a></sup></p><!-- /wp:paragraph -->
<!-- wp:image {"id":%d} --><figure class="wp-block-image"><img src="https://gen.example/wp-content/uploads/n%d.jpg" alt="Night %d" class="wp-image-%d" data-pin-description="Pin %d"/></figure><!-- /wp:image -->
<!-- wp:heading --><h2>What we changed</h2><!-- /wp:heading -->
<!-- wp:list --><ul><li>%s</li><li>%s</li><li>%s</li></ul><!-- /wp:list -->
<!-- wp:paragraph --><p>%s%s%s</p><!-- /wp:paragraph -->
<!-- wp:footnotes /-->`, para, i, i, 100000+i, i, i, 100000+i, i, para, para, para, para, para, para)
	}
	return fmt.Sprintf("%s\n%s\n\n<img src=\"https://gen.example/wp-content/uploads/n%d.jpg\" alt=\"Night %d\" />\n\n<h3>Notes</h3>\n<ol>\n<li>%s</li>\n<li>%s</li>\n</ol>\n\n%s%s((Classic note %d.))",
		para, para, i, i, para, para, para, para, i)
}

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
	n, peak := readAll(t, generatedExport(2000))
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
		_, p := readAll(b, generatedExport(n))
		peak = max(peak, p)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/item")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
