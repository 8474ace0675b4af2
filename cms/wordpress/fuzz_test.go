package wordpress

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the reader with a small field limit:
// it must never panic nor loop, and every error must be one of its kinds.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"sleepblog.xml", "not-wxr.xml", "billion-laughs.xml", "external-entity.xml"} {
		f.Add(mustRead(f, filepath.Join("testdata", name)))
	}
	f.Add([]byte(wxr(`<item><title>a]]></title><wp:post_id>x</wp:post_id><wp:post_date>2024-13-45</wp:post_date></item>`)))
	f.Add([]byte(wxr(`<item><content:encoded><![CDATA[` + strings.Repeat("ab]]", 300) + `]]></content:encoded></item>`)))
	f.Add([]byte(wxr(`<item><!-- ` + strings.Repeat("-", 600) + ` --><title>&amp;&nbsp;&#1;</title></item>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), Options{MaxField: 512})
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			it, err := r.Next()
			if err != nil {
				var ie *ItemError
				if errors.As(err, &ie) {
					if it == nil {
						t.Fatal("an ItemError without its item")
					}
					continue
				}
				return
			}
			if i > len(data) {
				t.Fatalf("more items (%d) than bytes", i)
			}
		}
	})
}

// FuzzConvertHTML converts arbitrary bodies and footnotes meta: it must
// never panic, and a non-empty body gives an editor kind.
func FuzzConvertHTML(f *testing.F) {
	full := string(mustRead(f, "testdata/sleepblog.xml"))
	for _, body := range strings.Split(full, "<content:encoded><![CDATA[")[1:] {
		f.Add(body[:strings.Index(body, "]]>")], `[{"id":"a1b2","content":"x"}]`)
	}
	f.Add(`[caption caption="x"]<a><img src=1>[/caption][gallery ids="1,,2"][embed][/embed][video]`, "")
	f.Add("<pre>a\n\n<pre>b</pre>\n\n<script>\n</style>\n<svg>\n", "{}")
	f.Add(`<!-- wp:x {"a":"}"} /--><sup data-fn="q"></sup>((a((b))c))`, `[{"id":"q","content":"<sup data-fn=\"q\">"}]`)
	f.Fuzz(func(t *testing.T, content, footnotes string) {
		b := ConvertHTML(content, footnotes)
		if strings.TrimSpace(content) != "" && b.Editor == "" {
			t.Errorf("no editor kind for %q", content)
		}
		_ = wpautop(content)
	})
}
