package archive

import (
	"errors"
	"testing"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// tandoorExport is Tandoor's export: a zip of one zip per recipe, each
// with recipe.json (Tandoor's export model) and image.<ext>.
func tandoorExport(t testing.TB) (data, lasagnePhoto []byte) {
	lasagnePhoto = jpegOf(t, 55)
	food := func(name, plural string) map[string]any {
		return map[string]any{"name": name, "plural_name": plural, "ignore_shopping": false, "supermarket_category": nil}
	}
	unit := func(name, plural string) map[string]any {
		return map[string]any{"name": name, "plural_name": plural, "description": ""}
	}
	lasagne := map[string]any{
		"name": "Lasagne", "description": "A family favourite.", "internal": true,
		"keywords":     []map[string]any{{"name": "Pasta", "description": ""}, {"name": "Oven", "description": ""}},
		"working_time": 45, "waiting_time": 60, "servings": 6, "servings_text": "pieces",
		"source_url": "https://example.com/lasagne",
		"nutrition":  map[string]any{"calories": 540, "carbohydrates": 40, "fats": 25, "proteins": 30, "source": ""},
		// Steps out of order: order says where they go.
		"steps": []map[string]any{
			{"name": "Bake", "instruction": "Layer and bake for an hour.", "order": 2, "time": 60, "ingredients": []any{}},
			{"name": "Sauce", "instruction": "Fry the mince, add the tomatoes, simmer.", "order": 0, "time": 30, "ingredients": []map[string]any{
				{"food": nil, "unit": nil, "amount": 0, "note": "Ragù", "order": 0, "is_header": true, "no_amount": true},
				{"food": food("minced beef", ""), "unit": unit("g", ""), "amount": 500, "note": "", "order": 1, "is_header": false, "no_amount": false},
				{"food": food("tomato", "tomatoes"), "unit": nil, "amount": "4", "note": "peeled", "order": 2, "is_header": false, "no_amount": false},
			}},
			{"name": "", "instruction": "Make a white sauce.", "order": 1, "ingredients": []map[string]any{
				{"food": food("butter", ""), "unit": unit("tablespoon", "tablespoons"), "amount": 2.5, "note": "", "order": 1, "is_header": false, "no_amount": false},
				{"food": nil, "unit": nil, "amount": 0, "note": "Béchamel", "order": 0, "is_header": true, "no_amount": true},
				{"food": food("salt", ""), "unit": nil, "amount": 0, "note": "to taste", "order": 2, "is_header": false, "no_amount": true},
			}},
		},
	}
	salad := map[string]any{
		"name": "Salad", "description": "", "keywords": []any{}, "working_time": 10, "waiting_time": 0,
		"servings": 2, "servings_text": "",
		"steps": []map[string]any{
			{"name": "Dressing", "instruction": "", "order": 0, "show_as_header": true, "ingredients": []map[string]any{
				{"food": food("olive oil", ""), "unit": unit("tbsp", ""), "amount": 3, "note": "", "order": 0, "original_text": "3 tbsp good olive oil"},
			}},
			{"name": "Toss", "instruction": "Toss the leaves with the dressing.", "order": 1, "ingredients": []map[string]any{
				{"food": food("lettuce", ""), "unit": nil, "amount": 1, "note": "", "order": 0},
			}},
		},
	}
	data = zipOf(t,
		entry{"Lasagne.zip", zipOf(t, entry{"recipe.json", jsonOf(t, lasagne)}, entry{"image.jpg", lasagnePhoto})},
		entry{"Salad.zip", zipOf(t, entry{"recipe.json", jsonOf(t, salad)})},
	)
	return data, lasagnePhoto
}

func TestTandoor(t *testing.T) {
	data, photo := tandoorExport(t)
	items := mustRead(t, data, Tandoor, 2)

	l := items[0]
	if l.Err != nil || l.Name != "Lasagne.zip" {
		t.Fatalf("lasagne: %q %v", l.Name, l.Err)
	}
	r := l.Recipe
	if r.Title != "Lasagne" || r.Description != "A family favourite." || r.SourceURL != "https://example.com/lasagne" || r.Via != "tandoor" {
		t.Errorf("title %q description %q source %q via %q", r.Title, r.Description, r.SourceURL, r.Via)
	}
	eqStrings(t, "ingredients", r.Ingredients, []string{"500 g minced beef", "4 tomatoes, peeled", "2 1/2 tablespoons butter", "salt, to taste"})
	eqGroups(t, "ingredient groups", r.IngredientGroups, extract.Group{Title: "Ragù", Start: 0}, extract.Group{Title: "Béchamel", Start: 2})
	eqStrings(t, "steps", r.Steps, []string{"Fry the mince, add the tomatoes, simmer.", "Make a white sauce.", "Layer and bake for an hour."})
	eqGroups(t, "step groups", r.StepGroups, extract.Group{Title: "Sauce", Start: 0}, extract.Group{Title: "Bake", Start: 2})
	eqInt(t, "prep", r.PrepMinutes, 45)
	eqInt(t, "cook", r.CookMinutes, 60)
	eqInt(t, "total", r.TotalMinutes, 105)
	eqInt(t, "servings", r.Servings, 6)
	if r.Yield != "6 pieces" {
		t.Errorf("yield = %q", r.Yield)
	}
	eqStrings(t, "keywords", r.Keywords, []string{"Pasta", "Oven"})
	if r.Nutrition["calories"] != "540" || r.Nutrition["fatContent"] != "25" {
		t.Errorf("nutrition = %v", r.Nutrition)
	}
	if len(l.Photos) != 1 || sum(l.Photos[0].Data) != sum(photo) || l.Photos[0].Name != "Lasagne.zip/image.jpg" || l.Photos[0].Role != RoleMain {
		t.Errorf("photos = %v", photoSummary(l.Photos))
	}

	s := items[1]
	if s.Err != nil || s.Recipe.Title != "Salad" || len(s.Photos) != 0 {
		t.Fatalf("salad: %v %+v", s.Err, s.Recipe)
	}
	// A header step (a name, no instruction) heads the steps after it;
	// with ingredients in two steps, each named step's heads its own.
	eqStrings(t, "salad ingredients", s.Recipe.Ingredients, []string{"3 tbsp good olive oil", "1 lettuce"})
	eqGroups(t, "salad ingredient groups", s.Recipe.IngredientGroups, extract.Group{Title: "Dressing", Start: 0}, extract.Group{Title: "Toss", Start: 1})
	eqStrings(t, "salad steps", s.Recipe.Steps, []string{"Toss the leaves with the dressing."})
	eqGroups(t, "salad step groups", s.Recipe.StepGroups, extract.Group{Title: "Toss", Start: 0})
	eqInt(t, "salad prep", s.Recipe.PrepMinutes, 10)
	if s.Recipe.CookMinutes != nil {
		t.Errorf("no waiting time is no cook time, got %d", *s.Recipe.CookMinutes)
	}
}

func TestTandoorNestedOneLevel(t *testing.T) {
	recipeJSON := jsonOf(t, map[string]any{"name": "Deep", "steps": []map[string]any{{"instruction": "Dig."}}})
	deeper := zipOf(t, entry{"recipe.json", recipeJSON})
	data := zipOf(t,
		// A recipe zip whose only recipe is in a zip inside it: not read.
		entry{"Russian doll.zip", zipOf(t, entry{"inner.zip", deeper})},
		// A recipe beside a zip: the recipe is read, the zip is not.
		entry{"Shallow.zip", zipOf(t, entry{"recipe.json", jsonOf(t, map[string]any{"name": "Shallow", "steps": []map[string]any{{"instruction": "Stay."}}})}, entry{"more.zip", deeper})},
		entry{"Not a zip.zip", []byte("plain text")},
	)
	items := mustRead(t, data, Tandoor, 3)
	if !errors.Is(items[0].Err, ErrBadRecipe) || items[0].Recipe != nil {
		t.Errorf("a zip in a zip in the archive was read: %v %+v", items[0].Err, items[0].Recipe)
	}
	if items[1].Err != nil || items[1].Recipe.Title != "Shallow" {
		t.Errorf("shallow: %v %+v", items[1].Err, items[1].Recipe)
	}
	if !errors.Is(items[2].Err, ErrBadRecipe) {
		t.Errorf("not a zip: %v", items[2].Err)
	}
}
