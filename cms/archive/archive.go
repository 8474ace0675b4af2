// Package archive writes and reads Lullaby's export archive: one gzip'd tar
// holding a JSON-lines file per set of documents (posts.jsonl,
// users.jsonl, ...), the media files' bytes as media/<file id>/<name>, and
// manifest.json last, with the format version, the Lullaby version, the
// time, each entry's size and SHA-256, and the documents per set.
//
// A tar is written and read as a stream with the standard library, and
// gzip adds a checksum of the whole; a zip would need its central
// directory, at the end, before anything could be read. The manifest comes
// last because its checksums are known only once everything is written: a
// restore reads the archive twice, once to check every checksum and
// document, once to write.
package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Format is the version of the archive format this package writes; it
// reads this one and older ones.
const Format = 1

// ManifestName is the name of the manifest entry, the archive's last.
const ManifestName = "manifest.json"

// Manifest describes an archive.
type Manifest struct {
	Format    int              `json:"format"`
	Lullaby   string           `json:"lullaby"`
	Created   time.Time        `json:"created"`
	WithUsers bool             `json:"withUsers"`
	Counts    map[string]int64 `json:"counts"`
	Entries   []Entry          `json:"entries"`
}

// Entry is one file of an archive, as the manifest lists it.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Options says what to write.
type Options struct {
	// WithUsers keeps password hashes, two-factor secrets and the store's
	// secrets (see cms.DumpOptions).
	WithUsers bool
	// Version is the Lullaby version written in the manifest.
	Version string
	// Progress, if set, receives a line of progress now and then.
	Progress func(string)
	// Step, if set, is told after each document and media file written
	// how many are done; the total is not known before the end (0).
	Step func(done, total int64)
}

func (o Options) step(done int64) {
	if o.Step != nil {
		o.Step(done, 0)
	}
}

func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// Write writes an archive of everything d holds to w, set by set: each
// set goes to a temporary file first (a tar entry needs its size up
// front), so memory holds one document at a time, plus the list of media
// file ids.
func Write(ctx context.Context, w io.Writer, d cms.Dumper, opts Options) (*Manifest, error) {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	m := &Manifest{Format: Format, Lullaby: opts.Version, Created: time.Now().UTC().Truncate(time.Second),
		WithUsers: opts.WithUsers, Counts: map[string]int64{}}
	var files []cms.DumpDoc
	var done int64
	for _, set := range d.DumpSets() {
		tmp, err := os.CreateTemp("", "lullaby-export-*.jsonl")
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		bw := bufio.NewWriter(tmp)
		n, err := d.Dump(ctx, set, cms.DumpOptions{WithUsers: opts.WithUsers}, func(line []byte) error {
			if set == "media.files" {
				doc, err := d.ParseDump(set, line)
				if err != nil {
					return err
				}
				doc.Raw = nil
				files = append(files, doc)
			}
			bw.Write(line)
			done++
			opts.step(done)
			return bw.WriteByte('\n')
		})
		if err != nil {
			return nil, err
		}
		if err := bw.Flush(); err != nil {
			return nil, err
		}
		size, err := tmp.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		e, err := writeEntry(tw, set+".jsonl", size, m.Created, func(w io.Writer) error {
			_, err := io.Copy(w, tmp)
			return err
		})
		if err != nil {
			return nil, err
		}
		m.Entries = append(m.Entries, e)
		m.Counts[set] = n
		opts.progress("%s: %d", set, n)
	}
	parts, spill, err := spillParts(ctx, d)
	if spill != nil {
		defer os.Remove(spill.Name())
		defer spill.Close()
	}
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		e, err := writeEntry(tw, mediaName(f.ID, f.Name), f.Size, m.Created, func(w io.Writer) error {
			for n, p := range parts[f.ID] {
				if p.size < 0 {
					return fmt.Errorf("part %d of media file %s is missing", n, f.ID)
				}
				if _, err := io.Copy(w, io.NewSectionReader(spill, p.off, p.size)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		m.Entries = append(m.Entries, e)
		done++
		opts.step(done)
		if (i+1)%50 == 0 || i+1 == len(files) {
			opts.progress("media files: %d of %d", i+1, len(files))
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(b)), ModTime: m.Created, Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(b); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return m, gz.Close()
}

// writeEntry writes one entry of size bytes produced by fill and returns
// its manifest line; fill must write exactly size bytes.
func writeEntry(tw *tar.Writer, name string, size int64, mod time.Time, fill func(io.Writer) error) (Entry, error) {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: mod, Typeflag: tar.TypeReg}); err != nil {
		return Entry{}, err
	}
	h := sha256.New()
	cw := &counter{w: io.MultiWriter(tw, h)}
	if err := fill(cw); err != nil {
		return Entry{}, fmt.Errorf("%s: %w", name, err)
	}
	if cw.n != size {
		return Entry{}, fmt.Errorf("%s: %d bytes written, %d expected", name, cw.n, size)
	}
	return Entry{Name: name, Size: size, SHA256: sum(h)}, nil
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// mediaName is the entry name of media file id: media/<id>/<name>, the
// name reduced to a safe file name.
func mediaName(id, name string) string {
	name = path.Base(strings.NewReplacer("\\", "/", "\x00", "").Replace(name))
	if name == "." || name == "/" || name == ".." || name == "" {
		name = "file"
	}
	return "media/" + id + "/" + name
}

// span is where one part of a media file lies in the spill file.
type span struct{ off, size int64 }

// spillParts copies every part of every media file into a temporary file,
// in one pass over the store, and returns where each file's parts lie, in
// order (a missing part has size -1).
func spillParts(ctx context.Context, d cms.Dumper) (map[string][]span, *os.File, error) {
	tmp, err := os.CreateTemp("", "lullaby-export-*.media")
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	parts := map[string][]span{}
	var off int64
	err = d.DumpFileParts(ctx, func(id string, n int, data []byte) error {
		if n < 0 || n > 1<<24 {
			return fmt.Errorf("media file %s has a part numbered %d", id, n)
		}
		p := parts[id]
		for len(p) <= n {
			p = append(p, span{size: -1})
		}
		p[n] = span{off: off, size: int64(len(data))}
		parts[id] = p
		off += int64(len(data))
		_, err := bw.Write(data)
		return err
	})
	if err == nil {
		err = bw.Flush()
	}
	return parts, tmp, err
}
