package archive

import (
	"bytes"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

func eqGroups(t testing.TB, what string, got []extract.Group, want ...extract.Group) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

// paprikaExport is a .paprikarecipes with three recipes: one with
// photo_data, one with photos[], one whose JSON is broken.
func paprikaExport(t testing.TB) (data, mainPhoto, gallery1, gallery2 []byte) {
	mainPhoto, gallery1, gallery2 = jpegOf(t, 10), pngOf(t, 20), jpegOf(t, 30)
	pancakes := map[string]any{
		"uid":              "C918EB00-71BE-4AEE-A215-96373518F7A8",
		"name":             "Pancakes",
		"description":      "Fluffy and quick.",
		"ingredients":      "For the batter:\n200 g flour\n2 eggs\n\n300 ml milk\nFor the topping:\n2 tbsp maple syrup",
		"directions":       "1. Whisk the flour, eggs and milk.\n2. Rest for 10 minutes.\n\n3. Fry in a hot pan.",
		"notes":            "Keeps a day in the fridge.\nReheat in the oven.",
		"nutritional_info": "Calories: 250",
		"servings":         "4 servings",
		"prep_time":        "15 mins",
		"cook_time":        "1 hr 20 min",
		"total_time":       "",
		"source":           "Grandma's book",
		"source_url":       "https://example.com/pancakes",
		"image_url":        "https://example.com/pancakes.jpg",
		"photo":            "8F2A.jpg",
		"photo_data":       base64.StdEncoding.EncodeToString(mainPhoto),
		"photo_hash":       "abc",
		"categories":       []string{"Breakfast", "Sweet"},
		"rating":           5,
		"difficulty":       "Easy",
		"created":          "2024-01-02 10:11:12",
	}
	// A servings number where Paprika writes text, a photo whose base64
	// is broken into lines as some exporters write it, and the main
	// photo repeated among the others.
	b64 := base64.StdEncoding.EncodeToString(gallery2)
	soup := map[string]any{
		"name":        "Tomato soup",
		"ingredients": "1 kg tomatoes\n1 onion, chopped",
		"directions":  "Simmer everything.\nBlend.",
		"servings":    6,
		"prep_time":   "PT10M",
		"cook_time":   "30 minutes",
		"photos": []map[string]any{
			{"name": "Bowl", "filename": "bowl.png", "data": base64.StdEncoding.EncodeToString(gallery1)},
			{"filename": "pot.jpg", "data": b64[:20] + "\r\n" + b64[20:]},
			{"filename": "bowl-again.png", "data": base64.StdEncoding.EncodeToString(gallery1)},
		},
	}
	data = zipOf(t,
		entry{"Pancakes.paprikarecipe", gzipOf(t, jsonOf(t, pancakes))},
		entry{"Tomato soup.paprikarecipe", gzipOf(t, jsonOf(t, soup))},
		entry{"Broken.paprikarecipe", gzipOf(t, []byte(`{"name": "Broken", "ingredients": `))},
	)
	return data, mainPhoto, gallery1, gallery2
}

func TestPaprika(t *testing.T) {
	data, mainPhoto, gallery1, gallery2 := paprikaExport(t)
	items := mustRead(t, data, Paprika, 3)

	p := items[0]
	if p.Err != nil || p.Recipe == nil {
		t.Fatalf("Pancakes: %v", p.Err)
	}
	r := p.Recipe
	if p.Name != "Pancakes.paprikarecipe" || r.Title != "Pancakes" || r.Via != "paprika" {
		t.Errorf("name %q, title %q, via %q", p.Name, r.Title, r.Via)
	}
	eqStrings(t, "ingredients", r.Ingredients, []string{"200 g flour", "2 eggs", "300 ml milk", "2 tbsp maple syrup"})
	eqGroups(t, "ingredient groups", r.IngredientGroups,
		extract.Group{Title: "For the batter:", Start: 0}, extract.Group{Title: "For the topping:", Start: 3})
	eqStrings(t, "steps", r.Steps, []string{"Whisk the flour, eggs and milk.", "Rest for 10 minutes.", "Fry in a hot pan."})
	eqInt(t, "servings", r.Servings, 4)
	eqInt(t, "prep", r.PrepMinutes, 15)
	eqInt(t, "cook", r.CookMinutes, 80)
	eqInt(t, "total", r.TotalMinutes, 95)
	wantDesc := "Fluffy and quick.\n\nNotes:\nKeeps a day in the fridge.\nReheat in the oven.\n\nNutrition:\nCalories: 250"
	if r.Description != wantDesc {
		t.Errorf("description = %q, want %q", r.Description, wantDesc)
	}
	eqStrings(t, "category", r.Category, []string{"Breakfast", "Sweet"})
	if r.SourceURL != "https://example.com/pancakes" || r.ImageURL != "https://example.com/pancakes.jpg" || r.SiteName != "Grandma's book" {
		t.Errorf("source %q, image %q, site %q", r.SourceURL, r.ImageURL, r.SiteName)
	}
	if len(p.Photos) != 1 || sum(p.Photos[0].Data) != sum(mainPhoto) || p.Photos[0].Role != RoleMain ||
		p.Photos[0].Name != "Pancakes.paprikarecipe: 8F2A.jpg" {
		t.Errorf("photos = %+v", photoSummary(p.Photos))
	}

	s := items[1]
	if s.Err != nil || s.Recipe.Title != "Tomato soup" {
		t.Fatalf("soup: %v, %+v", s.Err, s.Recipe)
	}
	eqStrings(t, "soup ingredients", s.Recipe.Ingredients, []string{"1 kg tomatoes", "1 onion, chopped"})
	eqStrings(t, "soup steps", s.Recipe.Steps, []string{"Simmer everything.", "Blend."})
	eqInt(t, "soup servings", s.Recipe.Servings, 6)
	eqInt(t, "soup prep", s.Recipe.PrepMinutes, 10)
	eqInt(t, "soup cook", s.Recipe.CookMinutes, 30)
	// photos[]: the first is the main photo, the twin of it dropped.
	if len(s.Photos) != 2 || sum(s.Photos[0].Data) != sum(gallery1) || sum(s.Photos[1].Data) != sum(gallery2) ||
		s.Photos[0].Role != RoleMain || s.Photos[1].Role != RoleGallery || s.Photos[1].Name != "Tomato soup.paprikarecipe: pot.jpg" {
		t.Errorf("soup photos = %+v", photoSummary(s.Photos))
	}

	b := items[2]
	if b.Name != "Broken.paprikarecipe" || !errors.Is(b.Err, ErrBadRecipe) || b.Recipe != nil {
		t.Errorf("broken recipe: %q, err %v, recipe %+v", b.Name, b.Err, b.Recipe)
	}
	if !strings.Contains(b.Err.Error(), "Broken.paprikarecipe") {
		t.Errorf("the error %q does not name the file", b.Err)
	}
}

// photoSummary is photos without their bytes, for messages.
func photoSummary(ps []Photo) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+" "+string(p.Role)+" "+sum(p.Data)[:8])
	}
	return out
}

