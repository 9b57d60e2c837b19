package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestReloadIsOneTransaction: a reload that empties a database at schema 6
// and migrates it up fails at its last migration, or in its fill after
// every migration ran: either way the database keeps its schema version
// and its rows. A reload that succeeds commits all of it.
func TestReloadIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			s, err := store.Open(ctx, testutil.Options(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.MigrateTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateUser(ctx, &auth.User{Username: "kept", Email: "kept@example.com"}); err != nil {
				t.Fatal(err)
			}
			_, newest, err := s.SchemaVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			skip := func(n string) bool { return n == "goose_db_version" || strings.HasPrefix(n, "river_") }
			opt := store.ReloadOptions{Skip: skip, Empty: true}
			intact := func(when string) {
				t.Helper()
				if cur, _, err := s.SchemaVersion(ctx); err != nil || cur != 6 {
					t.Errorf("%s: schema %d (%v), want 6", when, cur, err)
				}
				// Plain SQL: the store's own queries expect the newest schema.
				var n int
				if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM users WHERE username = 'kept'").Scan(&n); err != nil || n != 1 {
					t.Errorf("%s: the user is gone: %d rows, %v", when, n, err)
				}
			}

			t.Run("failing migration", func(t *testing.T) {
				store.FailMigrationWithin(t, newest)
				err := s.Reload(ctx, newest, opt, func(context.Context, *store.Load) error { return nil })
				if err == nil || !strings.Contains(err.Error(), "failed on purpose") {
					t.Fatalf("reload: %v", err)
				}
				intact("after a failed migration")
			})
			t.Run("failing fill", func(t *testing.T) {
				boom := errors.New("fill failed")
				var sawNewest bool
				err := s.Reload(ctx, newest, opt, func(ctx context.Context, l *store.Load) error {
					for _, tb := range l.Tables() {
						sawNewest = sawNewest || tb.Name == "backup_runs" // added by the newest migration
					}
					return boom
				})
				if !errors.Is(err, boom) || !sawNewest {
					t.Fatalf("reload: %v (saw the newest schema: %v)", err, sawNewest)
				}
				intact("after a failed fill")
			})
			t.Run("success", func(t *testing.T) {
				err := s.Reload(ctx, newest, opt, func(ctx context.Context, l *store.Load) error { return nil })
				if err != nil {
					t.Fatal(err)
				}
				if cur, _, _ := s.SchemaVersion(ctx); cur != newest {
					t.Errorf("schema %d, want %d", cur, newest)
				}
				if n, _ := s.CountUsers(ctx); n != 0 {
					t.Errorf("%d users after an emptying reload", n)
				}
				// The schema reached this way is the one `migrate` makes:
				// nothing is left to apply.
				if n, err := s.MigrateUp(ctx); err != nil || n != 0 {
					t.Errorf("migrate up after reload: %d %v", n, err)
				}
			})
		})
	}
}

// TestReloadMigratesLikeMigrate: the migrations Reload runs inside its
// transaction build the same schema as `migrate up` (tables, columns,
// indexes, triggers, functions, types), and taking it down to 0 inside
// one removes all of it again (the pg_trgm extension aside, which the
// first migration's down leaves installed).
func TestReloadMigratesLikeMigrate(t *testing.T) {
	ctx := context.Background()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			migrated := testutil.OpenStore(t, engine)
			reloaded, err := store.Open(ctx, testutil.Options(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer reloaded.Close()
			_, newest, _ := reloaded.SchemaVersion(ctx)
			noop := func(context.Context, *store.Load) error { return nil }
			if err := reloaded.Reload(ctx, newest, store.ReloadOptions{}, noop); err != nil {
				t.Fatal(err)
			}
			want, got := schemaDump(t, migrated), schemaDump(t, reloaded)
			if len(want) < 20 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("schema after Reload differs from migrate up:\n got  %q\n want %q", got, want)
			}
			if err := reloaded.Reload(ctx, 0, store.ReloadOptions{}, noop); err != nil {
				t.Fatal(err)
			}
			if left := schemaDump(t, reloaded); len(left) != 0 {
				t.Errorf("after reloading to version 0: %q", left)
			}
		})
	}
}

// schemaDump lists the schema objects of s's database (the version table
// aside), one line each, in a stable order.
func schemaDump(t *testing.T, s *store.Store) []string {
	t.Helper()
	q := `SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'goose_db_version%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`
	if s.Engine() == "postgres" {
		q = `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
			  AND column_default NOT LIKE 'nextval%'
		UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'
		UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
		UNION ALL SELECT 'function ' || proname FROM pg_proc p WHERE pronamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
		UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace = current_schema()::regnamespace AND typtype = 'e'
		ORDER BY 1`
	}
	rows, err := s.DB().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		out = append(out, line)
	}
	return out
}
