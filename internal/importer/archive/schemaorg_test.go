package archive

import (
	"bytes"
	"errors"
	"testing"
)

const soupPage = `<!doctype html>
<html lang="en"><head><title>Carrot soup | Example</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Recipe", "name": "Carrot soup",
 "recipeIngredient": ["500 g carrots", "1 l stock"],
 "recipeInstructions": [{"@type": "HowToStep", "text": "Chop the carrots."}, {"@type": "HowToStep", "text": "Simmer in the stock."}],
 "recipeYield": "4", "cookTime": "PT25M", "image": "https://example.com/soup.jpg"}
</script></head>
<body><h1>Carrot soup</h1></body></html>`

func schemaOrgZip(t testing.TB) (data, beside, referenced []byte) {
	beside, referenced = jpegOf(t, 3), pngOf(t, 4)
	graph := map[string]any{
		"@context": "https://schema.org",
		"@graph": []map[string]any{
			{"@type": "WebPage", "name": "Pancakes page"},
			{"@type": "Recipe", "name": "Pancakes", "image": []string{"img/cover.png", "https://example.com/p.jpg"},
				"recipeIngredient":   []string{"200 g flour", "2 eggs"},
				"recipeInstructions": "Mix.\nFry.", "recipeYield": "4 servings", "prepTime": "PT15M", "keywords": "breakfast, quick"},
		},
	}
	data = zipOf(t,
		entry{"export/pancakes.jsonld", jsonOf(t, graph)},
		entry{"export/pancakes.JPG", beside},
		entry{"export/img/cover.png", referenced},
		entry{"export/soup.html", []byte(soupPage)},
		entry{"export/readme.txt", []byte("my recipes")},
		entry{"export/garbage.json", []byte(`{"@type": "Recipe", "name": `)},
		entry{"export/latin1.json", []byte("{\"@type\": \"Recipe\", \"name\": \"Cr\xe8me\", \"recipeIngredient\": [\"1 egg\"]}")},
		entry{"export/list.json", []byte(`{"items": [1, 2, 3]}`)},
	)
	return data, beside, referenced
}

func TestSchemaOrg(t *testing.T) {
	data, beside, referenced := schemaOrgZip(t)
	items := mustRead(t, data, SchemaOrg, 5)

	p := items[0]
	if p.Err != nil || p.Name != "export/pancakes.jsonld" {
		t.Fatalf("pancakes: %q %v", p.Name, p.Err)
	}
	r := p.Recipe
	if r.Title != "Pancakes" || r.Via != "json-ld" || r.ImageURL != "https://example.com/p.jpg" {
		t.Errorf("title %q via %q image %q", r.Title, r.Via, r.ImageURL)
	}
	eqStrings(t, "ingredients", r.Ingredients, []string{"200 g flour", "2 eggs"})
	eqStrings(t, "steps", r.Steps, []string{"Mix.", "Fry."})
	eqInt(t, "servings", r.Servings, 4)
	eqInt(t, "prep", r.PrepMinutes, 15)
	eqStrings(t, "keywords", r.Keywords, []string{"breakfast", "quick"})
	// The image the JSON-LD names inside the archive first, then the one
	// beside the page with its name.
	if len(p.Photos) != 2 || sum(p.Photos[0].Data) != sum(referenced) || sum(p.Photos[1].Data) != sum(beside) ||
		p.Photos[0].Role != RoleMain || p.Photos[0].Name != "export/img/cover.png" {
		t.Errorf("photos = %v", photoSummary(p.Photos))
	}

	s := items[1]
	if s.Err != nil || s.Recipe.Title != "Carrot soup" || s.Name != "export/soup.html" {
		t.Fatalf("soup: %q %v %+v", s.Name, s.Err, s.Recipe)
	}
	eqStrings(t, "soup ingredients", s.Recipe.Ingredients, []string{"500 g carrots", "1 l stock"})
	eqStrings(t, "soup steps", s.Recipe.Steps, []string{"Chop the carrots.", "Simmer in the stock."})
	eqInt(t, "soup cook", s.Recipe.CookMinutes, 25)
	if len(s.Photos) != 0 || s.Recipe.ImageURL != "https://example.com/soup.jpg" {
		t.Errorf("soup photos %v, image %q: the address is kept for the caller", photoSummary(s.Photos), s.Recipe.ImageURL)
	}

	for i, name := range []string{"export/garbage.json", "export/latin1.json", "export/list.json"} {
		it := items[2+i]
		if it.Name != name || !errors.Is(it.Err, ErrBadRecipe) || it.Recipe != nil {
			t.Errorf("%s: name %q, err %v, recipe %+v", name, it.Name, it.Err, it.Recipe)
		}
	}
}

func TestReadFiles(t *testing.T) {
	photo := jpegOf(t, 8)
	page := jsonOf(t, map[string]any{"@context": "https://schema.org", "@type": "Recipe", "name": "Flatbread",
		"recipeIngredient": []string{"300 g flour"}, "recipeInstructions": "Knead. Bake."})
	files := []File{
		{Name: "flatbread.json", R: bytes.NewReader(page), Size: int64(len(page))},
		{Name: "flatbread.jpeg", R: bytes.NewReader(photo), Size: int64(len(photo))},
	}
	var items []Item
	f, err := ReadFiles(files, func(it Item) error { items = append(items, it); return nil })
	if err != nil || f != SchemaOrg || len(items) != 1 {
		t.Fatalf("ReadFiles = %q, %d items, %v", f, len(items), err)
	}
	if items[0].Recipe.Title != "Flatbread" || len(items[0].Photos) != 1 || sum(items[0].Photos[0].Data) != sum(photo) {
		t.Errorf("flatbread: %+v %v", items[0].Recipe, photoSummary(items[0].Photos))
	}
	if cf, n, err := CountFiles(files); cf != SchemaOrg || n != 1 || err != nil {
		t.Errorf("CountFiles = %q, %d, %v", cf, n, err)
	}
}
