package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

// The recipe form and the API take the same input through the same rules
// (recipe.Input.Normalize): the same recipe, typed into the form or sent
// as JSON, is refused with the same messages for the same fields, and
// saved with the same defaults. A rule added to one front end only makes
// this test fail.
func TestRecipeFormAndAPIAgree(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	b := s.register(t, "ann")

	longLine := strings.Repeat("x", recipe.MaxIngredientLine+1)
	manyLines := make([]string, recipe.MaxIngredients+1)
	for i := range manyLines {
		manyLines[i] = strconv.Itoa(i+1) + " eggs"
	}
	manyTags := make([]string, recipe.MaxTags+1)
	for i := range manyTags {
		manyTags[i] = "tag" + strconv.Itoa(i)
	}
	cases := []struct {
		name        string
		title       string
		servings    int
		ingredients []string
		steps       []string
		tags        []string
	}{
		{"several fields at once", "", 0, []string{"2 eggs", longLine, "flour", "salt\tand pepper"}, []string{"Mix.", strings.Repeat("s", recipe.MaxStep+1)}, []string{"a/b"}},
		{"too many ingredient lines", "Omelette", 2, manyLines, []string{"Cook."}, nil},
		{"too many tags", "Omelette", 2, []string{"2 eggs"}, []string{"Cook."}, manyTags},
		{"long line only", "Omelette", 2, []string{longLine}, []string{"Cook."}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api, n := apiErrors(t, b, map[string]any{
				"title": tc.title, "servings": tc.servings, "ingredients": tc.ingredients, "steps": tc.steps, "tags": tc.tags,
			})
			f := recipeForm{Title: tc.title, Servings: strconv.Itoa(tc.servings), Ingredients: tc.ingredients,
				Steps: tc.steps, Tags: strings.Join(tc.tags, ", ")}
			r := b.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity)
			form := map[string]string{}
			for _, a := range r.doc(t).all(".error-summary li a") {
				_, msg, _ := strings.Cut(a.textContent(), ": ")
				form[strings.TrimPrefix(a.get("href"), "#")] = msg
			}
			if len(api) == 0 || !maps.Equal(api, form) {
				t.Errorf("the API and the form disagree\n api (as form fields): %v\nform: %v", api, form)
			}
			// Each case has one mistake per field, and the form shows one
			// message per field: the API must not report more (a line
			// refused for its length is not also missing its name).
			if n != len(api) {
				t.Errorf("the API reported %d errors for %d fields: %v", n, len(api), api)
			}
		})
	}

	t.Run("defaults", func(t *testing.T) {
		var created struct {
			ID         string `json:"id"`
			Visibility string `json:"visibility"`
		}
		res := sendJSON(t, b, map[string]any{"title": "API omelette", "ingredients": []string{"2 eggs"}})
		if res.status != http.StatusCreated {
			t.Fatalf("API create: %d %s", res.status, res.body)
		}
		if err := json.Unmarshal(res.body, &created); err != nil {
			t.Fatal(err)
		}
		id := b.createRecipe(t, recipeForm{Title: "Form omelette", Ingredients: []string{"2 eggs"}})
		for _, id := range []string{created.ID, id} {
			rec, err := s.Store.Recipe(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Visibility != recipe.DefaultVisibility {
				t.Errorf("%s: visibility %q without a choice, want %q", rec.Title, rec.Visibility, recipe.DefaultVisibility)
			}
			if len(rec.Ingredients) != 1 || rec.Ingredients[0].Name != "eggs" || rec.Ingredients[0].Quantity == nil || *rec.Ingredients[0].Quantity != 2 {
				t.Errorf("%s: ingredient line not parsed alike: %+v", rec.Title, rec.Ingredients)
			}
		}
	})
}

type jsonAnswer struct {
	status int
	body   []byte
}

// sendJSON posts a recipe to the API with b's session cookie.
func sendJSON(t *testing.T, b *browser, body map[string]any) jsonAnswer {
	t.Helper()
	enc, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", b.s.URL+"/api/v1/recipes", bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return jsonAnswer{res.StatusCode, data}
}

var indexedPath = regexp.MustCompile(`^(ingredients|steps)\[(\d+)\]`)

// apiErrors posts body to the API, expects a 422 and returns its errors
// keyed by the form field each belongs to, first message per field, as
// the form shows them, and how many errors there were in all.
func apiErrors(t *testing.T, b *browser, body map[string]any) (map[string]string, int) {
	t.Helper()
	res := sendJSON(t, b, body)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("API: %d %s", res.status, res.body)
	}
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range p.Errors {
		field := e.Field
		if m := indexedPath.FindStringSubmatch(field); m != nil {
			field = fmt.Sprintf("%s-%s", strings.TrimSuffix(m[1], "s"), m[2])
		} else {
			field, _, _ = strings.Cut(field, "[")
		}
		if _, ok := out[field]; !ok {
			out[field] = e.Message
		}
	}
	return out, len(p.Errors)
}
