package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestIngredientFixtures runs the pages of testdata/ingredients-*.html,
// each written for one rule about ingredient lines, through FromHTML and
// compares the lines and their groups.
func TestIngredientFixtures(t *testing.T) {
	tests := []struct {
		file   string
		lines  []string
		groups []Group
	}{
		{"ingredients-nested-notes.html", []string{
			"1 potato (Aus: Sebago, US: russet), or other starchy potato (Note 1)",
			"1 1/2 cups grated carrots (See Recipe Notes) (from about 2 carrots)",
			"2 cups water (for 2 cups of rice, use 1⅔ cups (400 ml) water)",
			// Closed on a space: how the page shows it.
			"2 cans of cinnamon rolls ((12 oz each) )",
			// Never closed: left alone.
			"1 cup sugar ((packed)",
		}, nil},
		{"ingredients-part-of-visible.html", []string{
			"1 pound chicken thighs",
			"½ teaspoon kosher salt",
			"2 cups oil for frying",
			"3 tablespoons soy sauce",
			"2 tablespoons water",
			"4 garlic cloves, minced",
		}, []Group{{Title: "For the sauce:", Start: 3}}},
		{"ingredients-part-of-visible-heading.html", []string{
			"3 tablespoons soy sauce",
			"2 tablespoons water",
		}, nil},
		{"ingredients-theme-heading.html", []string{
			"1.2 kg baby calamari",
			"3 tomatoes, sliced",
			"1 tbsp ouzo",
			"70 g Greek-style yoghurt",
			"Fresh basil",
		}, []Group{{Title: "Yoghurt Dressing", Start: 2}}},
		{"ingredients-amounts-cut.html", []string{
			"3 Tbsp olive oil",
			"1.5 tsp grated ginger",
			"1.5 c red lentils",
			"Juice of half a lime",
		}, nil},
		{"ingredients-part-heading.html", []string{
			"2 lbs boneless chicken thighs",
			"2 Tbsp kosher salt",
			"1 sweet onion, sliced",
			"1 cup mayonnaise",
			"2 Tbsp lime juice",
		}, []Group{{Title: "Aioli Ingredients:", Start: 3}}},
		{"ingredients-repeated-lines.html", []string{
			"1 kg potet",
			"4 stk. vårløk",
			"4 ss majones",
			"2 dl lettrømme",
			"1 ss soyasaus",
		}, []Group{{Title: "Dressing", Start: 2}}},
		{"ingredients-nested-notes-list.html", []string{
			"1 lb lean ground turkey",
			"150 g yellow onion, diced roughly 1 large onion",
			"1 cup pico de gallo",
			"2 tbsp sour cream",
		}, []Group{{Title: "For the topping", Start: 2}}},
		{"ingredients-section-word-heading.html", []string{
			"1/2 cup soy sauce",
			"1/4 cup mirin",
			"1 pound flank steak, thinly sliced",
			"2 large onions, sliced",
		}, []Group{{Title: "Remaining Ingredients", Start: 2}}},
		{"ingredients-meta-list.html", []string{
			"1 Kohlrabi",
			"2 EL Olivenöl",
			"Salz",
		}, nil},
		{"ingredients-note-part.html", []string{
			"2 paprika's (bijv. een rode en een gele)",
			"450 ml bouillon (groenten)",
			"1 ui",
		}, nil},
		{"ingredients-dish-part-heading.html", []string{
			"1/2 cup soy sauce",
			"1/4 cup mirin",
			"Stew",
			"1 pound flank steak, thinly sliced",
			"Salt",
			"2 large onions, sliced",
		}, []Group{{Title: "Sauce", Start: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := FromHTML(page, "https://page.example/recipe")
			if !reflect.DeepEqual(got.Ingredients, tt.lines) {
				t.Errorf("ingredients:\n got %q\nwant %q", got.Ingredients, tt.lines)
			}
			if !reflect.DeepEqual(got.IngredientGroups, tt.groups) {
				t.Errorf("groups: got %+v, want %+v", got.IngredientGroups, tt.groups)
			}
		})
	}
}
