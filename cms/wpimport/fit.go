package wpimport

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/wordpress"
	"golang.org/x/net/html"
)

// WordPress accepts what Lullaby's posts do not: a post without a title,
// HTML in a title, any number of tags and categories, fields of any
// length. Refusing such a post would leave her content behind for the
// sake of a limit, so the import makes it fit and says what it changed.

// title is the item's title as plain text: tags dropped (WordPress
// prints a title's HTML as it is; Lullaby's titles are text), a missing
// title made from the first words of the body, cut to MaxTitleLen.
func (im *importer) title(it *wordpress.Item) string {
	title := strings.TrimSpace(it.Title)
	if strings.ContainsAny(title, "<>") {
		if plain := strings.Join(strings.Fields(textOf(title)), " "); plain != title {
			im.rep.note(it.ID, it.Title, fmt.Sprintf("HTML taken out of the title: %q", plain))
			title = plain
		}
	}
	if title == "" {
		title = clip(strings.Join(strings.Fields(textOf(it.Content)), " "), 60)
		if title == "" {
			title = fmt.Sprintf("Untitled (WordPress %s %d)", typeOf(it), it.ID)
		}
		im.rep.note(it.ID, it.Title, fmt.Sprintf("no title: titled %q", title))
	}
	if utf8.RuneCountInString(title) > cms.MaxTitleLen {
		title = clip(title, cms.MaxTitleLen)
		im.rep.note(it.ID, it.Title, fmt.Sprintf("title cut to %d characters", cms.MaxTitleLen))
	}
	return title
}

// textOf is the text of an HTML fragment (Markdown passes as text).
func textOf(fragment string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); string(name) == "br" || string(name) == "p" {
				b.WriteByte(' ')
			}
		}
	}
}

// clip cuts s to at most n runes, at a word boundary when there is one in
// the second half, ending with "…" when it cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))/2 {
		return strings.TrimRight(string(r)[:i], " ,;:") + "…"
	}
	return string(r) + "…"
}

// tags returns the item's tag names that fit: distinct (ignoring case),
// at most MaxTagLen characters (longer ones cut), at most MaxTags.
func (im *importer) tags(it *wordpress.Item) []string {
	out := []string{}
	seen := map[string]bool{}
	var dropped []string
	for _, t := range it.Tags() {
		name := strings.Join(strings.Fields(t.Name), " ")
		if utf8.RuneCountInString(name) > cms.MaxTagLen {
			im.rep.note(it.ID, it.Title, fmt.Sprintf("tag %q cut to %d characters", name, cms.MaxTagLen))
			name = strings.TrimSpace(string([]rune(name)[:cms.MaxTagLen]))
		}
		key := strings.ToLower(name)
		if name == "" || seen[key] {
			continue
		}
		seen[key] = true
		if len(out) == cms.MaxTags {
			dropped = append(dropped, name)
			continue
		}
		out = append(out, name)
	}
	if len(dropped) > 0 {
		im.rep.note(it.ID, it.Title, fmt.Sprintf("%d tags, Lullaby keeps %d: left out %s", len(out)+len(dropped), cms.MaxTags, strings.Join(dropped, ", ")))
	}
	return out
}

// fitCategories keeps the first MaxPostCategories of ids, naming the
// number left out.
func (im *importer) fitCategories(it *wordpress.Item, ids []string) []string {
	if len(ids) <= cms.MaxPostCategories {
		return ids
	}
	im.rep.note(it.ID, it.Title, fmt.Sprintf("%d categories, Lullaby keeps %d: the first %d kept", len(ids), cms.MaxPostCategories, cms.MaxPostCategories))
	return ids[:cms.MaxPostCategories]
}

// seo returns the SEO title and description cut to Lullaby's limits.
func (im *importer) seo(it *wordpress.Item) (title, desc string) {
	title, desc = it.SEO.Title, it.SEO.Description
	if utf8.RuneCountInString(title) > cms.MaxSEOTitleLen {
		title = clip(title, cms.MaxSEOTitleLen)
		im.rep.note(it.ID, it.Title, fmt.Sprintf("SEO title cut to %d characters", cms.MaxSEOTitleLen))
	}
	if utf8.RuneCountInString(desc) > cms.MaxSEODescriptionLen {
		desc = clip(desc, cms.MaxSEODescriptionLen)
		im.rep.note(it.ID, it.Title, fmt.Sprintf("SEO description cut to %d characters", cms.MaxSEODescriptionLen))
	}
	return title, desc
}

var (
	moreTag      = regexp.MustCompile(`<!--more(?:\s[^>]*)?-->`)
	easyFootnote = regexp.MustCompile(`\(\((?s:.+?)\)\)`)
)

// excerptOf is the item's excerpt as plain text; without one, the text
// before its <!--more--> tag, which WordPress shows in lists in its place.
func excerptOf(it *wordpress.Item) string {
	if s := plainExcerpt(it.Excerpt); s != "" {
		return s
	}
	if loc := moreTag.FindStringIndex(it.Content); loc != nil {
		return plainExcerpt(easyFootnote.ReplaceAllString(it.Content[:loc[0]], ""))
	}
	return ""
}
