package wordpress

import (
	"strings"

	"golang.org/x/net/html"
)

// optionalEnd are the elements HTML lets an author leave open, and void
// the ones that never close: neither counts as broken.
var optionalEnd = map[string]bool{"p": true, "li": true, "dt": true, "dd": true, "tr": true, "td": true, "th": true,
	"thead": true, "tbody": true, "tfoot": true, "option": true, "optgroup": true, "colgroup": true, "rt": true, "rp": true,
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true, "link": true,
	"meta": true, "source": true, "track": true, "wbr": true, "param": true, "html": true, "head": true, "body": true}

// unbalanced names the first elements left open or closed without being
// opened, or returns "" for well-formed HTML.
func unbalanced(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var stack, problems []string
	for len(problems) < 3 {
		switch z.Next() {
		case html.ErrorToken:
			for i := len(stack) - 1; i >= 0 && len(problems) < 3; i-- {
				problems = append(problems, "unclosed <"+stack[i]+">")
			}
			return strings.Join(problems, ", ")
		case html.StartTagToken:
			name, _ := z.TagName()
			if !optionalEnd[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if optionalEnd[tag] {
				continue
			}
			i := len(stack) - 1
			for i >= 0 && stack[i] != tag {
				i--
			}
			if i < 0 {
				problems = append(problems, "stray </"+tag+">")
				continue
			}
			for j := len(stack) - 1; j > i; j-- {
				problems = append(problems, "unclosed <"+stack[j]+">")
			}
			stack = stack[:i]
		}
	}
	return strings.Join(problems, ", ")
}
