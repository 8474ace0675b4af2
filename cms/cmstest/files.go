package cmstest

import (
	"os"
	"testing"
)

// DirNames returns the names of the entries in dir, sorted; a folder that
// cannot be read fails the test.
func DirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
