package wordpress

import (
	"reflect"
	"strings"
	"testing"
)

// TestConvertFixture checks the Markdown of the fixture's block-editor
// and classic posts in full.
func TestConvertFixture(t *testing.T) {
	t.Parallel()
	_, items, _ := MustReadAll(t, mustOpen(t, "testdata/sleepblog.xml"))
	m := byID(items)
	t.Run("Block editor", func(t *testing.T) {
		b := m[101].Body
		want := `Five o'clock is **not** morning, whatever your toddler says.[^1]

## Check the light first

![A dim nursery with blackout blinds](https://quietnights.example/wp-content/uploads/2024/03/dark-room.jpg)

- Blackout blinds, taped at the edges
- A *boring* clock
- Breakfast no earlier than 6:30[^2]

> Early to bed can mean later to rise.

| Age       | Night sleep |
|-----------|-------------|
| 1-2 years | 11-14 hours |
| 3-5 years | 10-13 hours |

Read more on [our routines page](https://quietnights.example/routines/).

[^1]: Our sleep diary, kept for *six* weeks.

[^2]: See the [breakfast post](https://quietnights.example/breakfast/).`
		if b.Markdown != want || b.Editor != "block" || b.Footnotes != 2 || len(b.Lossy) != 0 {
			t.Errorf("editor %q, %d footnotes, lossy %q, markdown:\n%s\nwant:\n%s", b.Editor, b.Footnotes, b.Lossy, b.Markdown, want)
		}
		wantImg := Image{URL: "https://quietnights.example/wp-content/uploads/2024/03/dark-room.jpg", Alt: "A dim nursery with blackout blinds",
			AttachmentID: 201, PinDescription: "Blackout blinds fixed our 5am wake-ups", PinTitle: "Early waking: the room",
			PinMedia: "https://quietnights.example/wp-content/uploads/2024/03/dark-room-pin.jpg"}
		if len(b.Images) != 1 || b.Images[0] != wantImg {
			t.Errorf("images = %+v, want %+v", b.Images, wantImg)
		}
	})
	t.Run("Classic editor", func(t *testing.T) {
		b := m[102].Body
		for _, want := range []string{
			"Some days the only nap that happens is the one on you.\n\nThat is *fine*. Really.  \nNobody is keeping score.",
			"![Baby asleep in a carrier](https://quietnights.example/wp-content/uploads/2023/11/carrier.jpg)\n\nA carrier nap on the school run",
			"### What we tried\n\n1. The carrier\n2. The pram, with a fan",
			"> Sleep begets sleep, said my mother.",
			"[https://www.youtube.com/watch?v=abc123](https://www.youtube.com/watch?v=abc123)",
			"- ![](wp-attachment:204)\n- ![](wp-attachment:205)\n- ![](wp-attachment:206)",
			"A footnote the old way[^1] for good measure.\n\n[^1]: From our 2019 notes.",
		} {
			if !strings.Contains(b.Markdown, want) {
				t.Errorf("markdown lacks %q:\n%s", want, b.Markdown)
			}
		}
		if b.Editor != "classic" || !b.Images[0].NoPin || b.Images[0].AttachmentID != 204 || len(b.Images) != 4 || b.Images[3].AttachmentID != 206 {
			t.Errorf("editor %q images %+v", b.Editor, b.Images)
		}
		wantLossy := []string{"gallery shortcode of 3 images turned into a list of images", "embed of https://www.youtube.com/watch?v=abc123 turned into a link"}
		if !reflect.DeepEqual(b.Lossy, wantLossy) {
			t.Errorf("lossy = %q, want %q", b.Lossy, wantLossy)
		}
	})
	t.Run("Embed block and dynamic block", func(t *testing.T) {
		b := m[104].Body
		want := "Shift bedtime by ten minutes a night, starting Wednesday.\n\n[https://vimeo.com/123456](https://vimeo.com/123456)\n\nOur bedtime, sped up"
		wantLossy := []string{"dynamic block core/latest-posts dropped: WordPress renders it at view time", "embed of https://vimeo.com/123456 turned into a link"}
		if b.Markdown != want || !reflect.DeepEqual(b.Lossy, wantLossy) {
			t.Errorf("markdown %q lossy %q", b.Markdown, b.Lossy)
		}
	})
	t.Run("Broken HTML", func(t *testing.T) {
		b := m[106].Body
		if len(b.Lossy) != 1 || !strings.Contains(b.Lossy[0], "unclosed <div>, unclosed <strong>") || !strings.Contains(b.Markdown, "Then water.") {
			t.Errorf("markdown %q lossy %q", b.Markdown, b.Lossy)
		}
	})
}

