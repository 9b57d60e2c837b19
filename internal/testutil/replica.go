package testutil

import (
	"context"
	"net"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// ReplicaPair is a PostgreSQL primary and a second database standing in for
// its read replica. Real replication would make the two identical; here
// their content is seeded apart on purpose, so that a test can tell from
// an answer which database gave it.
type ReplicaPair struct {
	PrimaryURL, ReplicaURL string
}

// NewReplicaPair creates and migrates both databases, lets seed write
// into each (through stores that are closed afterwards), then makes the
// replica read-only, as a hot standby is: a write routed to it by mistake
// fails instead of passing unnoticed.
func NewReplicaPair(t testing.TB, seed func(primary, replica *store.Store)) ReplicaPair {
	t.Helper()
	p := ReplicaPair{PrimaryURL: PostgresURL(t), ReplicaURL: PostgresURL(t)}
	ctx := context.Background()
	open := func(u string) *store.Store {
		s, err := store.Open(ctx, store.Options{DatabaseURL: u})
		if err != nil {
			t.Fatalf("open database: %v", err)
		}
		if _, err := s.MigrateUp(ctx); err != nil {
			s.Close()
			t.Fatalf("migrate: %v", err)
		}
		return s
	}
	primary, replica := open(p.PrimaryURL), open(p.ReplicaURL)
	defer primary.Close()
	defer replica.Close()
	if seed != nil {
		seed(primary, replica)
	}
	// The setting applies to sessions opened from now on; the seeding
	// store's own are closed with it.
	if _, err := replica.DB().ExecContext(ctx, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$"); err != nil {
		t.Fatalf("make the replica read-only: %v", err)
	}
	return p
}

// MirrorUser copies user u of the primary into the replica database with
// the same id, as replication would, so that rows seeded there can refer
// to it.
func MirrorUser(t testing.TB, replica *store.Store, u *auth.User) {
	t.Helper()
	ctx := context.Background()
	c := *u
	if err := replica.CreateUser(ctx, &c); err != nil {
		t.Fatalf("mirror user %s: %v", u.Username, err)
	}
	if _, err := replica.DB().ExecContext(ctx, "UPDATE users SET id = $1 WHERE id = $2", u.ID, c.ID); err != nil {
		t.Fatalf("mirror user %s: %v", u.Username, err)
	}
}

// DeadPostgresURL is a PostgreSQL URL on a local port nobody listens on:
// connections are refused at once, like a replica that is down.
func DeadPostgresURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "postgres://postgres@" + addr + "/gone?sslmode=disable"
}
