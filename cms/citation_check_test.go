package cms

import (
	"reflect"
	"testing"
)

// hintRef is a reference of the checks' tests: an article with a DOI
// unless changed.
func hintRef(key string, change func(c *Citation)) *Citation {
	c := &Citation{ID: "id-" + key, Key: key, Type: CiteArticle, Title: "The work called " + key, DOI: "10.1000/" + key, Year: 2020}
	if change != nil {
		change(c)
	}
	return c
}

// hintCodes is what the tests compare: each hint's code and keys.
type hintCodes struct {
	Code CitationHintCode
	Keys []string
}

func TestCheckCitations(t *testing.T) {
	price := hintRef("price2012", nil)
	smith := hintRef("smith2010", nil)
	tests := []struct {
		name    string
		body    string
		list    []*Citation
		library []*Citation // besides the list
		want    []hintCodes
	}{
		{name: "AllGood", body: "Sleep [@price2012]. Naps [@smith2010, p. 4].", list: []*Citation{price, smith}},
		{name: "NothingCited", body: "No citations.", list: nil},

		// A reference in the list that the text never cites.
		{name: "Uncited", body: "Sleep [@price2012].", list: []*Citation{price, smith},
			want: []hintCodes{{HintUncited, []string{"smith2010"}}}},
		{name: "UncitedOnlyInCode", body: "Sleep [@price2012]. `[@smith2010]`", list: []*Citation{price, smith},
			want: []hintCodes{{HintUncited, []string{"smith2010"}}}},
		{name: "UncitedEmptyBody", body: "", list: []*Citation{price},
			want: []hintCodes{{HintUncited, []string{"price2012"}}}},
		{name: "CitedInAGroup", body: "Both [@price2012; @smith2010].", list: []*Citation{price, smith}},

		// A key cited that the list lacks: in the library, or unknown.
		{name: "UnknownKey", body: "Sleep [@price2012] and [@nobody2024].", list: []*Citation{price},
			want: []hintCodes{{HintUnknownKey, []string{"nobody2024"}}}},
		{name: "UnknownKeyCaseFolded", body: "Sleep [@Price2012] and [@NoBody2024].", list: []*Citation{price},
			want: []hintCodes{{HintUnknownKey, []string{"nobody2024"}}}},
		{name: "UnlistedFromLibrary", body: "Sleep [@price2012] and [@smith2010].", list: []*Citation{price}, library: []*Citation{smith},
			want: []hintCodes{{HintUnlisted, []string{"smith2010"}}}},
		{name: "UnknownKeysInOrder", body: "[@b2] then [@a1] then [@b2].", list: nil,
			want: []hintCodes{{HintUnknownKey, []string{"b2"}}, {HintUnknownKey, []string{"a1"}}}},

		// One work under two keys.
		{name: "DuplicateDOI", body: "[@a] [@b]", list: []*Citation{
			hintRef("a", func(c *Citation) { c.DOI = "10.1542/PEDS.2011-3467" }),
			hintRef("b", func(c *Citation) { c.DOI = "10.1542/peds.2011-3467"; c.Title = "Another title altogether" })},
			want: []hintCodes{{HintDuplicate, []string{"a", "b"}}}},
		{name: "DuplicatePMID", body: "[@a] [@b]", list: []*Citation{
			hintRef("a", func(c *Citation) { c.PMID = "22926101" }),
			hintRef("b", func(c *Citation) { c.DOI, c.PMID, c.Title = "", "22926101", "Another title altogether" })},
			want: []hintCodes{{HintDuplicate, []string{"a", "b"}}}},
		{name: "DuplicateURL", body: "[@a] [@b]", list: []*Citation{
			hintRef("a", func(c *Citation) {
				c.Type, c.DOI, c.Accessed, c.URL = CiteWebpage, "", "2025-01-02", "https://www.aap.org/safe-sleep/"
			}),
			hintRef("b", func(c *Citation) {
				c.Type, c.DOI, c.Accessed, c.URL, c.Title = CiteWebpage, "", "2025-01-02", "http://AAP.org/safe-sleep#top", "Safe sleep advice page"
			})},
			want: []hintCodes{{HintDuplicate, []string{"a", "b"}}}},
		{name: "DuplicateTitle", body: "[@a] [@b]", list: []*Citation{
			hintRef("a", func(c *Citation) {
				c.Title = "Five-year follow-up of harms and benefits of behavioral infant sleep intervention"
			}),
			hintRef("b", func(c *Citation) {
				c.DOI, c.PMID, c.Title = "", "22926101", "Five-year follow-up of harms and benefits of {behavioral} infant sleep intervention."
			})},
			want: []hintCodes{{HintDuplicate, []string{"a", "b"}}}},
		{name: "DuplicateThreeKeys", body: "[@a] [@b] [@c]", list: []*Citation{
			hintRef("a", func(c *Citation) { c.PMID = "1" }),
			hintRef("b", func(c *Citation) { c.DOI, c.PMID, c.Title = "", "1", "Title number two here" }),
			hintRef("c", func(c *Citation) { c.DOI, c.PMID, c.Title = "10.1000/a", "", "Title number three here" })},
			want: []hintCodes{{HintDuplicate, []string{"a", "b", "c"}}}},
		{name: "DuplicateWithUnlisted", body: "[@a] [@b]", list: []*Citation{hintRef("a", nil)},
			library: []*Citation{hintRef("b", func(c *Citation) { c.DOI = "10.1000/a" })},
			want:    []hintCodes{{HintUnlisted, []string{"b"}}, {HintDuplicate, []string{"a", "b"}}}},
		{name: "ShortTitlesDiffer", body: "[@a] [@b]", list: []*Citation{
			hintRef("a", func(c *Citation) { c.Title = "Editorial" }),
			hintRef("b", func(c *Citation) { c.Title = "Editorial" })}},
		{name: "DifferentWorks", body: "[@a] [@b]", list: []*Citation{hintRef("a", nil), hintRef("b", nil)}},

		// A web page without an access date.
		{name: "WebpageNoAccessDate", body: "[@aap]", list: []*Citation{
			hintRef("aap", func(c *Citation) { c.Type, c.DOI, c.URL = CiteWebpage, "", "https://www.aap.org/" })},
			want: []hintCodes{{HintNoAccessDate, []string{"aap"}}}},
		{name: "WebpageWithAccessDate", body: "[@aap]", list: []*Citation{
			hintRef("aap", func(c *Citation) {
				c.Type, c.DOI, c.URL, c.Accessed = CiteWebpage, "", "https://www.aap.org/", "2025-03-01"
			})}},
		{name: "WebpageUnlistedNoAccessDate", body: "[@aap]", library: []*Citation{
			hintRef("aap", func(c *Citation) { c.Type, c.DOI = CiteWebpage, "" })},
			want: []hintCodes{{HintNoAccessDate, []string{"aap"}}, {HintUnlisted, []string{"aap"}}}},

		// A journal article without DOI or PMID.
		{name: "ArticleNoIdentifier", body: "[@a]", list: []*Citation{hintRef("a", func(c *Citation) { c.DOI = "" })},
			want: []hintCodes{{HintNoIdentifier, []string{"a"}}}},
		{name: "ArticlePMIDOnly", body: "[@a]", list: []*Citation{hintRef("a", func(c *Citation) { c.DOI, c.PMID = "", "22926101" })}},
		{name: "BookNoIdentifier", body: "[@a]", list: []*Citation{hintRef("a", func(c *Citation) { c.Type, c.DOI = CiteBook, "" })}},

		{name: "Several", body: "[@a] [@missing]", list: []*Citation{
			hintRef("a", func(c *Citation) { c.DOI = "" }),
			hintRef("web", func(c *Citation) { c.Type, c.DOI = CiteWebpage, "" })},
			want: []hintCodes{{HintNoIdentifier, []string{"a"}}, {HintUncited, []string{"web"}}, {HintNoAccessDate, []string{"web"}},
				{HintUnknownKey, []string{"missing"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			library := append(append([]*Citation{}, tt.list...), tt.library...)
			hints := CheckCitations(tt.body, tt.list, library)
			var got []hintCodes
			for _, h := range hints {
				got = append(got, hintCodes{h.Code, h.Keys})
				if h.Message == "" {
					t.Errorf("%s %v: no message", h.Code, h.Keys)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("hints\ngot  %v\nwant %v", got, tt.want)
			}
		})
	}
}
