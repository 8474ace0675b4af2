package cms

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// Citation checks are hints about a post's references shown in the
// editor as she writes: never errors, so they never stop a draft from
// being saved nor a post from being published (what does stop a publish,
// a cited key not in the library, is preparePost's rule; its hint here
// says so).

// CitationHintCode names one citation check.
type CitationHintCode string

// The citation checks.
const (
	// HintUncited: a reference in the post's list that the text never
	// cites.
	HintUncited CitationHintCode = "uncited"
	// HintUnlisted: the text cites a work of the library that the list
	// lacks; saving the post adds it.
	HintUnlisted CitationHintCode = "unlisted"
	// HintUnknownKey: the text cites a key that is neither in the list
	// nor in the library.
	HintUnknownKey CitationHintCode = "unknownKey"
	// HintDuplicate: two or more references of the post are one work
	// (the same DOI, PMID, URL or title) under different keys.
	HintDuplicate CitationHintCode = "duplicate"
	// HintNoAccessDate: a web page without the date she read it.
	HintNoAccessDate CitationHintCode = "noAccessDate"
	// HintNoIdentifier: a journal article with neither DOI nor PMID.
	HintNoIdentifier CitationHintCode = "noIdentifier"
)

// CitationHint is one finding of the citation checks.
type CitationHint struct {
	Code CitationHintCode `json:"code"`
	// Keys are the citation keys concerned, in the list's order: one, or
	// the keys of one work for HintDuplicate.
	Keys    []string `json:"keys"`
	Message string   `json:"message"`
}

// CheckCitations runs the citation checks over a post: its Markdown body,
// its reference list as she set it (list, in order) and the reference
// library (to tell a cited work the list lacks from an unknown key). The
// works the body cites that the list lacks count as in it, as saving the
// post would add them. Hints come per reference in the list's order
// (uncited, no access date, no DOI or PMID), then per cited key the list
// lacks in order of first citation, then one per duplicated work; none
// means nothing to say.
func CheckCitations(body string, list, library []*Citation) []CitationHint {
	cited := CitationKeys(body)
	byKey := make(map[string]*Citation, len(library))
	for _, c := range library {
		byKey[c.Key] = c
	}
	refs := slices.Clone(list)
	inList := make(map[string]bool, len(list))
	for _, c := range list {
		inList[c.Key] = true
	}
	var hints []CitationHint
	var added []CitationHint // cited keys the list lacks
	for _, key := range cited {
		if inList[key] {
			continue
		}
		if c, ok := byKey[key]; ok {
			refs = append(refs, c)
			inList[key] = true
			added = append(added, CitationHint{Code: HintUnlisted, Keys: []string{key},
				Message: "@" + key + " is cited in the text but not in the list: it is added when the post is saved."})
			continue
		}
		added = append(added, CitationHint{Code: HintUnknownKey, Keys: []string{key},
			Message: "[@" + key + "] is cited, but @" + key + " is not in the reference library: add the work to the library, or correct the key. The post cannot be published until then."})
	}
	for _, c := range refs {
		if !slices.Contains(cited, c.Key) {
			hints = append(hints, CitationHint{Code: HintUncited, Keys: []string{c.Key},
				Message: "@" + c.Key + " is in the list, but the text never cites it: cite it with [@" + c.Key + "], or remove it."})
		}
		switch {
		case c.Type == CiteWebpage && c.Accessed == "":
			hints = append(hints, CitationHint{Code: HintNoAccessDate, Keys: []string{c.Key},
				Message: "@" + c.Key + " is a web page without an access date: add the date you read it, since pages change."})
		case c.Type == CiteArticle && c.DOI == "" && c.PMID == "":
			hints = append(hints, CitationHint{Code: HintNoIdentifier, Keys: []string{c.Key},
				Message: "@" + c.Key + " is a journal article without a DOI or PMID: add one, so readers can find the study."})
		}
	}
	hints = append(hints, added...)
	return append(hints, duplicateWorks(refs)...)
}

// duplicateWorks returns one HintDuplicate per work that more than one of
// refs names, by what they share first: DOI, PMID, URL, title.
func duplicateWorks(refs []*Citation) []CitationHint {
	type group struct {
		keys []string
		why  string
	}
	var groups []*group
	first := map[string]*group{} // identity -> the group of the first reference with it
	for _, c := range refs {
		var g *group
		why := ""
		ids := workIdentities(c)
		for _, id := range ids {
			if g = first[id.key]; g != nil {
				why = id.what
				break
			}
		}
		if g == nil {
			g = &group{}
			groups = append(groups, g)
		} else if g.why == "" {
			g.why = why
		}
		if !slices.Contains(g.keys, c.Key) {
			g.keys = append(g.keys, c.Key)
		}
		for _, id := range ids {
			if first[id.key] == nil {
				first[id.key] = g
			}
		}
	}
	var hints []CitationHint
	for _, g := range groups {
		if len(g.keys) < 2 {
			continue
		}
		names := "@" + strings.Join(g.keys[:len(g.keys)-1], ", @") + " and @" + g.keys[len(g.keys)-1]
		hints = append(hints, CitationHint{Code: HintDuplicate, Keys: g.keys,
			Message: names + " look like the same work (the same " + g.why + "): cite one key, and merge the others into it in the library."})
	}
	return hints
}

// workIdentity is one thing that identifies a work: key is compared,
// what names it for people.
type workIdentity struct{ key, what string }

// workIdentities returns what identifies c's work, strongest first.
func workIdentities(c *Citation) []workIdentity {
	var ids []workIdentity
	if c.DOI != "" {
		ids = append(ids, workIdentity{"doi:" + strings.ToLower(c.DOI), "DOI"})
	}
	if c.PMID != "" {
		ids = append(ids, workIdentity{"pmid:" + strings.TrimLeft(c.PMID, "0"), "PMID"})
	}
	if u := normalizeWorkURL(c.URL); u != "" {
		ids = append(ids, workIdentity{"url:" + u, "URL"})
	}
	if t := normalizeWorkTitle(c.Title); t != "" {
		ids = append(ids, workIdentity{"title:" + t, "title"})
	}
	return ids
}

// normalizeWorkURL is raw without what does not change the page: the
// scheme, "www.", the case of the host, a fragment, a trailing slash.
func normalizeWorkURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	out := host + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// minTitleWords is the fewest words a title needs to identify a work:
// "Editorial" or "Sleep" may head many.
const minTitleWords = 3

// normalizeWorkTitle is a title's words in lower case, without
// punctuation, braces or accents' case, or "" when it has too few words.
func normalizeWorkTitle(title string) string {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) < minTitleWords {
		return ""
	}
	return strings.Join(words, " ")
}

// CheckPostCitations runs CheckCitations for a post with reference list
// ids (library ids, in order; ids no longer in the library are left out)
// and Markdown body, as the editor has them, saved or not. It reads the
// library only when there is something to check. Errors:
// KindUnavailable, KindInternal.
func (s *Service) CheckPostCitations(ctx context.Context, ids []string, body string) ([]CitationHint, error) {
	if len(ids) == 0 && !strings.Contains(body, "@") {
		return []CitationHint{}, nil
	}
	library, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Citation, len(library))
	for _, c := range library {
		byID[c.ID] = c
	}
	list := make([]*Citation, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil && !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	hints := CheckCitations(body, list, library)
	if hints == nil {
		hints = []CitationHint{}
	}
	return hints, nil
}
