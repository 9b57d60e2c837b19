package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

func mustCollection(t *testing.T, s *store.Store, ownerID, name string, vis recipe.Visibility) *collection.Collection {
	t.Helper()
	c, err := s.CreateCollection(context.Background(), ownerID, collection.Input{Name: name, Visibility: vis})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustAdd(t *testing.T, s *store.Store, ownerID, id string, recipeIDs ...string) {
	t.Helper()
	for _, r := range recipeIDs {
		if _, _, err := s.AddToCollection(context.Background(), viewer(ownerID), id, r); err != nil {
			t.Fatalf("add %s: %v", r, err)
		}
	}
}

// titlesFor are the titles of collection id's recipes as viewerID sees
// them, in order, checking that their positions run 1, 2, 3, ...
func titlesFor(t *testing.T, s *store.Store, viewerID, id string) []string {
	t.Helper()
	c, page, err := s.CollectionPage(context.Background(), viewerID, id, "", store.MaxListLimit)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for i, it := range page.Items {
		if it.Position != i+1 {
			t.Fatalf("item %d (%s) has position %d", i, it.Recipe.Title, it.Position)
		}
		out = append(out, it.Recipe.Title)
	}
	if c.RecipeCount != len(out) {
		t.Fatalf("count %d, but %d recipes listed: %v", c.RecipeCount, len(out), out)
	}
	return out
}

// storedPositions are collection id's positions straight from the table,
// in order.
func storedPositions(t *testing.T, s *store.Store, id string) []int {
	t.Helper()
	rows, err := s.DB().Query("SELECT position FROM collection_recipes WHERE collection_id = '" + id + "' ORDER BY position")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func requireDense(t *testing.T, s *store.Store, id string, n int) {
	t.Helper()
	got := storedPositions(t, s, id)
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(got, want) {
		t.Fatalf("stored positions %v, want %v", got, want)
	}
}

func TestCollectionInputRulesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		for _, tc := range []struct {
			in    collection.Input
			field string
		}{
			{collection.Input{Name: "  "}, "name"},
			{collection.Input{Name: strings.Repeat("n", collection.MaxName+1)}, "name"},
			{collection.Input{Name: "ok", Description: strings.Repeat("d", collection.MaxDescription+1)}, "description"},
			{collection.Input{Name: "ok", Visibility: "friends"}, "visibility"},
			{collection.Input{Name: "bell\a"}, "name"},
		} {
			_, err := s.CreateCollection(ctx, alice.ID, tc.in)
			var ve *validate.Error
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tc.field {
				t.Errorf("%+v: %v, want one error on %s", tc.in, err, tc.field)
			}
		}
		if list, _ := s.CollectionsOf(ctx, alice.ID, alice.ID); len(list) != 0 {
			t.Fatalf("invalid input wrote %d collections", len(list))
		}
		c, err := s.CreateCollection(ctx, alice.ID, collection.Input{Name: "  Weeknight dinners ",
			Description: strings.Repeat("é", collection.MaxDescription), Visibility: ""})
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "Weeknight dinners" || c.Visibility != collection.Private || c.Owner.Username != "alice" || c.RecipeCount != 0 || c.Cover != nil {
			t.Fatalf("created %+v", c)
		}
		if _, err := s.UpdateCollection(ctx, alice.ID, c.ID, collection.Input{Name: ""}); err == nil {
			t.Fatal("an update without a name was accepted")
		}
		if got, _ := s.Collection(ctx, alice.ID, c.ID); got.Name != "Weeknight dinners" {
			t.Fatalf("a refused update changed the name to %q", got.Name)
		}
	})
}

