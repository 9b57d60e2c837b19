package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/reccollection/reccollection/internal/store"
)

// readManifest reads only the first entry of a stored archive.
func (s *Service) readManifest(ctx context.Context, name string) (*Manifest, error) {
	r, err := s.backups.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	gz, err := gzip.NewReader(io.LimitReader(r, maxArchiveBytes))
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	h, err := tar.NewReader(gz).Next()
	if err != nil {
		return nil, fmt.Errorf("not a tar archive: %w", err)
	}
	if h.Name != manifestPath || h.Typeflag != tar.TypeReg || h.Size > maxManifestBytes {
		return nil, fmt.Errorf("the archive does not start with a manifest")
	}
	b, err := io.ReadAll(io.LimitReader(gz, h.Size))
	if err != nil {
		return nil, err
	}
	// List shows backups newer than this build too; only restore refuses
	// them.
	return decodeManifest(b, 0)
}

// recordRun records one run in backup_runs, even when ctx was cancelled.
func (s *Service) recordRun(ctx context.Context, name string, started time.Time, size int64, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = truncate(runErr.Error(), 2000)
	}
	// A cancelled context must not stop the failure from being recorded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return s.db.RecordBackupRun(ctx, store.BackupRun{Name: name, StartedAt: started, FinishedAt: s.opt.Now(),
		Succeeded: runErr == nil, SizeBytes: size, Error: msg})
}
