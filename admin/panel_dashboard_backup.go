package admin

import (
	"context"

	"github.com/lullabycms/lullaby/cms"
)

// backupCard is the dashboard's card on the scheduled backups, shown to
// owners: the last backup made (by whichever instance made it), the last
// failure when it is the latest outcome, and a warning when she should
// look.
type backupCard struct {
	On       bool   // this server makes scheduled backups
	Schedule string // when and where (Config.Backups)
	Last     *cms.BackupRun
	Size     string         // Last's size, for people
	Failure  *cms.BackupRun // the last run, when it failed
	Warning  string
}

// backupCard reads the backups' status for the dashboard of u; nil for
// those who may not manage settings, or when the status cannot be read
// (the rest of the dashboard still shows).
func (a *Admin) backupCard(ctx context.Context, u *cms.User) *backupCard {
	if u == nil || !u.CanManageSettings() {
		return nil
	}
	st, err := a.svc.BackupStatus(ctx)
	if err != nil {
		a.log.Warn("dashboard: reading the backup status", "err", err)
		return nil
	}
	card := &backupCard{On: a.backups != "", Schedule: a.backups, Last: st.LastSuccess}
	if card.Last != nil {
		card.Size = humanBytes(card.Last.Size)
	}
	if !card.On {
		return card
	}
	switch {
	case st.Failing():
		card.Failure, card.Warning = st.LastFailure, "The last backup failed."
	case st.LastSuccess == nil:
		card.Warning = "No backup has been made yet."
	case st.Overdue(a.now()):
		card.Warning = "The last backup is more than two days old."
	}
	return card
}
