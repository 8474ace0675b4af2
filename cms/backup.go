package cms

import (
	"context"
	"time"
)

// BackupMaxAge is how old the last successful scheduled backup may be
// before the dashboard warns: two days, so one missed night is noticed
// the next morning at the latest.
const BackupMaxAge = 48 * time.Hour

// BackupRun is the outcome of one scheduled backup (cms/backup).
type BackupRun struct {
	// Slot is the time the backup was due; it names the file.
	Slot time.Time `json:"slot"`
	// At is when the run ended.
	At time.Time `json:"at"`
	// File is the name of the backup in the backup folder, Size its
	// length in bytes (a success).
	File string `json:"file,omitempty"`
	Size int64  `json:"size,omitempty"`
	// Error says what went wrong ("" for a success).
	Error string `json:"error,omitempty"`
}

// OK reports whether the run succeeded.
func (r *BackupRun) OK() bool { return r.Error == "" }

// BackupStatus is what the scheduled backups last did, kept in the
// database so that the dashboard of every instance shows it, whichever
// instance made the backup.
type BackupStatus struct {
	LastSuccess *BackupRun `json:"lastSuccess,omitempty"`
	LastFailure *BackupRun `json:"lastFailure,omitempty"`
}

// Failing reports whether the last run failed (a failure later than the
// last success).
func (st BackupStatus) Failing() bool {
	return st.LastFailure != nil && (st.LastSuccess == nil || st.LastFailure.At.After(st.LastSuccess.At))
}

// Overdue reports whether no backup succeeded within BackupMaxAge
// before now (or none ever did).
func (st BackupStatus) Overdue(now time.Time) bool {
	return st.LastSuccess == nil || now.Sub(st.LastSuccess.At) > BackupMaxAge
}

// BackupStatus returns what the scheduled backups last did (the zero
// status when none ever ran). Errors: KindUnavailable, KindInternal.
func (s *Service) BackupStatus(ctx context.Context) (BackupStatus, error) {
	return s.store.BackupStatus(ctx)
}
