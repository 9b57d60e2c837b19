package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// A search is held to recipe.ParseSearch's limits inside the store too, so
// a caller that skipped the check cannot send the index unbounded work.
func TestSearchLimitsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		for _, title := range []string{"Ox Cheek Stew", "Steamed Buns", "Apple Pie"} {
			if _, err := s.CreateRecipe(ctx, u.ID, input(title, recipe.Public)); err != nil {
				t.Fatal(err)
			}
		}
		all, err := s.ListRecipes(ctx, store.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}

		// Twenty-six one-letter words search for nothing: the page is the
		// plain list, not an AND of 26 prefix scans.
		letters := strings.Join(strings.Split("abcdefghijklmnopqrstuvwxyz", ""), " ")
		p, err := s.ListRecipes(ctx, store.ListQuery{Query: letters})
		if err != nil {
			t.Fatalf("26 letters: %v", err)
		}
		if !slices.Equal(titles(p), titles(all)) {
			t.Errorf("26 letters: %q, want the plain list %q", titles(p), titles(all))
		}

		// Two-letter words match whole words only: "st" is not a prefix
		// search for stew and steamed.
		p, err = s.ListRecipes(ctx, store.ListQuery{Query: "st"})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(p); len(got) != 0 {
			t.Errorf(`"st" matched %q`, got)
		}
		p, err = s.ListRecipes(ctx, store.ListQuery{Query: "ox"})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(p); !slices.Equal(got, []string{"Ox Cheek Stew"}) {
			t.Errorf(`"ox" matched %q`, got)
		}

		for name, q := range map[string]string{
			"too many words": "one two three four five six seven eight nine ten eleven",
			"too long":       strings.Repeat("stew ", 41),
			"long word":      strings.Repeat("x", recipe.MaxSearchTerm+1),
		} {
			_, err := s.ListRecipes(ctx, store.ListQuery{Query: q})
			var ve *validate.Error
			if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != "q" {
				t.Errorf("%s: error %v, want a validation error for q", name, err)
			}
		}
	})
}

// Typo widening is bounded per search: with more misspelt words than
// maxCorrections, the ones past it are not corrected.
func TestSearchCorrectionsBoundedContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		if _, err := s.CreateRecipe(ctx, u.ID, input("Chicken with garlic lemon butter and thyme", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		search := func(q string) []string {
			t.Helper()
			p, err := s.ListRecipes(ctx, store.ListQuery{Query: q})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			return titles(p)
		}
		if got := search("chiken garlik lemonn"); len(got) != 1 {
			t.Errorf("three typos: %q, want the recipe", got)
		}
		if got := search("chiken garlik lemonn buttr thymee"); len(got) != 0 {
			t.Errorf("five typos: %q, want nothing (only three are corrected)", got)
		}
	})
}

// A search that outlives its budget is stopped and reported as
// ErrSearchTimeout, on the database's side too, and the store goes on
// answering.
func TestSearchBudgetContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		if _, err := s.CreateRecipe(ctx, u.ID, input("Slow Stew", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		marker := "search-budget-" + strings.ReplaceAll(t.Name(), "/", "-")
		slow := "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c /* " + marker + " */"
		if s.Engine() == "postgres" {
			slow = "SELECT pg_sleep(60) /* " + marker + " */"
		}
		store.SetSearchBudget(s, 200*time.Millisecond, slow)

		done := make(chan error, 1)
		go func() {
			_, err := s.ListRecipes(ctx, store.ListQuery{Query: "stew"})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, store.ErrSearchTimeout) {
				t.Fatalf("slow search: %v, want ErrSearchTimeout", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the slow search was not stopped")
		}
		// A plain list does not search, so it has no budget to run out of.
		if _, err := s.ListRecipes(ctx, store.ListQuery{}); err != nil {
			t.Errorf("plain list with a slow search prelude: %v", err)
		}

		if s.Engine() == "postgres" {
			// The server stopped too: no backend is still sleeping.
			var running int
			for range 50 {
				err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
					"%"+marker+"%").Scan(&running)
				if err != nil {
					t.Fatal(err)
				}
				if running == 0 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if running != 0 {
				t.Errorf("%d backends still run the stopped search", running)
			}
		}

		store.SetSearchBudget(s, time.Second, "")
		p, err := s.ListRecipes(ctx, store.ListQuery{Query: "stew"})
		if err != nil || !slices.Equal(titles(p), []string{"Slow Stew"}) {
			t.Errorf("search after a timeout: %v %v", p, err)
		}
	})
}

// A caller that gives up is not told the search ran out of time: that
// answer is for searches the server stopped.
func TestSearchCancelledByCallerContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.ListRecipes(ctx, store.ListQuery{Query: "stew"})
		if err == nil || errors.Is(err, store.ErrSearchTimeout) {
			t.Errorf("cancelled caller: %v, want a cancellation error that is not ErrSearchTimeout", err)
		}
	})
}
