package config

import (
	"strconv"
	"strings"
	"time"
)

// BackupIntervalOff is the RECC_BACKUP_INTERVAL value for "no in-app
// schedule": on Kubernetes a CronJob runs `reccollection backup create`,
// and replicas making their own backups as well would only duplicate them.
const BackupIntervalOff = "off"

const (
	minBackupRetentionDays = 1
	maxBackupRetentionDays = 3650
	// An interval under an hour would pile full backups onto each other;
	// over a week leaves too much to lose.
	minBackupInterval = time.Hour
	maxBackupInterval = 7 * 24 * time.Hour
)

func (l *loader) backup(c *Config) {
	c.BackupURL = l.mediaURL(varBackupURL, c.DataDir, "backups")

	raw := l.str(varBackupRetention, defBackupRetention)
	days, err := strconv.Atoi(raw)
	if err != nil || days < minBackupRetentionDays || days > maxBackupRetentionDays {
		l.fail(varBackupRetention, "must be a whole number of days from %d to %d, got %q", minBackupRetentionDays, maxBackupRetentionDays, raw)
		days = 30
	}
	c.BackupRetention = time.Duration(days) * 24 * time.Hour

	raw = l.str(varBackupInterval, defBackupInterval)
	if strings.EqualFold(raw, BackupIntervalOff) {
		c.BackupInterval = 0
		return
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		l.fail(varBackupInterval, "invalid duration %q; use a Go duration such as 24h, or off", raw)
		return
	}
	if d < minBackupInterval || d > maxBackupInterval {
		l.fail(varBackupInterval, "must be between %s and %s, or off; got %s", minBackupInterval, maxBackupInterval, d)
		return
	}
	c.BackupInterval = d
}

func backupIntervalText(d time.Duration) string {
	if d == 0 {
		return BackupIntervalOff
	}
	return d.String()
}

// BackupScheduled reports whether the server itself makes backups every
// BackupInterval (false with RECC_BACKUP_INTERVAL=off).
func (c *Config) BackupScheduled() bool { return c.BackupInterval > 0 }
