package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sameRecipe compares two answers as JSON, times included.
func sameRecipe(t testing.TB, a, b recipeJSON) bool {
	t.Helper()
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("encode recipes: %v %v", err1, err2)
	}
	return string(ja) == string(jb)
}

// fullRecipe sets every field of a recipe.
func fullRecipe(title, visibility string) map[string]any {
	return map[string]any{
		"title":        "  " + title + "  ",
		"description":  "Crisp outside.\nSoft inside.",
		"prep_minutes": 10,
		"cook_minutes": 15,
		"servings":     4,
		"difficulty":   "easy",
		"visibility":   visibility,
		"source_url":   "https://example.com/garlic-bread",
		"ingredients": []any{
			"1 1/2 cups flour, sifted",
			"2-3 cloves garlic",
			"½ tsp salt",
			map[string]any{"quantity": 2, "unit": "tbsp", "name": "butter", "note": "melted"},
			map[string]any{"quantity": 1, "quantity_max": 2, "unit": "cup", "name": "milk"},
			map[string]any{"original": "3 large eggs, beaten"},
		},
		"steps":      []string{"Mix the dough.", "Bake until golden."},
		"tags":       []string{"Bread", "  quick  ", "bread"},
		"categories": []string{"Side"},
	}
}

var fullIngredients = []ingredientJSON{
	{Quantity: ptr(1.5), Unit: "cup", Name: "flour", Note: "sifted", Original: "1 1/2 cups flour, sifted"},
	{Quantity: ptr(2.0), QuantityMax: ptr(3.0), Unit: "clove", Name: "garlic", Original: "2-3 cloves garlic"},
	{Quantity: ptr(0.5), Unit: "tsp", Name: "salt", Original: "½ tsp salt"},
	{Quantity: ptr(2.0), Unit: "tbsp", Name: "butter", Note: "melted"},
	{Quantity: ptr(1.0), QuantityMax: ptr(2.0), Unit: "cup", Name: "milk"},
	{Quantity: ptr(3.0), Name: "large eggs", Note: "beaten", Original: "3 large eggs, beaten"},
}

