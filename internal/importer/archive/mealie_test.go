package archive

import (
	"errors"
	"testing"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// mealiePancakes is a recipe as Mealie's export writes it: snake_case,
// structured ingredients, section titles on ingredients and steps.
func mealiePancakes() map[string]any {
	g := map[string]any{"name": "gram", "plural_name": "grams", "abbreviation": "g", "use_abbreviation": true, "fraction": true}
	cup := map[string]any{"name": "cup", "plural_name": "cups", "abbreviation": "c", "use_abbreviation": false, "fraction": true}
	return map[string]any{
		"id": "5a3c1b2e-0000-4000-8000-000000000001", "slug": "pancakes", "group_id": "g1", "name": "Pancakes",
		"description": "Sunday breakfast.", "recipe_yield": "8 pancakes", "recipe_yield_quantity": 8, "recipe_servings": 4,
		"prep_time": "15 minutes", "perform_time": "PT20M", "total_time": "35 Minutes", "org_url": "https://example.com/p",
		"recipe_ingredient": []map[string]any{
			{"title": "Batter", "quantity": 200, "unit": g, "food": map[string]any{"name": "flour", "plural_name": ""}, "note": "sifted", "disable_amount": false, "is_food": true, "display": "200 g flour sifted", "reference_id": "r1"},
			{"quantity": 1.5, "unit": cup, "food": map[string]any{"name": "milk"}, "note": "", "disable_amount": false, "is_food": true, "reference_id": "r2"},
			{"quantity": 2, "food": map[string]any{"name": "egg", "plural_name": "eggs"}, "disable_amount": false, "is_food": true, "reference_id": "r3"},
			{"title": "To serve", "quantity": 1, "note": "maple syrup, to taste", "disable_amount": true, "is_food": false, "reference_id": "r4"},
			{"quantity": 0, "original_text": "a handful of  blueberries", "food": map[string]any{"name": "blueberry"}, "reference_id": "r5"},
		},
		"recipe_instructions": []map[string]any{
			{"id": "s1", "title": "Make the batter", "text": "Whisk everything together.", "ingredient_references": []any{}},
			{"id": "s2", "title": "", "text": "Rest for 10 minutes."},
			{"id": "s3", "title": "Cook", "text": "Fry in butter.\n\nFlip once."},
		},
		"tags":            []map[string]any{{"id": "t1", "name": "Quick", "slug": "quick"}},
		"recipe_category": []map[string]any{{"id": "c1", "name": "Breakfast", "slug": "breakfast"}},
		"nutrition":       map[string]any{"calories": "250", "fat_content": "9", "protein_content": nil},
		"notes":           []map[string]any{{"title": "Tip", "text": "Use buttermilk."}},
		"settings":        map[string]any{"disable_amount": false},
	}
}

func TestMealieExport(t *testing.T) {
	original, small := webpImage, pngOf(t, 1)
	// The same recipe as Mealie's API gives it, camelCase, with bare
	// lines as its first versions kept them.
	camel := map[string]any{
		"slug": "toast", "groupId": "g1", "name": "Toast", "orgURL": "https://example.com/t",
		"recipeIngredient":   []any{"2 slices bread", map[string]any{"note": "butter", "quantity": 1, "disableAmount": true}},
		"recipeInstructions": []any{map[string]any{"text": "Toast the bread."}, "Butter it."},
		"recipeServings":     2, "prepTime": "5 minutes", "recipeCategory": []string{"Snack"},
	}
	data := zipOf(t,
		entry{"recipes/pancakes/pancakes.json", jsonOf(t, mealiePancakes())},
		entry{"recipes/pancakes/images/min-original.webp", small},
		entry{"recipes/pancakes/images/original.webp", original},
		entry{"recipes/pancakes/assets/card.pdf", []byte("%PDF")},
		entry{"recipes/toast/toast.json", jsonOf(t, camel)},
	)
	items := mustRead(t, data, Mealie, 2)

	p := items[0]
	if p.Err != nil || p.Name != "recipes/pancakes/pancakes.json" {
		t.Fatalf("pancakes: %q %v", p.Name, p.Err)
	}
	r := p.Recipe
	if r.Title != "Pancakes" || r.Via != "mealie" || r.SourceURL != "https://example.com/p" {
		t.Errorf("title %q via %q source %q", r.Title, r.Via, r.SourceURL)
	}
	eqStrings(t, "ingredients", r.Ingredients, []string{"200 g flour, sifted", "1 1/2 cups milk", "2 eggs", "maple syrup, to taste", "a handful of blueberries"})
	eqGroups(t, "ingredient groups", r.IngredientGroups, extract.Group{Title: "Batter", Start: 0}, extract.Group{Title: "To serve", Start: 3})
	eqStrings(t, "steps", r.Steps, []string{"Whisk everything together.", "Rest for 10 minutes.", "Fry in butter.\n\nFlip once."})
	eqGroups(t, "step groups", r.StepGroups, extract.Group{Title: "Make the batter", Start: 0}, extract.Group{Title: "Cook", Start: 2})
	eqInt(t, "servings", r.Servings, 4)
	if r.Yield != "8 pancakes" {
		t.Errorf("yield = %q", r.Yield)
	}
	eqInt(t, "prep", r.PrepMinutes, 15)
	eqInt(t, "cook", r.CookMinutes, 20)
	eqInt(t, "total", r.TotalMinutes, 35)
	eqStrings(t, "keywords", r.Keywords, []string{"Quick"})
	eqStrings(t, "category", r.Category, []string{"Breakfast"})
	if r.Nutrition["calories"] != "250" || r.Nutrition["fatContent"] != "9" || len(r.Nutrition) != 2 {
		t.Errorf("nutrition = %v", r.Nutrition)
	}
	if want := "Sunday breakfast.\n\nNotes:\nTip\n\nUse buttermilk."; r.Description != want {
		t.Errorf("description = %q, want %q", r.Description, want)
	}
	if len(p.Photos) != 1 || sum(p.Photos[0].Data) != sum(original) || p.Photos[0].Name != "recipes/pancakes/images/original.webp" {
		t.Errorf("photos = %v, want original.webp alone", photoSummary(p.Photos))
	}

	c := items[1]
	if c.Err != nil || c.Recipe.Title != "Toast" || c.Recipe.SourceURL != "https://example.com/t" {
		t.Fatalf("camelCase recipe: %v %+v", c.Err, c.Recipe)
	}
	eqStrings(t, "camel ingredients", c.Recipe.Ingredients, []string{"2 slices bread", "butter"})
	eqStrings(t, "camel steps", c.Recipe.Steps, []string{"Toast the bread.", "Butter it."})
	eqInt(t, "camel servings", c.Recipe.Servings, 2)
	eqInt(t, "camel prep", c.Recipe.PrepMinutes, 5)
	eqStrings(t, "camel category", c.Recipe.Category, []string{"Snack"})
	if len(c.Photos) != 0 {
		t.Errorf("toast has no picture, got %v", photoSummary(c.Photos))
	}
}

func TestMealieSingleRecipeFolder(t *testing.T) {
	// One recipe's folder zipped alone: <slug>.json and images/ at the top.
	data := zipOf(t,
		entry{"pancakes.json", jsonOf(t, mealiePancakes())},
		entry{"images/original.webp", webpImage},
	)
	items := mustRead(t, data, Mealie, 1)
	if items[0].Err != nil || items[0].Recipe.Title != "Pancakes" || len(items[0].Recipe.Ingredients) != 5 {
		t.Fatalf("%v %+v", items[0].Err, items[0].Recipe)
	}
	if len(items[0].Photos) != 1 || sum(items[0].Photos[0].Data) != sum(webpImage) {
		t.Errorf("photos = %v", photoSummary(items[0].Photos))
	}
}

func TestMealieBackup(t *testing.T) {
	cover := jpegOf(t, 77)
	// Ids as SQLite keeps them (hex without hyphens) for one recipe and
	// as Postgres does for the other; rows out of position order.
	soupID, breadID := "0b6e7f1c2d3a4b5c8d9e0f1a2b3c4d5e", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	db := map[string]any{
		"alembic_version": []map[string]any{{"version_num": "abc123"}},
		"recipes": []map[string]any{
			{"id": soupID, "slug": "tomato-soup", "name": "Tomato soup", "description": "Warming.", "recipe_yield": "4 bowls",
				"recipe_servings": 4, "prep_time": "10 minutes", "perform_time": "40 minutes", "total_time": "50 minutes", "org_url": "https://example.com/soup"},
			{"id": breadID, "slug": "bread", "name": "Bread", "recipe_yield": "", "recipe_servings": 0, "prep_time": "1 Hour 30 Minutes"},
		},
		"recipes_ingredients": []map[string]any{
			{"recipe_id": soupID, "position": 2, "title": "", "note": "chopped", "quantity": 1, "food_id": "f2", "unit_id": nil},
			{"recipe_id": soupID, "position": 0, "title": "Soup", "note": "", "quantity": 1000, "food_id": "f1", "unit_id": "u1"},
			{"recipe_id": soupID, "position": 1, "title": "", "note": "", "quantity": 1, "food_id": "f2", "unit_id": nil, "original_text": "1 large onion"},
			{"recipe_id": breadID, "position": 0, "title": "", "note": "500 g flour", "quantity": 1, "food_id": nil, "unit_id": nil},
		},
		"recipe_instructions": []map[string]any{
			{"id": "i2", "recipe_id": soupID, "position": 1, "title": "", "text": "Blend."},
			{"id": "i1", "recipe_id": soupID, "position": 0, "title": "Cook", "text": "Simmer for 40 minutes."},
			{"id": "i3", "recipe_id": breadID, "position": 0, "title": "", "text": "Knead and bake."},
		},
		"notes":                 []map[string]any{{"recipe_id": soupID, "title": "", "text": "Freezes well."}},
		"tags":                  []map[string]any{{"id": "t1", "name": "Vegan"}},
		"categories":            []map[string]any{{"id": "c1", "name": "Soups"}},
		"recipes_to_tags":       []map[string]any{{"recipe_id": soupID, "tag_id": "t1"}},
		"recipes_to_categories": []map[string]any{{"recipe_id": soupID, "category_id": "c1"}},
		"recipe_nutrition":      []map[string]any{{"id": 1, "recipe_id": soupID, "calories": "120", "sugar_content": "8"}},
		"ingredient_foods":      []map[string]any{{"id": "f1", "name": "tomato", "plural_name": "tomatoes"}, {"id": "f2", "name": "onion", "plural_name": "onions"}},
		"ingredient_units":      []map[string]any{{"id": "u1", "name": "gram", "plural_name": "grams", "abbreviation": "g", "use_abbreviation": true}},
		"recipe_settings":       []map[string]any{{"recipe_id": soupID, "disable_amount": false}, {"recipe_id": breadID, "disable_amount": true}},
		"users":                 []map[string]any{{"id": "u", "email": "cook@example.com"}},
	}
	data := zipOf(t,
		entry{"database.json", jsonOf(t, db)},
		entry{"data/recipes/0b6e7f1c-2d3a-4b5c-8d9e-0f1a2b3c4d5e/images/original.webp", cover},
		entry{"data/recipes/0b6e7f1c-2d3a-4b5c-8d9e-0f1a2b3c4d5e/images/tiny-original.webp", webpImage},
		entry{"data/users/u/profile.webp", webpImage},
	)
	items := mustRead(t, data, Mealie, 2)

	s := items[0]
	if s.Err != nil || s.Name != "database.json: tomato-soup" {
		t.Fatalf("soup: %q %v", s.Name, s.Err)
	}
	r := s.Recipe
	if r.Title != "Tomato soup" || r.SourceURL != "https://example.com/soup" {
		t.Errorf("title %q source %q", r.Title, r.SourceURL)
	}
	eqStrings(t, "ingredients", r.Ingredients, []string{"1000 g tomatoes", "1 large onion", "1 onion, chopped"})
	eqGroups(t, "ingredient groups", r.IngredientGroups, extract.Group{Title: "Soup", Start: 0})
	eqStrings(t, "steps", r.Steps, []string{"Simmer for 40 minutes.", "Blend."})
	eqGroups(t, "step groups", r.StepGroups, extract.Group{Title: "Cook", Start: 0})
	eqInt(t, "servings", r.Servings, 4)
	eqInt(t, "prep", r.PrepMinutes, 10)
	eqInt(t, "cook", r.CookMinutes, 40)
	eqInt(t, "total", r.TotalMinutes, 50)
	eqStrings(t, "keywords", r.Keywords, []string{"Vegan"})
	eqStrings(t, "category", r.Category, []string{"Soups"})
	if r.Nutrition["calories"] != "120" || r.Nutrition["sugarContent"] != "8" {
		t.Errorf("nutrition = %v", r.Nutrition)
	}
	if r.Description != "Warming.\n\nNotes:\nFreezes well." {
		t.Errorf("description = %q", r.Description)
	}
	if len(s.Photos) != 1 || sum(s.Photos[0].Data) != sum(cover) || s.Photos[0].Role != RoleMain {
		t.Errorf("photos = %v", photoSummary(s.Photos))
	}

	b := items[1]
	if b.Err != nil || b.Recipe.Title != "Bread" || len(b.Photos) != 0 {
		t.Fatalf("bread: %v %+v %v", b.Err, b.Recipe, photoSummary(b.Photos))
	}
	// Amounts off: the note is the line, without Mealie's default 1.
	eqStrings(t, "bread ingredients", b.Recipe.Ingredients, []string{"500 g flour"})
	eqInt(t, "bread prep", b.Recipe.PrepMinutes, 90)
	if b.Recipe.Servings != nil {
		t.Errorf("servings 0 is no servings, got %d", *b.Recipe.Servings)
	}
}

func TestMealieBackupDamaged(t *testing.T) {
	for name, body := range map[string][]byte{
		"not JSON":      []byte(`{"recipes": [`),
		"not UTF-8":     []byte("{\"recipes\": [{\"name\": \"\xff\xfe\"}]}"),
		"no recipe row": []byte(`{"users": []}`),
	} {
		t.Run(name, func(t *testing.T) {
			data := zipOf(t, entry{"database.json", body})
			_, _, err := readZip(t, data)
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("err = %v, want ErrDamaged or ErrUnknownFormat", err)
			}
		})
	}
}
