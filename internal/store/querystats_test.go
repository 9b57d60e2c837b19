package store_test

import (
	"context"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// Every statement is counted once, with its time, on both engines: the
// benchmark divides these totals by the requests it sent.
func TestQueryStatsCountStatements(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Ping(ctx); err != nil { // warm a connection up
			t.Fatal(err)
		}
		before := s.QueryStats()
		for range 3 {
			if err := s.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		}
		after := s.QueryStats()
		if got := after.Queries - before.Queries; got != 3 {
			t.Errorf("3 pings counted as %d statements", got)
		}
		if after.Time <= before.Time {
			t.Errorf("query time did not grow: %v then %v", before.Time, after.Time)
		}

		// A read that returns rows is counted too (when its rows close).
		u := mkUser(t, s, "counted")
		r, err := s.CreateRecipe(ctx, u.ID, input("Counted Soup", recipe.Public))
		if err != nil {
			t.Fatal(err)
		}
		before = s.QueryStats()
		if _, err := s.Recipe(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if got := s.QueryStats().Queries - before.Queries; got < 1 {
			t.Errorf("loading a recipe counted %d statements", got)
		}
	})
}
