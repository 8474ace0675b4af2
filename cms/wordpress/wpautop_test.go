package wordpress

import (
	"strings"
	"testing"
)

// TestWpautop checks the port against the behaviour WordPress's own
// tests pin down (tests/phpunit/tests/formatting/wpAutop.php): each case
// names the rule it exercises.
func TestWpautop(t *testing.T) {
	t.Parallel()
	blocks := []string{"table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th", "div", "dl", "dd", "dt",
		"ul", "ol", "li", "pre", "form", "map", "area", "address", "math", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6",
		"fieldset", "legend", "section", "article", "aside", "hgroup", "header", "footer", "nav", "figure", "details", "menu", "summary"}
	var blockIn, blockWant []string
	for _, b := range blocks {
		blockIn = append(blockIn, "<"+b+">foo</"+b+">")
		blockWant = append(blockWant, "<"+b+">foo</"+b+">")
	}
	for _, tc := range []struct{ name, in, want string }{
		{"Empty", " \n ", ""},
		{"Paragraphs and line breaks",
			"Bedtime is at seven.\nStories first.\n\nThen lights out.",
			"<p>Bedtime is at seven.<br />\nStories first.</p>\n<p>Then lights out.</p>"},
		{"Lists are blocks",
			"Try these:\n<ul>\n<li>a fan</li>\n<li>blackout blinds</li>\n</ul>\nGood luck.",
			"<p>Try these:</p>\n<ul>\n<li>a fan</li>\n<li>blackout blinds</li>\n</ul>\n<p>Good luck.</p>"},
		{"Pre untouched",
			"Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n\nCool, huh?",
			"<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n<p>Cool, huh?</p>"},
		{"Inputs get no br",
			`Name: <input type="text" name="n" /><br />Age: <input type="text" name="a" />`,
			`<p>Name: <input type="text" name="n" /><br />Age: <input type="text" name="a" /></p>`},
		{"Options collapse",
			"<select>\n<option>1</option>\n<option>2</option>\n</select>",
			"<p><select><option>1</option><option>2</option></select></p>"},
		{"Block elements, blank lines between", strings.Join(blockIn, "\n\n"), strings.Join(blockWant, "\n")},
		{"Block elements, run together", strings.Join(blockIn, ""), strings.Join(blockWant, "\n")},
		{"Blockquote content wrapped", "<blockquote>foo</blockquote>", "<blockquote><p>foo</p></blockquote>"},
		{"Inline elements are wrapped", "<em>foo</em>\n\n<span>bar</span>", "<p><em>foo</em></p>\n<p><span>bar</span></p>"},
		{"Newline inside a tag", "Hello <a\nhref='world'>", "<p>Hello <a\nhref='world'></p>"},
		{"Newline inside a comment", "Hello <!-- a\nhref='world' -->", "<p>Hello <!-- a\nhref='world' --></p>"},
		{"No br after br", "\nline 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n",
			"<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>"},
		{"Double br is a paragraph", "\nline 1<br>\n<br/>\nline 2<br/>\n<br />\n", "<p>line 1</p>\n<p>line 2</p>"},
		{"Text before a block", "a<div>b</div>", "<p>a</p>\n<div>b</div>"},
		{"Figure with caption", `<figure><img src="example.jpg" /><figcaption>Caption</figcaption></figure>`,
			`<figure><img src="example.jpg" /><figcaption>Caption</figcaption></figure>`},
		{"Figure on lines", "<figure>\n<img src=\"example.jpg\" />\n<figcaption>Caption</figcaption>\n</figure>",
			"<figure>\n<img src=\"example.jpg\" /><figcaption>Caption</figcaption></figure>"},
		{"Hr is not wrapped", "paragraph1<hr>paragraph2", "<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>"},
		{"Script keeps its newlines", "<script>\nvar a = 1;\n</script>", "<p><script>\nvar a = 1;\n</script></p>"},
		{"Svg keeps its newlines", "<svg>\n<circle r=\"3\"/>\n</svg>", "<p><svg>\n<circle r=\"3\"/>\n</svg></p>"},
		{"Windows line ends", "one\r\n\r\ntwo\r\nthree", "<p>one</p>\n<p>two<br />\nthree</p>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.TrimSpace(wpautop(tc.in)); got != tc.want {
				t.Errorf("wpautop(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}
