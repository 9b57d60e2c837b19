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
// PostgreSQL the first is read from a window of the newest recipes and
// the second tops it up from the rest (filter.windowed), and either way
// the answer is the same as SQLite's plain walk.
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
		for q, want := range map[string]string{"stew": "Stew 60", "saffron": "Saffron Rice"} {
			p, err := s.ListRecipes(ctx, store.ListQuery{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(p); !slices.Equal(got, []string{want}) {
				t.Errorf("%q past the bound: %q, want [%s]", q, got, want)
			}
		}
		// PostgreSQL keeps the window's edge for a while (rankEdge): a
		// recipe written since is newer than it, so in the window.
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

// Walking the rank window (filter.windowed, for a word common enough on a
// large collection) finds the same ranked set as reading it through
// bitmaps: every query answers the same either way. Forced here with a
// threshold that any sample passes, on the small collection of a test.
func TestSearchWindowWalkContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "cook")
		add := func(title string, v recipe.Visibility) {
			if _, err := s.CreateRecipe(ctx, u.ID, input(title, v)); err != nil {
				t.Fatal(err)
			}
		}
		add("Saffron Rice", recipe.Public)
		for i := range 120 {
			add(fmt.Sprintf("Stew %d", i+1), recipe.Public)
			if i%10 == 0 {
				add(fmt.Sprintf("Secret stew %d", i+1), recipe.Private)
			}
		}
		// A bound of two ranks from a window of the newest hundred public
		// recipes on PostgreSQL, which this collection outgrows.
		store.SetRankedCap(s, 2)
		answers := func() []string {
			var out []string
			for _, lq := range []store.ListQuery{
				{Query: "stew"}, {Query: "saffron"}, {Query: "stew rice"}, {Query: "stew", ViewerID: u.ID},
				{Query: "stew", Limit: 2}, {Query: "stwe"},
			} {
				p, err := s.ListRecipes(ctx, lq)
				if err != nil {
					t.Fatalf("%+v: %v", lq, err)
				}
				out = append(out, fmt.Sprintf("%s/%s: %q", lq.Query, lq.ViewerID, titles(p)))
			}
			return out
		}
		read := answers()
		store.SetWalkAt(s, -1e300)
		walked := answers()
		if !slices.Equal(read, walked) {
			t.Errorf("walked:\n%s\nread through bitmaps:\n%s", strings.Join(walked, "\n"), strings.Join(read, "\n"))
		}
		if !strings.Contains(read[0], "Stew 120") {
			t.Errorf("stew: %s, want the newest stew among them", read[0])
		}
	})
}
