package backup

import (
	"context"
	"fmt"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// Open builds the service the configuration describes: user files from
// RECC_STORAGE_URL, archives in RECC_BACKUP_URL (credentials from getenv),
// RECC_BACKUP_RETENTION_DAYS, and this build's version in each manifest.
// opt supplies the rest (progress, logger); the fields Open sets are
// overwritten. The command line and the server's schedule both use it, so
// they make the same backups.
func Open(ctx context.Context, st *store.Store, cfg *config.Config, getenv func(string) string, opt Options) (*Service, error) {
	files, err := media.Open(ctx, cfg.StorageURL, getenv)
	if err != nil {
		return nil, fmt.Errorf("RECC_STORAGE_URL: %w", err)
	}
	backups, err := media.Open(ctx, cfg.BackupURL, getenv)
	if err != nil {
		return nil, fmt.Errorf("RECC_BACKUP_URL: %w", err)
	}
	bi := buildinfo.Get()
	opt.Retention = cfg.BackupRetention
	opt.AppVersion, opt.AppCommit = bi.Version, bi.Commit
	opt.SkipFilePrefix = NestedPrefix(cfg.StorageURL, cfg.BackupURL)
	return New(st, files, backups, opt), nil
}
