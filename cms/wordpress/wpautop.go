package wordpress

import (
	"regexp"
	"strconv"
	"strings"
)

// This file is a port of WordPress's wpautop (wp-includes/formatting.php),
// which turns the bare newlines of a classic-editor body into paragraphs
// and line breaks when WordPress shows it. The steps keep WordPress's
// order and regular expressions; the two that need backreferences or
// look-behind, which RE2 lacks, are written out by hand.

const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	apDoubleBr      = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	apBlockOpen     = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	apBlockClose    = regexp.MustCompile(`(</` + allBlocks + `>)`)
	apHr            = regexp.MustCompile(`(<hr\s*?/?>)`)
	apOptionOpen    = regexp.MustCompile(`\s*<option`)
	apOptionClose   = regexp.MustCompile(`</option>\s*`)
	apObjectOpen    = regexp.MustCompile(`(<object[^>]*>)\s*`)
	apObjectClose   = regexp.MustCompile(`\s*</object>`)
	apParamEmbed    = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	apMediaOpen     = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	apMediaClose    = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	apSourceTrack   = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	apFigcapOpen    = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	apFigcapClose   = regexp.MustCompile(`</figcaption>\s*`)
	apManyNewlines  = regexp.MustCompile(`\n\n+`)
	apParaSplit     = regexp.MustCompile(`\n\s*\n`)
	apEmptyP        = regexp.MustCompile(`<p>\s*</p>`)
	apMissingClose  = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	apWrappedBlock  = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	apWrappedLi     = regexp.MustCompile(`<p>(<li.+?)</p>`)
	apQuoteInP      = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	apPBeforeBlock  = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	apPAfterBlock   = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	apBrAfterBlock  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	apBrBeforeBlock = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	apTrailingNl    = regexp.MustCompile(`\n</p>$`)
)

// wpautop wraps the text's paragraphs (separated by blank lines) in <p>
// and turns the remaining single newlines into <br />, as WordPress does
// with $br = true.
func wpautop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"
	var pre []string
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 { // malformed HTML
				b.WriteString(part)
				continue
			}
			b.WriteString(part[:start])
			b.WriteString(preName(len(pre)))
			pre = append(pre, part[start:]+"</pre>")
		}
		b.WriteString(last)
		text = b.String()
	}
	text = apDoubleBr.ReplaceAllString(text, "\n\n")
	text = apBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = apBlockClose.ReplaceAllString(text, "$1\n\n")
	text = apHr.ReplaceAllString(text, "$1\n\n")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	text = newlinesInTags(text)
	if strings.Contains(text, "<option") {
		text = apOptionOpen.ReplaceAllString(text, "<option")
		text = apOptionClose.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = apObjectOpen.ReplaceAllString(text, "$1")
		text = apObjectClose.ReplaceAllString(text, "</object>")
		text = apParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = apMediaOpen.ReplaceAllString(text, "$1")
		text = apMediaClose.ReplaceAllString(text, "$1")
		text = apSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = apFigcapOpen.ReplaceAllString(text, "$1")
		text = apFigcapClose.ReplaceAllString(text, "</figcaption>")
	}
	text = apManyNewlines.ReplaceAllString(text, "\n\n")
	var b strings.Builder
	for _, p := range apParaSplit.Split(text, -1) {
		if p == "" {
			continue
		}
		b.WriteString("<p>" + strings.Trim(p, "\n") + "</p>\n")
	}
	text = b.String()
	text = apEmptyP.ReplaceAllString(text, "")
	text = apMissingClose.ReplaceAllString(text, "<p>$1</p></$2>")
	text = apWrappedBlock.ReplaceAllString(text, "$1")
	text = apWrappedLi.ReplaceAllString(text, "$1")
	text = apQuoteInP.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = apPBeforeBlock.ReplaceAllString(text, "$1")
	text = apPAfterBlock.ReplaceAllString(text, "$1")

	// $br: keep the newlines of script, style, svg and math elements, then
	// turn every other newline not already after a <br /> into one.
	text = preserveNewlines(text)
	text = strings.NewReplacer("<br>", "<br />", "<br/>", "<br />").Replace(text)
	text = brNewlines(text)
	text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")

	text = apBrAfterBlock.ReplaceAllString(text, "$1")
	text = apBrBeforeBlock.ReplaceAllString(text, "$1")
	text = apTrailingNl.ReplaceAllString(text, "</p>")
	for i, p := range pre {
		text = strings.Replace(text, preName(i), p, 1)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.NewReplacer(" <!-- wpnl --> ", "\n", "<!-- wpnl -->", "\n").Replace(text)
	}
	return text
}

func preName(i int) string { return "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>" }

// newlinesInTags is wp_replace_in_html_tags(text, "\n" => " <!-- wpnl --> "):
// newlines inside tags, comments and CDATA sections are hidden from the
// paragraph split. As in wp_html_split, an element left open runs to the
// end of the text.
func newlinesInTags(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	for len(text) > 0 {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		text = text[i:]
		closer := ">"
		switch {
		case strings.HasPrefix(text, "<!--"):
			closer = "-->"
		case strings.HasPrefix(text, "<![CDATA["):
			closer = "]]>"
		}
		end := len(text)
		if e := strings.Index(text[1:], closer); e >= 0 {
			end = 1 + e + len(closer)
		}
		b.WriteString(strings.ReplaceAll(text[:end], "\n", " <!-- wpnl --> "))
		text = text[end:]
	}
	return b.String()
}

// preserveNewlines is the callback pass of
// preg_replace_callback('/<(script|style|svg).*?<\/\1>/s', ...): the
// newlines of those elements are kept out of the <br /> pass.
func preserveNewlines(text string) string {
	var b strings.Builder
	for {
		start, name := -1, ""
		for _, n := range []string{"script", "style", "svg"} {
			if i := strings.Index(text, "<"+n); i >= 0 && (start < 0 || i < start) {
				start, name = i, n
			}
		}
		if start < 0 {
			break
		}
		end := strings.Index(text[start:], "</"+name+">")
		if end < 0 {
			b.WriteString(text[:start+1])
			text = text[start+1:]
			continue
		}
		end += start + len("</"+name+">")
		b.WriteString(text[:start])
		b.WriteString(strings.ReplaceAll(text[start:end], "\n", "<WPPreserveNewline />"))
		text = text[end:]
	}
	b.WriteString(text)
	return b.String()
}

// brNewlines is preg_replace('|(?<!<br />)\s*\n|', "<br />\n", text): at
// each position not preceded by "<br />", a run of white space that holds
// a newline, up to its last newline, becomes "<br />\n".
func brNewlines(text string) string {
	var b strings.Builder
	i := 0
	for i < len(text) {
		if !isPCRESpace(text[i]) {
			b.WriteByte(text[i])
			i++
			continue
		}
		j := i
		for j < len(text) && isPCRESpace(text[j]) {
			j++
		}
		last := strings.LastIndexByte(text[i:j], '\n')
		if last < 0 {
			b.WriteString(text[i:j])
			i = j
			continue
		}
		// The leftmost match starts at the first position of the run not
		// preceded by "<br />"; only the run's first position can be.
		if strings.HasSuffix(text[:i], "<br />") {
			b.WriteByte(text[i])
			i++
			if last == 0 {
				continue
			}
			last--
		}
		b.WriteString("<br />\n")
		i += last + 1
	}
	return b.String()
}

func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
