package wordpress

import (
	"errors"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestThemeUnitTestData reads WordPress's theme unit test export
// (github.com/WordPress/theme-test-data, themeunittestdata.wordpress.xml),
// the public file of edge cases themes are checked with. It is GPL
// content, so it is not shipped: set LULLABY_WP_THEME_TEST_XML to a local
// copy. Every item must read and convert without a panic; the report of
// what was lossy is logged.
func TestThemeUnitTestData(t *testing.T) {
	name := os.Getenv("LULLABY_WP_THEME_TEST_XML")
	if name == "" {
		t.Skip("LULLABY_WP_THEME_TEST_XML names no local copy of the theme unit test export")
	}
	for _, path := range strings.Split(name, string(os.PathListSeparator)) {
		t.Run(path, func(t *testing.T) {
			r, err := NewReader(mustOpen(t, path), Options{})
			if err != nil {
				t.Fatal(err)
			}
			types, lossy := map[string]int{}, map[string]int{}
			var itemErrs []string
			n := 0
			for it, err := range r.Items() {
				var ie *ItemError
				if err != nil && !errors.As(err, &ie) {
					t.Fatalf("after %d items: %v", n, err)
				}
				if err != nil {
					itemErrs = append(itemErrs, err.Error())
				}
				n++
				types[it.Type]++
				for _, l := range it.Body.Lossy {
					lossy[reportKey(l)]++
				}
				if it.ID == 0 || !it.Status.Known() {
					t.Errorf("item %d %q: status %q", it.ID, it.Title, it.Status)
				}
			}
			if n == 0 || len(r.Site().Categories) == 0 {
				t.Errorf("read %d items, %d categories", n, len(r.Site().Categories))
			}
			t.Logf("%d items by type %v; %d item errors %q; stats %+v", n, types, len(itemErrs), itemErrs, r.Stats())
			keys := make([]string, 0, len(lossy))
			for k := range lossy {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				t.Logf("lossy %3d× %s", lossy[k], k)
			}
		})
	}
}

// reportKey shortens a lossy line to its kind, for counting.
func reportKey(l string) string {
	for _, sep := range []string{" of http", " (http", " {", ": "} {
		if i := strings.Index(l, sep); i > 0 {
			return l[:i]
		}
	}
	return l
}
