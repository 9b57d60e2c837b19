package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

func viewer(id string) recipe.Viewer { return recipe.Viewer{UserID: id} }

// rowCount counts table's rows for recipe id, straight from the table.
func rowCount(t *testing.T, s *store.Store, table, id string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM " + table + " WHERE recipe_id = '" + id + "'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustRecipe(t *testing.T, s *store.Store, authorID, title string, vis recipe.Visibility) *recipe.Recipe {
	t.Helper()
	r, err := s.CreateRecipe(context.Background(), authorID, input(title, vis))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLikesSavesRatingsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)

		for range 2 {
			e, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if e.Likes != 1 || !e.Liked || e.Saved {
				t.Fatalf("after liking (again): %+v", e)
			}
		}
		if _, err := s.SetLike(ctx, viewer(carol.ID), pub.ID, true); err != nil {
			t.Fatal(err)
		}
		e, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, false)
		if err != nil || e.Likes != 1 || e.Liked {
			t.Fatalf("after unliking: %+v, %v", e, err)
		}
		if e, err = s.SetLike(ctx, viewer(bob.ID), pub.ID, false); err != nil || e.Likes != 1 || e.Liked {
			t.Fatalf("after unliking again: %+v, %v", e, err)
		}
		// Saving one's own recipe is allowed: it is a library.
		if e, err = s.SetSave(ctx, viewer(alice.ID), pub.ID, true); err != nil || e.Saves != 1 || !e.Saved || e.Liked {
			t.Fatalf("after saving own recipe: %+v, %v", e, err)
		}

		for _, r := range []struct {
			who   string
			stars int
			avg   float64
			n     int
		}{{bob.ID, 5, 5, 1}, {carol.ID, 2, 3.5, 2}, {bob.ID, 4, 3, 2}, {alice.ID, 3, 3, 3}, {carol.ID, 0, 3.5, 2}, {carol.ID, 0, 3.5, 2}} {
			e, err := s.Rate(ctx, viewer(r.who), pub.ID, r.stars)
			if err != nil {
				t.Fatal(err)
			}
			if e.Rating.Average != r.avg || e.Rating.Count != r.n {
				t.Fatalf("rate %d: rating %+v, want %v of %d", r.stars, e.Rating, r.avg, r.n)
			}
			if (r.stars == 0) != (e.MyRating == nil) || (e.MyRating != nil && *e.MyRating != r.stars) {
				t.Fatalf("rate %d: my rating %v", r.stars, e.MyRating)
			}
		}
		for _, bad := range []int{-1, 6, 100} {
			_, err := s.Rate(ctx, viewer(carol.ID), pub.ID, bad)
			var ve *validate.Error
			if !errors.As(err, &ve) || ve.Fields[0].Field != "stars" {
				t.Fatalf("rate %d: %v, want a validation error on stars", bad, err)
			}
		}

		got, err := s.Recipe(ctx, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := recipe.Counts{Likes: 1, Saves: 1, Rating: recipe.Rating{Average: 3.5, Count: 2}}
		if got.Counts != want {
			t.Fatalf("recipe counts %+v, want %+v", got.Counts, want)
		}
		page, err := s.ListRecipes(ctx, store.ListQuery{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Counts != want {
			t.Fatalf("list counts: %+v, %v", page.Items, err)
		}
		_, mine, err := s.RecipeFor(ctx, pub.ID, bob.ID)
		if err != nil || mine.Liked || mine.Saved || mine.MyRating == nil || *mine.MyRating != 4 {
			t.Fatalf("bob's marks: %+v, %v", mine, err)
		}
		withMine, mine, err := s.RecipeFor(ctx, pub.ID, alice.ID)
		if err != nil || withMine.Counts != want || mine.Liked || !mine.Saved || mine.MyRating == nil || *mine.MyRating != 3 {
			t.Fatalf("alice's marks: %+v, %v", mine, err)
		}

		// Deleting the recipe takes its rows with it.
		if err := s.DeleteRecipe(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"recipe_likes", "recipe_saves", "recipe_ratings"} {
			if n := rowCount(t, s, table, pub.ID); n != 0 {
				t.Errorf("%s keeps %d rows of a deleted recipe", table, n)
			}
		}
	})
}

