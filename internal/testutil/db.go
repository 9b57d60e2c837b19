// Package testutil gives tests real databases: a fresh SQLite file or a
// fresh PostgreSQL database per test, dropped when the test ends.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/reccollection/reccollection/internal/store"
)

// defaultAdminURL is the machine's local PostgreSQL with trust auth.
const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	pgOnce   sync.Once
	pgAdmin  *sql.DB
	pgReason string
)

func adminURL() string {
	if u := os.Getenv("RECC_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return defaultAdminURL
}

// admin returns a connection to the server that can create databases, or
// skips (fails when RECC_TEST_REQUIRE_POSTGRES=1) when there is none.
func admin(t testing.TB) *sql.DB {
	t.Helper()
	pgOnce.Do(func() {
		db, err := sql.Open("pgx", adminURL())
		if err != nil {
			pgReason = err.Error()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			pgReason = err.Error()
			db.Close()
			return
		}
		pgAdmin = db
	})
	if pgAdmin == nil {
		if os.Getenv("RECC_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (RECC_TEST_REQUIRE_POSTGRES=1) but unreachable at RECC_TEST_DATABASE_URL: %s", pgReason)
		}
		t.Skipf("PostgreSQL unreachable, skipping (set RECC_TEST_DATABASE_URL): %s", pgReason)
	}
	return pgAdmin
}

// PostgresURL creates an empty database for this test and returns its URL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	db := admin(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "recc_test_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		t.Fatalf("parse RECC_TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// SQLitePath returns a database file path in the test's temp dir.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "reccollection.db")
}

// Engines lists the engines a contract test runs on.
var Engines = []string{"sqlite", "postgres"}

// OpenStore opens and migrates a fresh store on the given engine.
func OpenStore(t testing.TB, engine string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), Options(t, engine))
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.MigrateUp(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return s
}

// Options returns store options for a fresh database on engine.
func Options(t testing.TB, engine string) store.Options {
	t.Helper()
	if engine == "postgres" {
		return store.Options{DatabaseURL: PostgresURL(t)}
	}
	return store.Options{SQLitePath: SQLitePath(t)}
}
