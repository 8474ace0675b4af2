package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/lullabycms/lullaby/cms"
)

// RestoreOptions says how to restore.
type RestoreOptions struct {
	// Merge restores into a database that holds content: documents whose
	// id is there already are left alone, the others are inserted.
	// Without it a database that holds anything is refused.
	Merge bool
	// Progress, if set, receives a line of progress now and then.
	Progress func(string)
	// Step, if set, is told after each document and media file restored
	// how many are done of the total the manifest counts.
	Step func(done, total int64)
}

// Report says what a restore did, per set.
type Report struct {
	Manifest *Manifest
	// Loaded counts the documents (and media files) inserted, Kept those
	// left alone because their id was there, Clashed those not written
	// because another document holds their unique value (slug, email).
	Loaded, Kept, Clashed map[string]int64
	// Clashes names up to 20 of the clashing documents, as "set id".
	Clashes []string
}

// checked is what the checking pass learnt about an archive.
type checked struct {
	m     *Manifest
	files map[string]cms.DumpDoc // media.files documents by id
}

// Check reads the whole archive at path and returns its manifest if every
// entry is there with its size and checksum, every document is one d can
// load, and the format is one this version reads; else an error that says
// what is wrong. It writes nothing.
func Check(path string, d cms.Dumper) (*Manifest, error) {
	c, err := check(path, d)
	if err != nil {
		return nil, err
	}
	return c.m, nil
}

func check(path string, d cms.Dumper) (*checked, error) {
	f, gz, err := openArchive(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sets := map[string]bool{}
	for _, s := range d.DumpSets() {
		sets[s] = true
	}
	c := &checked{files: map[string]cms.DumpDoc{}}
	seen := map[string]Entry{}
	lines := map[string]int64{}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, damaged(path, err)
		}
		if c.m != nil {
			return nil, fmt.Errorf("%s is damaged: %s comes after the manifest, which must be last", path, hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("%s is damaged: %s is not a regular file", path, hdr.Name)
		}
		if _, dup := seen[hdr.Name]; dup {
			return nil, fmt.Errorf("%s is damaged: %s is in it twice", path, hdr.Name)
		}
		h := sha256.New()
		cr := &counter{w: h}
		r := io.TeeReader(tr, cr)
		switch set, isSet := strings.CutSuffix(hdr.Name, ".jsonl"); {
		case hdr.Name == ManifestName:
			b, err := io.ReadAll(io.LimitReader(r, 64<<20))
			if err != nil {
				return nil, damaged(path, err)
			}
			c.m = &Manifest{}
			if err := json.Unmarshal(b, c.m); err != nil {
				return nil, fmt.Errorf("%s is damaged: its manifest is not valid JSON: %w", path, err)
			}
			continue
		case isSet && sets[set]:
			n, err := checkLines(r, set, d, c.files)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, hdr.Name, err)
			}
			lines[set] = n
		case strings.HasPrefix(hdr.Name, "media/"):
			id, _, _ := strings.Cut(strings.TrimPrefix(hdr.Name, "media/"), "/")
			doc, ok := c.files[id]
			if !ok || mediaName(id, doc.Name) != hdr.Name {
				return nil, fmt.Errorf("%s is damaged: %s is no media file its media.files.jsonl lists", path, hdr.Name)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				return nil, damaged(path, err)
			}
		default:
			return nil, fmt.Errorf("%s holds %s, which is not part of a Lullaby archive", path, hdr.Name)
		}
		seen[hdr.Name] = Entry{Name: hdr.Name, Size: cr.n, SHA256: sum(h)}
	}
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, damaged(path, err)
	}
	if c.m == nil {
		return nil, fmt.Errorf("%s has no manifest.json: it is truncated or not a Lullaby archive", path)
	}
	if c.m.Format > Format {
		return nil, fmt.Errorf("%s was written by a newer Lullaby (%s, archive format %d); this one (archive format %d) cannot read it: upgrade Lullaby to restore it", path, c.m.Lullaby, c.m.Format, Format)
	}
	if c.m.Format < 1 {
		return nil, fmt.Errorf("%s is damaged: its manifest has no format version", path)
	}
	listed := map[string]bool{}
	for _, e := range c.m.Entries {
		got, ok := seen[e.Name]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s is incomplete: %s is in the manifest but not in the archive", path, e.Name)
		case got.Size != e.Size || got.SHA256 != e.SHA256:
			return nil, fmt.Errorf("%s is damaged or was changed: the checksum of %s does not match the manifest's", path, e.Name)
		}
		listed[e.Name] = true
	}
	for name := range seen {
		if !listed[name] {
			return nil, fmt.Errorf("%s was changed: %s is not in the manifest", path, name)
		}
	}
	for set, n := range c.m.Counts {
		if lines[set] != n {
			return nil, fmt.Errorf("%s is damaged: the manifest counts %d documents in %s.jsonl, the archive holds %d", path, n, set, lines[set])
		}
	}
	for id, doc := range c.files {
		if _, ok := seen[mediaName(id, doc.Name)]; !ok {
			return nil, fmt.Errorf("%s is incomplete: the bytes of media file %s are missing", path, id)
		}
	}
	return c, nil
}

// damaged describes an error reading the archive's stream.
func damaged(path string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s is truncated: it ends in the middle (was it copied whole?)", path)
	}
	return fmt.Errorf("%s is damaged: %w", path, err)
}

