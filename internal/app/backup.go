package app

import "context"

// ScheduleBackups runs run, the backup service's scheduled backup
// (internal/backup, which the app does not import: its tests build whole
// apps), on the job queue unless RECC_BACKUP_INTERVAL is off: the queue's
// elected leader starts it once per interval across all replicas. On
// Kubernetes the interval is off and a CronJob runs `backup create`. Call
// it before Serve.
func (a *App) ScheduleBackups(run func(context.Context) error) {
	if a.cfg.BackupScheduled() {
		a.jobs.Periodic("backup", a.cfg.BackupInterval, run)
	}
}
