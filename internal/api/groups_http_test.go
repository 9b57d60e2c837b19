package api_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestStepGroupsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		chef := s.apiClient(t, "sectioned")
		body := recipeBody("Layer Cake", "private", map[string]any{
			"steps":       []string{"Beat butter and sugar.", "Bake.", "Melt the chocolate.", "Spread it."},
			"step_groups": []map[string]any{{"title": "For the sponge", "start": 0}, {"title": " For the ganache ", "start": 2}},
		})
		made := chef.createRecipe(t, body)
		want := []groupJSON{{"For the sponge", 0}, {"For the ganache", 2}}
		if got := chef.getRecipe(t, made.ID).StepGroups; !reflect.DeepEqual(got, want) {
			t.Fatalf("stored groups %v, want %v", got, want)
		}

		t.Run("PATCH without groups keeps them while the steps stay", func(t *testing.T) {
			var r recipeJSON
			chef.do(t, "PATCH", "/api/v1/recipes/"+made.ID, map[string]any{"title": "Layer Cake II"}).want(t, http.StatusOK).decode(t, &r)
			if !reflect.DeepEqual(r.StepGroups, want) {
				t.Errorf("groups after a title PATCH: %v, want %v", r.StepGroups, want)
			}
		})
		t.Run("PATCH of the steps alone drops the groups", func(t *testing.T) {
			var r recipeJSON
			chef.do(t, "PATCH", "/api/v1/recipes/"+made.ID, map[string]any{"steps": []string{"Buy a cake."}}).want(t, http.StatusOK).decode(t, &r)
			if len(r.StepGroups) != 0 || len(r.Steps) != 1 {
				t.Errorf("after new steps: steps %v groups %v", r.Steps, r.StepGroups)
			}
		})
		t.Run("PUT without groups has none; bad groups are refused whole", func(t *testing.T) {
			plain := chef.createRecipe(t, recipeBody("Plain", "private"))
			if plain.StepGroups == nil || len(plain.StepGroups) != 0 {
				t.Errorf("a recipe without sections answers step_groups %v, want []", plain.StepGroups)
			}
			bad := recipeBody("Bad", "private", map[string]any{
				"steps":       []string{"One.", "Two."},
				"step_groups": []map[string]any{{"title": "A", "start": 1}, {"title": "", "start": 0}, {"title": "C", "start": 9}},
			})
			chef.do(t, "PUT", "/api/v1/recipes/"+plain.ID, bad).wantProblem(t, http.StatusUnprocessableEntity,
				"step_groups[1].title", "step_groups[1].start", "step_groups[2].start")
			if got := chef.getRecipe(t, plain.ID); got.Title != "Plain" {
				t.Errorf("a refused PUT changed the recipe: %q", got.Title)
			}
			chef.do(t, "POST", "/api/v1/recipes", recipeBody("Typed", "private", map[string]any{"step_groups": "For the sauce"})).
				wantProblem(t, http.StatusBadRequest)
		})
	})
}

func TestIngredientGroupsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		chef := s.apiClient(t, "baker")
		body := recipeBody("Fruit Tart", "private", map[string]any{
			"ingredients":       []any{"200 g flour", "100 g butter", map[string]any{"name": "cream", "quantity": 250, "unit": "ml"}, "2 peaches"},
			"ingredient_groups": []map[string]any{{"title": " Pastry ", "start": 0}, {"title": "For the filling", "start": 2}},
		})
		made := chef.createRecipe(t, body)
		want := []groupJSON{{"Pastry", 0}, {"For the filling", 2}}
		got := chef.getRecipe(t, made.ID)
		if !reflect.DeepEqual(got.IngredientGroups, want) || len(got.Ingredients) != 4 || len(got.StepGroups) != 0 {
			t.Fatalf("stored groups %v (ingredients %d, step groups %v), want %v", got.IngredientGroups, len(got.Ingredients), got.StepGroups, want)
		}

		t.Run("PATCH keeps them while the ingredients stay, sent again or not", func(t *testing.T) {
			var r recipeJSON
			chef.do(t, "PATCH", "/api/v1/recipes/"+made.ID, map[string]any{"title": "Peach Tart"}).want(t, http.StatusOK).decode(t, &r)
			if !reflect.DeepEqual(r.IngredientGroups, want) {
				t.Errorf("groups after a title PATCH: %v, want %v", r.IngredientGroups, want)
			}
			same := []any{"200 g flour", "100 g butter", r.Ingredients[2], "2 peaches"}
			chef.do(t, "PATCH", "/api/v1/recipes/"+made.ID, map[string]any{"ingredients": same}).want(t, http.StatusOK).decode(t, &r)
			if !reflect.DeepEqual(r.IngredientGroups, want) {
				t.Errorf("groups after sending the same ingredients: %v, want %v", r.IngredientGroups, want)
			}
		})
		t.Run("PATCH of the ingredients alone drops them", func(t *testing.T) {
			var r recipeJSON
			chef.do(t, "PATCH", "/api/v1/recipes/"+made.ID, map[string]any{"ingredients": []string{"1 ready-made tart"}}).want(t, http.StatusOK).decode(t, &r)
			if len(r.IngredientGroups) != 0 || len(r.Ingredients) != 1 {
				t.Errorf("after new ingredients: %v groups %v", r.Ingredients, r.IngredientGroups)
			}
		})
		t.Run("bad groups are refused whole", func(t *testing.T) {
			bad := recipeBody("Bad", "private", map[string]any{
				"ingredients":       []string{"1 egg", "1 cup milk"},
				"ingredient_groups": []map[string]any{{"title": "A", "start": 1}, {"title": "", "start": 0}, {"title": strings.Repeat("x", 201), "start": 5}},
			})
			chef.do(t, "PUT", "/api/v1/recipes/"+made.ID, bad).wantProblem(t, http.StatusUnprocessableEntity,
				"ingredient_groups[1].title", "ingredient_groups[1].start", "ingredient_groups[2].title", "ingredient_groups[2].start")
			chef.do(t, "POST", "/api/v1/recipes", recipeBody("Typed", "private", map[string]any{"ingredient_groups": []string{"Dough"}})).
				wantProblem(t, http.StatusBadRequest)
		})
	})
}
