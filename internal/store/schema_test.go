package store_test

import (
	"context"
	"testing"

	"github.com/reccollection/reccollection/internal/store"
)

// TestEveryForeignKeyIsIndexed: a foreign key without an index makes every
// cascade delete and every join on it a table scan.
func TestEveryForeignKeyIsIndexed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		q := `SELECT c.conrelid::regclass::text, a.attname
			FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			WHERE c.contype = 'f' AND NOT EXISTS (
				SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])`
		if s.Engine() == "sqlite" {
			q = `SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
				WHERE m.type = 'table' AND NOT EXISTS (
					SELECT 1 FROM pragma_index_list(m.name) il, pragma_index_info(il.name) ii
					WHERE ii.seqno = 0 AND ii.name = f."from")`
		}
		rows, err := s.DB().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var table, column string
			if err := rows.Scan(&table, &column); err != nil {
				t.Fatal(err)
			}
			t.Errorf("foreign key %s.%s has no index leading with it", table, column)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestMigrateDownAndUpAgain: every migration can be rolled back and
// re-applied, so a bad release's schema change can be undone.
func TestMigrateDownAndUpAgain(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cur, target, err := s.SchemaVersion(ctx)
		if err != nil || cur != target || cur == 0 {
			t.Fatalf("after up: %d/%d %v", cur, target, err)
		}
		for {
			cur, _, err := s.SchemaVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if cur == 0 {
				break
			}
			if _, err := s.MigrateDown(ctx); err != nil {
				t.Fatalf("down from %d: %v", cur, err)
			}
		}
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if m.Applied {
				t.Errorf("migration %d still applied after rolling everything back", m.Version)
			}
		}
		if n, err := s.MigrateUp(ctx); err != nil || n != len(st) {
			t.Fatalf("up again: applied %d of %d, %v", n, len(st), err)
		}
		mkUser(t, s, "afterwards")
	})
}
