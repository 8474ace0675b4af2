package mongodb_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// TestStartEmbedded_Locked: a second server on a data folder in use is
// refused, naming the holder; a command that may attach uses the first
// server's socket; once the first stops, the folder is free again.
func TestStartEmbedded_Locked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	first, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	c := newCategory("Naps", "naps", 0)
	if err := first.CreateCategory(ctx, c); err != nil {
		t.Fatal(err)
	}

	_, err = mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
	var inUse *mongodb.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second Open: err = %v, want an *InUseError", err)
	}
	if inUse.PID != os.Getpid() || inUse.URI() != first.URI() || !strings.Contains(err.Error(), dir) {
		t.Errorf("InUseError = %+v (%v), want PID %d, URI %s and the folder named", inUse, err, os.Getpid(), first.URI())
	}

	attached, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Attach: true, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatalf("Open with Attach: %v", err)
	}
	MustEqual(t, "category read through the running server", MustGetCategory(t, attached, c.ID), c)
	if attached.Embedded() {
		t.Errorf("an attached store says it runs the embedded server")
	}
	if err := attached.Close(ctx); err != nil {
		t.Fatal(err)
	}

	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatalf("Open after the first closed: %v", err)
	}
	MustEqual(t, "category after a restart", MustGetCategory(t, again, c.ID), c)
	_ = again.Close(ctx)
}

// TestStartEmbedded_LongPath: a data folder whose socket path would be too
// long gets its socket in a private temporary folder, removed at Close.
func TestStartEmbedded_LongPath(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), strings.Repeat("a-long-folder-name-", 6))
	emb, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	sock := emb.Socket()
	if strings.HasPrefix(sock, dir) || len(sock) > 103 {
		t.Errorf("socket %s: want it outside %s and at most 103 bytes", sock, dir)
	}
	fi, err := os.Stat(filepath.Dir(sock))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket folder: %v %v, want mode 0700", fi, err)
	}
	db, err := mongodb.Open(context.Background(), mongodb.Config{URI: emb.URI(), Logger: cmstest.Logger(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close(context.Background())
	_ = emb.Close()
	if _, err := os.Stat(filepath.Dir(sock)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary socket folder is left after Close: %v", err)
	}
}

// TestStartEmbedded_Private: a data folder that existed with loose modes
// is made private: folders 0700, files 0600, the socket 0600.
func TestStartEmbedded_Private(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"notes.txt", "sub/notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	emb, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	MustPrivate(t, dir)
}

// MustPrivate checks that dir and every folder below it is 0700 and every
// other entry 0600.
func MustPrivate(tb testing.TB, dir string) {
	tb.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			tb.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if n < 3 {
		tb.Fatalf("only %d entries under %s", n, dir)
	}
}

func TestStartEmbedded_DebugAddrMustBeLoopback(t *testing.T) {
	t.Parallel()
	_, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: t.TempDir(), DebugAddr: "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v, want a refusal naming loopback", err)
	}
}
