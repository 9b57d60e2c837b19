package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// A browse reports the words it corrected, and searches them as typed
// when asked to.
func TestBrowseCorrectionsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		if _, err := s.CreateRecipe(ctx, u.ID, input("Roast Chicken", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		b, err := s.BrowseRecipes(ctx, store.ListQuery{Query: "chiken garlic"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []store.Correction{{Term: "chiken", Word: "chicken"}}; !slices.Equal(b.Corrections, want) || b.Total != 1 {
			t.Errorf("corrected: %+v, total %d; want %+v and 1", b.Corrections, b.Total, want)
		}
		if ings := b.Ingredients[b.Items[0].ID]; !slices.Equal(ings, []string{"flour", "garlic", "salt"}) {
			t.Errorf("ingredient names %q", ings)
		}
		b, err = s.BrowseRecipes(ctx, store.ListQuery{Query: "chiken", Exact: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Corrections) != 0 || b.Total != 0 || len(b.Items) != 0 {
			t.Errorf("exact: %+v, total %d, %q; want nothing", b.Corrections, b.Total, titles(b.Page))
		}
		// A word only a private recipe has is never named as a correction:
		// that would reveal it.
		if _, err := s.CreateRecipe(ctx, u.ID, input("Quince dumplings", recipe.Private)); err != nil {
			t.Fatal(err)
		}
		b, err = s.BrowseRecipes(ctx, store.ListQuery{Query: "dumplinks"})
		if err != nil || len(b.Corrections) != 0 || b.Total != 0 {
			t.Errorf("a private word: corrections %+v, total %d (%v); want none", b.Corrections, b.Total, err)
		}
		p, err := s.ListRecipes(ctx, store.ListQuery{Query: "chicken"})
		if err != nil || len(p.Corrections) != 0 || len(p.Items) != 1 {
			t.Errorf("a known word is not corrected: %+v (%v)", p.Corrections, err)
		}
	})
}

// Counts and facets cover the same recipes as the list, a private recipe
// only for its author, and stop at the count cap.
func TestBrowseCountsAndFacetsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		add := func(u *auth.User, title string, vis recipe.Visibility, minutes int, d recipe.Difficulty, tags ...string) {
			in := input(title, vis, tags...)
			in.PrepMinutes, in.CookMinutes, in.Difficulty = ptr(minutes), nil, d
			if _, err := s.CreateRecipe(ctx, u.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		add(alice, "Chicken Soup", recipe.Public, 45, recipe.Easy, "soup", "weeknight")
		add(alice, "Chicken Curry", recipe.Public, 25, recipe.Medium, "weeknight")
		add(bob, "Chicken Pie", recipe.Public, 90, recipe.Hard, "pie")
		add(bob, "Secret Chicken", recipe.Private, 20, recipe.Easy, "secret", "weeknight")
		add(bob, "Lemon Tart", recipe.Public, 60, recipe.Easy, "dessert")

		browse := func(lq store.ListQuery) *store.Browse {
			t.Helper()
			b, err := s.BrowseRecipes(ctx, lq)
			if err != nil {
				t.Fatalf("browse %+v: %v", lq, err)
			}
			return b
		}
		f := func(v ...any) []store.Facet {
			out := []store.Facet{}
			for i := 0; i < len(v); i += 2 {
				out = append(out, store.Facet{Value: v[i].(string), Count: v[i+1].(int)})
			}
			return out
		}
		check := func(name string, got, want []store.Facet) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %+v, want %+v", name, got, want)
			}
		}

		// Alice (and anyone but bob) never counts bob's private recipe.
		for who, viewer := range map[string]string{"anonymous": "", "alice": alice.ID} {
			b := browse(store.ListQuery{ViewerID: viewer, Query: "chicken"})
			if b.Total != 3 || b.More || len(b.Items) != 3 {
				t.Errorf("%s: total %d more %v items %q, want 3", who, b.Total, b.More, titles(b.Page))
			}
			check(who+" tags", b.Facets.Tags, f("weeknight", 2, "pie", 1, "soup", 1))
			check(who+" categories", b.Facets.Categories, f("dinner", 3))
			check(who+" difficulty", b.Facets.Difficulty, f("easy", 1, "medium", 1, "hard", 1))
			check(who+" time", b.Facets.Time, f("upto30", 1, "30to60", 1, "over60", 1))
		}
		b := browse(store.ListQuery{ViewerID: bob.ID, Query: "chicken"})
		if b.Total != 4 {
			t.Errorf("bob counts %d, want 4 with his private recipe", b.Total)
		}
		check("bob tags", b.Facets.Tags, f("weeknight", 3, "pie", 1, "secret", 1, "soup", 1))
		check("bob difficulty", b.Facets.Difficulty, f("easy", 2, "medium", 1, "hard", 1))
		check("bob time", b.Facets.Time, f("upto30", 2, "30to60", 1, "over60", 1))

		// Filters narrow the count and the facets alike.
		b = browse(store.ListQuery{Query: "chicken", Tag: "weeknight", Time: "upto30"})
		if b.Total != 1 || titles(b.Page)[0] != "Chicken Curry" {
			t.Errorf("tag and time: %d %q", b.Total, titles(b.Page))
		}
		check("narrowed tags", b.Facets.Tags, f("weeknight", 1))
		b = browse(store.ListQuery{Tag: "no-such-tag"})
		if b.Total != 0 || len(b.Items) != 0 || len(b.Facets.Tags) != 0 {
			t.Errorf("unknown tag: %+v", b)
		}
		b = browse(store.ListQuery{})
		if b.Total != 4 || b.Ingredients != nil {
			t.Errorf("plain browse counts %d (want 4) and loads ingredients %v (want none)", b.Total, b.Ingredients)
		}
		if _, err := s.BrowseRecipes(ctx, store.ListQuery{Time: "forever"}); err == nil {
			t.Error("unknown time bucket accepted")
		}

		store.SetCountCap(s, 2)
		b = browse(store.ListQuery{Query: "chicken"})
		if b.Total != 2 || !b.More {
			t.Errorf("over the cap: total %d more %v, want 2 and more", b.Total, b.More)
		}
		if n := b.Facets.Categories[0].Count; n != 2 {
			t.Errorf("over the cap the facets count %d recipes, want the cap's 2", n)
		}
	})
}

