package store

import (
	"context"
	"fmt"
)

// TrimSearchWindow raises the search window's edge (migration 28) to the
// rankWindow×RankedMatches-th newest public recipe and drops the rows
// below it, returning how many. The window grows by every public recipe
// written; trimmed every minute (app) it stays within a minute's writes
// of its size. A run reads that many index entries, about a millisecond.
// SQLite has no window.
func (s *Store) TrimSearchWindow(ctx context.Context) (int64, error) {
	if s.d.name() != "postgres" {
		return 0, nil
	}
	var n int64
	if err := s.read().QueryRowContext(ctx, "SELECT search_window_trim(?)", rankWindow*s.search.ranked).Scan(&n); err != nil {
		return 0, fmt.Errorf("trim the search window: %w", err)
	}
	return n, nil
}
