package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/store"
)

// TestDataExportRowsContract: one export at a time per person, unless the
// waiting one is stale (its job died); a day's number is a hard cap; a
// finished export cannot be run again, and one whose row went (the
// account was deleted) cannot be finished; the expiry sweep deletes rows
// and answers their blobs' keys.
func TestDataExportRowsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "ann")
		now := time.Now()
		long := now.Add(-time.Hour)
		first, err := s.CreateDataExport(ctx, u.ID, 3, long)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateDataExport(ctx, u.ID, 3, long); !errors.Is(err, store.ErrExportInProgress) {
			t.Fatalf("second while one waits: %v", err)
		}
		// Stale: the waiting one was made before the cut-off.
		second, err := s.CreateDataExport(ctx, u.ID, 3, now.Add(time.Minute))
		if err != nil {
			t.Fatalf("after a stale one: %v", err)
		}
		if _, err := s.ExportToRun(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.FinishDataExport(ctx, second.ID, "exports/x.zip", 10, now.Add(time.Hour)); err != nil || !ok {
			t.Fatalf("finish: %v %v", ok, err)
		}
		if _, err := s.ExportToRun(ctx, second.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("running a finished export again: %v", err)
		}
		if _, err := s.CreateDataExport(ctx, u.ID, 2, now.Add(time.Minute)); !errors.Is(err, store.ErrExportDailyLimit) {
			t.Errorf("past the day's number: %v", err)
		}
		if ok, err := s.FinishDataExport(ctx, "01a24b06-fe51-7138-8922-e00751627967", "k", 1, now); err != nil || ok {
			t.Errorf("finishing a missing export: %v %v", ok, err)
		}
		if err := s.FailDataExport(ctx, first.ID, "why", now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		keys, err := s.DeleteExpiredDataExports(ctx, now.Add(90*time.Minute), 10)
		if err != nil || len(keys) != 1 || keys[0] != "exports/x.zip" {
			t.Fatalf("expired at +90 min: %v %v; want the finished one's key", keys, err)
		}
		list, err := s.DataExports(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].ID != first.ID || list[0].Status != store.ExportFailed || list[0].Error != "why" {
			t.Fatalf("left: %+v %v; want the failed one", list, err)
		}
	})
}
