// Package archivetest makes recipe archives for tests, as the apps
// people move from export them: a Paprika .paprikarecipes file and a
// Mealie recipe export, with their photos.
package archivetest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"testing"
)

// Paprika is a .paprikarecipes export as Paprika 3 writes it: a zip
// of gzipped JSON recipes, the main photo in photo_data (base64) and more
// in photos.
func Paprika(t testing.TB, jpg, png []byte) []byte {
	t.Helper()
	recipes := []map[string]any{
		{"uid": "A1", "name": "Shakshuka", "servings": "2 servings", "prep_time": "10 mins", "cook_time": "20 mins",
			"ingredients": "1 onion, sliced\n2 peppers\n400 g tomatoes\n4 eggs", "directions": "Soften the onion and peppers.\nAdd the tomatoes.\nCrack in the eggs.",
			"source": "Ottolenghi", "source_url": "https://example.com/shakshuka", "categories": []string{"Breakfast"},
			"photo": "main.jpg", "photo_data": base64.StdEncoding.EncodeToString(jpg),
			"photos": []map[string]any{{"name": "1", "filename": "pan.png", "data": base64.StdEncoding.EncodeToString(png)}}},
		{"uid": "A2", "name": "Flatbread", "ingredients": "250 g flour\n150 ml water", "directions": "Knead.\n\nCook in a dry pan.",
			"photo_data": base64.StdEncoding.EncodeToString(png)},
		{"uid": "A3", "name": "Green Salad", "ingredients": "1 lettuce\nolive oil", "directions": "Toss.", "notes": "Dress at the table."},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, r := range recipes {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(j)
		w.Close()
		f, err := zw.Create(r["name"].(string) + ".paprikarecipe")
		if err != nil {
			t.Fatal(err)
		}
		f.Write(gz.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Mealie is a Mealie recipe export: recipes/<slug>/<slug>.json
// with the picture in recipes/<slug>/images/original.webp.
func Mealie(t testing.TB, webp []byte, extra ...[2]string) []byte {
	t.Helper()
	pancakes := map[string]any{
		"id": "5a3c1b2e-0000-4000-8000-000000000001", "slug": "pancakes", "name": "Pancakes", "description": "Sunday breakfast.",
		"recipe_servings": 4, "prep_time": "15 minutes", "perform_time": "PT20M", "org_url": "https://example.com/pancakes",
		"recipe_ingredient": []map[string]any{
			{"title": "Batter", "quantity": 200, "unit": map[string]any{"name": "gram", "abbreviation": "g", "use_abbreviation": true},
				"food": map[string]any{"name": "flour"}, "note": "sifted", "disable_amount": false},
			{"quantity": 2, "food": map[string]any{"name": "egg", "plural_name": "eggs"}, "disable_amount": false},
		},
		"recipe_instructions": []map[string]any{{"title": "", "text": "Whisk."}, {"title": "", "text": "Fry."}},
		"tags":                []map[string]any{{"name": "Quick", "slug": "quick"}},
		"recipe_category":     []map[string]any{{"name": "Breakfast", "slug": "breakfast"}},
	}
	j, err := json.Marshal(pancakes)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range append([][2]string{
		{"recipes/pancakes/pancakes.json", string(j)},
		{"recipes/pancakes/images/original.webp", string(webp)},
		{"recipes/pancakes/images/min-original.webp", string(webp)},
	}, extra...) {
		f, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
