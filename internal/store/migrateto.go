package store

import (
	"context"
	"fmt"
)

// MigrateTo brings the schema to exactly version: up when it is behind,
// down when it is ahead. Restoring a backup needs the schema the backup
// was taken on, which may be older than this build's newest.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	target, err := s.targetVersion()
	if err != nil {
		return err
	}
	if version < 0 || version > target {
		return fmt.Errorf("schema version %d is unknown to this build (newest %d)", version, target)
	}
	p, err := s.migrator()
	if err != nil {
		return err
	}
	cur, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur < version:
		if _, err := p.UpTo(ctx, version); err != nil {
			return fmt.Errorf("migrate up to %d: %w", version, err)
		}
	case cur > version:
		if _, err := p.DownTo(ctx, version); err != nil {
			return fmt.Errorf("migrate down to %d: %w", version, err)
		}
	}
	return nil
}
