package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// Pruning leaves the typo vocabulary with the words of public recipes
// only: a deleted recipe's words and a private recipe's go, a missing
// public word comes back, and corrections work as before.
func TestPruneSearchTermsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		mk := func(title string, v recipe.Visibility) string {
			r, err := s.CreateRecipe(ctx, u.ID, input(title, v))
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		mk("Saffron Risotto", recipe.Public)
		mk("Quince Dumplings", recipe.Private)
		walnut := mk("Walnut Bread", recipe.Public)
		if err := s.DeleteRecipe(ctx, walnut); err != nil {
			t.Fatal(err)
		}
		terms := func() []string {
			rows, err := s.DB().QueryContext(ctx, "SELECT term FROM search_terms ORDER BY term")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var w string
				if err := rows.Scan(&w); err != nil {
					t.Fatal(err)
				}
				out = append(out, w)
			}
			return out
		}
		before := terms()
		for _, w := range []string{"quince", "walnut", "saffron"} {
			if !slices.Contains(before, w) {
				t.Fatalf("before pruning the vocabulary lacks %q: %q", w, before)
			}
		}
		// A public word lost (say, by a write racing an earlier prune)
		// comes back.
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM search_terms WHERE term = 'risotto'"); err != nil {
			t.Fatal(err)
		}

		rep, err := s.PruneSearchTerms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		after := terms()
		for _, w := range []string{"quince", "dumplings", "walnut", "bread"} {
			if slices.Contains(after, w) {
				t.Errorf("after pruning the vocabulary still has %q", w)
			}
		}
		for _, w := range []string{"saffron", "risotto"} {
			if !slices.Contains(after, w) {
				t.Errorf("after pruning the vocabulary lacks %q: %q", w, after)
			}
		}
		if rep.Words != len(after) || rep.Added != 1 || rep.Removed != len(before)-1-len(after)+1 {
			t.Errorf("report %+v; vocabulary %d words before (one removed by hand), %d after", rep, len(before), len(after))
		}
		p, err := s.ListRecipes(ctx, store.ListQuery{Query: "safron"})
		if err != nil || len(p.Items) != 1 || len(p.Corrections) != 1 {
			t.Errorf("a typo after pruning: %d found, corrections %+v (%v)", len(p.Items), p.Corrections, err)
		}
		// Nothing left to do the second time.
		if rep, err := s.PruneSearchTerms(ctx); err != nil || rep.Removed != 0 || rep.Added != 0 {
			t.Errorf("second prune: %+v %v", rep, err)
		}
	})
}
