package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type suggestionJSON struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Source      string   `json:"source"`
}

func TestSuggestions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "suggest")
		path := "/api/v1/recipes/suggestions"
		body := map[string]any{
			"ingredients":  []string{"8 chicken thighs", "2 lemons", "1 head of garlic", "2 tbsp olive oil", "4 sprigs thyme", "salt"},
			"steps":        []string{"Heat the oven to 200°C.", "Roast the chicken with the lemons and garlic for 45 minutes."},
			"prep_minutes": 10, "cook_minutes": 45, "servings": 4, "tags": []string{"roasted"},
		}
		var got suggestionJSON
		c.do(t, "POST", path, body).want(t, http.StatusOK).decode(t, &got)
		if got.Title != "Lemon and Garlic Roast Chicken" || got.Source != "offline" {
			t.Errorf("suggestion %+v", got)
		}
		if !strings.HasSuffix(got.Description, "Ready in about 55 minutes; serves 4.") {
			t.Errorf("description %q", got.Description)
		}
		if !slices.Contains(got.Tags, "chicken") || slices.Contains(got.Tags, "roasted") {
			t.Errorf("tags %q: want chicken, and not the recipe's own roasted", got.Tags)
		}
		// Nothing to go on: empty suggestions, not an error.
		var empty suggestionJSON
		c.do(t, "POST", path, map[string]any{}).want(t, http.StatusOK).decode(t, &empty)
		if empty.Title != "" || empty.Description != "" || empty.Tags == nil || len(empty.Tags) != 0 {
			t.Errorf("empty recipe's suggestion %+v", empty)
		}

		s.anon().do(t, "POST", path, body).wantProblem(t, http.StatusUnauthorized)
		tooMany := make([]string, 101)
		for i := range tooMany {
			tooMany[i] = "1 egg"
		}
		c.do(t, "POST", path, map[string]any{"ingredients": tooMany}).wantProblem(t, http.StatusUnprocessableEntity, "ingredients")
		c.do(t, "POST", path, map[string]any{"title": strings.Repeat("a", 201)}).wantProblem(t, http.StatusUnprocessableEntity, "title")
		c.do(t, "POST", path, map[string]any{"steps": []string{"Mix."}, "servings": 0}).wantProblem(t, http.StatusUnprocessableEntity, "servings")
		c.do(t, "POST", path, map[string]any{"steps": []string{"Mix."}, "extra": 1}).wantProblem(t, http.StatusUnprocessableEntity, "extra")
		c.do(t, "POST", path, raw(`{"steps": [`)).wantProblem(t, http.StatusBadRequest)
	})
}
