package extract

import (
	"strings"
	"testing"
)

func TestVisibleIngredients(t *testing.T) {
	visible := []string{"4 cl rum", "2 cl lime juice", "1 cl sugar syrup", "Ice"}
	for _, c := range []struct {
		name       string
		structured []string
		want       bool
	}{
		{"bare names, each in a visible line", []string{"Rum", "Lime juice", "Sugar syrup", "ice"}, true},
		{"a tag where the list should be", []string{"Cocktails"}, true},
		{"several tags in one entry", []string{"Rum, Lime"}, true},
		{"structured lines carry amounts", []string{"4 cl rum", "2 cl lime juice", "1 cl sugar syrup", "ice"}, false},
		{"a name the page does not show", []string{"Rum", "Gin", "Lime juice", "Sugar syrup"}, false},
		{"nothing structured", nil, false},
	} {
		got := visibleIngredients(c.structured, visible) != nil
		if got != c.want {
			t.Errorf("%s: visible taken = %v, want %v", c.name, got, c.want)
		}
	}
	// Amounts after the name in the structured lines, before it on the
	// page: the page's order. Lines that lead with their amounts stay.
	amountsFirst := []string{"500 ml milk", "2 eggs", "pinch of salt"}
	if v := visibleIngredients([]string{"milk, 500 ml", "eggs, 2", "salt, a pinch"}, amountsFirst); v == nil {
		t.Error("kept the structured lines with their amounts last")
	}
	if v := visibleIngredients([]string{"milk, 500 ml", "flour, 2 cups", "salt, a pinch"}, amountsFirst); v != nil {
		t.Errorf("took visible lines of another recipe: %q", v)
	}
	if v := visibleIngredients([]string{"500 ml whole milk", "2 large eggs", "salt"}, amountsFirst); v != nil {
		t.Errorf("replaced structured lines that lead with amounts: %q", v)
	}
	// A visible list without amounts has nothing to add.
	if v := visibleIngredients([]string{"Rum"}, []string{"rum", "lime", "sugar"}); v != nil {
		t.Errorf("took a visible list without amounts: %q", v)
	}
}

func TestFromHTMLVisibleAmounts(t *testing.T) {
	// The structured data lists bare names; the page shows the amounts.
	page := `<html><head><title>Daiquiri</title>
<script type="application/ld+json">{"@type":"Recipe","name":"Daiquiri",
"recipeIngredient":["Rum","Lime juice","Sugar syrup"],
"recipeInstructions":["Shake with ice and strain."]}</script></head><body>
<h1>Daiquiri</h1><h2>Ingredients</h2>
<ul><li>5 cl rum</li><li>3 cl lime juice</li><li>2 cl sugar syrup</li></ul>
<h2>Method</h2><ol><li>Shake with ice and strain.</li></ol></body></html>`
	r := FromHTML([]byte(page), "https://example.com/daiquiri")
	if got, want := strings.Join(r.Ingredients, "|"), "5 cl rum|3 cl lime juice|2 cl sugar syrup"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
	// With amounts in the structured data, it wins as before.
	page = strings.Replace(page, `["Rum","Lime juice","Sugar syrup"]`, `["50 ml rum","30 ml lime juice","20 ml sugar syrup"]`, 1)
	r = FromHTML([]byte(page), "https://example.com/daiquiri")
	if got, want := strings.Join(r.Ingredients, "|"), "50 ml rum|30 ml lime juice|20 ml sugar syrup"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
}

func TestFromHTMLVisibleAmountsKeepGroups(t *testing.T) {
	// The page's lines replace bare names together with the page's groups.
	page := `<html><head><title>Rum sour</title>
<script type="application/ld+json">{"@type":"Recipe","name":"Rum sour",
"recipeIngredient":["Sugar syrup","Rum"],"recipeInstructions":["Shake and strain."]}</script></head><body>
<h2>Ingredients</h2><h3>Syrup</h3><ul><li>2 cl sugar syrup</li></ul><h3>Spirit</h3><ul><li>5 cl rum</li></ul>
<h2>Method</h2><ol><li>Shake and strain.</li></ol></body></html>`
	r := FromHTML([]byte(page), "https://example.com/rum-sour")
	sameRecipe(t, &Recipe{Ingredients: r.Ingredients, IngredientGroups: r.IngredientGroups}, &Recipe{
		Ingredients:      []string{"2 cl sugar syrup", "5 cl rum"},
		IngredientGroups: []Group{{Title: "Syrup", Start: 0}, {Title: "Spirit", Start: 1}},
	})
}