func TestCollectionOwnerOnlyAndVisibilityContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pie := mustRecipe(t, s, bob.ID, "Bob's pie", recipe.Public)
		cols := map[recipe.Visibility]*collection.Collection{}
		for _, vis := range []recipe.Visibility{collection.Public, collection.Unlisted, collection.Private} {
			cols[vis] = mustCollection(t, s, alice.ID, string(vis)+" things", vis)
		}
		for vis, c := range cols {
			// Someone else may change nothing: 403 where they may see it,
			// not found where they may not.
			want := store.ErrNotOwner
			if vis == collection.Private {
				want = store.ErrNotFound
			}
			in := collection.Input{Name: "mine now", Visibility: collection.Public}
			_, errUpdate := s.UpdateCollection(ctx, bob.ID, c.ID, in)
			errDelete := s.DeleteCollection(ctx, bob.ID, c.ID)
			_, _, errAdd := s.AddToCollection(ctx, viewer(bob.ID), c.ID, pie.ID)
			errRemove := s.RemoveFromCollection(ctx, viewer(bob.ID), c.ID, pie.ID)
			_, errMove := s.MoveInCollection(ctx, viewer(bob.ID), c.ID, pie.ID, store.Move{To: 1})
			_, _, errAnon := s.AddToCollection(ctx, recipe.Viewer{}, c.ID, pie.ID)
			for i, err := range []error{errUpdate, errDelete, errAdd, errRemove, errMove, errAnon} {
				if !errors.Is(err, want) {
					t.Errorf("%s collection, write %d by someone else: %v, want %v", vis, i, err, want)
				}
			}
			got, err := s.Collection(ctx, alice.ID, c.ID)
			if err != nil || got.Name != c.Name || got.RecipeCount != 0 {
				t.Fatalf("%s collection after others' writes: %+v, %v", vis, got, err)
			}

			// Reading: a private one is the owner's alone, and answers
			// exactly as a missing one.
			for _, who := range []string{"", bob.ID} {
				_, err := s.Collection(ctx, who, c.ID)
				_, _, errPage := s.CollectionPage(ctx, who, c.ID, "", 10)
				if vis == collection.Private {
					if !errors.Is(err, store.ErrNotFound) || !errors.Is(errPage, store.ErrNotFound) {
						t.Errorf("private collection read by %q: %v, %v", who, err, errPage)
					}
				} else if err != nil || errPage != nil {
					t.Errorf("%s collection read by %q: %v, %v", vis, who, err, errPage)
				}
			}
		}
		for _, id := range []string{"not-a-uuid", "0190b6c0-0000-7000-8000-000000000000"} {
			if _, err := s.Collection(ctx, alice.ID, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("collection %q: %v", id, err)
			}
			if err := s.DeleteCollection(ctx, alice.ID, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete collection %q: %v", id, err)
			}
		}

		// Listed: all of them for the owner, the public one for others.
		names := func(viewerID string) []string {
			list, err := s.CollectionsOf(ctx, alice.ID, viewerID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list {
				out = append(out, c.Name)
			}
			return out
		}
		if got := names(alice.ID); !slices.Equal(got, []string{"private things", "public things", "unlisted things"}) {
			t.Errorf("owner's list: %v", got)
		}
		for _, who := range []string{"", bob.ID} {
			if got := names(who); !slices.Equal(got, []string{"public things"}) {
				t.Errorf("list seen by %q: %v", who, got)
			}
		}

		// The owner changes and deletes.
		up, err := s.UpdateCollection(ctx, alice.ID, cols[collection.Private].ID,
			collection.Input{Name: "Now shared", Description: "Line one\nline two", Visibility: collection.Unlisted})
		if err != nil || up.Name != "Now shared" || up.Visibility != collection.Unlisted || up.Description != "Line one\nline two" {
			t.Fatalf("update: %+v, %v", up, err)
		}
		if _, err := s.Collection(ctx, "", up.ID); err != nil {
			t.Fatalf("unlisted now, a visitor with the id is refused: %v", err)
		}
		if err := s.DeleteCollection(ctx, alice.ID, up.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Collection(ctx, alice.ID, up.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted collection: %v", err)
		}
	})
}

func TestCollectionHidesUnreadableRecipesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		c := mustCollection(t, s, alice.ID, "Favourites", collection.Public)
		mine := mustRecipe(t, s, alice.ID, "Alice's soup", recipe.Public)
		secret := mustRecipe(t, s, alice.ID, "Alice's secret", recipe.Private)
		bobs := mustRecipe(t, s, bob.ID, "Bob's stew", recipe.Public)
		bobsUnlisted := mustRecipe(t, s, bob.ID, "Bob's unlisted bread", recipe.Unlisted)
		bobsPrivate := mustRecipe(t, s, bob.ID, "Bob's private cake", recipe.Private)

		// Only recipes the owner can read may go in.
		if _, _, err := s.AddToCollection(ctx, viewer(alice.ID), c.ID, bobsPrivate.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("adding someone else's private recipe: %v", err)
		}
		if _, _, err := s.AddToCollection(ctx, viewer(alice.ID), c.ID, "0190b6c0-0000-7000-8000-000000000000"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("adding a missing recipe: %v", err)
		}
		mustAdd(t, s, alice.ID, c.ID, bobs.ID, mine.ID, secret.ID, bobsUnlisted.ID)
		// Bob makes his stew private after it was added: it stays, hidden
		// from everyone who may not read it, owner included.
		in := input("Bob's stew", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, bobs.ID, in); err != nil {
			t.Fatal(err)
		}

		everything := []string{"Bob's stew", "Alice's soup", "Alice's secret", "Bob's unlisted bread"}
		for _, tc := range []struct {
			who  string
			want []string
		}{
			{alice.ID, everything[1:]},
			{bob.ID, []string{"Bob's stew", "Alice's soup", "Bob's unlisted bread"}},
			{carol.ID, []string{"Alice's soup", "Bob's unlisted bread"}},
			{"", []string{"Alice's soup", "Bob's unlisted bread"}},
		} {
			if got := titlesFor(t, s, tc.who, c.ID); !slices.Equal(got, tc.want) {
				t.Errorf("seen by %q: %v, want %v", tc.who, got, tc.want)
			}
		}
		// The profile list's count is the viewer's too.
		list, err := s.CollectionsOf(ctx, alice.ID, carol.ID)
		if err != nil || len(list) != 1 || list[0].RecipeCount != 2 {
			t.Fatalf("carol's view of alice's collections: %+v, %v", list, err)
		}
		// A hidden recipe cannot be added again nor moved, as if it
		// were not there; removing it answers as for any recipe.
		if _, _, err := s.AddToCollection(ctx, viewer(alice.ID), c.ID, bobs.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("adding a hidden recipe already there: %v", err)
		}
		if _, err := s.MoveInCollection(ctx, viewer(alice.ID), c.ID, bobs.ID, store.Move{To: 1}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("moving a hidden recipe: %v", err)
		}
		// Moves among what the owner sees keep the hidden one in place:
		// "to 1" is just before the first recipe the owner sees, so the
		// hidden stew stays ahead of it.
		if pos, err := s.MoveInCollection(ctx, viewer(alice.ID), c.ID, bobsUnlisted.ID, store.Move{To: 1}); err != nil || pos != 1 {
			t.Fatalf("move to 1: %d, %v", pos, err)
		}
		if got := titlesFor(t, s, bob.ID, c.ID); !slices.Equal(got, []string{"Bob's stew", "Bob's unlisted bread", "Alice's soup"}) {
			t.Errorf("after the move, bob sees %v", got)
		}
		requireDense(t, s, c.ID, 4)
		// Published again, it is back for everyone.
		if _, err := s.ReplaceRecipe(ctx, bobs.ID, input("Bob's stew", recipe.Public)); err != nil {
			t.Fatal(err)
		}
		if got := titlesFor(t, s, "", c.ID); !slices.Equal(got, []string{"Bob's stew", "Bob's unlisted bread", "Alice's soup"}) {
			t.Errorf("after publishing again, a visitor sees %v", got)
		}
		if err := s.RemoveFromCollection(ctx, viewer(alice.ID), c.ID, bobs.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveFromCollection(ctx, viewer(alice.ID), c.ID, bobs.ID); err != nil {
			t.Fatalf("removing again: %v", err)
		}
		requireDense(t, s, c.ID, 3)
	})
}

func TestCollectionCoverContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		c := mustCollection(t, s, alice.ID, "Cakes", collection.Public)
		plain := mustRecipe(t, s, alice.ID, "Plain cake", recipe.Public)
		hidden := mustRecipe(t, s, alice.ID, "Hidden cake", recipe.Private)
		shown := mustRecipe(t, s, alice.ID, "Shown cake", recipe.Public)
		for _, r := range []*recipe.Recipe{hidden, shown} {
			if _, err := s.AddPhoto(ctx, store.NewPhoto{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: alice.ID, RecipeID: r.ID, Role: store.PhotoMain,
				UploadKey: "uploads/" + r.ID, Width: 800, Height: 600, Bytes: 1000}, store.PhotoLimits{}); err != nil {
				t.Fatal(err)
			}
		}
		mustAdd(t, s, alice.ID, c.ID, plain.ID, hidden.ID, shown.ID)
		cover := func(who string) string {
			t.Helper()
			got, err := s.Collection(ctx, who, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Cover == nil {
				return ""
			}
			return got.Cover.ID
		}
		ownerCover, strangerCover := cover(alice.ID), cover(bob.ID)
		if ownerCover == "" || strangerCover == "" || ownerCover == strangerCover {
			t.Fatalf("covers: owner %q, stranger %q: want the hidden cake's for the owner, the shown one's for others", ownerCover, strangerCover)
		}
		if _, err := s.MoveInCollection(ctx, viewer(alice.ID), c.ID, shown.ID, store.Move{To: 1}); err != nil {
			t.Fatal(err)
		}
		if got := cover(alice.ID); got != strangerCover {
			t.Fatalf("after moving the shown cake first, the owner's cover is %q, want %q", got, strangerCover)
		}
	})
}

func TestCollectionOrderContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		c := mustCollection(t, s, alice.ID, "Ordered", collection.Private)
		ids := map[string]string{}
		for _, name := range []string{"A", "B", "C", "D", "E"} {
			r := mustRecipe(t, s, alice.ID, name, recipe.Public)
			ids[name] = r.ID
			pos, added, err := s.AddToCollection(ctx, viewer(alice.ID), c.ID, r.ID)
			if err != nil || !added || pos != len(ids) {
				t.Fatalf("add %s: %d, %v, %v", name, pos, added, err)
			}
		}
		if pos, added, err := s.AddToCollection(ctx, viewer(alice.ID), c.ID, ids["B"]); err != nil || added || pos != 2 {
			t.Fatalf("adding B again: %d, %v, %v; want it left at 2", pos, added, err)
		}
		v := viewer(alice.ID)
		for _, step := range []struct {
			name string
			move store.Move
			pos  int
			want string
		}{
			{"A", store.Move{By: -1}, 1, "ABCDE"},
			{"E", store.Move{By: 1}, 5, "ABCDE"},
			{"A", store.Move{By: 1}, 2, "BACDE"},
			{"E", store.Move{By: -1}, 4, "BACED"},
			{"D", store.Move{To: 1}, 1, "DBACE"},
			{"D", store.Move{To: 99}, 5, "BACED"},
			{"C", store.Move{To: 2}, 2, "BCAED"},
			{"B", store.Move{To: 5}, 5, "CAEDB"},
		} {
			pos, err := s.MoveInCollection(ctx, v, c.ID, ids[step.name], step.move)
			if err != nil || pos != step.pos {
				t.Fatalf("move %s %+v: %d, %v; want position %d", step.name, step.move, pos, err, step.pos)
			}
			if got := strings.Join(titlesFor(t, s, alice.ID, c.ID), ""); got != step.want {
				t.Fatalf("move %s %+v: order %s, want %s", step.name, step.move, got, step.want)
			}
			requireDense(t, s, c.ID, 5)
		}
		other := mustRecipe(t, s, alice.ID, "Not in it", recipe.Public)
		if _, err := s.MoveInCollection(ctx, v, c.ID, other.ID, store.Move{To: 1}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("moving a recipe not in the collection: %v", err)
		}
		if err := s.RemoveFromCollection(ctx, v, c.ID, ids["A"]); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(titlesFor(t, s, alice.ID, c.ID), ""); got != "CEDB" {
			t.Fatalf("after removing A: %s", got)
		}
		requireDense(t, s, c.ID, 4)

		// Pages: positions run on, and a cursor resumes after the page.
		_, first, err := s.CollectionPage(ctx, alice.ID, c.ID, "", 3)
		if err != nil || len(first.Items) != 3 || first.NextCursor == "" {
			t.Fatalf("first page: %+v, %v", first, err)
		}
		_, second, err := s.CollectionPage(ctx, alice.ID, c.ID, first.NextCursor, 3)
		if err != nil || len(second.Items) != 1 || second.NextCursor != "" || second.Items[0].Position != 4 || second.Items[0].Recipe.Title != "B" {
			t.Fatalf("second page: %+v, %v", second, err)
		}
		for _, bad := range []string{"x", "cHg", "cC0x", strings.Repeat("A", 40)} {
			if _, _, err := s.CollectionPage(ctx, alice.ID, c.ID, bad, 3); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("cursor %q: %v", bad, err)
			}
		}
	})
}

