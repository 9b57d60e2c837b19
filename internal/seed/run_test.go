package seed_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

func countAll(t *testing.T, s *store.Store, viewer string) (n int) {
	t.Helper()
	cur := ""
	for {
		p, err := s.ListRecipes(context.Background(), store.ListQuery{ViewerID: viewer, Limit: 100, Cursor: cur})
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Items)
		if p.NextCursor == "" {
			return n
		}
		cur = p.NextCursor
	}
}

func TestDemoSeedsOnceOnBothEngines(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := testutil.OpenStore(t, engine)
			ctx := context.Background()
			users, recipes, err := seed.Demo(ctx, s)
			if err != nil || users != len(seed.DemoUsers()) || recipes != 50 {
				t.Fatalf("Demo = %d users, %d recipes, %v", users, recipes, err)
			}
			if _, _, err := seed.Demo(ctx, s); !errors.Is(err, seed.ErrAlreadySeeded) {
				t.Errorf("second Demo: %v, want ErrAlreadySeeded", err)
			}
			if err := seed.DemoSocial(ctx, s); err != nil {
				t.Fatalf("DemoSocial: %v", err)
			}
			lucia, err := s.UserByUsername(ctx, "lucia")
			if err != nil {
				t.Fatal(err)
			}
			if st, err := s.ProfileStats(ctx, lucia.ID, ""); err != nil || st.Followers != 2 || st.Following != 1 {
				t.Errorf("lucia's follows: %+v, %v; want 2 followers, 1 followed", st, err)
			}
			// The shared household's list, made from its plan, reads for
			// Arjun too.
			arjun, err := s.UserByUsername(ctx, "arjun")
			if err != nil {
				t.Fatal(err)
			}
			lists, err := s.ShoppingLists(ctx, arjun.ID, time.Now())
			if err != nil || len(lists) != 1 || lists[0].Items < 10 || lists[0].Checked != 1 {
				t.Errorf("the demo shopping lists as Arjun sees them: %+v, %v; want one of 10 or more lines, one ticked", lists, err)
			}
			hannah, err := s.UserByUsername(ctx, "hannah")
			if err != nil {
				t.Fatal(err)
			}
			if cs, err := s.CollectionsOf(ctx, hannah.ID, ""); err != nil || len(cs) != 1 || cs[0].RecipeCount != 3 {
				t.Errorf("hannah's public collections: %d, %v; want one of 3 recipes", len(cs), err)
			}
			admin, err := s.UserByUsername(ctx, "admin")
			if err != nil || admin.Role != auth.RoleAdmin || auth.CheckPassword(admin.PasswordHash, seed.DemoPassword) != nil {
				t.Errorf("demo admin: %+v %v", admin, err)
			}
			public := 0
			for _, r := range seed.DemoRecipes() {
				if r.Visibility == recipe.Public {
					public++
				}
			}
			if got := countAll(t, s, ""); got != public {
				t.Errorf("anonymous sees %d demo recipes, want the %d public ones", got, public)
			}
			p, err := s.ListRecipes(ctx, store.ListQuery{Query: "curry"})
			if err != nil || len(p.Items) == 0 {
				t.Errorf("searching the demo for curry: %d results, %v", len(p.Items), err)
			}
			// Every demo cook joined before their first recipe, and the
			// administrator before anyone's: a profile "cooking here since"
			// today owning recipes added last year reads as nonsense.
			var firstRecipe time.Time
			for _, du := range seed.DemoUsers() {
				u, err := s.UserByUsername(ctx, du.Username)
				if err != nil {
					t.Fatal(err)
				}
				mine, err := s.ListRecipes(ctx, store.ListQuery{ViewerID: u.ID, AuthorID: u.ID, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range mine.Items {
					if !u.CreatedAt.Before(r.CreatedAt) {
						t.Errorf("%s joined %s, after their recipe %q was added %s", du.Username, u.CreatedAt, r.Title, r.CreatedAt)
					}
					if firstRecipe.IsZero() || r.CreatedAt.Before(firstRecipe) {
						firstRecipe = r.CreatedAt
					}
				}
			}
			if firstRecipe.IsZero() || !admin.CreatedAt.Before(firstRecipe) {
				t.Errorf("the admin joined %s, not before the first recipe (%s)", admin.CreatedAt, firstRecipe)
			}
		})
	}
}

func TestSyntheticSeedsAndTopsUp(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := testutil.OpenStore(t, engine)
			ctx := context.Background()
			var last, total int
			if err := seed.Synthetic(ctx, s, 5, 1200, 7, func(done, all int) { last, total = done, all }); err != nil {
				t.Fatal(err)
			}
			if last != 1200 || total != 1200 {
				t.Errorf("progress ended at %d/%d, want 1200/1200", last, total)
			}
			// Written in time order, spread over about four years: the
			// newest public recipes are the last ones generated, newest
			// first, one every 1.25 days.
			page, err := s.ListRecipes(ctx, store.ListQuery{Limit: 30})
			if err != nil {
				t.Fatal(err)
			}
			if age := time.Since(page.Items[0].CreatedAt); age < 0 || age > time.Hour {
				t.Errorf("the newest recipe is %s old, want written just now", age)
			}
			i := 1199
			for _, got := range page.Items {
				dr := seed.SyntheticRecipe(7, i)
				for ; dr.Visibility != recipe.Public; dr = seed.SyntheticRecipe(7, i) {
					i--
				}
				if got.Title != dr.Title {
					t.Fatalf("the newest list has %q where recipe %d, %q, was written", got.Title, i, dr.Title)
				}
				if want := time.Duration(1199-i) * 30 * time.Hour; absDuration(time.Since(got.CreatedAt)-want) > time.Hour {
					t.Errorf("recipe %d was written %s ago, want about %s", i, time.Since(got.CreatedAt), want)
				}
				i--
			}
			if err := seed.Synthetic(ctx, s, 5, 10, 8, nil); err != nil {
				t.Fatalf("second run with the same users: %v", err)
			}
			if n, _ := s.CountUsers(ctx); n != 5 {
				t.Errorf("users = %d, want 5 (reused on the second run)", n)
			}
			u, err := s.UserByUsername(ctx, seed.SyntheticUser(1).Username)
			if err != nil {
				t.Fatal(err)
			}
			// cook00001 owns every fifth recipe, of any visibility.
			if got := countAll(t, s, u.ID) - countAll(t, s, ""); got <= 0 {
				t.Errorf("the author sees %d more recipes than anonymous; want their unlisted and private ones", got)
			}
		})
	}
}

func absDuration(d time.Duration) time.Duration { return max(d, -d) }

// BenchmarkSeedSynthetic measures seeding throughput (recipes per second)
// on each engine; `seed --recipes 100000` extrapolates from it.
func BenchmarkSeedSynthetic(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(engine, func(b *testing.B) {
			s := testutil.OpenStore(b, engine)
			ctx := context.Background()
			const per = 1000
			i := int64(0)
			for b.Loop() {
				i++
				if err := seed.Synthetic(ctx, s, 10, per, i, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "recipes/s")
		})
	}
}
