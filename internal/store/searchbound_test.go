package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// A ranked search ranks only its newest matches (the ranked bound): under
// the bound the recipe named after the search word comes first; past it a
// strong but older match leaves the relevance order while the newest sort
// still finds it, pages split the candidates without repeating one, the
// count still covers every match, and a viewer's own private recipe is a
// candidate for them alone.
func TestSearchRanksNewestMatchesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		add := func(u *auth.User, title, desc string, vis recipe.Visibility) {
			in := input(title, vis)
			in.Description = desc
			if _, err := s.CreateRecipe(ctx, u.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		// Oldest first: the strongest match is the oldest.
		add(alice, "Chicken", "Just chicken.", recipe.Public)
		add(alice, "Lemon Pie", "Serve it after the chicken.", recipe.Public)
		add(alice, "Pea Soup", "Good with chicken stock.", recipe.Public)
		add(alice, "Rice Bowl", "Top it with chicken.", recipe.Public)
		add(bob, "Secret Chicken", "Bob's own.", recipe.Private)

		list := func(lq store.ListQuery) *store.Page {
			t.Helper()
			p, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatalf("list %+v: %v", lq, err)
			}
			return p
		}
		sorted := func(p *store.Page) []string {
			got := titles(p)
			slices.Sort(got)
			return got
		}

		if got := titles(list(store.ListQuery{Query: "chicken"})); len(got) != 4 || got[0] != "Chicken" {
			t.Errorf("under the bound: %q, want the four public matches, Chicken first", got)
		}

		store.SetRankedCap(s, 3)
		if got := sorted(list(store.ListQuery{Query: "chicken"})); !slices.Equal(got, []string{"Lemon Pie", "Pea Soup", "Rice Bowl"}) {
			t.Errorf("anonymous past the bound: %q, want the three newest public matches", got)
		}
		if got := titles(list(store.ListQuery{Query: "chicken", Sort: store.SortNewest})); !slices.Equal(got, []string{"Rice Bowl", "Pea Soup", "Lemon Pie", "Chicken"}) {
			t.Errorf("newest sort: %q, want every public match", got)
		}
		got := titles(list(store.ListQuery{Query: "chicken", ViewerID: bob.ID}))
		if len(got) != 3 || got[0] != "Secret Chicken" || slices.Contains(got, "Lemon Pie") {
			t.Errorf("bob past the bound: %q, want his own Secret Chicken first among the three newest he may see", got)
		}
		if got := sorted(list(store.ListQuery{Query: "chicken", ViewerID: alice.ID})); !slices.Equal(got, []string{"Lemon Pie", "Pea Soup", "Rice Bowl"}) {
			t.Errorf("alice past the bound: %q, want bob's private recipe left out", got)
		}

		b, err := s.BrowseRecipes(ctx, store.ListQuery{Query: "chicken"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Total != 4 || len(b.Items) != 3 {
			t.Errorf("browse past the bound: total %d, %q; want 4 matches counted and 3 ranked", b.Total, titles(b.Page))
		}

		first := list(store.ListQuery{Query: "chicken", Limit: 2})
		if len(first.Items) != 2 || first.NextCursor == "" {
			t.Fatalf("first page: %q, cursor %q", titles(first), first.NextCursor)
		}
		second := list(store.ListQuery{Query: "chicken", Limit: 2, Cursor: first.NextCursor})
		all := append(titles(first), titles(second)...)
		slices.Sort(all)
		if !slices.Equal(all, []string{"Lemon Pie", "Pea Soup", "Rice Bowl"}) || second.NextCursor != "" {
			t.Errorf("two pages: %q (next %q), want the three candidates once each and no third page", all, second.NextCursor)
		}
	})
}

// A misspelt word is corrected to the nearest word a public recipe has: a
// nearer word only a private recipe has is passed over, never named nor
// searched for.
func TestCorrectionsUsePublicWordsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		for _, r := range []struct {
			title string
			vis   recipe.Visibility
		}{{"Zarbok stew", recipe.Private}, {"Zarbuk pie", recipe.Public}} {
			if _, err := s.CreateRecipe(ctx, u.ID, input(r.title, r.vis)); err != nil {
				t.Fatal(err)
			}
		}
		// "zarbak" is one edit from both words; "zarbok" comes first in
		// either engine's order, and only a private recipe has it.
		for _, viewer := range []string{"", u.ID} {
			p, err := s.ListRecipes(ctx, store.ListQuery{Query: "zarbak", ViewerID: viewer})
			if err != nil {
				t.Fatal(err)
			}
			want := []store.Correction{{Term: "zarbak", Word: "zarbuk"}}
			if !slices.Equal(p.Corrections, want) || !slices.Equal(titles(p), []string{"Zarbuk pie"}) {
				t.Errorf("viewer %q: corrections %+v, %q; want %+v and the public pie", viewer, p.Corrections, titles(p), want)
			}
		}
	})
}

