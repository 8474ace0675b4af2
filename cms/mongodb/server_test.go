package mongodb_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestPGServer: a store on the FerretDB-on-PostgreSQL test server reads
// and writes; with FerretDB stopped, or PostgreSQL stopped, a read fails as
// unavailable within about the store's timeout rather than hanging; once
// each is back the same store reads the same data again, without being
// reopened.
func TestPGServer(t *testing.T) {
	t.Parallel()
	p := cmstest.PGServer(t)
	db, env := p.New(t)
	if got := env["LULLABY_MONGODB_URI"]; got != p.URI() || !strings.HasPrefix(got, "mongodb://127.0.0.1:") {
		t.Fatalf("LULLABY_MONGODB_URI = %q, want %q on loopback", got, p.URI())
	}
	ctx := context.Background()
	post, rev := newPost("On a shared server", "on-a-shared-server", t0)
	MustCreatePost(t, db, post, rev)

	down := func(what string) {
		t.Helper()
		start := time.Now()
		_, err := db.GetPost(ctx, post.ID)
		if err == nil {
			t.Fatalf("%s: GetPost succeeded", what)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%s: GetPost failed after %v, want within about the store's 5 s timeout", what, d)
		}
		MustKind(t, err, cms.KindUnavailable, "")
	}
	up := func(what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got, err := db.GetPost(ctx, post.ID)
			if err == nil {
				MustEqual(t, what+": title", got.Title, post.Title)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: GetPost still fails 20 s after the restart: %v", what, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	p.Stop()
	down("FerretDB stopped")
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "URI after a restart", p.URI(), env["LULLABY_MONGODB_URI"])
	up("FerretDB restarted")

	if err := p.StopPostgreSQL(); err != nil {
		t.Fatal(err)
	}
	down("PostgreSQL stopped")
	if err := p.StartPostgreSQL(); err != nil {
		t.Fatal(err)
	}
	up("PostgreSQL restarted")
}

// TestPGServer_NoSQLiteIndexPass: on a server given by URI, Open leaves the
// SQLite-only _id index pass alone (idindex.go), which would have created
// every collection of the store up front; here a collection exists only
// once something made it.
func TestPGServer_NoSQLiteIndexPass(t *testing.T) {
	t.Parallel()
	p := cmstest.PGServer(t)
	db, _ := p.New(t)
	names, err := MustRawDB(t, db).ListCollectionNames(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names, "media.chunks") {
		t.Errorf("collections after Open = %v, want no media.chunks: the SQLite index pass ran on a URI server", names)
	}
}

// TestPGServer_Private: PostgreSQL's files and socket are in a folder no
// other user may enter, and it listens on no TCP port.
func TestPGServer_Private(t *testing.T) {
	t.Parallel()
	p := cmstest.PGServer(t)
	dir := p.Dir()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("mode of %s = %v, want 0700", dir, perm)
	}
	if _, err := os.Stat(filepath.Join(dir, ".s.PGSQL.5432")); err != nil {
		t.Errorf("PostgreSQL's socket: %v", err)
	}
	// postmaster.pid: pid, data, start, port, socket folder, TCP address, ...
	pid, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(pid), "\n")
	if len(lines) < 8 {
		t.Fatalf("postmaster.pid = %q, want 8 lines", pid)
	}
	MustEqual(t, "socket folder", lines[4], dir)
	MustEqual(t, "TCP address PostgreSQL listens on", strings.TrimSpace(lines[5]), "")
}
