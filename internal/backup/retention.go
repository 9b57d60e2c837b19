package backup

import (
	"context"
	"errors"
	"fmt"

	"github.com/reccollection/reccollection/internal/media"
)

// Prune deletes backups older than the retention and returns their names.
// The newest backup is never deleted, however old: an installation whose
// backups stopped must still have its last one.
func (s *Service) Prune(ctx context.Context) ([]string, error) {
	if s.opt.Retention <= 0 {
		return nil, nil
	}
	objs, err := s.listNames(ctx)
	if err != nil {
		return nil, err
	}
	cutoff := s.opt.Now().Add(-s.opt.Retention)
	var deleted []string
	for i, o := range objs {
		if i == len(objs)-1 {
			break // the newest
		}
		t, _ := parseName(o.Key)
		if !t.Before(cutoff) {
			continue
		}
		if err := s.backups.Delete(ctx, o.Key); err != nil && !errors.Is(err, media.ErrNotFound) {
			return deleted, fmt.Errorf("delete %s: %w", o.Key, err)
		}
		deleted = append(deleted, o.Key)
		s.progress("deleted %s (older than %s)", o.Key, s.opt.Retention)
	}
	return deleted, nil
}

// RunScheduled is the periodic backup: make one, then prune. The job
// queue's daily job calls it; with RECC_BACKUP_INTERVAL=off a CronJob runs
// `reccollection backup create` instead, which does the same.
func (s *Service) RunScheduled(ctx context.Context) error {
	_, err := s.Create(ctx)
	return err
}