// Past the ranked bound the ranked set is the newest matches whether a
// word is common among the newest recipes or only in older ones: on
// PostgreSQL the first is read from the search window of the newest
// recipes and the second tops it up from the rest (filter.windowed), and
// either way the answer is the same as SQLite's plain walk.
func TestSearchWindowContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		add := func(title string) {
			if _, err := s.CreateRecipe(ctx, u.ID, input(title, recipe.Public)); err != nil {
				t.Fatal(err)
			}
		}
		add("Saffron Rice") // the oldest, and the only one with saffron
		for i := range 60 {
			add(fmt.Sprintf("Stew %d", i+1))
		}
		// A bound of one ranks the newest match, in a window of the
		// newest fifty recipes on PostgreSQL.
		store.SetRankedCap(s, 1)
		trim(t, s, 11)
		for q, want := range map[string]string{"stew": "Stew 60", "saffron": "Saffron Rice"} {
			p, err := s.ListRecipes(ctx, store.ListQuery{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(p); !slices.Equal(got, []string{want}) {
				t.Errorf("%q past the bound: %q, want [%s]", q, got, want)
			}
		}
		// A recipe written after the trim enters the window at once.
		add("Stew 61")
		p, err := s.ListRecipes(ctx, store.ListQuery{Query: "stew"})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(p); !slices.Equal(got, []string{"Stew 61"}) {
			t.Errorf("stew after one more: %q, want [Stew 61]", got)
		}
	})
}

// trim trims the search window and checks how many rows it dropped
// (PostgreSQL; SQLite has no window and drops none).
func trim(t *testing.T, s *store.Store, want int64) {
	t.Helper()
	n, err := s.TrimSearchWindow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Engine() != "postgres" {
		want = 0
	}
	if n != want {
		t.Errorf("trim dropped %d rows, want %d", n, want)
	}
}

// The search window answers every query as the whole collection would,
// however recently it was trimmed, and follows each write in its own
// transaction: a recipe made private, renamed or deleted leaves the
// answers at once, and one made public joins them.
func TestSearchWindowKeptContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		add := func(title string, v recipe.Visibility) *recipe.Recipe {
			r, err := s.CreateRecipe(ctx, u.ID, input(title, v))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		add("Saffron Rice", recipe.Public)
		var secret *recipe.Recipe
		for i := range 120 {
			add(fmt.Sprintf("Stew %d", i+1), recipe.Public)
			if i%10 == 0 {
				secret = add(fmt.Sprintf("Secret stew %d", i+1), recipe.Private)
			}
		}
		newest := add("Stew 121", recipe.Public)
		// A bound of two ranks from a window of the newest hundred public
		// recipes on PostgreSQL, which this collection outgrows.
		store.SetRankedCap(s, 2)
		answers := func() []string {
			var out []string
			for _, lq := range []store.ListQuery{
				{Query: "stew"}, {Query: "saffron"}, {Query: "stew rice"}, {Query: "stew", ViewerID: u.ID},
				{Query: "stew", Limit: 2}, {Query: "stwe"}, {Query: "soup"}, {Query: "secret"},
			} {
				p, err := s.ListRecipes(ctx, lq)
				if err != nil {
					t.Fatalf("%+v: %v", lq, err)
				}
				out = append(out, fmt.Sprintf("%s/%s: %q", lq.Query, lq.ViewerID, titles(p)))
			}
			return out
		}
		whole := answers()
		trim(t, s, 22) // 122 public recipes, a window of 100
		if trimmed := answers(); !slices.Equal(whole, trimmed) {
			t.Errorf("trimmed window:\n%s\nwhole collection:\n%s", strings.Join(trimmed, "\n"), strings.Join(whole, "\n"))
		}
		if !strings.Contains(whole[0], "Stew 121") || strings.Contains(whole[0], "Secret") {
			t.Errorf("stew: %s, want the newest public stew", whole[0])
		}

		// Writes reach the window with the recipe.
		check := func(what string, lq store.ListQuery, want []string) {
			t.Helper()
			p, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatal(err)
			}
			// Equal matches rank by their ids (the order of writing).
			got := titles(p)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %q finds %q, want %q", what, lq.Query, got, want)
			}
		}
		private := input("Stew 121", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, newest.ID, private); err != nil {
			t.Fatal(err)
		}
		check("made private", store.ListQuery{Query: "stew"}, []string{"Stew 119", "Stew 120"})
		if _, err := s.ReplaceRecipe(ctx, newest.ID, input("Fish Soup", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		check("public again and renamed", store.ListQuery{Query: "soup"}, []string{"Fish Soup"})
		check("renamed", store.ListQuery{Query: "stew"}, []string{"Stew 119", "Stew 120"})
		if err := s.DeleteRecipe(ctx, newest.ID); err != nil {
			t.Fatal(err)
		}
		check("deleted", store.ListQuery{Query: "soup"}, []string{})
		if _, err := s.ReplaceRecipe(ctx, secret.ID, input("Secret stew 111", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		check("made public", store.ListQuery{Query: "secret"}, []string{"Secret stew 111"})
	})
}
