package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func ptrInt(n int) *int { return &n }

// TestFromHTMLFixtures runs each hand-written page of testdata/ through
// FromHTML and compares the whole result.
func TestFromHTMLFixtures(t *testing.T) {
	const base = "https://page.example/recipe/1"
	tests := []struct {
		file string
		want Recipe
	}{
		{"jsonld_graph.html", Recipe{
			Title:       "Lemon Drizzle Cake",
			Description: "A moist lemon sponge with a crunchy sugar topping.",
			Ingredients: []string{"225 g unsalted butter, softened", "225 g caster sugar", "4 eggs", "Zest of 1 lemon"},
			Steps: []string{
				"Heat the oven to 180C.",
				"Beat the butter and sugar until pale.",
				"Mix the lemon juice with the sugar.",
				"Spoon the drizzle over the warm cake. Leave to cool in the tin.",
			},
			StepGroups:   []StepGroup{{"For the sponge", 0}, {"For the drizzle", 2}, {"Finish", 3}},
			Yield:        "8 slices",
			Servings:     ptrInt(8),
			PrepMinutes:  ptrInt(15),
			CookMinutes:  ptrInt(45),
			TotalMinutes: ptrInt(60),
			// The largest declared, relative to the page's <base href>;
			// with sizes declared, it wins over the share image.
			ImageURL:  "https://cdn.example.org/site/images/lemon-large.jpg",
			SourceURL: "https://www.example.org/recipes/lemon-drizzle-cake",
			Author:    "Ann Baker",
			Keywords:  []string{"cake", "lemon", "baking"},
			Cuisine:   []string{"British"},
			Category:  []string{"Dessert", "Cake"},
			Nutrition: map[string]string{"calories": "310 kcal", "fatContent": "14 g"},
			Language:  "en-GB",
			SiteName:  "Test Kitchen",
			Via:       "json-ld",
		}},
		{"microdata.html", Recipe{
			Title:        "Schwäbischer Kartoffelsalat",
			Description:  "Mit Brühe angemacht, & lauwarm serviert.",
			Ingredients:  []string{"1 kg festkochende Kartoffeln", "1 Zwiebel", "250 ml Brühe"},
			Steps:        []string{"Kartoffeln kochen und pellen.", "Zwiebel fein würfeln.", "Alles mit der warmen Brühe mischen."},
			Yield:        "4 Personen",
			Servings:     ptrInt(4),
			PrepMinutes:  ptrInt(20),
			CookMinutes:  ptrInt(25),
			TotalMinutes: ptrInt(45),
			ImageURL:     "https://page.example/bilder/kartoffelsalat.jpg",
			SourceURL:    "https://kochseite.example/rezepte/kartoffelsalat",
			Author:       "Berta Koch",
			Keywords:     []string{"Salat", "Kartoffeln"},
			Category:     []string{"Beilage"},
			Nutrition:    map[string]string{"calories": "250 kcal"},
			Language:     "de",
			SiteName:     "Kochseite",
			Via:          "microdata",
		}},
		{"rdfa.html", Recipe{
			Title:        "Fluffy Pancakes",
			Description:  "Thick American-style pancakes.",
			Ingredients:  []string{"200 g flour", "2 eggs", "300 ml milk"},
			Steps:        []string{"Whisk everything into a smooth batter.", "Fry ladlefuls in a hot pan until golden."},
			Yield:        "12 pancakes",
			Servings:     ptrInt(12),
			TotalMinutes: ptrInt(30),
			ImageURL:     "https://img.example.net/pancakes.jpg",
			SourceURL:    base,
			Author:       "Sam Cook",
			Language:     "en",
			Via:          "rdfa",
		}},
		{"broken_json.html", Recipe{
			Title:        "Tomato Soup",
			Description:  "A smooth soup.",
			Ingredients:  []string{"1 kg tomatoes", "1 onion"},
			Steps:        []string{"Chop the onion and the tomatoes.", "Simmer for an hour.", "Blend until smooth."},
			Yield:        "4",
			Servings:     ptrInt(4),
			TotalMinutes: ptrInt(90),
			// Relative to the page's <base href>, not to the page.
			ImageURL:  "https://static.soup.example/img/soup.jpg",
			SourceURL: base,
			Language:  "en",
			Via:       "json-ld",
		}},
		{"entities.html", Recipe{
			Title:       "Mac & Cheese",
			Description: "Creamy and quick.",
			Ingredients: []string{
				"250 g macaroni (elbow)",
				"2 cups milk",
				"200 g cheddar, grated",
				"1 tsp mustard, optional",
				"Chef's salt",
			},
			Steps:        []string{"Boil the macaroni.", "Make the sauce – whisk the milk.", "Mix & bake."},
			Yield:        "Serves 4-6",
			Servings:     ptrInt(6),
			TotalMinutes: ptrInt(45),
			ImageURL:     "https://img.cafe.example/mac.jpg",
			SourceURL:    base,
			Author:       "Jo, Lee",
			Language:     "en",
			Via:          "json-ld",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := FromHTML(page, base)
			if !reflect.DeepEqual(*got, tt.want) {
				g, _ := json.MarshalIndent(got, "", "  ")
				w, _ := json.MarshalIndent(tt.want, "", "  ")
				t.Errorf("FromHTML(%s):\n got %s\nwant %s", tt.file, g, w)
			}
			if !got.Found() {
				t.Errorf("Found() = false")
			}
		})
	}
}

