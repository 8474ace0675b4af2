package readmodel

import "testing"

// TestWPIDs: imported WordPress ids are read from the source only when
// they are WordPress's; derived ids are stable, JavaScript-safe and above
// any imported one; a taken id moves on to the next candidate.
func TestWPIDs(t *testing.T) {
	for src, want := range map[string]int64{
		"wordpress:https://old.example:42":          42,
		"wordpress:https://old.example:8080/blog:7": 7,
		"wordpress:https://old.example:4294967296":  0, // in the derived range
		"wordpress:https://old.example:abc":         0,
		"wordpress:https://old.example:0":           0,
		"ghost:https://old.example:42":              0,
		"":                                          0,
	} {
		if got := wpImportedID(src); got != want {
			t.Errorf("wpImportedID(%q) = %d, want %d", src, got, want)
		}
	}
	id := "65f0c0ffee0123456789abcd"
	first := wpDerivedID("post", id, 0)
	if first < wpDerivedMin || first > wpDerivedMax || first != wpDerivedID("post", id, 0) || first == wpDerivedID("tag", id, 0) {
		t.Errorf("derived id %d: not stable, in range and per kind", first)
	}
	// The imported id and the first candidate are taken: the next one.
	if got := (wpIDs{42: true, first: true}).claim(42, "post", id); got != wpDerivedID("post", id, 1) {
		t.Errorf("claim with both taken = %d, want the second candidate", got)
	}
	if got := (wpIDs{}).claim(42, "post", id); got != 42 {
		t.Errorf("a free imported id gave %d", got)
	}
}
