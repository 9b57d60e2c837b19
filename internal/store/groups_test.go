package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// TestRecipeGroupsContract: the sections of the ingredients and of the
// steps come back as they were written, each on its own list, and a
// rewrite without sections leaves none behind.
func TestRecipeGroupsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "sectioner")
		in := input("Pie", recipe.Private)
		in.IngredientGroups = []recipe.IngredientGroup{{Title: "Crust", Start: 0}, {Title: "For the filling", Start: 2}}
		in.StepGroups = []recipe.StepGroup{{Title: "Bake", Start: 1}}
		r, err := s.CreateRecipe(ctx, u.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Recipe(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.IngredientGroups, in.IngredientGroups) || !reflect.DeepEqual(got.StepGroups, in.StepGroups) {
			t.Errorf("groups: ingredients %v steps %v", got.IngredientGroups, got.StepGroups)
		}
		if len(got.Ingredients) != 3 || got.Ingredients[2].Name != "salt" {
			t.Errorf("sections changed the ingredients: %+v", got.Ingredients)
		}

		plain := input("Pie", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, r.ID, plain); err != nil {
			t.Fatal(err)
		}
		got, err = s.Recipe(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IngredientGroups == nil || len(got.IngredientGroups) != 0 || len(got.StepGroups) != 0 {
			t.Errorf("after a rewrite without sections: ingredients %v steps %v", got.IngredientGroups, got.StepGroups)
		}
	})
}
