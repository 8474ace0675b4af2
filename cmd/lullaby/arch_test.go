package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependencyRules checks the layout's import rules with go list: the
// domain and the HTTP surfaces never see the driver or FerretDB, the domain
// never sees Fiber nor an image codec, the image pipeline, the citation
// package and the WordPress reader import nothing of ours, and admin and
// public never import each other.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	const mod = "github.com/lullabycms/lullaby/"
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{mod + "cms", []string{"go.mongodb.org/", "github.com/FerretDB/", "github.com/gofiber/"}},
		// The image pipeline is a leaf; the domain links none of its codecs.
		{mod + "cms/imaging", []string{mod}},
		{mod + "cms", append(slices.Clone(imageCodecs), mod+"cms/imaging")},
		{mod + "cms/mongodb", []string{"github.com/gofiber/"}},
		// The one translation of errors to HTTP answers, shared by both
		// surfaces: no web framework, no surface, no store.
		{mod + "cms/problem", []string{"github.com/gofiber/", mod + "admin", mod + "public", mod + "cms/mongodb", "go.mongodb.org/"}},
		{mod + "admin", []string{"go.mongodb.org/", "github.com/FerretDB/", mod + "public", mod + "cms/mongodb"}},
		{mod + "public", []string{"go.mongodb.org/", "github.com/FerretDB/", mod + "admin", mod + "cms/mongodb"}},
		// The WordPress export reader is a leaf: it imports nothing of ours.
		{mod + "cms/wordpress", []string{mod}},
		// Citations (parsing, formatting, ordering) are a leaf as well.
		{mod + "cms/cite", []string{mod}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", r.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", r.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == r.pkg {
				continue
			}
			for _, bad := range r.forbidden {
				if strings.HasPrefix(dep, bad) {
					t.Errorf("%s depends on %s", r.pkg, dep)
				}
			}
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
