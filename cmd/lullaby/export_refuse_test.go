package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// rewriteArchive copies the archive src to dst, each entry's bytes passed
// through edit.
func rewriteArchive(tb testing.TB, src, dst string, edit func(name string, b []byte) []byte) {
	tb.Helper()
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	gr, err := gzip.NewReader(in)
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	tr := tar.NewReader(gr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		b = edit(hdr.Name, b)
		hdr.Size = int64(len(b))
		if err := tw.WriteHeader(hdr); err != nil {
			tb.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	gw.Close()
	if err := os.WriteFile(dst, out.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// total returns how many documents db holds, media chunks included.
func total(tb testing.TB, db *mongodb.DB) int64 {
	tb.Helper()
	counts, err := db.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	_, chunks, err := db.CountMediaFiles(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	n := chunks
	for _, c := range counts {
		n += c
	}
	return n
}

// TestImportRefuses checks that a damaged, tampered, truncated or too new
// archive, and a database with content, are each refused with a message
// that says why, before anything is written.
func TestImportRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := MustServer(t)
	owner := mustUser(t, src.svc, "owner@example.com", cms.RoleOwner)
	title, body := "Naps at nine months", "Two naps a day, most days."
	if _, err := src.svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.svc.UploadMedia(ctx, owner, "cot.jpg", "A cot", bytes.NewReader(cmstest.MustJPEG(t, 900, 600))); err != nil {
		t.Fatal(err)
	}
	hookURL := "https://93.184.215.14/hooks/lullaby" // a public address: no name to resolve
	hook, secret, err := src.svc.CreateWebhook(ctx, owner, cms.WebhookInput{URL: &hookURL, Events: &[]string{"post.published"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tar.gz")
	if out, err := runOn(t, src.db, "export", good); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	// Users travel without their password hash unless --with-users.
	withUsers := filepath.Join(dir, "with-users.tar.gz")
	if out, err := runOn(t, src.db, "export", withUsers, "--with-users"); err != nil {
		t.Fatalf("export --with-users: %v\n%s", err, out)
	}
	usersLine := func(file string) string {
		var line string
		rewriteArchive(t, file, filepath.Join(dir, "scratch.tar.gz"), func(name string, b []byte) []byte {
			if name == "users.jsonl" {
				line = string(b)
			}
			return b
		})
		return line
	}
	if l := usersLine(good); !strings.Contains(l, `"passwordHash":""`) || !strings.Contains(l, "owner@example.com") {
		t.Errorf("users.jsonl without --with-users: %s", l)
	}
	if l := usersLine(withUsers); strings.Contains(l, `"passwordHash":""`) || !strings.Contains(l, `"passwordHash":"`) {
		t.Errorf("users.jsonl with --with-users has no hash: %s", l)
	}
	// Webhook endpoints hold their signing secrets: they travel with the
	// users, and come back able to sign as before.
	for file, want := range map[string]int{good: 0, withUsers: 1} {
		dst := cmstest.New(t)
		if out, err := runOn(t, dst, "import", "lullaby", file); err != nil {
			t.Fatalf("import %s: %v\n%s", filepath.Base(file), err, out)
		}
		hooks, err := dst.ListWebhooks(ctx)
		if err != nil || len(hooks) != want {
			t.Fatalf("%s restored %d webhook endpoints (%v), want %d", filepath.Base(file), len(hooks), err, want)
		}
		if want == 1 && (hooks[0].ID != hook.ID || hooks[0].URL != hookURL || hooks[0].Secret != secret) {
			t.Errorf("webhook endpoint restored as %+v, want %s at %s with its secret", hooks[0], hook.ID, hookURL)
		}
	}

	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := filepath.Join(dir, "flipped.tar.gz")
	rewriteArchive(t, good, flipped, func(name string, b []byte) []byte {
		if name == "posts.jsonl" {
			b = bytes.Replace(b, []byte("Naps at nine"), []byte("Naps at nin3"), 1)
		}
		return b
	})
	newer := filepath.Join(dir, "newer.tar.gz")
	rewriteArchive(t, good, newer, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			b = bytes.Replace(b, []byte(`"format": 1,`), []byte(`"format": 2,`), 1)
		}
		return b
	})
	extra := filepath.Join(dir, "extra.tar.gz")
	rewriteArchive(t, good, extra, func(name string, b []byte) []byte {
		if name == "posts.jsonl" {
			b = append(b, b...) // the same post twice: counts and checksum differ
		}
		return b
	})
	bitrot := append([]byte(nil), raw...)
	bitrot[len(bitrot)/2] ^= 0x40

	dst := cmstest.New(t)
	for _, c := range []struct {
		name, file, want string
	}{
		{"a post line changed", flipped, "checksum of posts.jsonl does not match"},
		{"documents added", extra, "posts.jsonl does not match"},
		{"truncated", write("short.tar.gz", raw[:len(raw)*2/3]), "truncated"},
		{"a flipped bit", write("bitrot.tar.gz", bitrot), "damaged"},
		{"a newer format", newer, "newer Lullaby"},
		{"not an archive", write("notes.txt", []byte("hello")), "not a Lullaby archive"},
		{"no such file", filepath.Join(dir, "missing.tar.gz"), "no such file"},
	} {
		out, err := runOn(t, dst, "import", "lullaby", c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q\n%s", c.name, err, c.want, out)
		}
		if n := total(t, dst); n != 0 {
			t.Fatalf("%s: %d documents written into the target", c.name, n)
		}
	}

	before := total(t, src.db)
	out, err := runOn(t, src.db, "import", "lullaby", good)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "1 post") || strings.Contains(err.Error(), "1 posts") || !strings.Contains(err.Error(), "--merge") {
		t.Errorf("a database with content: err = %v\n%s", err, out)
	}
	if n := total(t, src.db); n != before {
		t.Errorf("the refused import changed the database: %d documents, was %d", n, before)
	}

	// The good archive restores, and a second run with --merge (a retry)
	// adds nothing.
	if out, err := runOn(t, dst, "import", "lullaby", good); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// All but the webhook endpoint, which needs --with-users.
	if a, b := total(t, dst), total(t, src.db)-1; a != b {
		t.Errorf("restored %d documents, want the source's %d but its webhook endpoint", a, b)
	}
	if out, err := runOn(t, dst, "import", "lullaby", good, "--merge"); err != nil || !strings.Contains(out, " 0 documents and files inserted") {
		t.Errorf("retry with --merge: %v\n%s", err, out)
	}
}

// TestExportDataFolderInUse checks that export and import refuse a data
// folder a server holds, saying so.
func TestExportDataFolderInUse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	emb, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: dir, Logger: cmstest.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	env := func(k string) string {
		if k == "LULLABY_DATA_DIR" {
			return dir
		}
		return ""
	}
	for _, args := range [][]string{{"export", filepath.Join(dir, "x.tar.gz")}, {"import", "lullaby", filepath.Join(dir, "x.tar.gz")}} {
		var out bytes.Buffer
		err := run(context.Background(), args, env, strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), "Stop the Lullaby server") {
			t.Errorf("%v on a folder in use: %v\n%s", args, err, out.String())
		}
	}
}
