package cite

import "testing"

func TestSentenceCase(t *testing.T) {
	tests := []struct{ in, apa, ama string }{
		// Title Case is lowered; acronyms, inner capitals, single capitals
		// and braced words stay; hyphenated parts count on their own.
		{"Solve Your Child's Sleep Problems", "Solve your child's sleep problems", "Solve your child's sleep problems"},
		{"{Ferber}'s Method and the iPhone: Evidence-Based Non-REM Sleep in the US",
			"Ferber's method and the iPhone: Evidence-based non-REM sleep in the US",
			"Ferber's method and the iPhone: evidence-based non-REM sleep in the US"},
		{"mHealth Apps, McDonald's and O'Brien: RCTs of Vitamin D", "mHealth apps, McDonald's and O'Brien: RCTs of vitamin D", "mHealth apps, McDonald's and O'Brien: RCTs of vitamin D"},
		// A new sentence after "?" or "!" is capitalised in both styles.
		{"Is It Colic? A Randomized Trial", "Is it colic? A randomized trial", "Is it colic? A randomized trial"},
		// Sentence case as entered keeps its proper nouns.
		{"Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine",
			"Recommended amount of sleep for pediatric populations: A consensus statement of the American Academy of Sleep Medicine",
			"Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine"},
		// ALL CAPS is lowered (acronyms too, unless braced).
		{"SLEEP PROBLEMS IN {SIDS} RESEARCH", "Sleep problems in SIDS research", "Sleep problems in SIDS research"},
		// The first word is capitalised, even after a quote.
		{"“Back to Sleep” in Practice", "“Back to sleep” in practice", "“Back to sleep” in practice"},
		{"the role of sleep", "The role of sleep", "The role of sleep"},
		{"{de} Vries Revisited", "de vries revisited", "de vries revisited"},
		{"Unbalanced {Brace Kept", "Unbalanced Brace Kept", "Unbalanced Brace Kept"},
		{"Stray} Brace", "Stray brace", "Stray brace"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := sentenceCase(tt.in, caseAPA); got != tt.apa {
			t.Errorf("APA sentenceCase(%q)\n got: %q\nwant: %q", tt.in, got, tt.apa)
		}
		if got := sentenceCase(tt.in, caseAMA); got != tt.ama {
			t.Errorf("AMA sentenceCase(%q)\n got: %q\nwant: %q", tt.in, got, tt.ama)
		}
	}
	if got := PlainTitle("The {Ferber} {{Method}}"); got != "The Ferber Method" {
		t.Errorf("PlainTitle = %q", got)
	}
	if got := cslTitle("The {Ferber} method"); got != `The <span class="nocase">Ferber</span> method` {
		t.Errorf("cslTitle = %q", got)
	}
}
