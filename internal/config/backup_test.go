package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBackupSettings(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join(dir, "backups"))
	if c.BackupURL != "file://"+filepath.ToSlash(abs) {
		t.Errorf("default BackupURL %q, want file://%s", c.BackupURL, abs)
	}
	if c.BackupRetention != 30*24*time.Hour || c.BackupInterval != 24*time.Hour || !c.BackupScheduled() {
		t.Errorf("defaults: retention %s interval %s", c.BackupRetention, c.BackupInterval)
	}

	c, err = Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir, "RECC_BACKUP_URL": "s3://bucket/backups?region=eu-west-1",
		"RECC_BACKUP_RETENTION_DAYS": "7", "RECC_BACKUP_INTERVAL": "OFF"}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.BackupURL != "s3://bucket/backups?region=eu-west-1" || c.BackupRetention != 7*24*time.Hour || c.BackupScheduled() {
		t.Errorf("set: %q %s %s", c.BackupURL, c.BackupRetention, c.BackupInterval)
	}
	if r := c.Redacted(); r["RECC_BACKUP_INTERVAL"] != "off" || r["RECC_BACKUP_RETENTION_DAYS"] != "7" {
		t.Errorf("redacted: %v", r)
	}

	for _, tc := range []struct{ name, value string }{
		{"RECC_BACKUP_RETENTION_DAYS", "0"},
		{"RECC_BACKUP_RETENTION_DAYS", "3651"},
		{"RECC_BACKUP_RETENTION_DAYS", "1.5"},
		{"RECC_BACKUP_INTERVAL", "10m"},
		{"RECC_BACKUP_INTERVAL", "daily"},
		{"RECC_BACKUP_URL", "ftp://host/x"},
		{"RECC_BACKUP_URL", "file://relative/path"},
		{"RECC_BACKUP_URL", "s3://key:secret@bucket/x"},
	} {
		_, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir, tc.name: tc.value}), fakeFiles(nil))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%q: error %v, want one naming the variable", tc.name, tc.value, err)
		}
	}
}