// Over the cap, a browse without a search counts the newest recipes the
// viewer may see, the same ones on every visit: public and their own.
func TestBrowseCountsTheNewestOverTheCapContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		mk := func(u *auth.User, title string, v recipe.Visibility, d recipe.Difficulty) {
			in := input(title, v)
			in.Difficulty = d
			if _, err := s.CreateRecipe(ctx, u.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 6 {
			mk(bob, "Old "+string(rune('A'+i)), recipe.Public, recipe.Hard)
		}
		mk(bob, "New one", recipe.Public, recipe.Easy)
		mk(alice, "Alice's secret", recipe.Private, recipe.Medium)
		mk(bob, "New two", recipe.Public, recipe.Easy)
		store.SetCountCap(s, 2)
		for _, tc := range []struct {
			name   string
			viewer string
			want   []store.Facet
		}{
			{"visitor", "", []store.Facet{{Value: "easy", Count: 2}}},
			{"another cook", bob.ID, []store.Facet{{Value: "easy", Count: 2}}},
			{"the author of a private one", alice.ID, []store.Facet{{Value: "easy", Count: 1}, {Value: "medium", Count: 1}}},
		} {
			for range 3 {
				b, err := s.BrowseRecipes(ctx, store.ListQuery{ViewerID: tc.viewer})
				if err != nil {
					t.Fatal(err)
				}
				if !b.More || b.Total != 2 || !slices.Equal(b.Facets.Difficulty, tc.want) {
					t.Fatalf("%s: total %d more %v difficulty %+v; want 2, more, %+v", tc.name, b.Total, b.More, b.Facets.Difficulty, tc.want)
				}
			}
		}
	})
}

// A search's facets count at most SearchSample of its matches, and say
// how many; a browse without a search counts up to the count's cap.
func TestBrowseSearchSampleContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		n := store.SearchSample + 5
		batch := make([]store.NewRecipe, n)
		for i := range batch {
			batch[i] = store.NewRecipe{AuthorID: u.ID, Input: input(fmt.Sprintf("Stew %d", i), recipe.Public)}
		}
		if _, err := s.CreateRecipes(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			query   string
			sampled int
		}{{"stew", store.SearchSample}, {"", n}} {
			b, err := s.BrowseRecipes(ctx, store.ListQuery{Query: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			want := []store.Facet{{Value: "easy", Count: tc.sampled}}
			if b.Total != n || b.More || b.Sampled != tc.sampled || !slices.Equal(b.Facets.Difficulty, want) {
				t.Errorf("%q: total %d more %v sampled %d difficulty %+v; want %d, no more, %d sampled, %+v",
					tc.query, b.Total, b.More, b.Sampled, b.Facets.Difficulty, n, tc.sampled, want)
			}
		}
	})
}
