package cms_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestFingerprint: changes that leave the count and the sum of the
// versions as they were still move the fingerprint; the order does not,
// and Remove undoes Add.
func TestFingerprint(t *testing.T) {
	t.Parallel()
	type doc struct {
		id      string
		version int
	}
	of := func(docs ...doc) cms.Fingerprint {
		var f cms.Fingerprint
		for _, d := range docs {
			f.Add(d.id, d.version)
		}
		return f
	}
	a, b, c := "665f1c0e8b3e4a0001a1b2c3", "665f1c0e8b3e4a0001a1b2c4", "665f1c0e8b3e4a0001a1b2c5"
	before := of(doc{a, 1}, doc{b, 2})
	for _, tc := range []struct {
		name  string
		after cms.Fingerprint
	}{
		{"OneDeletedAnotherEdited", of(doc{a, 2}, doc{c, 1})}, // b deleted, a edited, c published at 1
		{"VersionsSwapped", of(doc{a, 2}, doc{b, 1})},
		{"OneEdited", of(doc{a, 2}, doc{b, 2})},
		{"OneDeleted", of(doc{a, 1})},
	} {
		if tc.after == before {
			t.Errorf("%s: fingerprint %+v unchanged", tc.name, before)
		}
	}
	if got := of(doc{b, 2}, doc{a, 1}); got != before {
		t.Errorf("in another order: %+v, want %+v", got, before)
	}
	f := of(doc{a, 1}, doc{b, 2}, doc{c, 7})
	f.Remove(c, 7)
	if f != before {
		t.Errorf("after Remove: %+v, want %+v", f, before)
	}
	x, y := cms.ContentFingerprint{Posts: before}, cms.ContentFingerprint{Posts: before, Lists: of(doc{a, 1})}
	if got := x.Diff(y); got != "lists" {
		t.Errorf("Diff = %q, want lists", got)
	}
	if got := x.Diff(x); got != "" {
		t.Errorf("Diff with itself = %q, want none", got)
	}
}
