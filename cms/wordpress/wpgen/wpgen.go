// Package wpgen writes generated WordPress exports (WXR 1.2) of any size,
// for tests and benchmarks of the reader and the importer: n published
// posts of a few KB, alternating block-editor and classic bodies, each with
// an image, a Social Warfare pin description, a Yoast title and a
// footnote. It imports nothing of the module.
package wpgen

import (
	"bufio"
	"fmt"
	"io"
)

// Reader streams an export of n posts through a pipe: the whole file
// never exists in memory.
func Reader(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(Write(pw, n)) }()
	return pr
}

// Write writes an export of n posts to w (about 4.5 KB a post). The
// posts are "Night 1" … "Night n" (slugs night-1 …, WordPress ids 1 …) of
// the site https://gen.example, in its one category, "Sleep".
func Write(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated Nights</title><link>https://gen.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>sleep</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Sleep]]></wp:cat_name></wp:category>
`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(bw, `<item><title><![CDATA[Night %d: what helped]]></title><link>https://gen.example/2024/01/night-%d/</link>
<dc:creator><![CDATA[maren]]></dc:creator><guid isPermaLink="false">https://gen.example/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[Night %d in short.]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date><![CDATA[2024-01-02 21:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2024-01-02 20:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[night-%d]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[post]]></wp:post_type><wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="sleep"><![CDATA[Sleep]]></category>
<wp:postmeta><wp:meta_key>_yoast_wpseo_title</wp:meta_key><wp:meta_value><![CDATA[%%%%title%%%% %%%%sep%%%% %%%%sitename%%%%]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>swp_pinterest_description</wp:meta_key><wp:meta_value><![CDATA[Pin for night %d]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA[[{"id":"n%d","content":"Diary entry %d."}]]]></wp:meta_value></wp:postmeta>
</item>
`, i, i, i, body(i), i, i, i, i, i, i)
	}
	fmt.Fprint(bw, "</channel></rss>\n")
	return bw.Flush()
}

// body is post i's content: block-editor markup for even i, classic HTML
// (paragraphs by blank lines) for odd i.
func body(i int) string {
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
