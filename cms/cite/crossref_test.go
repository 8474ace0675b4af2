package cite_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms/cite"
)

// A trimmed Crossref answer for Price et al. 2012 (its public record at
// api.crossref.org/works/10.1542/peds.2011-3467): markup stripped from the
// title, the group author kept, the month dropped for an article.
func TestParseCrossref(t *testing.T) {
	body := `{"status":"ok","message":{"type":"journal-article","title":["Five-Year Follow-up of Harms and Benefits of Behavioral Infant Sleep Intervention: <i>Randomized</i> Trial"],
	"container-title":["Pediatrics"],"short-container-title":["Pediatrics"],"volume":"130","issue":"4","page":"643-651","publisher":"American Academy of Pediatrics (AAP)",
	"author":[{"given":"Anna M.H.","family":"Price"},{"given":"Melissa","family":"Wake"},{"name":"Kids Sleep Study Group"}],
	"issued":{"date-parts":[[2012,10,1]]},"URL":"https://doi.org/10.1542/peds.2011-3467"}}`
	r, err := cite.ParseCrossref([]byte(body), "10.1542/peds.2011-3467")
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != cite.Article || r.Title != "Five-Year Follow-up of Harms and Benefits of Behavioral Infant Sleep Intervention: Randomized Trial" ||
		r.ContainerShort != "" || r.Year != 2012 || r.Month != 0 || r.DOI != "10.1542/peds.2011-3467" || r.URL != "" ||
		len(r.Authors) != 3 || r.Authors[2].Literal != "Kids Sleep Study Group" {
		t.Errorf("reference = %+v", r)
	}
	if got, want := cite.FormatAMA(r).Text, "Price AMH, Wake M, Kids Sleep Study Group. Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial. Pediatrics. 2012;130(4):643-651. doi:10.1542/peds.2011-3467"; got != want {
		t.Errorf("AMA\n got: %s\nwant: %s", got, want)
	}
	for _, bad := range []string{``, `{}`, `{"message": 3}`, `[`} {
		if _, err := cite.ParseCrossref([]byte(bad), "10.1/x"); err == nil {
			t.Errorf("ParseCrossref(%q) gave no error", bad)
		}
	}
}