// checkLines reads the documents of set from r, checks each and returns
// how many there are; media.files documents go into files.
func checkLines(r io.Reader, set string, d cms.Dumper, files map[string]cms.DumpDoc) (int64, error) {
	var n int64
	err := eachLine(r, func(line []byte) error {
		n++
		doc, err := d.ParseDump(set, line)
		if err != nil {
			return fmt.Errorf("line %d: %s", n, cms.ErrorMessage(err))
		}
		if set == "media.files" {
			doc.Raw = bytes.Clone(line)
			files[doc.ID] = doc
		}
		return nil
	})
	return n, err
}

// eachLine calls fn with each line of r, without its newline; the slice is
// valid during the call only. The last line must end with a newline.
func eachLine(r io.Reader, fn func([]byte) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(chunk) > 0 || len(long) > 0 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		line := chunk[:len(chunk)-1]
		if long != nil {
			line = append(long, line...)
			long = nil
		}
		if err := fn(line); err != nil {
			return err
		}
	}
}

// Restore checks the archive at path (see Check), then, if d holds nothing
// (or opts.Merge), inserts its documents and media files set by set.
// Nothing is written when the check fails or d is refused. Inserts go by
// id, so an interrupted restore can be finished with Merge.
func Restore(ctx context.Context, path string, d cms.Dumper, opts RestoreOptions) (*Report, error) {
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress(fmt.Sprintf(format, args...))
		}
	}
	c, err := check(path, d)
	if err != nil {
		return nil, err
	}
	progress("checked %s: %d entries, every checksum matches", path, len(c.m.Entries))
	if !opts.Merge {
		counts, err := d.Counts(ctx)
		if err != nil {
			return nil, err
		}
		if held := describeCounts(counts); held != "" {
			return nil, &NotEmptyError{Held: held}
		}
	}
	rep := &Report{Manifest: c.m, Loaded: map[string]int64{}, Kept: map[string]int64{}, Clashed: map[string]int64{}}
	var stepped, total int64
	for _, n := range c.m.Counts {
		total += n
	}
	tally := func(set, id string, res cms.LoadResult) {
		if stepped++; opts.Step != nil {
			opts.Step(stepped, total)
		}
		switch res {
		case cms.Loaded:
			rep.Loaded[set]++
		case cms.LoadedBefore:
			rep.Kept[set]++
		case cms.LoadClash:
			rep.Clashed[set]++
			if len(rep.Clashes) < 20 {
				rep.Clashes = append(rep.Clashes, set+" "+id)
			}
		}
	}
	f, gz, err := openArchive(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(gz)
	done := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, damaged(path, err)
		}
		set, isSet := strings.CutSuffix(hdr.Name, ".jsonl")
		switch {
		case isSet && set != "media.files":
			err = eachLine(tr, func(line []byte) error {
				res, err := d.Load(ctx, set, line)
				if err != nil {
					return err
				}
				doc, _ := d.ParseDump(set, line)
				tally(set, doc.ID, res)
				return nil
			})
			progress("%s: %d inserted, %d there already", set, rep.Loaded[set], rep.Kept[set])
		case strings.HasPrefix(hdr.Name, "media/"):
			id, _, _ := strings.Cut(strings.TrimPrefix(hdr.Name, "media/"), "/")
			var wrote bool
			wrote, err = d.LoadFile(ctx, c.files[id], tr)
			if wrote {
				tally("media.files", id, cms.Loaded)
			} else {
				tally("media.files", id, cms.LoadedBefore)
			}
			if done++; done%50 == 0 || done == len(c.files) {
				progress("media files: %d of %d", done, len(c.files))
			}
		}
		if err != nil {
			return rep, fmt.Errorf("restoring %s: %w", hdr.Name, err)
		}
	}
	return rep, nil
}

// NotEmptyError refuses a restore into a database that holds content.
type NotEmptyError struct {
	Held string // what the database holds, as "3 posts, 1 user"
}

func (e *NotEmptyError) Error() string {
	return "the database is not empty: it holds " + e.Held +
		"; restore into an empty database, or add --merge to insert only what is missing (documents already there are left alone)"
}

func describeCounts(counts map[string]int64) string {
	var parts []string
	for set, n := range counts {
		if n > 0 {
			parts = append(parts, countOf(n, set))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// setWords are the words for one and for several documents of a set.
var setWords = map[string][2]string{
	"users": {"user", "users"}, "posts": {"post", "posts"}, "post_bodies": {"post body", "post bodies"},
	"post_revisions": {"revision", "revisions"}, "post_pending": {"pending edit", "pending edits"},
	"categories": {"category", "categories"}, "citations": {"reference", "references"},
	"reviewers": {"reviewer", "reviewers"},
	"lists":     {"list", "lists"}, "quizzes": {"quiz", "quizzes"}, "settings": {"settings document", "settings documents"},
	"media": {"media item", "media items"}, "media.files": {"media file", "media files"},
	"post_views": {"day of post views", "days of post views"}, "quiz_results": {"day of quiz results", "days of quiz results"},
}

// countOf is n documents of set in words, in the singular for one:
// "1 post", "3 categories", "2 documents in other".
func countOf(n int64, set string) string {
	w, ok := setWords[set]
	if !ok {
		w = [2]string{"document in " + set, "documents in " + set}
	}
	if n == 1 {
		return "1 " + w[0]
	}
	return fmt.Sprintf("%d %s", n, w[1])
}

// openArchive opens the archive at path for one pass over its entries;
// the caller closes f.
func openArchive(path string) (f *os.File, gz *gzip.Reader, err error) {
	if f, err = os.Open(path); err != nil {
		return nil, nil, err
	}
	if gz, err = gzip.NewReader(bufio.NewReader(f)); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s is not a Lullaby archive (not gzip-compressed): %w", path, err)
	}
	return f, gz, nil
}