// TestCollectionConcurrentMovesContract moves, adds and removes recipes
// of one collection from many goroutines at once: afterwards the
// positions are 0..n-1, each once, and every recipe still added is there
// once.
func TestCollectionConcurrentMovesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		c := mustCollection(t, s, alice.ID, "Busy", collection.Public)
		var ids []string
		for i := range 12 {
			r := mustRecipe(t, s, alice.ID, fmt.Sprintf("Dish %02d", i), recipe.Public)
			ids = append(ids, r.ID)
		}
		mustAdd(t, s, alice.ID, c.ID, ids[:10]...)
		v := viewer(alice.ID)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for g := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				for range 5 {
					id := ids[rng.IntN(10)]
					var err error
					switch rng.IntN(3) {
					case 0:
						_, err = s.MoveInCollection(ctx, v, c.ID, id, store.Move{To: 1 + rng.IntN(11)})
					case 1:
						_, err = s.MoveInCollection(ctx, v, c.ID, id, store.Move{By: []int{-1, 1}[rng.IntN(2)]})
					default:
						// The two spare recipes come and go.
						spare := ids[10+rng.IntN(2)]
						if rng.IntN(2) == 0 {
							_, _, err = s.AddToCollection(ctx, v, c.ID, spare)
						} else {
							err = s.RemoveFromCollection(ctx, v, c.ID, spare)
						}
					}
					if err != nil {
						errs <- err
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
		_, page, err := s.CollectionPage(ctx, alice.ID, c.ID, "", store.MaxListLimit)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, it := range page.Items {
			if seen[it.Recipe.ID] {
				t.Fatalf("recipe %s listed twice", it.Recipe.Title)
			}
			seen[it.Recipe.ID] = true
		}
		for _, id := range ids[:10] {
			if !seen[id] {
				t.Fatalf("recipe %s lost", id)
			}
		}
		requireDense(t, s, c.ID, len(page.Items))
	})
}

func TestCollectionRecipeDeletionContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		c := mustCollection(t, s, alice.ID, "Soon shorter", collection.Public)
		first := mustRecipe(t, s, alice.ID, "First", recipe.Public)
		gone := mustRecipe(t, s, bob.ID, "Gone", recipe.Public)
		last := mustRecipe(t, s, alice.ID, "Last", recipe.Public)
		mustAdd(t, s, alice.ID, c.ID, first.ID, gone.ID, last.ID)
		if err := s.DeleteRecipe(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if got := titlesFor(t, s, "", c.ID); !slices.Equal(got, []string{"First", "Last"}) {
			t.Fatalf("after deleting a recipe: %v", got)
		}
		if n := rowCount(t, s, "collection_recipes", gone.ID); n != 0 {
			t.Fatalf("%d rows left for the deleted recipe", n)
		}
		// The next change closes the gap it left.
		if _, err := s.MoveInCollection(ctx, viewer(alice.ID), c.ID, last.ID, store.Move{By: -1}); err != nil {
			t.Fatal(err)
		}
		requireDense(t, s, c.ID, 2)
		if got := titlesFor(t, s, "", c.ID); !slices.Equal(got, []string{"Last", "First"}) {
			t.Fatalf("after the move: %v", got)
		}
	})
}

func TestCollectionCapsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		store.SetCollectionCaps(s, 2, 3)
		alice := mkUser(t, s, "alice")
		a := mustCollection(t, s, alice.ID, "One", collection.Public)
		mustCollection(t, s, alice.ID, "Two", collection.Public)
		if _, err := s.CreateCollection(ctx, alice.ID, collection.Input{Name: "Three"}); !errors.Is(err, store.ErrTooManyCollections) {
			t.Fatalf("third collection: %v", err)
		}
		var ids []string
		for i := range 4 {
			ids = append(ids, mustRecipe(t, s, alice.ID, fmt.Sprintf("R%d", i), recipe.Public).ID)
		}
		mustAdd(t, s, alice.ID, a.ID, ids[:3]...)
		if _, _, err := s.AddToCollection(ctx, viewer(alice.ID), a.ID, ids[3]); !errors.Is(err, store.ErrCollectionFull) {
			t.Fatalf("fourth recipe: %v", err)
		}
		// A recipe already there is still accepted (nothing changes).
		if _, added, err := s.AddToCollection(ctx, viewer(alice.ID), a.ID, ids[0]); err != nil || added {
			t.Fatalf("adding one already there to a full collection: %v, %v", added, err)
		}
		if err := s.DeleteCollection(ctx, alice.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateCollection(ctx, alice.ID, collection.Input{Name: "Three"}); err != nil {
			t.Fatalf("after deleting one: %v", err)
		}
	})
}

func TestCollectionChoicesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		r := mustRecipe(t, s, bob.ID, "Bob's bun", recipe.Public)
		priv := mustRecipe(t, s, bob.ID, "Bob's private bun", recipe.Private)
		in := mustCollection(t, s, alice.ID, "b: has it", collection.Private)
		mustCollection(t, s, alice.ID, "a: empty", collection.Public)
		mustCollection(t, s, bob.ID, "Bob's own", collection.Public)
		mustAdd(t, s, alice.ID, in.ID, r.ID)
		want := []collection.Choice{{Name: "a: empty"}, {ID: in.ID, Name: "b: has it", Contains: true}}
		check := func(got []collection.Choice) {
			t.Helper()
			if len(got) != 2 || got[0].Name != want[0].Name || got[0].Contains || got[1] != want[1] {
				t.Fatalf("choices %+v", got)
			}
		}
		_, got, err := s.CollectionChoices(ctx, viewer(alice.ID), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(got)
		rec, _, got, err := s.RecipeWithChoices(ctx, r.ID, alice.ID)
		if err != nil || rec.Title != "Bob's bun" {
			t.Fatal(rec, err)
		}
		check(got)
		if _, _, err := s.CollectionChoices(ctx, viewer(alice.ID), priv.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("choices for a hidden recipe: %v", err)
		}
	})
}

// Deleting an account leaves nothing of it in collections: its own
// collections go, and its recipes leave everyone else's.
func TestCollectionAccountDeletionContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		bobs := mustCollection(t, s, bob.ID, "Bob's", collection.Public)
		pie := mustRecipe(t, s, bob.ID, "Bob's pie", recipe.Public)
		soup := mustRecipe(t, s, alice.ID, "Alice's soup", recipe.Public)
		mine := mustCollection(t, s, alice.ID, "Mine", collection.Public)
		mustAdd(t, s, alice.ID, mine.ID, pie.ID, soup.ID)
		mustAdd(t, s, bob.ID, bobs.ID, soup.ID)
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM users WHERE id = '"+bob.ID+"'"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Collection(ctx, "", bobs.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the deleted account's collection: %v", err)
		}
		if got := titlesFor(t, s, alice.ID, mine.ID); !slices.Equal(got, []string{"Alice's soup"}) {
			t.Fatalf("after deleting bob: %v", got)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM collection_recipes WHERE collection_id = '"+bobs.ID+"'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d rows left of the deleted collection (%v)", n, err)
		}
	})
}
