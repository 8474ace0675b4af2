package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestImportWordPressThemeUnitTest imports, through `lullaby import
// wordpress` and the real service, an export made of the edge cases of
// WordPress's theme unit test data (see themeEdgeExport), and then asks
// the public API for every path an imported post or category shows at:
// nothing may answer a 5xx, the command must not crash and its report must
// be there. With LULLABY_WP_THEME_TEST_XML naming local copies of the real
// exports (github.com/WordPress/theme-test-data, GPL, not shipped) it
// imports those the same way.
func TestImportWordPressThemeUnitTest(t *testing.T) {
	t.Parallel()
	files := map[string]string{"generated": writeThemeEdgeExport(t)}
	if env := os.Getenv("LULLABY_WP_THEME_TEST_XML"); env != "" {
		for _, f := range filepath.SplitList(env) {
			files[filepath.Base(f)] = f
		}
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db, getenv := importEnv(t)
			out, progress, err := runImportCmd(t, getenv, file)
			if err != nil {
				t.Fatalf("import: %v\n%s\n%s", err, out, progress)
			}
			if !strings.Contains(out, "Items in the export:") || !strings.Contains(out, "Posts created: ") {
				t.Fatalf("no report:\n%s", out)
			}
			t.Logf("report:\n%s", out)
			s := serverOn(t, db)
			published := publicPathsOK(t, s)
			if published == 0 {
				t.Errorf("no published post answers 200:\n%s", out)
			}
			if name == "generated" {
				checkThemeEdgeImport(t, s, out)
			}
		})
	}
}

// publicPathsOK asks the public API for every path the imported content
// shows at and fails on any 5xx; it returns how many posts answered 200.
func publicPathsOK(t *testing.T, s *server) int {
	t.Helper()
	ctx := context.Background()
	paths := []string{"/api/v1/site", "/api/v1/posts", "/api/v1/posts?sort=oldest&limit=100", "/api/v1/categories",
		"/api/v1/lists", "/api/v1/lists/featured", "/api/v1/redirects", "/feed.xml", "/feed.atom", "/feed.json", "/sitemap.xml", "/robots.txt"}
	var want200 []string
	for page := 1; ; page++ {
		posts, total, err := s.svc.ListPosts(ctx, cms.PostFilter{Page: page, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range posts {
			path := "/api/v1/posts/" + url.PathEscape(p.Slug)
			paths = append(paths, path)
			if p.Status == cms.StatusPublished {
				want200 = append(want200, path)
			}
			for _, w := range strings.Fields(p.Title) {
				paths = append(paths, "/api/v1/search?q="+url.QueryEscape(w))
				break
			}
		}
		if page*100 >= total {
			break
		}
	}
	cats, err := s.svc.ListCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		e := url.PathEscape(c.Slug)
		paths = append(paths, "/api/v1/categories/"+e, "/api/v1/posts?category="+url.QueryEscape(c.Slug), "/categories/"+e+"/feed.xml")
	}
	for _, path := range paths {
		res, err := s.app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	ok := 0
	for _, path := range want200 {
		res, err := s.app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s of a published post: %d", path, res.StatusCode)
			continue
		}
		ok++
	}
	return ok
}

// checkThemeEdgeImport checks what became of the generated export's edge
// cases: each made to fit rather than refused, and said so in the report.
func checkThemeEdgeImport(t *testing.T, s *server, out string) {
	t.Helper()
	for _, want := range []string{
		"Posts created: 34, updated: 0",
		`item 10 "Template: Password Protected (the password is \"enter\")": password-protected: imported as a draft`,
		`item 4: no title: titled "This post has no title, but it still must link to the…"`,
		`item 6 "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>": HTML taken out of the title: "Markup: Title With Markup"`,
		`item 13 "Edge Case: Many Categories": 25 categories, Lullaby keeps 20`,
		`item 14 "Edge Case: Many Tags": 36 tags, Lullaby keeps 30: left out Tag 31, Tag 32, Tag 33, Tag 34, Tag 0`,
		`item 22 "Nested and mixed lists": body: <dl> kept as HTML (2 times)`,
		`item 11 "Scheduled, in the past": scheduled for 2014-01-02T17:00:00Z, which has passed: imported as a draft`,
		`item 25 "Trashed": status trash`,
		"Comments: 4, not imported",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not say %s", want)
		}
	}
	for slug, title := range map[string]string{
		"markup-title-with-markup": "Markup: Title With Markup",
		"edge-case-no-title":       "This post has no title, but it still must link to the…",
		"ellenika-greek":           "Ελληνικά-Greek",
		"zhong-wen-biao-ti":        "中文标题",
		"hand-edited-no-id-one":    "Hand-edited, no id, one",
		"hand-edited-no-id-two":    "Hand-edited, no id, two",
		"hello-world-21":           "Duplicate slug",
	} {
		if code, p := importedPost(t, s, slug); code != 200 || p["title"] != title {
			t.Errorf("GET %s: %d %q, want 200 %q", slug, code, p["title"], title)
		}
	}
	if code, _ := importedPost(t, s, "template-password-protected"); code != 404 {
		t.Errorf("the password-protected post answers %d, want 404", code)
	}
	_, p := importedPost(t, s, "edge-case-many-tags")
	if tags, _ := p["tags"].([]any); len(tags) != cms.MaxTags {
		t.Errorf("many tags: %d kept, want %d", len(tags), cms.MaxTags)
	}
	_, p = importedPost(t, s, "edge-case-many-categories")
	if cats, _ := p["categories"].([]any); len(cats) != cms.MaxPostCategories {
		t.Errorf("many categories: %d kept, want %d", len(cats), cms.MaxPostCategories)
	}
	if _, p := importedPost(t, s, "title-too-long"); p == nil || len([]rune(p["title"].(string))) > cms.MaxTitleLen || !strings.HasSuffix(p["title"].(string), "…") {
		t.Errorf("a long title is %q, want cut to at most %d characters", p["title"], cms.MaxTitleLen)
	}
}

