package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// exportedPhoto is an entry of the export's photos.json as
// dataexport.writePhotos writes it: store.PhotoFile's fields and the
// file's path.
type exportedPhoto struct {
	ID       string `json:"id"`
	RecipeID string `json:"recipe_id,omitempty"`
	Role     string `json:"role"`
	Step     int    `json:"step,omitempty"`
	Alt      string `json:"alt,omitempty"`
	File     string `json:"file"`
}

func fp(f float64) *float64 { return &f }

func ownRecipes() []recipe.Recipe {
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	lasagne := recipe.Recipe{
		Summary: recipe.Summary{
			ID: "r1", Author: recipe.Author{ID: "u1", Username: "cook", DisplayName: "Cook"},
			Title: "Lasagne", Description: "Layers.\n\nMore layers.", PrepMinutes: intp(30), CookMinutes: intp(60), Servings: intp(6),
			Difficulty: recipe.Medium, Visibility: recipe.Unlisted, Tags: []string{"pasta", "oven"}, Categories: []string{"Mains"},
			CreatedAt: at, UpdatedAt: at, Photo: &recipe.Photo{ID: "m1", Alt: "The lasagne", Status: recipe.PhotoReady, Width: 4, Height: 3},
			Counts: recipe.Counts{},
		},
		SourceURL: "https://example.com/lasagne",
		Ingredients: []recipe.Ingredient{
			{Quantity: fp(500), Unit: "g", Name: "minced beef", Original: "500 g minced beef"},
			{Quantity: fp(2), QuantityMax: fp(3), Unit: "", Name: "onions", Note: "chopped", Original: "2-3 onions, chopped"},
			{Name: "salt", Note: "to taste", Original: "salt to taste"},
		},
		IngredientGroups: []recipe.IngredientGroup{{Title: "Ragù", Start: 0}, {Title: "Seasoning", Start: 2}},
		Steps:            []string{"Brown the beef.", "Add the onions.", "Bake."},
		StepGroups:       []recipe.StepGroup{{Title: "Sauce", Start: 0}, {Title: "Oven", Start: 2}},
		Photos: []recipe.Photo{
			{ID: "g2", Alt: "Cut", Status: recipe.PhotoReady},
			{ID: "g1", Alt: "Whole", Status: recipe.PhotoReady},
			{ID: "s1", Step: 2, Status: recipe.PhotoReady},
			{ID: "gone", Status: recipe.PhotoFailed},
		},
	}
	toast := recipe.Recipe{
		Summary: recipe.Summary{ID: "r2", Title: "Toast", Visibility: recipe.Private, CreatedAt: at, UpdatedAt: at},
		Steps:   []string{"Toast."},
	}
	return []recipe.Recipe{lasagne, toast}
}

// ownExport builds an export as internal/dataexport writes one.
func ownExport(t testing.TB, recs []recipe.Recipe, photos map[string][]byte) []byte {
	var all bytes.Buffer
	all.WriteString("[")
	for i, r := range recs {
		b, err := json.MarshalIndent(r, "  ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			all.WriteString(",")
		}
		all.WriteString("\n  ")
		all.Write(b)
	}
	all.WriteString("\n]\n")
	// photos.json in the store's order: by recipe, role, position.
	list := []exportedPhoto{
		{ID: "av", Role: "avatar", File: "photos/av.jpg"},
		{ID: "g2", RecipeID: "r1", Role: "gallery", Alt: "Cut", File: "photos/g2.jpg"},
		{ID: "g1", RecipeID: "r1", Role: "gallery", Alt: "Whole", File: "photos/g1.jpg"},
		{ID: "m1", RecipeID: "r1", Role: "main", Alt: "The lasagne", File: "photos/m1.jpg"},
		{ID: "s1", RecipeID: "r1", Role: "step", Step: 2, File: "photos/s1.jpg"},
	}
	photosJSON, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	entries := []entry{
		{"README.txt", []byte("RecCollection data export")},
		{"profile.json", []byte(`{"username": "cook"}`)},
		{"recipes/lasagne.json", jsonOf(t, map[string]any{"@type": "Recipe", "name": "Lasagne", "image": []string{"photos/m1.jpg"}})},
		{"recipes/toast.json", jsonOf(t, map[string]any{"@type": "Recipe", "name": "Toast"})},
		{"recipes.json", all.Bytes()},
	}
	for _, p := range list {
		entries = append(entries, entry{p.File, photos[p.ID]})
	}
	entries = append(entries, entry{"photos.json", photosJSON}, entry{"likes-saves-ratings.json", []byte("[]")})
	return zipOf(t, entries...)
}

