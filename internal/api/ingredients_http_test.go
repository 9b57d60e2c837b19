package api_test

import (
	"net/http"
	"strings"
	"testing"
)

type parsedJSON struct {
	Quantity    *float64 `json:"quantity"`
	QuantityMax *float64 `json:"quantity_max"`
	Unit        string   `json:"unit"`
	Name        string   `json:"name"`
	Note        string   `json:"note"`
	Original    string   `json:"original"`
}

func (c *client) parseLines(t testing.TB, lines ...string) []parsedJSON {
	t.Helper()
	var out struct {
		Ingredients []parsedJSON `json:"ingredients"`
	}
	if lines == nil {
		lines = []string{} // [], not null, which is refused as missing
	}
	c.do(t, "POST", "/api/v1/ingredients/parse", map[string]any{"lines": lines}).want(t, http.StatusOK).decode(t, &out)
	if len(out.Ingredients) != len(lines) {
		t.Fatalf("%d parses for %d lines", len(out.Ingredients), len(lines))
	}
	return out.Ingredients
}

func TestParseIngredientLines(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "parser")
		got := c.parseLines(t, "2 cups flour, sifted", "2-3 cloves garlic", "salt to taste", "  ")
		flour := got[0]
		if flour.Quantity == nil || *flour.Quantity != 2 || flour.QuantityMax != nil || flour.Unit != "cup" ||
			flour.Name != "flour" || flour.Note != "sifted" || flour.Original != "2 cups flour, sifted" {
			t.Errorf("flour: %+v", flour)
		}
		garlic := got[1]
		if garlic.Quantity == nil || *garlic.Quantity != 2 || garlic.QuantityMax == nil || *garlic.QuantityMax != 3 ||
			garlic.Unit != "clove" || garlic.Name != "garlic" {
			t.Errorf("garlic: %+v", garlic)
		}
		if salt := got[2]; salt.Quantity != nil || salt.Unit != "" || salt.Name != "salt" || salt.Note != "to taste" {
			t.Errorf("salt: %+v", salt)
		}
		if blank := got[3]; blank.Name != "" || blank.Original != "" || blank.Quantity != nil {
			t.Errorf("blank line: %+v", blank)
		}

		// The parse is the one a saved recipe gets: the same lines sent
		// to the recipe endpoint are stored as parsed here.
		rec := c.createRecipe(t, recipeBody("Parsed", "private", map[string]any{
			"ingredients": []string{"2 cups flour, sifted", "2-3 cloves garlic", "salt to taste"},
		}))
		for i, ing := range rec.Ingredients {
			p := got[i]
			if ing.Unit != p.Unit || ing.Name != p.Name || ing.Note != p.Note || ing.Original != p.Original ||
				!sameFloat(ing.Quantity, p.Quantity) || !sameFloat(ing.QuantityMax, p.QuantityMax) {
				t.Errorf("line %d saved as %+v, parsed as %+v", i, ing, p)
			}
		}

		// An empty list is a valid question with an empty answer.
		if got := c.parseLines(t); len(got) != 0 {
			t.Errorf("no lines: %+v", got)
		}
	})
}

func sameFloat(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func TestParseIngredientLinesRefusesBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		body := map[string]any{"lines": []string{"1 egg"}}
		s.anon().do(t, "POST", "/api/v1/ingredients/parse", body).wantProblem(t, http.StatusUnauthorized)

		c := s.apiClient(t, "limits")
		path := "/api/v1/ingredients/parse"
		tooMany := make([]string, 101)
		for i := range tooMany {
			tooMany[i] = "1 egg"
		}
		c.do(t, "POST", path, map[string]any{"lines": tooMany}).wantProblem(t, http.StatusUnprocessableEntity, "lines")
		p := c.do(t, "POST", path, map[string]any{"lines": []string{"1 egg", strings.Repeat("é", 501), strings.Repeat("a", 500)}}).
			wantProblem(t, http.StatusUnprocessableEntity, "lines[1]")
		if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "at most 500 characters") {
			t.Errorf("errors %+v, want only lines[1] over 500 characters", p.Errors)
		}
		c.do(t, "POST", path, map[string]any{}).wantProblem(t, http.StatusUnprocessableEntity, "lines")
		c.do(t, "POST", path, map[string]any{"lines": nil}).wantProblem(t, http.StatusUnprocessableEntity, "lines")
		c.do(t, "POST", path, map[string]any{"lines": []string{"1 egg"}, "extra": 1}).wantProblem(t, http.StatusUnprocessableEntity, "extra")
		c.do(t, "POST", path, map[string]any{"lines": "1 egg"}).wantProblem(t, http.StatusBadRequest, "lines")
		c.do(t, "POST", path, raw(`{"lines": [`)).wantProblem(t, http.StatusBadRequest)
		c.do(t, "GET", path, nil).wantProblem(t, http.StatusMethodNotAllowed)
	})
}
