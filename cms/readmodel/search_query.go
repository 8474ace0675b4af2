package readmodel

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/lullabycms/lullaby/cms"
)

// Parsing a search request: its limits, its phrases, its fuzzy words.

// SearchQuery is a parsed search request.
type SearchQuery struct {
	Q     string // as typed (trimmed)
	Page  int
	Limit int
}

// ParseSearchQuery validates raw query values, naming the bad ones: q is
// required and at most 200 characters; page and limit are as for lists,
// and page*limit may not pass 10,000.
func ParseSearchQuery(q, page, limit string) (SearchQuery, error) {
	pq, err := ParsePostQuery(page, limit, "", "", "")
	pr := cms.Problems{}
	if fe := cms.ErrorFields(err); fe != nil {
		for k, v := range fe {
			pr.Add(k, v)
		}
	}
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		pr.Add("q", "A search query is required.")
	case !utf8.ValidString(q):
		pr.Add("q", "Must be UTF-8 text.")
	case utf8.RuneCountInString(q) > MaxSearchQueryLen:
		pr.Add("q", "Must be at most 200 characters.")
	}
	if err == nil && pq.Page*pq.Limit > maxSearchWindow {
		pr.Add("page", "Results stop at 10000: page × limit must be at most 10000.")
	}
	return SearchQuery{Q: q, Page: pq.Page, Limit: pq.Limit}, pr.Err("readmodel.ParseSearchQuery")
}

// parsedQuery is q split into what bleve is asked and what highlighting
// marks. User input never reaches bleve's query-string syntax.
type parsedQuery struct {
	clauses []query.Query // each must match (one per word or phrase): exact and stemmed
	typos   []query.Query // the same, allowing typos (nil: no word is long enough)
	words   int           // clauses[:words] and typos[:words] are words, the rest phrases
	// phrases are the stems of each phrase of two words or more, by
	// position ("" for a stop word, which any word fills), aligned with
	// clauses[words:]. Bleve only finds candidates for them in the body:
	// search checks them against the text.
	phrases [][]string
	stems   map[string]bool
	fuzzy   []fuzzyWord
	// useTypos is set by search when typo matches were needed: only then
	// does highlighting mark them.
	useTypos bool
}

type fuzzyWord struct {
	word  string
	fuzz  int
	runes []rune
}

// fuzziness is the typo allowance of a word: 1 for 4-7 letters, 2 for 8+.
func fuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// querySyntax turns the characters of query languages into spaces: they
// are text, and ':' would otherwise join words ("title:sleep").
var querySyntax = strings.NewReplacer(":", " ", "*", " ", "~", " ", "^", " ", "+", " ", "(", " ", ")", " ",
	"\"", " ", "\\", " ", "/", " ", "[", " ", "]", " ", "{", " ", "}", " ", "!", " ", "?", " ", "|", " ", "&", " ")

// splitPhrases returns the quoted phrases of q and the text outside them;
// an unbalanced quote is text.
func splitPhrases(q string) (phrases []string, rest string) {
	var b strings.Builder
	for {
		i := strings.IndexByte(q, '"')
		if i < 0 {
			break
		}
		j := strings.IndexByte(q[i+1:], '"')
		if j < 0 {
			break
		}
		b.WriteString(q[:i])
		b.WriteByte(' ')
		if p := strings.TrimSpace(q[i+1 : i+1+j]); p != "" {
			phrases = append(phrases, p)
		}
		q = q[i+1+j+1:]
	}
	b.WriteString(q)
	return phrases, b.String()
}

func (si *searchIndex) parse(q string) *parsedQuery {
	pq := &parsedQuery{stems: map[string]bool{}}
	phrases, rest := splitPhrases(q)
	rest = querySyntax.Replace(rest)
	seen := map[string]bool{}
	for _, tok := range si.plain.Analyze([]byte(rest)) {
		w := string(tok.Term)
		if seen[w] || len(seen) >= maxSearchTerms {
			continue
		}
		seen[w] = true
		stems := si.en.Analyze(tok.Term)
		if len(stems) == 0 {
			continue // a stop word
		}
		stem := string(stems[0].Term)
		pq.stems[stem] = true
		var any []query.Query
		for _, f := range stemFields {
			tq := bleve.NewTermQuery(stem)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			any = append(any, tq)
		}
		pq.clauses = append(pq.clauses, bleve.NewDisjunctionQuery(any...))
		if fz := fuzziness(w); fz > 0 {
			pq.fuzzy = append(pq.fuzzy, fuzzyWord{word: w, fuzz: fz, runes: []rune(w)})
			any = slices.Clip(any)
			// Unstemmed fields take the word as typed; the body (not kept
			// twice, to save memory) takes its stem, so a typo in an
			// inflected word ("trainng") may miss the body but not a title.
			for _, f := range []struct {
				name, term string
				boost      float64
			}{{fieldTitleWords, w, 3}, {fieldWords, w, 1}, {fieldBody, stem, 0.5}} {
				fq := bleve.NewFuzzyQuery(f.term)
				fq.SetField(f.name)
				fq.SetFuzziness(fz)
				fq.SetPrefix(1) // typos rarely hit the first letter; it keeps the automaton small
				fq.SetBoost(f.boost)
				any = append(any, fq)
			}
		}
		pq.typos = append(pq.typos, bleve.NewDisjunctionQuery(any...))
	}
	pq.words = len(pq.clauses)
	for _, ph := range phrases[:min(len(phrases), maxSearchTerms)] {
		toks := si.en.Analyze([]byte(ph))
		if len(toks) == 0 {
			continue
		}
		first, last := toks[0].Position, toks[0].Position
		for _, t := range toks {
			pq.stems[string(t.Term)] = true
			first, last = min(first, t.Position), max(last, t.Position)
		}
		if first == last { // one word: no positions to check
			var any []query.Query
			for _, f := range stemFields {
				tq := bleve.NewTermQuery(string(toks[0].Term))
				tq.SetField(f.name)
				tq.SetBoost(f.boost)
				any = append(any, tq)
			}
			c := bleve.NewDisjunctionQuery(any...)
			pq.clauses = slices.Insert(pq.clauses, pq.words, query.Query(c))
			pq.typos = slices.Insert(pq.typos, pq.words, query.Query(c))
			pq.words++
			continue
		}
		stems := make([]string, last-first+1)
		var any, inBody []query.Query
		for _, t := range toks {
			stems[t.Position-first] = string(t.Term)
			tq := bleve.NewTermQuery(string(t.Term))
			tq.SetField(fieldBody)
			inBody = append(inBody, tq)
		}
		for _, f := range stemFields {
			if f.name == fieldBody {
				// No positions in the body: its words, then the check.
				cq := bleve.NewConjunctionQuery(inBody...)
				cq.SetBoost(f.boost)
				any = append(any, cq)
				continue
			}
			mq := bleve.NewMatchPhraseQuery(ph)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			any = append(any, mq)
		}
		pq.phrases = append(pq.phrases, stems)
		pq.clauses = append(pq.clauses, bleve.NewDisjunctionQuery(any...))
		pq.typos = append(pq.typos, pq.clauses[len(pq.clauses)-1])
	}
	if len(pq.fuzzy) == 0 {
		pq.typos = nil
	}
	return pq
}