func intOr(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRecipesCRUDHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		chef := s.apiClient(t, "chef")

		t.Run("create parses ingredient lines and keeps ingredient objects", func(t *testing.T) {
			res := chef.do(t, "POST", "/api/v1/recipes", fullRecipe("Garlic Bread", "public")).want(t, http.StatusCreated)
			var r recipeJSON
			res.decode(t, &r)
			if loc := res.header.Get("Location"); r.ID == "" || loc != "/api/v1/recipes/"+r.ID {
				t.Errorf("Location %q for recipe %q", loc, r.ID)
			}
			if r.Title != "Garlic Bread" || r.Description != "Crisp outside.\nSoft inside." || r.Difficulty != "easy" ||
				r.Visibility != "public" || r.SourceURL != "https://example.com/garlic-bread" {
				t.Errorf("created recipe fields: %+v", r)
			}
			if intOr(r.PrepMinutes) != 10 || intOr(r.CookMinutes) != 15 || intOr(r.TotalMinutes) != 25 || intOr(r.Servings) != 4 {
				t.Errorf("times/servings: prep %v cook %v total %v servings %v, want 10 15 25 4",
					intOr(r.PrepMinutes), intOr(r.CookMinutes), intOr(r.TotalMinutes), intOr(r.Servings))
			}
			if r.Author.ID != chef.user.ID || r.Author.Username != "chef" {
				t.Errorf("author %+v, want chef %s", r.Author, chef.user.ID)
			}
			if !slices.Equal(r.Tags, []string{"bread", "quick"}) || !slices.Equal(r.Categories, []string{"side"}) {
				t.Errorf("tags %q categories %q, want [bread quick] [side]", r.Tags, r.Categories)
			}
			if !slices.Equal(r.Steps, []string{"Mix the dough.", "Bake until golden."}) {
				t.Errorf("steps %q", r.Steps)
			}
			if r.CreatedAt.IsZero() || !r.UpdatedAt.Equal(r.CreatedAt) {
				t.Errorf("created_at %v updated_at %v: want equal and set", r.CreatedAt, r.UpdatedAt)
			}
			if len(r.Ingredients) != len(fullIngredients) {
				t.Fatalf("got %d ingredients, want %d: %+v", len(r.Ingredients), len(fullIngredients), r.Ingredients)
			}
			for i, want := range fullIngredients {
				if !reflect.DeepEqual(r.Ingredients[i], want) {
					got, _ := json.Marshal(r.Ingredients[i])
					exp, _ := json.Marshal(want)
					t.Errorf("ingredient %d: got %s, want %s", i, got, exp)
				}
			}
			if got := chef.getRecipe(t, r.ID); !sameRecipe(t, got, r) {
				t.Errorf("GET differs from the create answer:\n got %+v\nwant %+v", got, r)
			}
			if got := s.anon().getRecipe(t, r.ID); !sameRecipe(t, got, r) {
				t.Errorf("anonymous GET of a public recipe differs from the author's view")
			}
		})

		t.Run("every limit itself is accepted", func(t *testing.T) {
			ings := make([]any, 100)
			steps := make([]string, 100)
			for i := range ings {
				ings[i] = fmt.Sprintf("%d g ingredient%d", i+1, i)
				steps[i] = fmt.Sprintf("Step %d.", i+1)
			}
			// A 500-character line (the note carries the length; a name may
			// have only 200).
			ings[0] = "1 cup flour, " + strings.Repeat("x", 500-len("1 cup flour, "))
			tags := make([]string, 20)
			for i := range tags {
				tags[i] = fmt.Sprintf("tag%d", i)
			}
			cats := make([]string, 10)
			for i := range cats {
				cats[i] = fmt.Sprintf("cat%d", i)
			}
			title := strings.Repeat("T", 200)
			r := chef.createRecipe(t, map[string]any{
				"title": title, "description": strings.Repeat("d", 10000), "visibility": "private",
				"prep_minutes": 10080, "cook_minutes": 0, "servings": 1000,
				"ingredients": ings, "steps": steps, "tags": tags, "categories": cats,
			})
			if r.Title != title || len(r.Ingredients) != 100 || len(r.Steps) != 100 || len(r.Tags) != 20 || len(r.Categories) != 10 ||
				intOr(r.TotalMinutes) != 10080 || len(r.Ingredients[0].Original) != 500 || r.Ingredients[0].Name != "flour" || r.Steps[99] != "Step 100." {
				t.Errorf("a recipe at every limit came back with title %d chars, %d ingredients, %d steps, %d tags, %d categories, total %v",
					len(r.Title), len(r.Ingredients), len(r.Steps), len(r.Tags), len(r.Categories), intOr(r.TotalMinutes))
			}
		})

		t.Run("creating needs a signed-in user", func(t *testing.T) {
			s.anon().do(t, "POST", "/api/v1/recipes", recipeBody("Anonymous Pie", "public")).wantUnauthorized(t)
			for _, r := range chef.listAll(t, "author=chef&limit=100") {
				if r.Title == "Anonymous Pie" {
					t.Errorf("an anonymous POST created %s", r.ID)
				}
			}
		})

		t.Run("PUT replaces everything and omitted fields reset", func(t *testing.T) {
			orig := chef.createRecipe(t, fullRecipe("Replace Me", "public"))
			var r recipeJSON
			chef.do(t, "PUT", "/api/v1/recipes/"+orig.ID, map[string]any{
				"title": "Plain Egg", "ingredients": []any{"1 egg"}, "steps": []string{"Boil it."},
			}).want(t, http.StatusOK).decode(t, &r)
			if r.ID != orig.ID || r.Author.ID != chef.user.ID || !r.CreatedAt.Equal(orig.CreatedAt) || r.UpdatedAt.Before(orig.UpdatedAt) {
				t.Errorf("identity changed: %+v (was %+v)", r, orig)
			}
			if r.Title != "Plain Egg" || r.Description != "" || r.PrepMinutes != nil || r.CookMinutes != nil || r.TotalMinutes != nil ||
				r.Servings != nil || r.Difficulty != "" || r.SourceURL != "" || len(r.Tags) != 0 || len(r.Categories) != 0 {
				t.Errorf("PUT kept fields it should have reset: %+v", r)
			}
			if r.Visibility != "private" {
				t.Errorf("PUT without visibility made it %q, want private", r.Visibility)
			}
			if len(r.Ingredients) != 1 || r.Ingredients[0].Name != "egg" || floatOr(r.Ingredients[0].Quantity) != 1.0 ||
				!slices.Equal(r.Steps, []string{"Boil it."}) {
				t.Errorf("PUT ingredients %+v steps %q", r.Ingredients, r.Steps)
			}
			if got := chef.getRecipe(t, r.ID); !sameRecipe(t, got, r) {
				t.Errorf("GET after PUT differs from the PUT answer")
			}
			s.anon().do(t, "GET", "/api/v1/recipes/"+r.ID, nil).wantProblem(t, http.StatusNotFound)

			chef.do(t, "PUT", "/api/v1/recipes/"+r.ID, map[string]any{"title": "Bare", "visibility": "public"}).
				want(t, http.StatusOK).decode(t, &r)
			if len(r.Ingredients) != 0 || len(r.Steps) != 0 || r.Visibility != "public" {
				t.Errorf("PUT without lists kept %d ingredients and %d steps (visibility %s)", len(r.Ingredients), len(r.Steps), r.Visibility)
			}
		})

		t.Run("PATCH changes only the given fields", func(t *testing.T) {
			orig := chef.createRecipe(t, fullRecipe("Patch Me", "public"))
			var r recipeJSON
			chef.do(t, "PATCH", "/api/v1/recipes/"+orig.ID, map[string]any{"title": "Renamed", "prep_minutes": nil}).
				want(t, http.StatusOK).decode(t, &r)
			if r.Title != "Renamed" || r.PrepMinutes != nil || intOr(r.CookMinutes) != 15 || intOr(r.TotalMinutes) != 15 {
				t.Errorf("after PATCH title/prep: title %q prep %v cook %v total %v", r.Title, intOr(r.PrepMinutes), intOr(r.CookMinutes), intOr(r.TotalMinutes))
			}
			if r.Description != orig.Description || intOr(r.Servings) != 4 || r.Difficulty != "easy" || r.Visibility != "public" ||
				r.SourceURL != orig.SourceURL || !reflect.DeepEqual(r.Ingredients, orig.Ingredients) || !slices.Equal(r.Steps, orig.Steps) ||
				!slices.Equal(r.Tags, orig.Tags) || !slices.Equal(r.Categories, orig.Categories) {
				t.Errorf("PATCH of title and prep changed other fields:\n got %+v\nwas %+v", r, orig)
			}

			chef.do(t, "PATCH", "/api/v1/recipes/"+orig.ID, map[string]any{"ingredients": []any{"2 eggs", "a pinch of salt"}}).
				want(t, http.StatusOK).decode(t, &r)
			wantIngs := []ingredientJSON{
				{Quantity: ptr(2.0), Name: "eggs", Original: "2 eggs"},
				{Quantity: ptr(1.0), Unit: "pinch", Name: "salt", Original: "a pinch of salt"},
			}
			if !reflect.DeepEqual(r.Ingredients, wantIngs) {
				got, _ := json.Marshal(r.Ingredients)
				t.Errorf("PATCHed ingredients %s, want exactly 2 eggs and a pinch of salt", got)
			}
			if r.Title != "Renamed" || !slices.Equal(r.Steps, orig.Steps) || !slices.Equal(r.Tags, orig.Tags) {
				t.Errorf("PATCH of ingredients changed title %q, steps %q or tags %q", r.Title, r.Steps, r.Tags)
			}

			chef.do(t, "PATCH", "/api/v1/recipes/"+orig.ID, map[string]any{"tags": []string{}, "visibility": "unlisted"}).
				want(t, http.StatusOK).decode(t, &r)
			if len(r.Tags) != 0 || !slices.Equal(r.Categories, []string{"side"}) || r.Visibility != "unlisted" {
				t.Errorf("PATCH tags=[] visibility=unlisted: tags %q categories %q visibility %s", r.Tags, r.Categories, r.Visibility)
			}
			if got := chef.getRecipe(t, orig.ID); !sameRecipe(t, got, r) {
				t.Errorf("GET after PATCH differs from the PATCH answer")
			}
		})

		t.Run("DELETE answers 204 and the recipe is gone", func(t *testing.T) {
			r := chef.createRecipe(t, recipeBody("Delete Me", "public"))
			res := chef.do(t, "DELETE", "/api/v1/recipes/"+r.ID, nil).want(t, http.StatusNoContent)
			if len(res.body) != 0 {
				t.Errorf("204 with a body: %s", res)
			}
			for _, m := range []string{"GET", "DELETE", "PATCH", "PUT"} {
				var body any
				if m == "PATCH" || m == "PUT" {
					body = recipeBody("Back", "public")
				}
				chef.do(t, m, "/api/v1/recipes/"+r.ID, body).wantProblem(t, http.StatusNotFound)
			}
			if slices.Contains(ids(chef.listAll(t, "author=chef&limit=100")), r.ID) {
				t.Errorf("the deleted recipe is still listed")
			}
		})
	})
}

func floatOr(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}