func TestPaprikaSingleRecipe(t *testing.T) {
	one := gzipOf(t, jsonOf(t, map[string]any{"name": "Toast", "ingredients": "1 slice bread", "directions": "Toast it."}))
	items := mustRead(t, one, Paprika, 1)
	if items[0].Err != nil || items[0].Recipe.Title != "Toast" || len(items[0].Recipe.Steps) != 1 {
		t.Errorf("lone recipe: %v %+v", items[0].Err, items[0].Recipe)
	}
}

func TestPaprikaPlainJSONEntry(t *testing.T) {
	// Some tools that write Paprika's format leave the JSON ungzipped.
	data := zipOf(t, entry{"a.paprikarecipe", jsonOf(t, map[string]any{"name": "Salad", "ingredients": "1 lettuce"})})
	items := mustRead(t, data, Paprika, 1)
	if items[0].Err != nil || items[0].Recipe.Title != "Salad" {
		t.Errorf("plain entry: %v %+v", items[0].Err, items[0].Recipe)
	}
}

func TestPaprikaPhotoLimits(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.photo = 1000 })
	big := bytes.Repeat([]byte{0xff, 0xd8, 1, 2}, 400) // 1600 bytes
	small := jpegOf(t, 99)
	data := zipOf(t, entry{"a.paprikarecipe", gzipOf(t, jsonOf(t, map[string]any{
		"name": "Stew", "ingredients": "1 carrot",
		"photo_data": base64.StdEncoding.EncodeToString(big),
		"photos": []map[string]any{
			{"filename": "bad.jpg", "data": "not base64 at all!"},
			{"filename": "ok.jpg", "data": base64.StdEncoding.EncodeToString(small)},
		},
	}))})
	items := mustRead(t, data, Paprika, 1)
	it := items[0]
	if it.Err != nil || it.Recipe.Title != "Stew" {
		t.Fatalf("a too-large photo cost the recipe: %v", it.Err)
	}
	if len(it.Photos) != 1 || sum(it.Photos[0].Data) != sum(small) || it.Photos[0].Role != RoleMain {
		t.Errorf("photos = %v, want only ok.jpg", photoSummary(it.Photos))
	}
	if len(it.PhotoErrs) != 2 || !errors.Is(it.PhotoErrs[0], ErrTooLarge) || !errors.Is(it.PhotoErrs[1], ErrBadPhoto) {
		t.Errorf("photo errors = %v", it.PhotoErrs)
	}
}
