package wpimport_test

import (
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/wordpress/wpgen"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

// BenchmarkImportScale imports a generated export of LULLABY_SCALE posts
// (2,000 when unset), then imports it again, and logs what each run took;
// it runs once whatever b.N is. The whole program's figures come from
// `go run ./cmd/lullaby-bench -scale 2000`:
//
//	go test ./cms/wpimport -run '^$' -bench ImportScale -benchtime 1x
func BenchmarkImportScale(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("LULLABY_SCALE"))
	if n <= 0 {
		n = 2000
	}
	t := b
	f := cmstest.MustService(t)
	owner := cmstest.Owner()
	open := func() (io.ReadCloser, error) { return io.NopCloser(wpgen.Reader(n)), nil }
	for _, run := range []struct {
		name             string
		created, updated int
	}{{"first", n, 0}, {"again", 0, n}} {
		start := time.Now()
		rep, err := wpimport.Import(t.Context(), f.Svc, open, wpimport.Options{Actor: owner})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != run.created || rep.Updated != run.updated {
			t.Errorf("%s: created %d, updated %d; want %d, %d", run.name, rep.Created, rep.Updated, run.created, run.updated)
		}
		t.Logf("%s import of %d posts: %s", run.name, n, time.Since(start).Round(time.Millisecond))
	}
	if got := f.Read.Snapshot().PostCount(); got != n {
		t.Errorf("%d posts public after the import, want %d", got, n)
	}
}
