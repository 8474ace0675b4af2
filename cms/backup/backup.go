// Package backup makes Lullaby's scheduled backups: an export archive
// (cms/archive) of the whole database, written daily at a set time (or at
// a fixed interval) into a folder, of which the newest few are kept.
//
// A backup is written under a temporary name in the same folder, synced,
// read back and checked like a restore would (every checksum and
// document), and only then renamed to its final name,
// lullaby-backup-<slot>.tar.gz, with the time it was due in UTC
// (lullaby-backup-20261206T030000Z.tar.gz); a failed run removes what it
// wrote. Rotation deletes only regular files with exactly that name
// shape, never anything else in the folder.
//
// Backups hold users as stored, password hashes and two-factor secrets
// included (archive.Options.WithUsers), so that a restore gives back
// working sign-ins: the files are as secret as the database, written with
// mode 0600 in a folder made with mode 0700.
//
// Any number of instances may run a Runner on one database: each slot is
// claimed in the database first (cms.StateStore.ClaimBackup), so one
// instance backs up per slot, and each outcome is recorded there for
// every instance's dashboard.
package backup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/archive"
)

// DefaultKeep is how many backups are kept by default: two weeks of
// daily ones.
const DefaultKeep = 14

// Store is what a Runner needs from the database: its content, and the
// claims and outcomes of backups.
type Store interface {
	cms.Dumper
	ClaimBackup(ctx context.Context, slot time.Time, holder string) (bool, error)
	ReleaseBackup(ctx context.Context, slot time.Time, holder string) error
	RecordBackup(ctx context.Context, run cms.BackupRun) error
}

// Config says where, when and how many.
type Config struct {
	// Dir is the backup folder (required); it is made, with mode 0700,
	// when missing.
	Dir string
	// At is the time of day of the daily backup, as an offset from
	// midnight in Location (default UTC).
	At       time.Duration
	Location *time.Location
	// Every, when set, backs up at that interval (whole multiples of it
	// since the zero time) instead of daily at At: for tests and unusual
	// set-ups. At least a second, since file names count in seconds.
	Every time.Duration
	// Keep is how many backups to keep (default DefaultKeep).
	Keep    int
	Store   Store // required
	Version string
	Logger  *slog.Logger
	Now     func() time.Time
}

// Runner makes the backups of one instance.
type Runner struct {
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	holder string
}

// New checks cfg and returns a Runner.
func New(cfg Config) (*Runner, error) {
	switch {
	case cfg.Dir == "":
		return nil, errors.New("backup.New: Dir is required")
	case cfg.Store == nil:
		return nil, errors.New("backup.New: Store is required")
	case cfg.Every != 0 && cfg.Every < time.Second:
		return nil, errors.New("backup.New: Every must be at least a second")
	case cfg.At < 0 || cfg.At >= 24*time.Hour:
		return nil, errors.New("backup.New: At must be within a day")
	case cfg.Keep < 0:
		return nil, errors.New("backup.New: Keep must not be negative")
	}
	if cfg.Keep == 0 {
		cfg.Keep = DefaultKeep
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	r := &Runner{cfg: cfg, log: cfg.Logger, now: cfg.Now, holder: cms.NewID()}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r, nil
}

// Schedule describes when backups are made, for people: "daily at 03:00
// UTC, the newest 14 kept".
func (r *Runner) Schedule() string {
	when := fmt.Sprintf("daily at %02d:%02d %s", int(r.cfg.At.Hours()), int(r.cfg.At.Minutes())%60, r.cfg.Location)
	if r.cfg.Every > 0 {
		when = "every " + r.cfg.Every.String()
	}
	return fmt.Sprintf("%s, the newest %d kept", when, r.cfg.Keep)
}

// Slot returns the time the latest backup was due at or before now.
func (r *Runner) Slot(now time.Time) time.Time {
	if r.cfg.Every > 0 {
		return now.Truncate(r.cfg.Every)
	}
	local := now.In(r.cfg.Location)
	y, m, d := local.Date()
	for day := d; ; day-- {
		if t := r.dailyAt(y, m, day); !t.After(now) {
			return t
		}
	}
}

// next returns the first slot after now.
func (r *Runner) next(now time.Time) time.Time {
	if r.cfg.Every > 0 {
		return now.Truncate(r.cfg.Every).Add(r.cfg.Every)
	}
	local := now.In(r.cfg.Location)
	y, m, d := local.Date()
	for day := d; ; day++ {
		if t := r.dailyAt(y, m, day); t.After(now) {
			return t
		}
	}
}

func (r *Runner) dailyAt(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, r.cfg.Location).Add(r.cfg.At)
}

// pollEvery bounds each wait of Run, so that a clock set forward or a
// machine woken from sleep does not miss a slot by long.
const pollEvery = time.Minute

