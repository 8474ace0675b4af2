package mongodb_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// newMedia returns a media with variants of the given sizes (in bytes) and
// readers of that many bytes each. GridFS chunks are 255 KiB, so a 600 KB
// variant spans three chunks.
func newMedia(hash string, sizes ...int) (*cms.Media, []io.Reader) {
	m := &cms.Media{ID: cms.NewID(), Filename: "a.jpg", ContentType: "image/jpeg", Width: 10, Height: 10,
		Hash: hash, Version: 1, CreatedAt: t0, UpdatedAt: t0}
	var rs []io.Reader
	for i, n := range sizes {
		data := bytes.Repeat([]byte{byte(i + 1)}, n)
		m.Variants = append(m.Variants, cms.MediaVariant{Name: []string{"thumb", "pin", "original"}[i],
			ContentType: "image/jpeg", Width: 10, Height: 10, Bytes: int64(n), ETag: `"e` + string(rune('0'+i)) + `"`})
		rs = append(rs, bytes.NewReader(data))
	}
	return m, rs
}

// MustCountMediaFiles fails unless the bucket holds files and chunks.
func MustCountMediaFiles(tb testing.TB, db *mongodb.DB, files, chunks int64) {
	tb.Helper()
	f, c, err := mongodb.CountMediaFiles(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	if f != files || c != chunks {
		tb.Fatalf("bucket holds %d files and %d chunks, want %d and %d", f, c, files, chunks)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("client went away")
	}
	n := min(len(p), r.n)
	r.n -= n
	return n, nil
}

func TestMedia(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)

	m, rs := newMedia("h1", 100, 600_000, 300_000)
	got, err := db.CreateMedia(ctx, m, rs)
	if err != nil || got != m {
		t.Fatalf("CreateMedia = %v, %v", got, err)
	}
	MustCountMediaFiles(t, db, 3, 1+3+2)

	t.Run("Get", func(t *testing.T) {
		g, err := db.GetMedia(ctx, m.ID)
		if err != nil || g.Hash != "h1" || len(g.Variants) != 3 || !g.CreatedAt.Equal(t0) {
			t.Fatalf("GetMedia = %+v, %v", g, err)
		}
		v, data, err := db.OpenMediaVariant(ctx, m.ID, "pin")
		if err != nil || len(data) != 600_000 || data[0] != 2 || v.ETag != `"e1"` {
			t.Fatalf("OpenMediaVariant = %+v, %d bytes, %v", v, len(data), err)
		}
		if _, _, err := db.OpenMediaVariant(ctx, m.ID, "nope"); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("unknown variant: %v", err)
		}
		if _, _, err := db.OpenMediaVariant(ctx, cms.NewID(), "pin"); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("unknown media: %v", err)
		}
		if _, err := db.GetMedia(ctx, "../x"); !cms.IsKind(err, cms.KindInvalid) {
			t.Errorf("malformed id: %v", err)
		}
	})

	t.Run("DuplicateHash", func(t *testing.T) {
		dup, rs := newMedia("h1", 10, 20)
		got, err := db.CreateMedia(ctx, dup, rs)
		if err != nil || got.ID != m.ID {
			t.Fatalf("CreateMedia(duplicate) = %v, %v; want the existing %s", got, err, m.ID)
		}
		MustCountMediaFiles(t, db, 3, 6)
	})

	t.Run("FailedUploadLeavesNothing", func(t *testing.T) {
		bad, rs := newMedia("h2", 100, 600_000, 10)
		rs[2] = &failingReader{n: 400_000} // the third file fails after one chunk
		if _, err := db.CreateMedia(ctx, bad, rs); err == nil {
			t.Fatal("CreateMedia with a failing reader succeeded")
		}
		MustCountMediaFiles(t, db, 3, 6)
		if _, err := db.GetMedia(ctx, bad.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("metadata of failed upload: %v", err)
		}
	})

	t.Run("CanceledUploadLeavesNothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		bad, rs := newMedia("h3", 100, 600_000)
		rs[1] = io.MultiReader(bytes.NewReader(make([]byte, 300_000)), readerFunc(func([]byte) (int, error) {
			cancel()
			return 0, context.Canceled
		}))
		if _, err := db.CreateMedia(cctx, bad, rs); err == nil {
			t.Fatal("canceled CreateMedia succeeded")
		}
		MustCountMediaFiles(t, db, 3, 6)
	})

	t.Run("UpdateAndList", func(t *testing.T) {
		if items, n, err := db.ListMedia(ctx, cms.MediaFilter{Query: "a.jpg", MissingAlt: true, Page: 1, Limit: 10}); err != nil || n != 1 || items[0].ID != m.ID {
			t.Errorf("ListMedia(missing alt) = %d, %v; want the image without alt text", n, err)
		}
		u := *m
		u.Alt, u.Version = "Sleeping baby", 2
		if err := db.UpdateMedia(ctx, &u, 1); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateMedia(ctx, &u, 1); !cms.IsKind(err, cms.KindConflict) {
			t.Errorf("stale: %v", err)
		}
		items, n, err := db.ListMedia(ctx, cms.MediaFilter{Query: "sleeping", Page: 1, Limit: 10})
		if err != nil || n != 1 || items[0].Alt != "Sleeping baby" {
			t.Errorf("ListMedia = %d, %v", n, err)
		}
		if _, n, err := db.ListMedia(ctx, cms.MediaFilter{MissingAlt: true, Page: 1, Limit: 10}); err != nil || n != 0 {
			t.Errorf("ListMedia(missing alt) after setting the alt = %d, %v; want 0", n, err)
		}
		if _, n, err := db.ListMedia(ctx, cms.MediaFilter{Query: "a.jpg", MissingAlt: false, Page: 1, Limit: 10}); err != nil || n != 1 {
			t.Errorf("ListMedia(filename) = %d, %v; want 1", n, err)
		}
		for _, f := range []cms.MediaFilter{{Page: 1, Limit: 1}, {Page: 2, Limit: 1}, {Page: 1, Limit: 5}} {
			if _, n, err := db.ListMedia(ctx, f); err != nil || n != 1 {
				t.Errorf("ListMedia(page %d, limit %d) total = %d, %v; want 1, nil", f.Page, f.Limit, n, err)
			}
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteMedia(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		MustCountMediaFiles(t, db, 0, 0)
		if err := db.DeleteMedia(ctx, m.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestCreateMediaInterrupted checks that an upload whose reader fails or
// whose context ends at any point leaves no file and no chunk behind
// (the manifest included), and no metadata.
func TestCreateMediaInterrupted(t *testing.T) {
	t.Parallel()
	for name, setup := range map[string]func(ctx context.Context, rs []io.Reader) (context.Context, []io.Reader){
		"ReaderFailsInFirstFile": func(ctx context.Context, rs []io.Reader) (context.Context, []io.Reader) {
			rs[0] = &failingReader{n: 50}
			return ctx, rs
		},
		"ReaderFailsMidFile": func(ctx context.Context, rs []io.Reader) (context.Context, []io.Reader) {
			rs[1] = &failingReader{n: 400_000} // after one whole chunk
			return ctx, rs
		},
		"CanceledBeforeStart": func(ctx context.Context, rs []io.Reader) (context.Context, []io.Reader) {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			return cctx, rs
		},
		"CanceledMidFile": func(ctx context.Context, rs []io.Reader) (context.Context, []io.Reader) {
			cctx, cancel := context.WithCancel(ctx)
			rs[2] = io.MultiReader(bytes.NewReader(make([]byte, 300_000)), readerFunc(func([]byte) (int, error) {
				cancel()
				return 0, context.Canceled
			}))
			return cctx, rs
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := cmstest.New(t)
			m, rs := newMedia("h-"+name, 100, 600_000, 600_000)
			ctx, rs := setup(context.Background(), rs)
			if _, err := db.CreateMedia(ctx, m, rs); err == nil {
				t.Fatal("interrupted CreateMedia succeeded")
			}
			MustCountMediaFiles(t, db, 0, 0)
			if _, err := db.GetMedia(context.Background(), m.ID); !cms.IsKind(err, cms.KindNotFound) {
				t.Errorf("metadata of the interrupted upload: %v", err)
			}
		})
	}
}

// TestSweepMediaFiles leaves orphans the way a crash would, sweeps, and
// checks that they are gone while a stored media keeps its files.
func TestSweepMediaFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	m, rs := newMedia("kept", 100, 600_000, 300_000)
	if _, err := db.CreateMedia(ctx, m, rs); err != nil {
		t.Fatal(err)
	}
	MustCountMediaFiles(t, db, 3, 6) // the manifest is gone once the media is stored
	if err := mongodb.WriteOrphanFile(ctx, db, 600_000); err != nil {
		t.Fatal(err)
	}
	if err := mongodb.WriteCrashedUpload(ctx, db, 300_000); err != nil {
		t.Fatal(err)
	}
	// 3 + orphan (1 file, 3 chunks) + crash (manifest, 1 file of 2
	// chunks, 1 chunk without a file).
	MustCountMediaFiles(t, db, 3+1+2, 6+3+2+1)

	t.Run("GraceKeepsRecentFiles", func(t *testing.T) {
		n, err := db.SweepMediaFiles(ctx, time.Now().Add(-time.Hour))
		if err != nil || n != 0 {
			t.Fatalf("SweepMediaFiles(an hour ago) = %d, %v; want 0", n, err)
		}
		MustCountMediaFiles(t, db, 3+1+2, 6+3+2+1)
	})
	t.Run("OK", func(t *testing.T) {
		n, err := db.SweepMediaFiles(ctx, time.Now().Add(time.Minute))
		if err != nil || n != 3 {
			t.Fatalf("SweepMediaFiles = %d, %v; want 3 files", n, err)
		}
		MustCountMediaFiles(t, db, 3, 6)
		for _, v := range m.Variants {
			if _, data, err := db.OpenMediaVariant(ctx, m.ID, v.Name); err != nil || int64(len(data)) != v.Bytes {
				t.Errorf("variant %s after the sweep: %d bytes, %v", v.Name, len(data), err)
			}
		}
		if n, err := db.SweepMediaFiles(ctx, time.Now().Add(time.Minute)); err != nil || n != 0 {
			t.Errorf("second sweep = %d, %v; want 0", n, err)
		}
	})
}
