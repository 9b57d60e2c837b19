package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// replicaWorld is a primary and a replica whose content differs, so each
// answer shows where it came from: "Primary pumpkin soup" exists only on
// the primary; "Replica tomato soup" and "Replica lentil soup" only on the
// replica (like rows the primary has deleted and the replica has not
// replayed yet).
type replicaWorld struct {
	testutil.ReplicaPair
	cook                     *auth.User
	primaryOnly, replicaOnly string // recipe ids
}

func newReplicaWorld(t *testing.T) replicaWorld {
	t.Helper()
	ctx := context.Background()
	var w replicaWorld
	w.ReplicaPair = testutil.NewReplicaPair(t, func(primary, replica *store.Store) {
		w.cook = mkUser(t, primary, "cook")
		testutil.MirrorUser(t, replica, w.cook)
		r, err := primary.CreateRecipe(ctx, w.cook.ID, input("Primary pumpkin soup", recipe.Public))
		if err != nil {
			t.Fatal(err)
		}
		w.primaryOnly = r.ID
		for _, title := range []string{"Replica lentil soup", "Replica tomato soup"} {
			if r, err = replica.CreateRecipe(ctx, w.cook.ID, input(title, recipe.Public)); err != nil {
				t.Fatal(err)
			}
		}
		w.replicaOnly = r.ID
	})
	return w
}

