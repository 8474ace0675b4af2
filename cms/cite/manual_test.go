package cite_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms/cite"
)

// manualList is every manual reference, shuffled, in one reference list.
func manualList(t testing.TB, style cite.Style) (*cite.List, map[string]manualReference) {
	t.Helper()
	byKey := map[string]manualReference{}
	var refs []*cite.Reference
	for i := range manualReferences {
		// Reversed and interleaved, so that the order is the list's doing.
		mr := manualReferences[(i*7)%len(manualReferences)]
		if _, dup := byKey[mr.key]; dup {
			t.Fatalf("shuffle repeats %s", mr.key)
		}
		c := mr.c
		c.Key = mr.key
		c.Normalize()
		byKey[mr.key] = mr
		refs = append(refs, &c)
	}
	return cite.Order(style, refs, nil), byKey
}

// TestCitationManualExamples formats each manual reference in a
// reference list (so APA's year letters apply) and as AMA.
func TestCitationManualExamples(t *testing.T) {
	if len(manualReferences) < 20 {
		t.Fatalf("only %d manual references: at least 20 are wanted", len(manualReferences))
	}
	list, byKey := manualList(t, cite.StyleAPA)
	if len(list.Entries) != len(manualReferences) || list.Style != cite.StyleAPA {
		t.Fatalf("list has %d entries, want %d", len(list.Entries), len(manualReferences))
	}
	for _, e := range list.Entries {
		mr := byKey[e.Ref.Key]
		t.Run(mr.key, func(t *testing.T) {
			checkFormatted(t, "APA", e.APA(), mr.apa)
			checkFormatted(t, "AMA", e.AMA(), mr.ama)
			if e.Format(cite.StyleAMA) != e.AMA() || e.Format(cite.StyleAPA) != e.APA() {
				t.Error("Format does not pick the style's form")
			}
			// Alone, a work has no year letter.
			if e.Suffix == "" && cite.FormatAPA(e.Ref) != e.APA() {
				t.Errorf("FormatAPA alone differs: %s", cite.FormatAPA(e.Ref).Text)
			}
		})
	}
}

// TestReferenceListAPAOrder: APA 7 lists by first author's surname, then
// the following authors ("nothing precedes something"), group authors by
// their name, then the year, then the title; AMA in order of first
// citation, the works not cited after in her order.
func TestReferenceListAPAOrder(t *testing.T) {
	list, _ := manualList(t, cite.StyleAPA)
	var got, want []string
	for i, e := range list.Entries {
		got = append(got, e.Ref.Key)
		if e.Number != i+1 {
			t.Errorf("%s: number %d, want %d", e.Ref.Key, e.Number, i+1)
		}
	}
	for _, mr := range manualReferences {
		want = append(want, mr.key)
	}
	if !slices.Equal(got, want) {
		t.Errorf("APA order\n got: %v\nwant: %v", got, want)
	}

	var refs []*cite.Reference
	for _, e := range list.Entries {
		refs = append(refs, e.Ref)
	}
	ama := cite.Order(cite.StyleAMA, refs, []string{"mindell2015", "who2019", "gone2020", "aap2016", "mindell2015"})
	got = got[:0]
	for i, e := range ama.Entries {
		got = append(got, e.Ref.Key)
		if e.Number != i+1 || refs[e.Index] != e.Ref {
			t.Errorf("%s: number %d, index %d", e.Ref.Key, e.Number, e.Index)
		}
	}
	want = append([]string{"mindell2015", "who2019", "aap2016"}, slices.DeleteFunc(want, func(k string) bool {
		return k == "mindell2015" || k == "who2019" || k == "aap2016"
	})...)
	if !slices.Equal(got, want) {
		t.Errorf("AMA order\n got: %v\nwant: %v (cited first, then the rest in the order given)", got, want)
	}
	if e, ok := ama.Find("who2019"); !ok || e.Number != 2 || e.Suffix != "a" || !strings.Contains(e.APA().Text, "(2019a)") {
		t.Errorf("the APA form keeps its year letter in an AMA list: %+v", e)
	}
	if _, ok := ama.Find("gone2020"); ok {
		t.Error("a cited key that is not a reference is in the list")
	}
}

// TestReferenceListInText: APA's in-text citations carry the year letters
// of the list.
func TestReferenceListInText(t *testing.T) {
	list, _ := manualList(t, cite.StyleAPA)
	for _, tt := range []struct{ key, locator, want string }{
		{"paruthi2016", "", "Paruthi et al., 2016b"},
		{"paruthi2016-methods", "p. 1550", "Paruthi et al., 2016a, p. 1550"},
		{"who2019-digital", "", "World Health Organization, 2019b"},
		{"sadeh2011", "", "Sadeh, 2011"},
		{"hiscock2002", "", "Hiscock & Wake, 2002"},
		{"cdc-web-nd", "", "Centers for Disease Control and Prevention, n.d."},
		{"owens2000", "", "Owens et al., 2000"},
		{"jumper2021", "pp. 584–585", "Jumper et al., 2021, pp. 584–585"},
		{"colten2006", "", "Colten & Altevogt, 2006"},
	} {
		e, ok := list.Find(tt.key)
		if !ok {
			t.Fatalf("%s not in the list", tt.key)
		}
		if got := e.APAInText(tt.locator); got != tt.want {
			t.Errorf("%s in the text: %q, want %q", tt.key, got, tt.want)
		}
	}
}

