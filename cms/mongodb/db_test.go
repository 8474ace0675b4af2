package mongodb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

func TestOpen_Embedded(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger(), Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	wantURI := "mongodb://" + strings.ReplaceAll(filepath.Join(dir, mongodb.SocketName), "/", "%2F") + "/"
	if !db.Embedded() || db.URI() != wantURI || db.Database() != "lullaby" {
		t.Fatalf("Embedded() = %v, URI() = %q, Database() = %q; want true, %s, lullaby", db.Embedded(), db.URI(), db.Database(), wantURI)
	}
	c := newCategory("Naps", "naps", 0)
	if err := db.CreateCategory(ctx, c); err != nil {
		t.Fatal(err)
	}

	t.Run("Outage", func(t *testing.T) {
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		stopping := time.Now()
		db.StopEmbedded()
		t.Logf("StopEmbedded took %v", time.Since(stopping))
		start := time.Now()
		_, err := db.GetCategory(ctx, c.ID)
		MustKind(t, err, cms.KindUnavailable, "")
		t.Logf("GetCategory failed after %v: %v", time.Since(start), err)
		MustKind(t, db.Ping(ctx), cms.KindUnavailable, "")
		t.Logf("Ping failed after %v", time.Since(start))
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("failing took %v, want under 5s", d)
		}
		if err := db.Close(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Reopen", func(t *testing.T) {
		db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close(ctx)
		MustEqual(t, "persisted category", MustGetCategory(t, db, c.ID), c)
	})
}

func TestOpen_UnwritableDataDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "data") // its parent is a regular file
	_, err := mongodb.Open(context.Background(), mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
	if err == nil {
		t.Fatal("Open succeeded, want an error")
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "writable") {
		t.Fatalf("err = %q, want it to name %s and say it must be writable", err, dir)
	}
}

func TestOpen_DataDirWithQuestionMark(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data?x")
	_, err := mongodb.Open(context.Background(), mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want an error naming %s", err, dir)
	}
}

func TestOpen_Unreachable(t *testing.T) {
	t.Parallel()
	start := time.Now()
	uri := "mongodb://lullaby:s3cr%40t@127.0.0.1:1/?connect=direct&tlsCertificateKeyFilePassword=hush"
	_, err := mongodb.Open(context.Background(), mongodb.Config{URI: uri, Timeout: time.Second, Logger: cmstest.Logger()})
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("Open took %v, want about 1s", d)
	}
	MustKind(t, err, cms.KindUnavailable, "")
	msg := err.Error()
	want := "mongodb.Open: cannot reach MongoDB at mongodb://lullaby:xxxxx@127.0.0.1:1/?connect=direct&tlsCertificateKeyFilePassword=xxxxx within 1s: "
	if !strings.HasPrefix(msg, want) {
		t.Errorf("err = %q, want it to start with %q", msg, want)
	}
	for _, secret := range []string{"s3cr", "hush"} {
		if strings.Contains(msg, secret) {
			t.Errorf("err = %q, want no %q in it", msg, secret)
		}
	}
}

func TestOpen_InvalidURI(t *testing.T) {
	t.Parallel()
	_, err := mongodb.Open(context.Background(), mongodb.Config{URI: "mongodb://u:topsecret@", Logger: cmstest.Logger()})
	MustKind(t, err, cms.KindInvalid, "")
	if strings.Contains(err.Error(), "topsecret") {
		t.Errorf("err = %q, want no password in it", err)
	}
}

func TestOpen_DatabaseFromURI(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	base, query, _ := strings.Cut(db.URI(), "?")
	scheme, rest, _ := strings.Cut(base, "://")
	hosts, _, _ := strings.Cut(rest, "/")
	uri := scheme + "://" + hosts + "/" + db.Database()
	if query != "" {
		uri += "?" + query
	}
	other, err := mongodb.Open(context.Background(), mongodb.Config{URI: uri, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	MustEqual(t, "Database", other.Database(), db.Database())
}