// A recipe nobody may see answers the same as one that does not exist,
// and a refusal writes nothing.
func TestMarksNeedAReadableRecipeContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		private := mustRecipe(t, s, alice.ID, "Secret stew", recipe.Private)
		unlisted := mustRecipe(t, s, alice.ID, "Quiet soup", recipe.Unlisted)
		missing := "0190e4a2-7c1b-7000-8000-000000000000"

		ops := map[string]func(v recipe.Viewer, id string) error{
			"like":   func(v recipe.Viewer, id string) error { _, err := s.SetLike(ctx, v, id, true); return err },
			"unlike": func(v recipe.Viewer, id string) error { _, err := s.SetLike(ctx, v, id, false); return err },
			"save":   func(v recipe.Viewer, id string) error { _, err := s.SetSave(ctx, v, id, true); return err },
			"unsave": func(v recipe.Viewer, id string) error { _, err := s.SetSave(ctx, v, id, false); return err },
			"rate":   func(v recipe.Viewer, id string) error { _, err := s.Rate(ctx, v, id, 5); return err },
			"unrate": func(v recipe.Viewer, id string) error { _, err := s.Rate(ctx, v, id, 0); return err },
		}
		for name, op := range ops {
			for _, c := range []struct {
				who recipe.Viewer
				id  string
			}{{viewer(bob.ID), private.ID}, {viewer(bob.ID), missing}, {viewer(bob.ID), "not-an-id"}, {recipe.Viewer{}, unlisted.ID},
				{recipe.Viewer{UserID: bob.ID, Admin: true}, private.ID}} {
				if err := op(c.who, c.id); err != store.ErrNotFound {
					t.Errorf("%s %s as %q: %v, want exactly ErrNotFound", name, c.id, c.who.UserID, err)
				}
			}
			// Unlisted: anyone with its id may; the author may mark their own private one.
			if err := op(viewer(bob.ID), unlisted.ID); err != nil {
				t.Errorf("%s unlisted: %v", name, err)
			}
			if err := op(viewer(alice.ID), private.ID); err != nil {
				t.Errorf("%s own private: %v", name, err)
			}
		}
		for _, table := range []string{"recipe_likes", "recipe_saves", "recipe_ratings"} {
			var bobs int
			err := s.DB().QueryRow("SELECT count(*) FROM " + table + " WHERE recipe_id = '" + private.ID + "' AND user_id = '" + bob.ID + "'").Scan(&bobs)
			if err != nil {
				t.Fatal(err)
			}
			if bobs != 0 {
				t.Errorf("%s holds %d rows of a stranger on a private recipe", table, bobs)
			}
		}
	})
}

// A saved list holds what its owner saved and may still read: a saved
// recipe made private leaves it (unless it is theirs), an unlisted one
// stays, and nobody else's saves appear in it. Its filters are the
// browse page's.
func TestSavedListContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		pub := mustRecipe(t, s, alice.ID, "Lemon tart", recipe.Public)
		unl := mustRecipe(t, s, alice.ID, "Lemon curd", recipe.Unlisted)
		goingPrivate := mustRecipe(t, s, alice.ID, "Lemon pie", recipe.Public)
		own := mustRecipe(t, s, bob.ID, "Bob's lemonade", recipe.Private)
		other := mustRecipe(t, s, alice.ID, "Onion soup", recipe.Public)
		for _, id := range []string{pub.ID, unl.ID, goingPrivate.ID, own.ID} {
			if _, err := s.SetSave(ctx, viewer(bob.ID), id, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetSave(ctx, viewer(carol.ID), other.ID, true); err != nil {
			t.Fatal(err)
		}
		titles := func(lq store.ListQuery) []string {
			t.Helper()
			page, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range page.Items {
				out = append(out, it.Title)
			}
			slices.Sort(out)
			return out
		}
		want := []string{"Bob's lemonade", "Lemon curd", "Lemon pie", "Lemon tart"}
		if got := titles(store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID}); !slices.Equal(got, want) {
			t.Fatalf("bob's saved: %q, want %q", got, want)
		}
		in := input("Lemon pie", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, goingPrivate.ID, in); err != nil {
			t.Fatal(err)
		}
		want = []string{"Bob's lemonade", "Lemon curd", "Lemon tart"}
		if got := titles(store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID}); !slices.Equal(got, want) {
			t.Fatalf("bob's saved after a recipe went private: %q, want %q", got, want)
		}
		// Its author still has it in theirs.
		if _, err := s.SetSave(ctx, viewer(alice.ID), goingPrivate.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := titles(store.ListQuery{SavedBy: alice.ID, ViewerID: alice.ID}); !slices.Equal(got, []string{"Lemon pie"}) {
			t.Fatalf("alice's saved: %q", got)
		}
		if got := titles(store.ListQuery{SavedBy: carol.ID, ViewerID: carol.ID}); !slices.Equal(got, []string{"Onion soup"}) {
			t.Fatalf("carol's saved: %q", got)
		}
		// Filters and search, with the unlisted one found too.
		if got := titles(store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID, Query: "curd"}); !slices.Equal(got, []string{"Lemon curd"}) {
			t.Fatalf("bob's saved, searched: %q", got)
		}
		if got := titles(store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID, Visibility: recipe.Public}); !slices.Equal(got, []string{"Lemon tart"}) {
			t.Fatalf("bob's saved, public only: %q", got)
		}
		// Pages follow the cursor without repeats.
		var seen []string
		lq := store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID, Limit: 1, Sort: store.SortTitle}
		for {
			page, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				seen = append(seen, it.Title)
			}
			if page.NextCursor == "" {
				break
			}
			lq.Cursor = page.NextCursor
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("paged: %q, want %q", seen, want)
		}
		// The browse statement (count and facets) agrees.
		b, err := s.BrowseRecipes(ctx, store.ListQuery{SavedBy: bob.ID, ViewerID: bob.ID})
		if err != nil || b.Total != 3 || len(b.Items) != 3 {
			t.Fatalf("browse bob's saved: %+v, %v", b, err)
		}
	})
}

