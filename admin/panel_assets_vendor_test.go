package admin

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lullabycms/lullaby/assets"
)

// TestVendorURLFollowsManifest resolves every file of MANIFEST.txt (what
// assets/vendor.sh vendored, which CI checks against npm) by its
// version-less name: each must reach the pinned version's file, and no
// package may be vendored that the manifest does not list.
func TestVendorURLFollowsManifest(t *testing.T) {
	t.Parallel()
	as, err := panelAssets()
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := fs.ReadFile(assets.FS, "static/vendor/MANIFEST.txt")
	if err != nil {
		t.Fatal(err)
	}
	packages := 0
	for _, line := range strings.Split(string(manifest), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || strings.HasPrefix(line, "#") {
			continue
		}
		packages++
		spec, files := f[0], f[2:]
		name := spec[:strings.LastIndex(spec, "@")]
		for _, file := range files {
			got, err := as.vendorURL(name + "/" + file)
			if err != nil {
				t.Errorf("vendor %q: %v", name+"/"+file, err)
				continue
			}
			if want, _ := as.url("vendor/" + spec + "/" + file); got != want {
				t.Errorf("vendor %q = %q, want %q", name+"/"+file, got, want)
			}
		}
	}
	if packages == 0 || len(as.vendored) != packages {
		t.Errorf("%d packages vendored (%v), %d in MANIFEST.txt", len(as.vendored), as.vendored, packages)
	}
	for _, bad := range []string{"easymde/nothing.js", "nothing/x.js", "easymde", "", "@scope/x"} {
		if got, err := as.vendorURL(bad); err == nil {
			t.Errorf("vendor %q = %q, want an error", bad, got)
		}
	}
}

func TestLoadAssetsVendored(t *testing.T) {
	t.Parallel()
	file := &fstest.MapFile{Data: []byte("x")}
	as, err := loadAssets(fstest.MapFS{
		"static/js/admin.js":                        file,
		"static/vendor/htmx.org@2.0.11/htmx.min.js": file,
		"static/vendor/@scope/lib@1.2.3/dist/a.js":  file,
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"htmx.org/htmx.min.js": "vendor/htmx.org@2.0.11/htmx.min.js",
		"@scope/lib/dist/a.js": "vendor/@scope/lib@1.2.3/dist/a.js",
	} {
		got, err := as.vendorURL(name)
		if wantURL, _ := as.url(want); err != nil || got != wantURL {
			t.Errorf("vendor %q = %q, %v; want %q", name, got, err, wantURL)
		}
	}
	// A version left behind beside the pinned one stops the start.
	_, err = loadAssets(fstest.MapFS{
		"static/vendor/easymde@2.21.0/easymde.min.js": file,
		"static/vendor/easymde@2.20.0/easymde.min.js": file,
	})
	if err == nil || !strings.Contains(err.Error(), "both vendored") {
		t.Errorf("two versions of easymde: err = %v, want both vendored", err)
	}
}
