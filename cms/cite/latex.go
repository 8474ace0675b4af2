package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LaTeX accent commands and the combining marks they stand for.
var latexAccents = map[string]rune{
	`"`: '\u0308', `'`: '\u0301', "`": '\u0300', `^`: '\u0302', `~`: '\u0303',
	`=`: '\u0304', `.`: '\u0307', `u`: '\u0306', `v`: '\u030C', `H`: '\u030B',
	`c`: '\u0327', `k`: '\u0328', `r`: '\u030A', `d`: '\u0323', `b`: '\u0331',
}

// LaTeX commands that stand for a letter or a sign.
var latexSymbols = map[string]string{
	"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
	"th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
	"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
	"textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
	"textquotedblleft": "“", "textquotedblright": "”", "textasciitilde": "~",
	"textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
	"textellipsis": "…", "ldots": "…", "dots": "…", "textbackslash": `\`, "S": "§",
	"textdegree": "°", "textmu": "µ", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
	"kappa": "κ", "mu": "μ", "pm": "±", "times": "×", "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥",
	",": " ", ";": " ", "/": "", "-": "", "@": "",
}

// latexToText turns a BibTeX value into plain Unicode text: accents
// (`{\"o}`, `\'e`, `\c{c}`), special letters (`{\ss}`), escapes (`\&`),
// `--` and `---` dashes, `~` spaces; braces and unknown commands are dropped
// (their argument kept).
func latexToText(s string) string {
	if !strings.ContainsAny(s, "\\{}~-$") {
		return CollapseSpace(s)
	}
	var b strings.Builder
	latexConvert(&b, s, 0, false)
	return CollapseSpace(norm.NFC.String(b.String()))
}

// latexToTitle is latexToText for a title: a group in braces that is not
// a special character ("{Ferber}", "{SIDS}", but not "{\"o}") is BibTeX's
// way of keeping its case, and stays in braces, the keep-case marker of
// stored titles (see sentenceCase). A title wholly in one group
// ("{{Behavioral Treatment…}}", a habit of some exporters) is taken
// as a plain title, not as one to keep in Title Case.
func latexToTitle(s string) string {
	if !strings.ContainsAny(s, "\\{}~-$") {
		return CollapseSpace(s)
	}
	var b strings.Builder
	latexConvert(&b, unwrapGroup(strings.TrimSpace(s)), 0, true)
	return CollapseSpace(norm.NFC.String(b.String()))
}

// unwrapGroup returns the inside of s when all of s is one brace group
// (not a special character such as {\"o}).
func unwrapGroup(s string) string {
	for strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		arg, next := latexArg(s, 0)
		if next != len(s) || strings.HasPrefix(arg, `\`) {
			break
		}
		s = strings.TrimSpace(arg)
	}
	return s
}

// latexConvert writes the Unicode text of LaTeX s to b; with keep, brace
// groups that are not special characters are written in braces (their
// inside without inner braces).
func latexConvert(b *strings.Builder, s string, depth int, keep bool) {
	if depth > 50 { // pathological nesting: keep the text, drop the markup
		b.WriteString(strings.NewReplacer("{", "", "}", "", `\`, "").Replace(s))
		return
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '{':
			if !keep {
				i++
				continue
			}
			arg, next := latexArg(s, i)
			var inner strings.Builder
			latexConvert(&inner, arg, depth+1, false)
			// {\"o} and {\ss} are letters, {"} a quote: nothing to keep.
			if !strings.HasPrefix(arg, `\`) && strings.IndexFunc(inner.String(), unicode.IsLetter) >= 0 {
				b.WriteString("{" + inner.String() + "}")
			} else {
				b.WriteString(inner.String())
			}
			i = next
		case '}', '$':
			i++
		case '~':
			b.WriteByte(' ')
			i++
		case '-':
			n := 0
			for i < len(s) && s[i] == '-' {
				n++
				i++
			}
			switch n {
			case 1:
				b.WriteByte('-')
			case 2:
				b.WriteString("–")
			default:
				b.WriteString("—")
			}
		case '\\':
			i = latexCommand(b, s, i+1, depth)
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// latexCommand handles the command after a backslash at s[i:] and returns
// the index after it (and its argument).
func latexCommand(b *strings.Builder, s string, i, depth int) int {
	if i >= len(s) {
		return i
	}
	var name string
	if isASCIILetter(s[i]) {
		j := i
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		name, i = s[i:j], j
	} else {
		_, size := utf8.DecodeRuneInString(s[i:])
		name, i = s[i:i+size], i+size
	}
	if mark, ok := latexAccents[name]; ok {
		if isASCIILetter(name[0]) {
			// \c c, \v{s}: a letter command takes its argument after optional spaces.
			for i < len(s) && s[i] == ' ' {
				i++
			}
		}
		arg, next := latexArg(s, i)
		var inner strings.Builder
		latexConvert(&inner, arg, depth+1, false)
		base := inner.String()
		base = strings.Replace(base, "ı", "i", 1) // \'{\i} is í
		base = strings.Replace(base, "ȷ", "j", 1)
		r, size := utf8.DecodeRuneInString(base)
		if size == 0 {
			b.WriteRune(mark)
			return next
		}
		b.WriteRune(r)
		b.WriteRune(mark)
		b.WriteString(base[size:])
		return next
	}
	if sym, ok := latexSymbols[name]; ok {
		if isASCIILetter(name[0]) {
			// "\ss x" or "{\ss}": the space after a letter command ends it.
			if i < len(s) && s[i] == ' ' {
				i++
			}
			// "\i{}" or "\ss{}".
			if strings.HasPrefix(s[i:], "{}") {
				i += 2
			}
		}
		b.WriteString(sym)
		return i
	}
	// Formatting and unknown commands: drop the command, keep the argument
	// (converted); a space after a letter command only ends it.
	if isASCIILetter(name[0]) && i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// latexArg returns the argument at s[i:]: a braced group's inside, a
// command such as \i, or one character.
func latexArg(s string, i int) (string, int) {
	if i >= len(s) {
		return "", i
	}
	switch s[i] {
	case '{':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					return s[i+1 : j], j + 1
				}
			}
		}
		return s[i+1:], len(s)
	case '\\':
		j := i + 1
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j == i+1 && j < len(s) {
			j++
		}
		return s[i:j], j
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[i : i+size], i + size
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
