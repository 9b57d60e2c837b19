package media

import (
	"context"
	"fmt"
	"time"
)

// Orphans lists the blobs under prefix older than age at now that no
// record claims (named answers which of some keys a record names): what a
// crash between writing a blob and recording it left behind, for a sweep
// to delete. A blob younger than age may be one being recorded right now.
func Orphans(ctx context.Context, s Store, prefix string, now time.Time, age time.Duration,
	named func(ctx context.Context, keys []string) (map[string]bool, error)) ([]string, error) {
	var old []string
	err := s.List(ctx, prefix, func(o Object) error {
		if now.Sub(o.Modified) > age {
			old = append(old, o.Key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	if len(old) == 0 {
		return nil, nil
	}
	claimed, err := named(ctx, old)
	if err != nil {
		return nil, err
	}
	orphans := old[:0]
	for _, k := range old {
		if !claimed[k] {
			orphans = append(orphans, k)
		}
	}
	return orphans, nil
}