// Counts on a public recipe say nothing of private ones: marks on a
// private recipe never reach another recipe's counts or anyone's list.
func TestPrivateMarksStayPrivateContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Open sandwich", recipe.Public)
		private := mustRecipe(t, s, alice.ID, "Closed sandwich", recipe.Private)
		if _, err := s.SetLike(ctx, viewer(alice.ID), private.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetSave(ctx, viewer(alice.ID), private.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rate(ctx, viewer(alice.ID), private.ID, 1); err != nil {
			t.Fatal(err)
		}
		got, err := s.Recipe(ctx, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Counts != (recipe.Counts{}) {
			t.Fatalf("public recipe's counts %+v moved with a private recipe's", got.Counts)
		}
		for _, lq := range []store.ListQuery{{SavedBy: bob.ID, ViewerID: bob.ID}, {ViewerID: bob.ID}, {}} {
			page, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				if it.ID == private.ID {
					t.Fatalf("private recipe listed for %+v", lq)
				}
				if it.Counts != (recipe.Counts{}) {
					t.Fatalf("%s counts %+v", it.Title, it.Counts)
				}
			}
		}
	})
}

// Fifty toggles at once, by ten people, repeated: the count read back is
// the number of rows, and the number the toggles' final states make.
func TestConcurrentLikesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		author := mkUser(t, s, "author")
		r := mustRecipe(t, s, author.ID, "Popular pie", recipe.Public)
		users := make([]string, 10)
		for i := range users {
			users[i] = mkUser(t, s, fmt.Sprintf("fan%d", i)).ID
		}
		run := func(on func(i int) bool) {
			t.Helper()
			var wg sync.WaitGroup
			errs := make(chan error, 50)
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 2 {
						e, err := s.SetLike(ctx, viewer(users[i%len(users)]), r.ID, on(i%len(users)))
						if err != nil {
							errs <- err
							return
						}
						if e.Likes < 0 || e.Likes > len(users) {
							errs <- fmt.Errorf("a toggle read %d likes", e.Likes)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
		}
		check := func(want int) {
			t.Helper()
			got, err := s.Recipe(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rows := rowCount(t, s, "recipe_likes", r.ID); got.Likes != rows || rows != want {
				t.Fatalf("count %d, rows %d, want %d", got.Likes, rows, want)
			}
		}
		run(func(int) bool { return true })
		check(10)
		run(func(u int) bool { return u%2 == 1 }) // half unlike, half like again
		check(5)
		// Mixed: each person's goroutines disagree; whatever wins, the
		// count is the rows.
		var mu sync.Mutex
		n := 0
		run(func(u int) bool { mu.Lock(); defer mu.Unlock(); n++; return n%3 != 0 })
		got, err := s.Recipe(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rows := rowCount(t, s, "recipe_likes", r.ID); got.Likes != rows {
			t.Fatalf("count %d, rows %d", got.Likes, rows)
		}
	})
}

// A mark that reaches a recipe deleted since it was looked up (a race on
// PostgreSQL, whose transactions run side by side) is a foreign-key
// violation, which the toggles answer as a missing recipe: the dialect
// must recognise it, and only it.
func TestForeignKeyViolationIsRecognisedContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		alice := mkUser(t, s, "alice")
		r := mustRecipe(t, s, alice.ID, "Gone soon", recipe.Public)
		insert := func(recipeID string) error {
			_, err := s.DB().Exec("INSERT INTO recipe_likes (user_id, recipe_id, created_at) VALUES ('" + alice.ID + "', '" +
				recipeID + "', '2026-01-01T00:00:00.000000Z')")
			return err
		}
		err := insert("0190e4a2-7c1b-7000-8000-000000000000")
		if err == nil || !store.IsForeignKeyViolation(s, err) {
			t.Fatalf("a like of a missing recipe: %v, not recognised as a foreign-key violation", err)
		}
		if err := insert(r.ID); err != nil {
			t.Fatal(err)
		}
		err = insert(r.ID)
		if err == nil || store.IsForeignKeyViolation(s, err) {
			t.Fatalf("a second like: %v, taken for a foreign-key violation", err)
		}
	})
}