// Made-up works (not real references) for the corners of the ordering.
func TestReferenceListOrderRules(t *testing.T) {
	mk := func(key string, year int, title string, authors ...cite.Name) *cite.Reference {
		return &cite.Reference{Key: key, Type: cite.Book, Year: year, Title: title, Authors: authors}
	}
	refs := []*cite.Reference{
		mk("browning", 2001, "T", pn("Browning", "A. R.")),
		mk("brown-b", 2001, "Zebra", pn("Brown", "J. R.")),
		mk("nd-b", 0, "The second", pn("Brown", "J. R.")),
		mk("brown-a", 2001, "An apple", pn("Brown", "J. R.")),
		mk("nd-a", 0, "First", pn("Brown", "J. R.")),
		mk("brown-with", 1999, "T", pn("Brown", "J. R."), pn("Alder", "B.")),
		mk("mcallister", 2000, "T", pn("McAllister", "C.")),
		mk("macarthur", 2000, "T", pn("MacArthur", "C.")),
		mk("untitled", 2000, "The Zoo of Sleep"),
		mk("group", 2000, "T", org("The Baby Sleep Trust")),
		mk("brown-k", 2001, "T", pn("Brown", "K.")),
	}
	list := cite.Order(cite.StyleAPA, refs, nil)
	var got []string
	for _, e := range list.Entries {
		got = append(got, e.Ref.Key+e.Suffix)
	}
	want := []string{"group", "nd-aa", "nd-bb", "brown-aa", "brown-bb", "brown-with", "brown-k", "browning", "macarthur", "mcallister", "untitled"}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got: %v\nwant: %v", got, want)
	}
	if y := list.Entries[1].APA().Text; !strings.HasPrefix(y, "Brown, J. R. (n.d.-a). First.") {
		t.Errorf("undated, lettered: %s", y)
	}
	if y := list.Entries[4].APA().Text; !strings.HasPrefix(y, "Brown, J. R. (2001b). Zebra.") {
		t.Errorf("dated, lettered: %s", y)
	}
}

func jumperAuthors() []cite.Name {
	return []cite.Name{pn("Jumper", "John"), pn("Evans", "Richard"), pn("Pritzel", "Alexander"), pn("Green", "Tim"), pn("Figurnov", "Michael"),
		pn("Ronneberger", "Olaf"), pn("Tunyasuvunakool", "Kathryn"), pn("Bates", "Russ"), pn("Žídek", "Augustin"), pn("Potapenko", "Anna"),
		pn("Bridgland", "Alex"), pn("Meyer", "Clemens"), pn("Kohl", "Simon A. A."), pn("Ballard", "Andrew J."), pn("Cowie", "Andrew"),
		pn("Romera-Paredes", "Bernardino"), pn("Nikolov", "Stanislav"), pn("Jain", "Rishub"), pn("Adler", "Jonas"), pn("Back", "Trevor"),
		pn("Petersen", "Stig"), pn("Reiman", "David"), pn("Clancy", "Ellen"), pn("Zielinski", "Michal"), pn("Steinegger", "Martin"),
		pn("Pacholska", "Michalina"), pn("Berghammer", "Tamas"), pn("Bodenstein", "Sebastian"), pn("Silver", "David"), pn("Vinyals", "Oriol"),
		pn("Senior", "Andrew W."), pn("Kavukcuoglu", "Koray"), pn("Kohli", "Pushmeet"), pn("Hassabis", "Demis")}
}

func paruthiAuthors() []cite.Name {
	return []cite.Name{pn("Paruthi", "Shalini"), pn("Brooks", "Lee J."), pn("D'Ambrosio", "Carolyn"), pn("Hall", "Wendy A."), pn("Kotagal", "Suresh"),
		pn("Lloyd", "Robin M."), pn("Malow", "Beth A."), pn("Maski", "Kiran"), pn("Nichols", "Cynthia"), pn("Quan", "Stuart F."),
		pn("Rosen", "Carol L."), pn("Troester", "Matthew M."), pn("Wise", "Merrill S.")}
}

const paruthiAPA = "Paruthi, S., Brooks, L. J., D'Ambrosio, C., Hall, W. A., Kotagal, S., Lloyd, R. M., Malow, B. A., Maski, K., Nichols, C., Quan, S. F., Rosen, C. L., Troester, M. M., & Wise, M. S."