func TestConvertHTML(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, footnotes string
		want                []string // substrings of the Markdown
		lossy               []string // substrings of Lossy, in order
	}{
		{name: "Empty", in: "  "},
		{name: "Headings emphasis links", in: "<!-- wp:heading {\"level\":3} --><h3>Naps</h3><!-- /wp:heading --><p><em>Short</em> and <strong>sweet</strong>, <a href=\"/x\" title=\"t\">here</a></p>",
			want: []string{"### Naps", "*Short* and **sweet**, [here](/x \"t\")"}},
		{name: "Image title kept", in: `<p><img src="/a.jpg" alt="a cot" title="Our cot"></p>`, want: []string{`![a cot](/a.jpg "Our cot")`}},
		{name: "Nested list", in: "<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>", want: []string{"- one\n  \n  - inner\n- two"}},
		{name: "Iframe kept as HTML", in: `<p>Watch:</p><iframe src="https://player.example/v/1"></iframe>`,
			want: []string{`<iframe src="https://player.example/v/1"></iframe>`}, lossy: []string{"<iframe> kept as HTML (https://player.example/v/1)"}},
		{name: "Script dropped", in: `<p>a</p><script>alert(1)</script>`, lossy: []string{"<script> dropped"}},
		{name: "Unknown shortcode reported", in: `Try [recipe id="4"] tonight. Not [this].`, want: []string{`[recipe id="4"]`, "[this]"},
			lossy: []string{"shortcode [recipe] kept as text"}},
		{name: "Escaped shortcode left alone", in: `Write [[gallery]] to show one.`, want: []string{`\[\[gallery]]`}},
		{name: "Caption attribute form", in: `[caption id="a" caption="Sleepy"]<img src="/s.jpg" alt="s">[/caption]`, want: []string{"![s](/s.jpg)\n\nSleepy"}},
		{name: "Gallery without ids", in: `[gallery columns="2"]`, lossy: []string{"gallery of the images attached to the post dropped"}},
		{name: "Gallery block", in: `<!-- wp:gallery --><figure class="wp-block-gallery"><figure class="wp-block-image"><img src="/1.jpg" alt="one" class="wp-image-7"/></figure><figure class="wp-block-image"><img src="/2.jpg" alt="two"/></figure></figure><!-- /wp:gallery -->`,
			want: []string{"![one](/1.jpg)", "![two](/2.jpg)"}, lossy: []string{"gallery of 2 images turned into a list of images"}},
		{name: "Embed shortcode", in: `[embed]https://youtu.be/x1[/embed]`, want: []string{"[https://youtu.be/x1](https://youtu.be/x1)"}, lossy: []string{"embed of https://youtu.be/x1"}},
		{name: "Video shortcode", in: `[video mp4="/v.mp4"][/video]`, want: []string{"(/v.mp4)"}, lossy: []string{"video shortcode turned into a link to /v.mp4"}},
		{name: "Audio shortcode with a bare URL", in: `[audio https://x.example/a.mp3]`, want: []string{"(https://x.example/a.mp3)"}, lossy: []string{"audio shortcode turned into a link to https://x.example/a.mp3"}},
		{name: "Footnote without text", in: `<!-- wp:paragraph --><p>a<sup data-fn="zz" class="fn"><a href="#zz">1</a></sup></p><!-- /wp:paragraph -->`, footnotes: `[]`,
			want: []string{"a[^1]", "\n\n[^1]:"}, lossy: []string{"footnote zz has no text"}},
		{name: "Footnote meta unreadable", in: `<!-- wp:paragraph --><p>a</p><!-- /wp:paragraph -->`, footnotes: `{`, lossy: []string{"footnotes meta unreadable"}},
		{name: "Same footnote twice", in: `<!-- wp:paragraph --><p>a<sup data-fn="f"><a>1</a></sup> b<sup data-fn="f"><a>1</a></sup></p><!-- /wp:paragraph -->`,
			footnotes: `[{"id":"f","content":"note"}]`, want: []string{"a[^1] b[^1]\n\n[^1]: note"}},
		{name: "Tasty Pins hidden image", in: `<div class="tasty-pins-hidden-image-container" style="display:none;"><img data-pin-description="pin me" src="/h.jpg"></div><p>Visible</p>`,
			want: []string{"Visible"}},
		{name: "Reusable block", in: `<!-- wp:block {"ref":55} /--><!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->`, lossy: []string{`reusable block {"ref":55} not inlined`}},
		{name: "Page break", in: `<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --><!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage -->`, lossy: []string{"page breaks"}},
		{name: "Stray closing tag", in: `<p>a</em></p>`, lossy: []string{"stray </em>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ConvertHTML(tc.in, tc.footnotes)
			for _, w := range tc.want {
				if !strings.Contains(b.Markdown, w) {
					t.Errorf("markdown lacks %q:\n%s", w, b.Markdown)
				}
			}
			if len(b.Lossy) != len(tc.lossy) {
				t.Fatalf("lossy = %q, want %d entries like %q", b.Lossy, len(tc.lossy), tc.lossy)
			}
			for i, w := range tc.lossy {
				if !strings.Contains(b.Lossy[i], w) {
					t.Errorf("lossy[%d] = %q, want it to contain %q", i, b.Lossy[i], w)
				}
			}
		})
	}
	t.Run("Teaser before the more tag", func(t *testing.T) {
		b := ConvertHTML("First <em>part</em>.\n\n<!--more Read on-->\n\nSecond part.", "")
		if b.Teaser != "First *part*." || b.Markdown != "First *part*.\n\nSecond part." {
			t.Errorf("teaser %q markdown %q", b.Teaser, b.Markdown)
		}
		block := ConvertHTML("<!-- wp:paragraph --><p>One</p><!-- /wp:paragraph --><!-- wp:more --><!--more--><!-- /wp:more --><!-- wp:paragraph --><p>Two</p><!-- /wp:paragraph -->", "")
		if block.Teaser != "One" || block.Markdown != "One\n\nTwo" {
			t.Errorf("block teaser %q markdown %q", block.Teaser, block.Markdown)
		}
		if none := ConvertHTML("<p>x</p>", ""); none.Teaser != "" {
			t.Errorf("teaser without a more tag: %q", none.Teaser)
		}
	})
	t.Run("Linked image and Pinterest's nopin", func(t *testing.T) {
		b := ConvertHTML(`<p><a href="/full.jpg"><img src="/small-300x200.jpg" alt="cot" nopin="nopin"></a></p>`, "")
		want := Image{URL: "/small-300x200.jpg", Link: "/full.jpg", Alt: "cot", NoPin: true}
		if len(b.Images) != 1 || b.Images[0] != want || b.Markdown != "[![cot](/small-300x200.jpg)](/full.jpg)" {
			t.Errorf("markdown %q images %+v, want %+v", b.Markdown, b.Images, want)
		}
	})
	t.Run("Hidden pin image reported, not shown", func(t *testing.T) {
		b := ConvertHTML(`<div class="tasty-pins-hidden-image-container"><img data-pin-description="pin me" data-pin-nopin="false" src="/h.jpg"></div><p>Visible</p>`, "")
		if strings.Contains(b.Markdown, "h.jpg") || len(b.Images) != 1 || !b.Images[0].Hidden || b.Images[0].PinDescription != "pin me" || b.Images[0].NoPin {
			t.Errorf("markdown %q images %+v", b.Markdown, b.Images)
		}
	})
}
