package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
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

// recordRun writes one row of backup_runs. The table records every run,
// so "when did a backup last succeed" has one answer for all replicas.
func (s *Service) recordRun(ctx context.Context, name string, started time.Time, size int64, runErr error) error {
	finished := s.opt.Now().UTC()
	msg := ""
	if runErr != nil {
		msg = truncate(runErr.Error(), 2000)
	}
	// A cancelled context must not stop the failure from being recorded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var err error
	if storeEngine(s.db) == enginePostgres {
		_, err = s.db.DB().ExecContext(ctx, `INSERT INTO backup_runs (name, started_at, finished_at, succeeded, size_bytes, error)
			VALUES ($1, $2, $3, $4, $5, $6)`, name, started, finished, runErr == nil, size, msg)
	} else {
		ok := 0
		if runErr == nil {
			ok = 1
		}
		_, err = s.db.DB().ExecContext(ctx, `INSERT INTO backup_runs (name, started_at, finished_at, succeeded, size_bytes, error)
			VALUES (?, ?, ?, ?, ?, ?)`, name, started.Format(timeLayout), finished.Format(timeLayout), ok, size, msg)
	}
	return err
}

// LastSuccess returns when the newest successful backup of st's database
// finished, and false when none has. Every replica calls it at scrape
// time for reccollection_backup_last_success_timestamp_seconds, whichever
// of them (or which CronJob) made the backup.
func LastSuccess(ctx context.Context, st *store.Store) (time.Time, bool, error) {
	q := "SELECT max(finished_at) FROM backup_runs WHERE succeeded = 1"
	if storeEngine(st) == enginePostgres {
		q = "SELECT max(finished_at) FROM backup_runs WHERE succeeded"
	}
	var v any
	if err := st.DB().QueryRowContext(ctx, q).Scan(&v); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, false, nil
		}
		return time.Time{}, false, fmt.Errorf("read last backup: %w", err)
	}
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return x.UTC(), true, nil
	case string:
		t, err := parseStoredTime(x)
		return t.UTC(), err == nil, err
	case []byte:
		t, err := parseStoredTime(string(x))
		return t.UTC(), err == nil, err
	}
	return time.Time{}, false, fmt.Errorf("read last backup: unexpected %T", v)
}
