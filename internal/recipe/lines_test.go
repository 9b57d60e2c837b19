package recipe

import (
	"strings"
	"testing"
)

// Normalize is where typed ingredient lines are checked and parsed, and
// where the default visibility is set, for the API and the form alike.
func TestNormalizeLinesAndDefaults(t *testing.T) {
	in := valid()
	in.Visibility = ""
	in.Ingredients = []Ingredient{
		IngredientLine("2-3 cloves garlic"),
		IngredientLine(strings.Repeat("x", MaxIngredientLine+1)),
		{Name: "salt", Original: "salt to taste"},
	}
	errs := in.Normalize()
	if in.Visibility != DefaultVisibility || DefaultVisibility != Private {
		t.Errorf("visibility %q, want private by default", in.Visibility)
	}
	if len(errs) != 1 || errs[0].Field != "ingredients[1]" || !strings.Contains(errs[0].Message, "at most 500 characters") {
		t.Errorf("errors %v, want one for the long line alone", errs)
	}
	if g := in.Ingredients[0]; g.Name != "garlic" || g.Quantity == nil || *g.Quantity != 2 || g.QuantityMax == nil || *g.QuantityMax != 3 {
		t.Errorf("line not parsed: %+v", g)
	}
	if in.Ingredients[2].Name != "salt" || in.Ingredients[2].Note != "" {
		t.Errorf("a parsed ingredient was parsed again: %+v", in.Ingredients[2])
	}

	// Too many lines are refused before any is parsed.
	in = valid()
	in.Ingredients = nil
	for range MaxIngredients + 1 {
		in.Ingredients = append(in.Ingredients, IngredientLine("1 egg"))
	}
	errs = in.Normalize()
	if len(errs) != 1 || errs[0].Field != "ingredients" || !IsIngredientLine(in.Ingredients[0]) {
		t.Errorf("too many lines: %v, first %+v", errs, in.Ingredients[0])
	}
}
