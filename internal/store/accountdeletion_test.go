package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// TestDeleteAccountContract: deleting an account deletes the user and
// their recipes (with other people's marks on them) and nobody else's;
// the only enabled administrator is refused, one of two is not, and a
// disabled administrator does not count as the other one; a missing or
// malformed id is not found.
func TestDeleteAccountContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boss := mkUser(t, s, "boss")
		cook := mkUser(t, s, "cook")
		other := mkUser(t, s, "other")
		for _, u := range []*auth.User{boss, cook} {
			if err := s.SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
		}
		mine := mustRecipe(t, s, cook.ID, "Cook's soup", recipe.Public)
		theirs := mustRecipe(t, s, other.ID, "Other's bread", recipe.Public)
		if _, err := s.SetLike(ctx, viewer(other.ID), mine.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetLike(ctx, viewer(cook.ID), theirs.ID, true); err != nil {
			t.Fatal(err)
		}

		if _, err := s.SetUserDisabled(ctx, boss.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteAccount(ctx, cook.ID); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("deleting the only enabled admin: %v, want ErrLastAdmin", err)
		}
		if _, err := s.UserByID(ctx, cook.ID); err != nil {
			t.Fatalf("the refused deletion removed the user: %v", err)
		}
		if _, err := s.SetUserDisabled(ctx, boss.ID, false); err != nil {
			t.Fatal(err)
		}
		gone, err := s.DeleteAccount(ctx, cook.ID)
		if err != nil {
			t.Fatalf("deleting one of two admins: %v", err)
		}
		if gone.Recipes != 1 || gone.Photos != 0 {
			t.Errorf("deleted %+v, want one recipe and no photo", gone)
		}
		if _, err := s.UserByID(ctx, cook.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("user after deletion: %v", err)
		}
		if n := rowCount(t, s, "recipe_likes", mine.ID); n != 0 {
			t.Errorf("%d likes left on the deleted recipe", n)
		}
		if _, err := s.Recipe(ctx, theirs.ID); err != nil {
			t.Errorf("another cook's recipe: %v", err)
		}
		if n := rowCount(t, s, "recipe_likes", theirs.ID); n != 0 {
			t.Errorf("the deleted cook's like on another's recipe is left: %d", n)
		}
		if _, err := s.UserByID(ctx, other.ID); err != nil {
			t.Errorf("another user: %v", err)
		}
		for _, id := range []string{cook.ID, "not-an-id", ""} {
			if _, err := s.DeleteAccount(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleting %q again: %v, want ErrNotFound", id, err)
			}
		}
	})
}