func TestOwnExportRoundTrip(t *testing.T) {
	recs := ownRecipes()
	photos := map[string][]byte{"av": jpegOf(t, 1), "m1": jpegOf(t, 2), "g1": jpegOf(t, 3), "g2": jpegOf(t, 4), "s1": jpegOf(t, 3)}
	items := mustRead(t, ownExport(t, recs, photos), RecCollection, 2)

	for i, it := range items {
		if it.Err != nil || it.Exact == nil || it.Recipe != nil {
			t.Fatalf("item %d: err %v exact %v recipe %v", i, it.Err, it.Exact, it.Recipe)
		}
		if want := recipe.InputOf(recs[i]); !reflect.DeepEqual(*it.Exact, want) {
			t.Errorf("item %d: Exact = %+v\nwant %+v", i, *it.Exact, want)
		}
	}
	if items[0].Name != "recipes.json, recipe 1 (Lasagne)" {
		t.Errorf("name = %q", items[0].Name)
	}
	type got struct {
		id   string
		role PhotoRole
		step int
		alt  string
	}
	want := []got{{"m1", RoleMain, 0, "The lasagne"}, {"g2", RoleGallery, 0, "Cut"}, {"g1", RoleGallery, 0, "Whole"}, {"s1", RoleStep, 2, ""}}
	ps := items[0].Photos
	if len(ps) != len(want) {
		t.Fatalf("photos = %v, want %v", photoSummary(ps), want)
	}
	for i, w := range want {
		p := ps[i]
		// s1's bytes are g1's twin: both are kept, for the round trip.
		if sum(p.Data) != sum(photos[w.id]) || p.Role != w.role || p.Step != w.step || p.Alt != w.alt || p.Name != "photos/"+w.id+".jpg" {
			t.Errorf("photo %d = %s %s step %d alt %q, want %+v", i, p.Name, p.Role, p.Step, p.Alt, w)
		}
	}
	// A photo the recipe lists that the export has no file for (it had
	// failed) is noted, not fatal.
	if len(items[0].PhotoErrs) != 1 || !errors.Is(items[0].PhotoErrs[0], ErrBadPhoto) {
		t.Errorf("photo errors = %v", items[0].PhotoErrs)
	}
	if len(items[1].Photos) != 0 || len(items[1].PhotoErrs) != 0 {
		t.Errorf("toast photos = %v %v", photoSummary(items[1].Photos), items[1].PhotoErrs)
	}
}

func TestOwnExportInFolder(t *testing.T) {
	// A person unzipped their export and zipped its folder again.
	recs := ownRecipes()[1:]
	inner := ownExport(t, recs, nil)
	var entries []entry
	forEachEntry(t, inner, func(name string, data []byte) { entries = append(entries, entry{"My export/" + name, data}) })
	items := mustRead(t, zipOf(t, entries...), RecCollection, 1)
	if items[0].Exact == nil || items[0].Exact.Title != "Toast" || items[0].Name != "My export/recipes.json, recipe 1 (Toast)" {
		t.Errorf("item = %q %+v", items[0].Name, items[0].Exact)
	}
}

func TestOwnExportDamaged(t *testing.T) {
	good, _ := json.Marshal(ownRecipes()[1])
	cases := map[string]struct {
		recipes string
		items   int // recipes read before the damage
		err     error
	}{
		"cut short":        {"[" + string(good) + ",\n {\"id\": \"r3\", \"title\": ", 1, ErrDamaged},
		"not a list":       {`{"id": "r1"}`, 0, ErrDamaged},
		"wrong types only": {"[" + string(good) + `, {"id": 5, "title": ["x"]}]`, 2, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			data := zipOf(t, entry{"recipes.json", []byte(c.recipes)}, entry{"photos.json", []byte("[]")})
			var items []Item
			_, err := Read(bytes.NewReader(data), int64(len(data)), func(it Item) error { items = append(items, it); return nil })
			if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) || len(items) != c.items {
				t.Fatalf("err = %v after %d recipes, want %v after %d", err, len(items), c.err, c.items)
			}
			if name == "wrong types only" && (!errors.Is(items[1].Err, ErrBadRecipe) || items[0].Err != nil) {
				t.Errorf("a recipe of the wrong shape: %v, %v", items[0].Err, items[1].Err)
			}
		})
	}
}
