package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// moduleDeps returns, for every package of the module (tests left out),
// the packages it depends on, directly or not: one go list for all rules.
func moduleDeps(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "github.com/lullabycms/lullaby/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) > 0 {
			deps[f[0]] = f[1:]
		}
	}
	return deps
}

// TestDependencyRules checks the layout's import rules with go list: the
// domain and the HTTP surfaces never see the driver or FerretDB; the
// domain sees no search engine, feed writer, web framework, image codec,
// nor the read side; admin and public never import each other; the read
// side (cms/readmodel) is imported only by the surfaces, cmd and the test
// harness; and the leaf packages import nothing of the module.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	const mod = "github.com/lullabycms/lullaby/"
	deps := moduleDeps(t)
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{mod + "cms", []string{"go.mongodb.org/", "github.com/FerretDB/", "github.com/gofiber/",
			"github.com/blevesearch/", "github.com/gorilla/feeds", mod + "cms/readmodel"}},
		// The domain links none of the image codecs, nor the pipeline.
		{mod + "cms", append(slices.Clone(imageCodecs), mod+"cms/imaging")},
		{mod + "cms/mongodb", []string{"github.com/gofiber/", mod + "cms/readmodel"}},
		// The scheduled backups write archives through the Store they are
		// given: no driver, no web framework, no read side.
		{mod + "cms/backup", []string{"go.mongodb.org/", "github.com/FerretDB/", "github.com/gofiber/", mod + "cms/mongodb", mod + "cms/readmodel"}},
		{mod + "cms/readmodel", []string{"go.mongodb.org/", "github.com/FerretDB/", "github.com/gofiber/", mod + "cms/mongodb"}},
		// The one translation of errors to HTTP answers, shared by both
		// surfaces: no web framework, no surface, no store.
		{mod + "cms/problem", []string{"github.com/gofiber/", mod + "admin", mod + "public", mod + "cms/mongodb", "go.mongodb.org/"}},
		{mod + "admin", []string{"go.mongodb.org/", "github.com/FerretDB/", mod + "public", mod + "cms/mongodb"}},
		{mod + "public", []string{"go.mongodb.org/", "github.com/FerretDB/", mod + "admin", mod + "cms/mongodb"}},
	}
	// Leaves: whichever of these exist import nothing of the module.
	// The image pipeline and the WordPress export reader among them.
	for _, leaf := range []string{"cms/strictjson", "cms/clientip", "cms/cite", "cms/imaging", "cms/wordpress", "cms/wordpress/wpgen", "cms/netguard", "cms/refcheck"} {
		if _, ok := deps[mod+leaf]; ok {
			rules = append(rules, struct {
				pkg       string
				forbidden []string
			}{mod + leaf, []string{mod}})
		}
	}
	for _, r := range rules {
		d, ok := deps[r.pkg]
		if !ok {
			t.Errorf("package %s not found by go list", r.pkg)
			continue
		}
		for _, dep := range d {
			for _, bad := range r.forbidden {
				if strings.HasPrefix(dep, bad) {
					t.Errorf("%s depends on %s", r.pkg, dep)
				}
			}
		}
	}
	readSide := map[string]bool{mod + "public": true, mod + "admin": true, mod + "cms/cmstest": true}
	for pkg, d := range deps {
		if readSide[pkg] || strings.HasPrefix(pkg, mod+"cmd/") || strings.HasPrefix(pkg, mod+"cms/readmodel") {
			continue
		}
		if slices.Contains(d, mod+"cms/readmodel") {
			t.Errorf("%s depends on cms/readmodel: only public, admin and cmd may", pkg)
		}
	}
}

// imageCodecs are the image decoders and encoders only cms/imaging may
// link: a 24 MP photo's pipeline (and 34 packages of WebAssembly runtime
// for the WebP encoder) stays out of the domain.
var imageCodecs = []string{"github.com/disintegration/imaging", "github.com/kovidgoyal/imaging", "golang.org/x/image/",
	"github.com/gen2brain/", "github.com/tetratelabs/wazero", "image/jpeg", "image/png", "image/gif"}

// TestOnlyCmdReadsTheEnvironment keeps configuration in one table: no
// package outside cmd/ (and the test harness) reads environment variables.
func TestOnlyCmdReadsTheEnvironment(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	for _, dir := range []string{"cms", "admin", "public", "views", "assets"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "cmstest") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, call := range []string{"os.Getenv(", "os.LookupEnv(", "os.Environ("} {
				if strings.Contains(string(b), call) {
					t.Errorf("%s calls %s: configuration belongs in cmd/lullaby/config.go", path, call)
				}
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}