// Run makes the backups until ctx ends. It first makes up for the latest
// slot if no instance backed it up (the server was down at the time, or
// backups were just turned on), then backs up at each slot.
func (r *Runner) Run(ctx context.Context) {
	if fi, err := os.Stat(r.cfg.Dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		r.log.Warn("the backup folder can be read by other users of this machine; the backups in it hold password hashes",
			"dir", r.cfg.Dir, "mode", fi.Mode().Perm().String())
	}
	var settled time.Time // the latest slot this instance claimed or saw claimed
	for {
		now := r.now()
		if slot := r.Slot(now); slot.After(settled) {
			if _, err := r.RunDue(ctx, now); err == nil || !errors.Is(err, errClaim) {
				settled = slot
			}
		}
		wait := min(r.next(now).Sub(now)+10*time.Millisecond, pollEvery)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// errClaim wraps a failure to claim a slot: the database did not answer,
// so the slot is tried again at the next wake.
var errClaim = errors.New("cannot claim the backup")

// RunDue backs up the slot due at now if this instance claims it, and
// records the outcome. It returns the run (nil when another instance had
// the slot, or when ctx ended during the run: then the slot is given back
// rather than recorded as failed) and its error, if any.
func (r *Runner) RunDue(ctx context.Context, now time.Time) (*cms.BackupRun, error) {
	slot := r.Slot(now)
	ok, err := r.cfg.Store.ClaimBackup(ctx, slot, r.holder)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("backup: cannot claim the slot; trying again in a minute", "slot", slot, "err", err)
		}
		return nil, fmt.Errorf("%w: %w", errClaim, err)
	}
	if !ok {
		return nil, nil
	}
	start := time.Now()
	run := &cms.BackupRun{Slot: slot}
	run.File, run.Size, err = r.write(ctx, slot)
	run.At = r.now()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopped by a shutdown (a deploy at backup time): not a failure
		// to warn about; the slot is given back for the next start.
		r.log.Warn("backup stopped by the shutdown; the next server to start makes it", "slot", slot)
		if rerr := r.cfg.Store.ReleaseBackup(rctx, slot, r.holder); rerr != nil {
			r.log.Error("backup: cannot give the slot back", "err", rerr)
		}
		return nil, fmt.Errorf("stopped by the shutdown: %w", err)
	case err != nil:
		run.Error = err.Error()
		r.log.Error("backup failed", "slot", slot, "dir", r.cfg.Dir, "err", err)
	default:
		r.log.Info("backup written", "file", filepath.Join(r.cfg.Dir, run.File), "bytes", run.Size, "took", time.Since(start).Round(time.Millisecond))
	}
	if rerr := r.cfg.Store.RecordBackup(rctx, *run); rerr != nil {
		r.log.Error("backup: cannot record the outcome in the database", "err", rerr)
	}
	if err != nil {
		return run, err
	}
	if err := r.rotate(); err != nil {
		r.log.Warn("backup: removing old backups", "err", err)
	}
	return run, nil
}

// Backup file names: the final one and the temporary one, with the slot
// in UTC to the second.
const (
	stamp  = "20060102T150405Z"
	prefix = "lullaby-backup-"
	suffix = ".tar.gz"
)

var (
	finalName   = regexp.MustCompile(`^lullaby-backup-([0-9]{8}T[0-9]{6}Z)\.tar\.gz$`)
	partialName = regexp.MustCompile(`^\.lullaby-backup-[0-9]{8}T[0-9]{6}Z-[0-9]+\.partial$`)
)

// FileName is the name of the backup due at slot.
func FileName(slot time.Time) string { return prefix + slot.UTC().Format(stamp) + suffix }

// IsBackupName reports whether name is that of a backup this package
// wrote: exactly lullaby-backup-<UTC time to the second>.tar.gz.
func IsBackupName(name string) bool {
	m := finalName.FindStringSubmatch(name)
	if m == nil {
		return false
	}
	_, err := time.Parse(stamp, m[1])
	return err == nil
}

// write writes the backup of slot into the folder and returns its name
// and size. Nothing is left behind when it fails.
func (r *Runner) write(ctx context.Context, slot time.Time) (name string, size int64, err error) {
	if err := os.MkdirAll(r.cfg.Dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("cannot make the backup folder: %w", err)
	}
	name = FileName(slot)
	f, err := os.CreateTemp(r.cfg.Dir, "."+strings.TrimSuffix(name, suffix)+"-*.partial") // mode 0600
	if err != nil {
		return "", 0, fmt.Errorf("cannot write in the backup folder: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err = archive.Write(ctx, bw, r.cfg.Store, archive.Options{WithUsers: true, Version: r.cfg.Version}); err != nil {
		return "", 0, fmt.Errorf("writing the archive: %w", err)
	}
	if err = bw.Flush(); err == nil {
		err = f.Sync()
	}
	if err != nil {
		return "", 0, fmt.Errorf("writing %s: %w", tmp, err)
	}
	if size, err = f.Seek(0, io.SeekCurrent); err != nil {
		return "", 0, err
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("writing %s: %w", tmp, err)
	}
	if _, err = archive.Check(tmp, r.cfg.Store); err != nil {
		return "", 0, fmt.Errorf("the archive written does not read back: %w", err)
	}
	if err = os.Rename(tmp, filepath.Join(r.cfg.Dir, name)); err != nil {
		return "", 0, err
	}
	// Make the rename itself durable; a failure here leaves a complete
	// backup in place, so it is only logged.
	if d, derr := os.Open(r.cfg.Dir); derr == nil {
		if derr = d.Sync(); derr != nil {
			r.log.Warn("backup: syncing the backup folder", "err", derr)
		}
		d.Close()
	}
	return name, size, nil
}

// staleAfter is when a temporary file of a run is certainly abandoned (by
// a process that died mid-run): no run goes that long without writing.
const staleAfter = 24 * time.Hour

// rotate deletes the oldest backups beyond Keep, and temporary files
// abandoned by runs that died. It looks only at regular files whose names
// are exactly those this package makes.
func (r *Runner) rotate() error {
	entries, err := os.ReadDir(r.cfg.Dir)
	if err != nil {
		return err
	}
	var ours []string
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		switch name := e.Name(); {
		case IsBackupName(name):
			ours = append(ours, name)
		case partialName.MatchString(name):
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
				errs = append(errs, os.Remove(filepath.Join(r.cfg.Dir, name)))
			}
		}
	}
	sort.Strings(ours) // the names sort by time
	for len(ours) > r.cfg.Keep {
		errs = append(errs, os.Remove(filepath.Join(r.cfg.Dir, ours[0])))
		r.log.Info("backup: removed an old backup", "file", ours[0])
		ours = ours[1:]
	}
	return errors.Join(errs...)
}
