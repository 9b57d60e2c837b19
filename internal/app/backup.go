package app

import (
	"context"
	"time"
)

// UseBackups connects the backup service (internal/backup, which the app
// does not import: its tests build whole apps) for Serve: lastSuccess
// feeds reccollection_backup_last_success_timestamp_seconds, read from the
// database so every replica reports the same; run, unless
// RECC_BACKUP_INTERVAL is off, is scheduled on the job queue, whose
// elected leader starts it once per interval across all replicas. On
// Kubernetes the interval is off and a CronJob runs `backup create`. Call
// it before Serve.
func (a *App) UseBackups(lastSuccess func(context.Context) (time.Time, bool, error), run func(context.Context) error) {
	a.obs.metrics.RegisterBackupLastSuccess(lastSuccess)
	if a.cfg.BackupScheduled() && run != nil {
		a.jobs.Periodic("backup", a.cfg.BackupInterval, run)
	}
}
