package cmstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// NodeTool returns the path of an npm tool the tests run (an OpenAPI
// linter, a compatibility client's runner), installed from the pinned
// testdata/npm/package.json at the module's root. When it, or node, is
// missing the test is skipped with how to install it — unless LULLABY_E2E
// is 1, as in CI (.ci/run runs npm ci there), where that is a failure.
func NodeTool(tb testing.TB, name string) string {
	tb.Helper()
	dir := NodeModules(tb)
	p := filepath.Join(dir, ".bin", name)
	if _, err := os.Stat(p); err != nil {
		missing(tb, name+" not installed ("+err.Error()+")")
	}
	return p
}

// NodeModules returns testdata/npm/node_modules at the module's root, with
// the same skip-or-fail rule as NodeTool when node or the folder is
// missing.
func NodeModules(tb testing.TB) string {
	tb.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		missing(tb, "no node on PATH")
	}
	root, err := moduleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(root, "testdata", "npm", "node_modules")
	if _, err := os.Stat(dir); err != nil {
		missing(tb, "testdata/npm has no node_modules")
	}
	return dir
}

// NodePackage returns the folder of an npm package the tests run (say
// "@tryghost/content-api") in testdata/npm/node_modules, with the same
// skip-or-fail rule as NodeTool: an install older than package.json is a
// skip on a developer's machine, not a failure.
func NodePackage(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(NodeModules(tb), filepath.FromSlash(name))
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		missing(tb, name+" not installed ("+err.Error()+")")
	}
	return dir
}

func missing(tb testing.TB, why string) {
	tb.Helper()
	const how = "npm ci --prefix testdata/npm (LULLABY_E2E=1 makes this a failure)"
	if os.Getenv("LULLABY_E2E") == "1" {
		tb.Fatalf("LULLABY_E2E=1 but %s: run %s", why, how)
	}
	tb.Skipf("skipped: %s; to run it: %s", why, how)
}

// moduleRoot is the nearest folder above the working directory with a
// go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", os.ErrNotExist
		}
		dir = up
	}
}