// writeThemeEdgeExport writes the generated edge-case export to a
// temporary file.
func writeThemeEdgeExport(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "theme-edge.xml")
	if err := os.WriteFile(path, []byte(themeEdgeExport()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// themeItem is one <item> of the generated export.
type themeItem struct {
	id                int
	title, name, link string
	guid              string
	typ, status       string
	date, dateGMT     string
	parent            int
	sticky            bool
	password          string
	content, excerpt  string
	terms             string // <category> elements
	meta              map[string]string
	comments          int
	noID              bool // an export edited by hand: no wp:post_id
}

func (it themeItem) write(b *strings.Builder) {
	cdata := func(s string) string { return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>" }
	if it.typ == "" {
		it.typ = "post"
	}
	if it.status == "" {
		it.status = "publish"
	}
	if it.date == "" {
		it.date, it.dateGMT = "2013-01-10 20:15:40", "2013-01-11 03:15:40"
	}
	if it.link == "" {
		it.link = "https://themetest.example/?p=" + strconv.Itoa(it.id)
	}
	if it.guid == "" {
		it.guid = "https://themetest.example/?p=" + strconv.Itoa(it.id)
	}
	fmt.Fprintf(b, "<item>\n\t<title>%s</title>\n\t<link>%s</link>\n\t<pubDate>Fri, 11 Jan 2013 03:15:40 +0000</pubDate>\n", cdata(it.title), it.link)
	fmt.Fprintf(b, "\t<dc:creator>%s</dc:creator>\n\t<guid isPermaLink=\"false\">%s</guid>\n\t<description></description>\n", cdata("themedemos"), it.guid)
	fmt.Fprintf(b, "\t<content:encoded>%s</content:encoded>\n\t<excerpt:encoded>%s</excerpt:encoded>\n", cdata(it.content), cdata(it.excerpt))
	if !it.noID {
		fmt.Fprintf(b, "\t<wp:post_id>%d</wp:post_id>\n", it.id)
	}
	fmt.Fprintf(b, "\t<wp:post_date>%s</wp:post_date>\n\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n", cdata(it.date), cdata(it.dateGMT))
	fmt.Fprintf(b, "\t<wp:comment_status>open</wp:comment_status>\n\t<wp:ping_status>open</wp:ping_status>\n\t<wp:post_name>%s</wp:post_name>\n", cdata(it.name))
	fmt.Fprintf(b, "\t<wp:status>%s</wp:status>\n\t<wp:post_parent>%d</wp:post_parent>\n\t<wp:menu_order>0</wp:menu_order>\n\t<wp:post_type>%s</wp:post_type>\n", cdata(it.status), it.parent, cdata(it.typ))
	fmt.Fprintf(b, "\t<wp:post_password>%s</wp:post_password>\n\t<wp:is_sticky>%d</wp:is_sticky>\n", cdata(it.password), map[bool]int{true: 1}[it.sticky])
	b.WriteString(it.terms)
	for k, v := range it.meta {
		fmt.Fprintf(b, "\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n\t\t<wp:meta_value>%s</wp:meta_value>\n\t</wp:postmeta>\n", cdata(k), cdata(v))
	}
	for c := 1; c <= it.comments; c++ {
		fmt.Fprintf(b, "\t<wp:comment>\n\t\t<wp:comment_id>%d</wp:comment_id>\n\t\t<wp:comment_author>%s</wp:comment_author>\n\t\t<wp:comment_date>2013-01-12 10:00:00</wp:comment_date>\n\t\t<wp:comment_content>%s</wp:comment_content>\n\t\t<wp:comment_approved>1</wp:comment_approved>\n\t\t<wp:comment_parent>%d</wp:comment_parent>\n\t</wp:comment>\n",
			it.id*100+c, cdata("Reader "+strconv.Itoa(c)), cdata("Comment <em>number</em> "+strconv.Itoa(c)+" with a <a href=\"https://example.org\">link</a>."), max(0, it.id*100+c-1))
	}
	b.WriteString("</item>\n")
}

// themeEdgeExport is an export made, by hand, of the edge cases WordPress's
// theme unit test data exists to check (its own file is GPL content, not
// shipped): titles too long, empty, with markup and with every special
// character; slugs in Greek, Chinese and percent-encoded; a password;
// comments; nested pages; block markup of the core blocks, dynamic ones
// included; galleries and shortcodes mixed in classic text; a body of
// hundreds of KB; a post scheduled for a time that has passed; sticky
// posts; more categories and tags than a post may have here; items an
// export edited by hand left without ids; menu items, reusable blocks and
// attachments.
func themeEdgeExport() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Theme Edge Cases</title>
	<link>https://themetest.example</link>
	<description>A site with a purposefully long description to see where it wraps and whether anything cuts it short at all</description>
	<pubDate>Mon, 01 Dec 2025 10:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://themetest.example</wp:base_site_url>
	<wp:base_blog_url>https://themetest.example</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[themedemos]]></wp:author_login><wp:author_email><![CDATA[demos@themetest.example]]></wp:author_email><wp:author_display_name><![CDATA[Theme Buster]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
`)
	var terms strings.Builder
	cat := func(id int, nicename, parent, name string) {
		fmt.Fprintf(&b, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename><![CDATA[%s]]></wp:category_nicename><wp:category_parent><![CDATA[%s]]></wp:category_parent><wp:cat_name><![CDATA[%s]]></wp:cat_name></wp:category>\n", id, nicename, parent, name)
	}
	cat(1, "uncategorized", "", "Uncategorized")
	cat(2, "parent-category", "", "Parent Category")
	cat(3, "child-category-01", "parent-category", "Child Category 01")
	cat(4, "grandchild-category", "child-category-01", "Grandchild Category")
	cat(5, "%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac", "", "Ελληνικά")
	cat(6, "markup", "", "Markup &amp; <Tags>")
	for i := 1; i <= 25; i++ {
		n := fmt.Sprintf("edge-cat-%02d", i)
		cat(100+i, n, "", "Edge &amp; Cat "+strconv.Itoa(i))
		fmt.Fprintf(&terms, "\t<category domain=\"category\" nicename=\"%s\"><![CDATA[Edge &amp; Cat %d]]></category>\n", n, i)
	}
	var tags strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&tags, "\t<category domain=\"post_tag\" nicename=\"tag-%d\"><![CDATA[Tag %d]]></category>\n", i, i%35)
	}
	fmt.Fprintf(&tags, "\t<category domain=\"post_tag\" nicename=\"long\"><![CDATA[%s]]></category>\n", strings.Repeat("supercalifragilistic", 4))
	b.WriteString("\t<wp:tag><wp:term_id>300</wp:term_id><wp:tag_slug><![CDATA[tag-1]]></wp:tag_slug><wp:tag_name><![CDATA[Tag 1]]></wp:tag_name></wp:tag>\n")
	b.WriteString("\t<wp:term><wp:term_id>400</wp:term_id><wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy><wp:term_slug><![CDATA[all-pages]]></wp:term_slug><wp:term_name><![CDATA[All Pages]]></wp:term_name></wp:term>\n")

	classic := "classic"
	inCat := func(slugs ...string) string {
		var s strings.Builder
		for _, c := range slugs {
			fmt.Fprintf(&s, "\t<category domain=\"category\" nicename=\"%s\"><![CDATA[%s]]></category>\n", c, c)
		}
		return s.String()
	}
	huge := strings.Repeat("<p>Lorem ipsum dolor sit amet, <strong>consectetur</strong> adipiscing elit, sed do <em>eiusmod</em> tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam.</p>\n", 600)
	items := []themeItem{
		{id: 1, title: "Hello world!", name: "hello-world", content: "Welcome. This is your first post. Edit or delete it, then start writing!", comments: 3, terms: inCat("uncategorized")},
		{id: 2, title: strings.Repeat("Antidisestablishmentarianism and a title far too long ", 5), name: "title-too-long", content: "<p>The title is longer than any layout expects.</p>"},
		{id: 3, title: "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu", name: "title-should-not-overflow-the-content-area", content: "<p>One unbroken word.</p>"},
		{id: 4, title: "", name: "edge-case-no-title", content: "This post has no title, but it still must link to the single post view somehow.\n\nSecond paragraph.", terms: inCat(classic)},
		{id: 5, title: "", name: "", content: "", status: "publish"},
		{id: 6, title: "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>", name: "markup-title-with-markup", content: "<p>Title with markup.</p>", terms: inCat("markup")},
		{id: 7, title: "Markup: Title With Special Characters ~`!@#$%^&amp;*()-_=+{}[]/\\;:'\"?,.&gt;", name: "title-with-special-characters", content: "<p>&laquo;Special&raquo; &#8220;characters&#8221; &amp; entities&hellip; &#x1F634; &nbsp;</p>"},
		{id: 8, title: "Ελληνικά-Greek", name: "%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac-greek", content: "<p>Κείμενο στα ελληνικά.</p>", terms: inCat("%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac")},
		{id: 9, title: "中文标题", name: "中文标题", content: "<p>中文内容。</p>"},
		{id: 10, title: "Template: Password Protected (the password is \"enter\")", name: "template-password-protected", password: "enter", content: "<p>This content should not be visible until the password is entered.</p>", comments: 1},
		{id: 11, title: "Scheduled, in the past", name: "scheduled", status: "future", date: "2014-01-02 10:00:00", dateGMT: "2014-01-02 17:00:00", content: "<p>Its time has passed.</p>"},
		{id: 12, title: "Template: Sticky", name: "template-sticky", sticky: true, content: "<p>A sticky post.</p>"},
		{id: 13, title: "Edge Case: Many Categories", name: "edge-case-many-categories", content: "<p>In 25 categories.</p>", terms: terms.String()},
		{id: 14, title: "Edge Case: Many Tags", name: "edge-case-many-tags", content: "<p>41 tags, some the same.</p>", terms: tags.String()},
		{id: 15, title: "Edge Case: Nested categories", name: "nested", content: "<p>Under a grandchild.</p>", terms: inCat("grandchild-category", "child-category-01", "parent-category")},
		{id: 16, title: "Huge content", name: "huge", content: huge},
		{id: 17, title: "Edge Case: Empty", name: "edge-case-empty", content: ""},
		{id: 18, title: "Shortcode soup", name: "shortcode-soup", content: shortcodeSoup},
		{id: 19, title: "Every core block", name: "blocks", content: everyBlock},
		{id: 20, title: "Broken markup", name: "broken", content: "<div><p>Unclosed <b>bold <i>and italic<ul><li>item<table><tr><td>cell</div><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">js</a>"},
		{id: 21, title: "Duplicate slug", name: "hello-world", content: "<p>Same slug as Hello world.</p>"},
		{id: 22, title: "Nested and mixed lists", name: "lists", content: "<ul><li>one<ol><li>one.one<ul><li>deep</li></ul></li></ol></li><li>two</li></ul><dl><dt>term</dt><dd>definition</dd></dl><dl><dt>again</dt><dd>twice</dd></dl>"},
		{id: 23, title: "Read more and page breaks", name: "more", content: "<p>Before the fold.</p>\n<!--more Keep reading-->\n<p>After.</p>\n<!--nextpage-->\n<p>Page two.</p>"},
		{id: 24, title: "Unknown status", name: "unknown-status", status: "archived", content: "<p>?</p>"},
		{id: 25, title: "Trashed", name: "trashed__trashed", status: "trash", content: "<p>Gone.</p>"},
		{id: 26, title: "Auto draft", name: "", status: "auto-draft", content: ""},
		{id: 27, title: "Bad date", name: "bad-date", date: "2013-13-45 99:99:99", dateGMT: "0000-00-00 00:00:00", content: "<p>The date cannot be read.</p>"},
		{id: 28, title: "Pending", name: "pending", status: "pending", content: "<p>Waiting.</p>"},
		{id: 29, title: "Private", name: "private", status: "private", content: "<p>Secret.</p>"},
		{id: 30, title: "SEO overflow", name: "seo-overflow", content: "<p>Long SEO fields.</p>", meta: map[string]string{"_yoast_wpseo_title": strings.Repeat("Sleep ", 40) + "%%sep%% %%sitename%% %%unknownvar%%", "_yoast_wpseo_metadesc": strings.Repeat("A description. ", 40)}},
		{id: 40, title: "About The Tests", name: "about", typ: "page", content: "<p>A page.</p>"},
		{id: 41, title: "Page A", name: "page-a", typ: "page", parent: 40, content: "<p>Child page.</p>"},
		{id: 42, title: "Level 3", name: "level-3", typ: "page", parent: 41, content: "<p>Grandchild page.</p>"},
		{id: 43, title: "Page with the same slug as a post", name: "huge", typ: "page", content: "<p>Clash.</p>"},
		{title: "Hand-edited, no id, one", noID: true, guid: "https://themetest.example/?p=901", link: "https://themetest.example/?p=901", name: "", content: "<p>First item without an id.</p>"},
		{title: "Hand-edited, no id, two", noID: true, guid: "https://themetest.example/?p=902", link: "https://themetest.example/?p=902", name: "", content: "<p>Second item without an id.</p>"},
		{id: 50, title: "Home", name: "home", typ: "nav_menu_item", content: "", terms: "\t<category domain=\"nav_menu\" nicename=\"all-pages\"><![CDATA[All Pages]]></category>\n", meta: map[string]string{"_menu_item_type": "custom", "_menu_item_url": "https://themetest.example/"}},
		{id: 51, title: "Reusable block", name: "reusable", typ: "wp_block", content: "<!-- wp:paragraph --><p>Reused.</p><!-- /wp:paragraph -->"},
		{id: 60, title: "image-alignment-150x150", name: "image-alignment-150x150", typ: "attachment", status: "inherit", parent: 19, content: "", meta: map[string]string{"_wp_attached_file": "2013/03/image-alignment-150x150.jpg"}},
	}
	for _, it := range items {
		it.write(&b)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

// shortcodeSoup is classic-editor text with the shortcodes themes are
// tested with, known and unknown, nested and broken.
const shortcodeSoup = `Text before.

[gallery ids="60,61,62" columns="2" link="file"]

[caption id="attachment_60" align="alignright" width="150"]<img class="size-thumbnail wp-image-60" src="https://themetest.example/wp-content/uploads/2013/03/image-alignment-150x150.jpg" alt="Image Alignment 150x150" width="150" height="150" /> Look at 580&times;300 getting some <a title="Image Settings" href="https://en.support.wordpress.com/images/image-settings/">caption</a> love.[/caption]

[audio src="https://themetest.example/wp-content/uploads/2008/06/song.mp3"]

[embed width="500"]https://www.youtube.com/watch?v=SQEQr7c0-dw[/embed]

https://twitter.com/nacin/status/319508408669708289

[unknown_plugin attr="1"]inside [nested]deep[/nested][/unknown_plugin]

[gallery]

[caption]unclosed caption
<pre>[not a shortcode] &lt;code&gt;</pre>
<blockquote>Quote<cite>Someone</cite></blockquote>
Line one
Line two`

// everyBlock is block-editor markup of the core blocks, static and
// dynamic, as the block editor saves them.
const everyBlock = `<!-- wp:paragraph {"dropCap":true} --><p class="has-drop-cap">Paragraph with a drop cap.</p><!-- /wp:paragraph -->
<!-- wp:heading {"level":1} --><h1 class="wp-block-heading">Heading 1</h1><!-- /wp:heading -->
<!-- wp:heading {"level":6} --><h6 class="wp-block-heading">Heading 6</h6><!-- /wp:heading -->
<!-- wp:list {"ordered":true,"start":3,"reversed":true} --><ol reversed start="3"><!-- wp:list-item --><li>Three</li><!-- /wp:list-item --><!-- wp:list-item --><li>Two<!-- wp:list --><ul><!-- wp:list-item --><li>nested</li><!-- /wp:list-item --></ul><!-- /wp:list --></li><!-- /wp:list-item --></ol><!-- /wp:list -->
<!-- wp:quote --><blockquote class="wp-block-quote"><!-- wp:paragraph --><p>Quoted.</p><!-- /wp:paragraph --><cite>The cite</cite></blockquote><!-- /wp:quote -->
<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Pulled.</p><cite>Pull cite</cite></blockquote></figure><!-- /wp:pullquote -->
<!-- wp:image {"id":60,"sizeSlug":"large"} --><figure class="wp-block-image size-large"><img src="https://themetest.example/wp-content/uploads/2013/03/image-alignment-150x150.jpg" alt="" class="wp-image-60"/><figcaption class="wp-element-caption">Caption <strong>bold</strong></figcaption></figure><!-- /wp:image -->
<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":60} --><figure class="wp-block-image"><img src="https://themetest.example/wp-content/uploads/2013/03/a.jpg" alt="a" class="wp-image-60"/></figure><!-- /wp:image --><!-- wp:image {"id":61} --><figure class="wp-block-image"><img src="https://themetest.example/wp-content/uploads/2013/03/b.jpg" alt="b" class="wp-image-61"/></figure><!-- /wp:image --></figure><!-- /wp:gallery -->
<!-- wp:audio --><figure class="wp-block-audio"><audio controls src="https://themetest.example/a.mp3"></audio></figure><!-- /wp:audio -->
<!-- wp:video --><figure class="wp-block-video"><video controls src="ttps://themetest.example/v.mov"></video></figure><!-- /wp:video -->
<!-- wp:file {"id":62} --><div class="wp-block-file"><a href="https://themetest.example/doc.pdf">doc.pdf</a><a href="https://themetest.example/doc.pdf" class="wp-block-file__button" download>Download</a></div><!-- /wp:file -->
<!-- wp:cover {"url":"https://themetest.example/c.jpg","dimRatio":50} --><div class="wp-block-cover"><span aria-hidden="true" class="wp-block-cover__background has-background-dim"></span><img class="wp-block-cover__image-background" alt="" src="https://themetest.example/c.jpg" data-object-fit="cover"/><div class="wp-block-cover__inner-container"><!-- wp:paragraph {"align":"center"} --><p class="has-text-align-center">Cover text</p><!-- /wp:paragraph --></div></div><!-- /wp:cover -->
<!-- wp:media-text --><div class="wp-block-media-text"><figure class="wp-block-media-text__media"></figure><div class="wp-block-media-text__content"><p>Media and text.</p></div></div><!-- /wp:media-text -->
<!-- wp:code --><pre class="wp-block-code"><code>&lt;?php echo "code"; ?&gt;
  indented</code></pre><!-- /wp:code -->
<!-- wp:preformatted --><pre class="wp-block-preformatted">Preformatted   text</pre><!-- /wp:preformatted -->
<!-- wp:verse --><pre class="wp-block-verse">A verse
of two lines</pre><!-- /wp:verse -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2 | pipe</td></tr><tr><td colspan="2">wide</td></tr></tbody></table><figcaption>Table caption</figcaption></figure><!-- /wp:table -->
<!-- wp:buttons --><div class="wp-block-buttons"><!-- wp:button --><div class="wp-block-button"><a class="wp-block-button__link wp-element-button" href="https://example.org">Button</a></div><!-- /wp:button --></div><!-- /wp:buttons -->
<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column"><p>Left</p></div><!-- /wp:column --><!-- wp:column --><div class="wp-block-column"><p>Right</p></div><!-- /wp:column --></div><!-- /wp:columns -->
<!-- wp:group --><div class="wp-block-group"><p>Grouped</p></div><!-- /wp:group -->
<!-- wp:details --><details class="wp-block-details"><summary>Summary</summary><p>Hidden.</p></details><!-- /wp:details -->
<!-- wp:separator --><hr class="wp-block-separator has-alpha-channel-opacity"/><!-- /wp:separator -->
<!-- wp:spacer --><div style="height:100px" aria-hidden="true" class="wp-block-spacer"></div><!-- /wp:spacer -->
<!-- wp:html --><div onclick="alert(1)"><iframe src="https://example.org/embed" width="300"></iframe><form action="/x"><input name="q"></form></div><!-- /wp:html -->
<!-- wp:shortcode -->[gallery ids="60"]<!-- /wp:shortcode -->
<!-- wp:embed {"url":"https://youtu.be/ex8fMxXJDJw","type":"video","providerNameSlug":"youtube"} --><figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://youtu.be/ex8fMxXJDJw
</div></figure><!-- /wp:embed -->
<!-- wp:core-embed/twitter {"url":"https://twitter.com/WordPress/status/1057136472321613824"} --><figure class="wp-block-embed-twitter"><div class="wp-block-embed__wrapper">
https://twitter.com/WordPress/status/1057136472321613824
</div></figure><!-- /wp:core-embed/twitter -->
<!-- wp:latest-posts {"displayPostContent":true} /-->
<!-- wp:archives /-->
<!-- wp:query {"queryId":1} --><div class="wp-block-query"><!-- wp:post-template --><!-- wp:post-title /--><!-- /wp:post-template --></div><!-- /wp:query -->
<!-- wp:block {"ref":51} /-->
<!-- wp:more --><!--more--><!-- /wp:more -->
<!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage -->
<!-- wp:paragraph --><p>Footnote here<sup data-fn="f1" class="fn"><a href="#f1" id="f1-link">1</a></sup>.</p><!-- /wp:paragraph -->
<!-- wp:footnotes /-->
<!-- wp:acme/unknown-plugin-block {"x":1} --><div class="acme">Plugin block content</div><!-- /wp:acme/unknown-plugin-block -->`
