package readmodel

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestContentKeyLookup: a working key is found by its secret, a revoked
// or unknown one is not, and a lookup allocates nothing.
func TestContentKeyLookup(t *testing.T) {
	secret, revoked := "0123456789abcdef0123456789", "ffffffffffffffffffffffffff"
	at := time.Now()
	keys := []*cms.ContentKey{
		{ID: "a", Name: "Web", Hash: cms.HashContentKey(secret), Origins: []string{"https://shop.example"}, RateLimit: 5},
		{ID: "b", Name: "Old", Hash: cms.HashContentKey(revoked), RevokedAt: &at},
	}
	st := cms.DefaultSettings()
	st.RequireContentKey = true
	snap, err := buildSnapshot(snapshotInput{version: 1, settings: &st, keys: keys}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.RequireContentKey() || !snap.HasContentKeys() {
		t.Fatal("the snapshot does not require or hold keys")
	}
	k := snap.ContentKey([]byte(secret))
	if k == nil || k.ID != "a" || k.RateLimit != 5 || !k.AllowsOrigin("https://Shop.example/") || k.AllowsOrigin("https://other.example") {
		t.Fatalf("key %+v", k)
	}
	for _, s := range []string{revoked, "", "0123", secret + "0"} {
		if snap.ContentKey([]byte(s)) != nil {
			t.Errorf("key %q found", s)
		}
	}
	if !snap.ContentKeyOrigin("https://shop.example") || snap.ContentKeyOrigin("https://other.example") {
		t.Error("preflight origins")
	}
	b := []byte(secret)
	if n := testing.AllocsPerRun(100, func() { snap.ContentKey(b) }); n != 0 {
		t.Errorf("a lookup allocates %v times", n)
	}
}

// BenchmarkContentKey prices the check of a key on the hot path: a
// SHA-256 of 26 bytes and a map lookup.
func BenchmarkContentKey(b *testing.B) {
	secret := "0123456789abcdef0123456789"
	st := cms.DefaultSettings()
	snap, err := buildSnapshot(snapshotInput{version: 1, settings: &st, keys: []*cms.ContentKey{{ID: "a", Hash: cms.HashContentKey(secret)}}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	key := []byte(secret)
	b.ReportAllocs()
	for b.Loop() {
		if snap.ContentKey(key) == nil {
			b.Fatal("not found")
		}
	}
}