func openWithReplicas(t *testing.T, primaryURL string, replicas ...string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{DatabaseURL: primaryURL, ReplicaURLs: replicas})
	if err != nil {
		t.Fatalf("open with replicas: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func listTitles(t *testing.T, ctx context.Context, s *store.Store, lq store.ListQuery) []string {
	t.Helper()
	p, err := s.ListRecipes(ctx, lq)
	if err != nil {
		t.Fatalf("list %+v: %v", lq, err)
	}
	return titles(p)
}

var (
	primaryTitles = []string{"Primary pumpkin soup"}
	replicaTitles = []string{"Replica tomato soup", "Replica lentil soup"}
)

func TestReplicaServesLagTolerantReads(t *testing.T) {
	w := newReplicaWorld(t)
	s := openWithReplicas(t, w.PrimaryURL, w.ReplicaURL)
	ctx := context.Background()

	if got := listTitles(t, ctx, s, store.ListQuery{}); !slices.Equal(got, replicaTitles) {
		t.Errorf("list = %q, want the replica's %q", got, replicaTitles)
	}
	if got := listTitles(t, ctx, s, store.ListQuery{Query: "soup", Sort: store.SortTitle}); !slices.Equal(got, []string{"Replica lentil soup", "Replica tomato soup"}) {
		t.Errorf("search = %q, want the replica's recipes", got)
	}
	if n, err := s.CountVisibleRecipes(ctx, w.cook.ID, ""); err != nil || n != 2 {
		t.Errorf("count = %d, %v; want the replica's 2", n, err)
	}
	if r, err := s.Recipe(ctx, w.replicaOnly); err != nil || r.Title != "Replica tomato soup" {
		t.Errorf("recipe only on the replica: %v, %v; want the replica's answer", r, err)
	}
	// Missing on the replica: the primary has the last word.
	if r, err := s.Recipe(ctx, w.primaryOnly); err != nil || r.Title != "Primary pumpkin soup" {
		t.Errorf("recipe only on the primary: %v, %v; want it found on the primary", r, err)
	}
	if _, err := s.Recipe(ctx, "01890000-0000-7000-8000-000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("recipe on neither: %v, want ErrNotFound", err)
	}
	// The store's own verdicts are answers, not replica failures.
	if _, err := s.ListRecipes(ctx, store.ListQuery{Cursor: "not-a-cursor"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	if rs := s.Replicas(); len(rs) != 1 || rs[0].Name != "replica-1" || !rs[0].Up || rs[0].Failed+rs[0].Skipped != 0 {
		t.Errorf("replica status = %+v, want one healthy replica-1 without fallbacks", rs)
	}
}

func TestWithPrimaryReadsThePrimary(t *testing.T) {
	w := newReplicaWorld(t)
	s := openWithReplicas(t, w.PrimaryURL, w.ReplicaURL)
	ctx := store.WithPrimary(context.Background())

	if got := listTitles(t, ctx, s, store.ListQuery{}); !slices.Equal(got, primaryTitles) {
		t.Errorf("list = %q, want the primary's %q", got, primaryTitles)
	}
	if got := listTitles(t, ctx, s, store.ListQuery{Query: "soup"}); !slices.Equal(got, primaryTitles) {
		t.Errorf("search = %q, want the primary's", got)
	}
	if n, err := s.CountVisibleRecipes(ctx, w.cook.ID, ""); err != nil || n != 1 {
		t.Errorf("count = %d, %v; want the primary's 1", n, err)
	}
	if _, err := s.Recipe(ctx, w.replicaOnly); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("recipe only on the replica: %v, want ErrNotFound from the primary", err)
	}
}

// TestWritesAndAuthGoToThePrimary: the replica database is read-only, so
// any write routed to it would fail; sessions written on the primary are
// found, which they would not be on the replica.
func TestWritesAndAuthGoToThePrimary(t *testing.T) {
	w := newReplicaWorld(t)
	s := openWithReplicas(t, w.PrimaryURL, w.ReplicaURL)
	ctx := context.Background()

	created, err := s.CreateRecipe(ctx, w.cook.ID, input("Fresh bread", recipe.Public))
	if err != nil {
		t.Fatalf("create with a read-only replica: %v", err)
	}
	if created.Title != "Fresh bread" {
		t.Errorf("created = %q", created.Title)
	}
	// Read after write by id: not on the replica, found on the primary.
	if r, err := s.Recipe(ctx, created.ID); err != nil || r.Title != "Fresh bread" {
		t.Errorf("read after write: %v, %v", r, err)
	}
	in := input("Fresh bread, second bake", recipe.Public)
	if r, err := s.ReplaceRecipe(ctx, created.ID, in); err != nil || r.Title != in.Title {
		t.Errorf("replace: %v, %v", r, err)
	}
	// Lists stay on the replica, which has not seen the write.
	if got := listTitles(t, ctx, s, store.ListQuery{}); !slices.Equal(got, replicaTitles) {
		t.Errorf("list = %q, want the replica's", got)
	}
	if got := listTitles(t, store.WithPrimary(ctx), s, store.ListQuery{}); !slices.Equal(got, []string{"Fresh bread, second bake", "Primary pumpkin soup"}) {
		t.Errorf("list on the primary = %q", got)
	}

	sess := auth.Session{ID: "hash-of-a-session", UserID: w.cook.ID, CreatedAt: time.Now(), LastSeenAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatalf("create session: %v", err)
	}
	if _, u, err := s.UserBySession(ctx, sess.ID); err != nil || u.ID != w.cook.ID {
		t.Errorf("session lookup: %v, %v", u, err)
	}
	if err := s.DeleteRecipe(ctx, w.primaryOnly); err != nil {
		t.Errorf("delete: %v", err)
	}
}

// TestDeadReplicaFallsBackToPrimary: a replica nobody answers for costs no
// request; it is skipped for a cool-down, then tried again.
func TestDeadReplicaFallsBackToPrimary(t *testing.T) {
	w := newReplicaWorld(t)
	s := openWithReplicas(t, w.PrimaryURL, testutil.DeadPostgresURL(t))
	now := time.Now()
	store.SetReplicaClock(s, func() time.Time { return now })
	ctx := context.Background()

	for i := range 2 {
		if got := listTitles(t, ctx, s, store.ListQuery{}); !slices.Equal(got, primaryTitles) {
			t.Fatalf("list %d = %q, want the primary's", i, got)
		}
	}
	if r, err := s.Recipe(ctx, w.primaryOnly); err != nil || r.Title != "Primary pumpkin soup" {
		t.Errorf("recipe: %v, %v", r, err)
	}
	rs := s.Replicas()
	if len(rs) != 1 || rs[0].Up || rs[0].Failed != 1 || rs[0].Skipped != 2 {
		t.Fatalf("status = %+v, want down after 1 failed read and 2 skipped", rs)
	}

	now = now.Add(time.Minute)
	if n, err := s.CountVisibleRecipes(ctx, w.cook.ID, ""); err != nil || n != 1 {
		t.Errorf("count = %d, %v; want the primary's 1", n, err)
	}
	if rs := s.Replicas(); rs[0].Failed != 2 || rs[0].Skipped != 2 {
		t.Errorf("after the cool-down the replica should be tried again: %+v", rs)
	}
}

func TestReplicasTakeTurns(t *testing.T) {
	w := newReplicaWorld(t)
	other := testutil.NewReplicaPair(t, func(_, replica *store.Store) {
		testutil.MirrorUser(t, replica, w.cook)
		if _, err := replica.CreateRecipe(context.Background(), w.cook.ID, input("Second replica stew", recipe.Public)); err != nil {
			t.Fatal(err)
		}
	})
	s := openWithReplicas(t, w.PrimaryURL, w.ReplicaURL, other.ReplicaURL)
	seen := map[string]bool{}
	for range 4 {
		seen[listTitles(t, context.Background(), s, store.ListQuery{})[0]] = true
	}
	if !seen["Replica tomato soup"] || !seen["Second replica stew"] || len(seen) != 2 {
		t.Errorf("answers came from %v, want both replicas and never the primary", seen)
	}
}

func TestNoReplicasReadsThePrimary(t *testing.T) {
	w := newReplicaWorld(t)
	s := openWithReplicas(t, w.PrimaryURL)
	if got := listTitles(t, context.Background(), s, store.ListQuery{}); !slices.Equal(got, primaryTitles) {
		t.Errorf("list = %q, want the primary's", got)
	}
	if rs := s.Replicas(); rs != nil {
		t.Errorf("replicas = %+v, want none", rs)
	}
}

func TestReplicasNeedPostgres(t *testing.T) {
	_, err := store.Open(context.Background(), store.Options{SQLitePath: testutil.SQLitePath(t), ReplicaURLs: []string{"postgres://r1/recc"}})
	if err == nil {
		t.Fatal("SQLite with replicas opened, want an error")
	}
}