// TestShareImage: which of og:image and the recipe's own first image a
// page imports with, when the recipe declares no image sizes.
func TestShareImage(t *testing.T) {
	const sized = `<meta property="og:image:width" content="1200"><meta property="og:image:height" content="800">`
	cases := []struct{ name, share, head, recipe, want string }{
		{"a share image with its size declared", "/share.jpg", sized, `["/full.jpg","/other.jpg"]`, "https://x.example/share.jpg"},
		{"a share image without a size", "/share.jpg", "", `["/full.jpg","/other.jpg"]`, "https://x.example/full.jpg"},
		{"the recipe's thumbnail", "/share.jpg", "", `["/thumb-150x150.jpg","/full.jpg"]`, "https://x.example/share.jpg"},
		{"the same photo larger in the recipe", "/img/800x800/tart.jpg", sized, `"/img/1600x1600/tart.jpg"`, "https://x.example/img/1600x1600/tart.jpg"},
		{"the same photo larger as the share image", "/tart_960x960.png", "", `"/tart_480x480.png"`, "https://x.example/tart_960x960.png"},
		{"no share image", "", "", `["/thumb-150x150.jpg","/full.jpg"]`, "https://x.example/thumb-150x150.jpg"},
		{"a logo for a share image", "/site-logo.png", sized, `"/full.jpg"`, "https://x.example/full.jpg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := c.head
			if c.share != "" {
				head += `<meta property="og:image" content="` + c.share + `">`
			}
			page := []byte(`<html><head>` + head + `<script type="application/ld+json">{"@type":"Recipe","name":"R","recipeIngredient":["1 egg"],
"image":` + c.recipe + `}</script></head></html>`)
			if got := FromHTML(page, "https://x.example/r").ImageURL; got != c.want {
				t.Errorf("image %q, want %q", got, c.want)
			}
		})
	}
}

// TestTitleFromHeadTitle: a structured name that is the page's <title>,
// rating and all, gives way to the heading that names the dish; a name
// without a separator stays as the recipe gives it.
func TestTitleFromHeadTitle(t *testing.T) {
	cases := []struct{ name, title, h1, want string }{
		{"Plum Tart Recipe - (4.5/5)", "Plum Tart Recipe - (4.5/5)", "Plum Tart", "Plum Tart"},
		{"Plum tart recipe", "Plum tart recipe", "Plum tart", "Plum tart recipe"},
		{"Plum Tart | Jar Life", "Plum Tart | Jar Life", "Our bakes", "Plum Tart | Jar Life"},
		{"Plum Tart | Jar Life", "Plum Tarts", "Plum Tart", "Plum Tart | Jar Life"},
	}
	for _, c := range cases {
		page := []byte(`<html><head><title>` + c.title + `</title><script type="application/ld+json">{"@type":"Recipe","name":"` +
			c.name + `","recipeIngredient":["4 plums"]}</script></head><body><h1>` + c.h1 + `</h1></body></html>`)
		if got := FromHTML(page, "https://x.example/r").Title; got != c.want {
			t.Errorf("name %q, <title> %q, <h1> %q: title %q, want %q", c.name, c.title, c.h1, got, c.want)
		}
	}
}

func TestYieldFromIngredientsHeading(t *testing.T) {
	page, err := os.ReadFile("testdata/yield-ingredients-heading.html")
	if err != nil {
		t.Fatal(err)
	}
	r := FromHTML(page, "https://example.com/muffins")
	if r.Servings == nil || *r.Servings != 5 || r.Yield != "5 (small) servings" {
		t.Errorf("yield %q servings %v, want 5 (small) servings, 5", r.Yield, r.Servings)
	}
}

func TestLooselyWrittenTimes(t *testing.T) {
	for _, c := range []struct {
		file              string
		prep, cook, total int
	}{
		{"times-loose.html", 10, 32, 42},
		{"times-hours-minutes.html", 15, 70, 85},
	} {
		page, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		r := FromHTML(page, "https://example.com/soup")
		if show(r.PrepMinutes) != show(&c.prep) || show(r.CookMinutes) != show(&c.cook) || show(r.TotalMinutes) != show(&c.total) {
			t.Errorf("%s: prep %s cook %s total %s, want %d %d %d", c.file,
				show(r.PrepMinutes), show(r.CookMinutes), show(r.TotalMinutes), c.prep, c.cook, c.total)
		}
	}
}
