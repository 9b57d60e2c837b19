package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// A bulk-loaded recipe reads back exactly as one written by CreateRecipe,
// and is found by search (tsvector or FTS, and the typo vocabulary): the
// loader writes everything the app reads.
func TestBulkLoaderWritesWhatCreateWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "bulk")
		grouped := func(title string) recipe.Input {
			in := input(title, recipe.Public, "bread", "baking")
			in.IngredientGroups = []recipe.IngredientGroup{{Title: "For the dough", Start: 0}, {Title: "To season", Start: 2}}
			in.StepGroups = []recipe.StepGroup{{Title: "Bake", Start: 1}}
			return in
		}
		want, err := s.CreateRecipe(ctx, u.ID, grouped("Plain Walnut Loaf"))
		if err != nil {
			t.Fatal(err)
		}
		loader := s.NewBulkLoader()
		for _, batch := range [][]store.NewRecipe{
			{{AuthorID: u.ID, Input: grouped("Bulky Walnut Loaf")}},
			{{AuthorID: u.ID, Input: input("Bulky Quince Tart", recipe.Private, "baking", "fruit")}},
		} {
			if err := loader.Load(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.ListRecipes(ctx, store.ListQuery{Query: "bulky"})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(page); !slices.Equal(got, []string{"Bulky Walnut Loaf"}) {
			t.Fatalf("search bulky = %v, want the public bulk recipe only", got)
		}
		got, err := s.Recipe(ctx, page.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Ingredients, want.Ingredients) || !slices.Equal(got.Steps, want.Steps) ||
			!slices.Equal(got.Tags, want.Tags) || !slices.Equal(got.Categories, want.Categories) ||
			len(want.IngredientGroups) != 2 || !reflect.DeepEqual(got.IngredientGroups, want.IngredientGroups) ||
			len(want.StepGroups) != 1 || !reflect.DeepEqual(got.StepGroups, want.StepGroups) ||
			*got.TotalMinutes != *want.TotalMinutes || got.Author.ID != u.ID {
			t.Errorf("bulk recipe = %+v\nwant like %+v", got, want)
		}
		// The typo vocabulary learnt the new word.
		page, err = s.ListRecipes(ctx, store.ListQuery{Query: "bulkyy"})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(page); !slices.Equal(got, []string{"Bulky Walnut Loaf"}) {
			t.Errorf("search bulkyy = %v, want the typo corrected", got)
		}
	})
}
