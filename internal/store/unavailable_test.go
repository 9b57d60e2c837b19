package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Each case is a real error from a real engine, not a hand-made value, so
// the test breaks if a driver changes how it reports an outage.

func TestUnavailableSQLiteBusy(t *testing.T) {
	// busy_timeout(0): the second writer gives up at once, as a store's
	// writer does once its busy_timeout has run out.
	path := filepath.Join(t.TempDir(), "busy.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	holder, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(ctx, "ROLLBACK") //nolint:errcheck
	waiter, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close()
	_, busy := waiter.ExecContext(ctx, "BEGIN IMMEDIATE")
	if busy == nil {
		t.Fatal("a second writer was let in while the first held the lock")
	}
	if !store.IsUnavailable(fmt.Errorf("save: %w", busy)) {
		t.Errorf("IsUnavailable(%v) = false, want true for SQLITE_BUSY", busy)
	}
	_, syntax := waiter.ExecContext(ctx, "SELEC 1")
	if syntax == nil || store.IsUnavailable(syntax) {
		t.Errorf("IsUnavailable(%v) = true for a syntax error", syntax)
	}
}

func TestUnavailablePostgresRefused(t *testing.T) {
	_, err := store.Open(context.Background(), store.Options{DatabaseURL: testutil.DeadPostgresURL(t)})
	if err == nil {
		t.Fatal("opened a database nobody listens for")
	}
	if !store.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false, want true for a refused connection", err)
	}
}

// A backend ended under a connection (what a fast shutdown or a restart
// does) reports SQLSTATE 57P01 or a broken connection on its next use.
func TestUnavailablePostgresTerminated(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", testutil.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	victim, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close()
	var pid int
	if err := victim.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	var one int
	err = victim.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	if err == nil {
		t.Fatal("a terminated backend still answered")
	}
	if !store.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false, want true for a terminated backend", err)
	}
	_, syntax := db.ExecContext(ctx, "SELEC 1")
	if syntax == nil || store.IsUnavailable(syntax) {
		t.Errorf("IsUnavailable(%v) = true for a syntax error", syntax)
	}
}

func TestNotUnavailable(t *testing.T) {
	for _, err := range []error{nil, store.ErrNotFound, &store.ConflictError{Field: "username"},
		context.Canceled, fmt.Errorf("load: %w", context.DeadlineExceeded), errors.New("something else")} {
		if store.IsUnavailable(err) {
			t.Errorf("IsUnavailable(%v) = true", err)
		}
	}
	if !store.IsUnavailable(fmt.Errorf("begin: %w", store.ErrUnavailable)) {
		t.Error("IsUnavailable(wrapped ErrUnavailable) = false")
	}
}

// A server that accepts connections and never answers is an outage too,
// and must be reported as one within the connect timeout rather than hold
// the request until the operating system gives up.
func TestUnavailablePostgresSilent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var held []net.Conn
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, err := store.Open(context.Background(), store.Options{
			DatabaseURL: "postgres://postgres@" + ln.Addr().String() + "/silent?sslmode=disable"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("opened a database that never answered")
		}
		if !store.IsUnavailable(err) {
			t.Errorf("IsUnavailable(%v) = false, want true for a silent server", err)
		}
	case <-time.After(12 * store.ConnectTimeout):
		t.Fatal("connecting to a silent server did not give up")
	}
}
