package extract

import (
	"strings"
	"testing"
)

func intp(n int) *int { return &n }

func TestFromText(t *testing.T) {
	cases := []struct {
		name, text string
		want       Recipe
	}{
		{
			name: "copied with headings",
			text: `Best Banana Bread
My grandma's recipe, moist and easy.
Serves 8
Prep time: 15 minutes | Cook: 1 hr 5 mins

Ingredients:
- 3 ripe bananas
- 1/3 cup melted butter
• ¾ cup sugar
For the topping:
2 tbsp oats

## Method
1. Preheat the oven to 175°C.
2) Mash the bananas.
Step 3
Bake for 60 minutes.

Notes
Keeps 3 days.`,
			want: Recipe{
				Title:            "Best Banana Bread",
				Description:      "My grandma's recipe, moist and easy.",
				Ingredients:      []string{"3 ripe bananas", "1/3 cup melted butter", "¾ cup sugar", "2 tbsp oats"},
				IngredientGroups: []Group{{Title: "For the topping:", Start: 3}},
				Steps:            []string{"Preheat the oven to 175°C.", "Mash the bananas.", "Bake for 60 minutes."},
				Yield:            "8 servings",
				Servings:         intp(8),
				PrepMinutes:      intp(15),
				CookMinutes:      intp(65),
				Via:              "text",
			},
		},
		{
			name: "without headings",
			text: "Pancakes\n2 Eggs\n1 cup flour\n½ tsp salt\n1. Whisk everything.\n2. Fry in butter until golden.\n",
			want: Recipe{
				Title:       "Pancakes",
				Ingredients: []string{"2 Eggs", "1 cup flour", "½ tsp salt"},
				Steps:       []string{"Whisk everything.", "Fry in butter until golden."},
				Via:         "text",
			},
		},
		{
			name: "caption with emoji bullets and hashtags",
			text: "🥞 Fluffy pancakes 🥞\nSunday vibes!\nMakes 12\n🥚 2 eggs\n🥛 1 cup milk\n🌾 1 cup flour\n" +
				"Whisk, rest 10 minutes, then fry each pancake in a little butter until golden on both sides.\n#pancakes #breakfast",
			want: Recipe{
				Title:       "Fluffy pancakes",
				Description: "Sunday vibes!",
				Ingredients: []string{"2 eggs", "1 cup milk", "1 cup flour"},
				Steps:       []string{"Whisk, rest 10 minutes, then fry each pancake in a little butter until golden on both sides."},
				Yield:       "12",
				Servings:    intp(12),
				Keywords:    []string{"pancakes", "breakfast"},
				Via:         "text",
			},
		},
		{
			name: "CRLF line endings and step groups",
			text: "Soup\r\nTotal time 45 min\r\nINGREDIENTS\r\n1 onion\r\n2 carrots\r\nDirections:\r\nFor the base:\r\nChop the onion and carrots.\r\nFor the soup\r\nSimmer everything for 30 minutes.\r\n",
			want: Recipe{
				Title:        "Soup",
				Ingredients:  []string{"1 onion", "2 carrots"},
				Steps:        []string{"Chop the onion and carrots.", "Simmer everything for 30 minutes."},
				StepGroups:   []StepGroup{{Title: "For the base:", Start: 0}, {Title: "For the soup", Start: 1}},
				TotalMinutes: intp(45),
				Via:          "text",
			},
		},
		{
			name: "German headings",
			text: "Kartoffelsalat\nFür 4 Personen\nZutaten\n1 kg Kartoffeln\n1 Zwiebel\nZubereitung\nKartoffeln kochen, schälen und in Scheiben schneiden.\nMit der Zwiebel mischen.",
			want: Recipe{
				Title:       "Kartoffelsalat",
				Ingredients: []string{"1 kg Kartoffeln", "1 Zwiebel"},
				Steps:       []string{"Kartoffeln kochen, schälen und in Scheiben schneiden.", "Mit der Zwiebel mischen."},
				Yield:       "4 Personen",
				Servings:    intp(4),
				Via:         "text",
			},
		},
		{
			name: "headings sharing a line, a link and a recipe-word title",
			text: "Recipe: Iced Coffee\nhttps://example.com/iced-coffee\nIngredients: 1 cup coffee\nIce\nMethod: Pour the coffee over the ice.",
			want: Recipe{
				Title:       "Iced Coffee",
				Ingredients: []string{"1 cup coffee", "Ice"},
				Steps:       []string{"Pour the coffee over the ice."},
				Via:         "text",
			},
		},
		{
			name: "a recipe card copied from a page",
			text: `Easy Lemon Bars
Tangy lemon bars on a buttery crust.
Prep Time 15 minutes
Servings 16 bars
Course Dessert
Author Dana
Ingredients
US Customary Metric
1x2x3x
Crust
▢ 1 cup all-purpose flour
▢ ½ cup butter softened
Filling
▢ 3 eggs
▢ salt
Instructions
Crust
Heat the oven to 175°C.
Filling
Whisk the eggs and pour over the crust.
Nutrition
Calories: 120kcal`,
			want: Recipe{
				Title:            "Easy Lemon Bars",
				Description:      "Tangy lemon bars on a buttery crust.",
				Ingredients:      []string{"1 cup all-purpose flour", "½ cup butter softened", "3 eggs", "salt"},
				IngredientGroups: []Group{{Title: "Crust", Start: 0}, {Title: "Filling", Start: 2}},
				Steps:            []string{"Heat the oven to 175°C.", "Whisk the eggs and pour over the crust."},
				StepGroups:       []StepGroup{{Title: "Crust", Start: 0}, {Title: "Filling", Start: 1}},
				Yield:            "16 bars",
				Servings:         intp(16),
				PrepMinutes:      intp(15),
				Author:           "Dana",
				Category:         []string{"Dessert"},
				Via:              "text",
			},
		},
		{
			name: "one line of junk",
			text: "hello there",
			want: Recipe{Title: "hello there", Via: "text"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sameRecipe(t, FromText(c.text), &c.want)
		})
	}
}

func TestFromTextFound(t *testing.T) {
	for text, want := range map[string]bool{
		"hello there":                    false,
		"":                               false,
		"Ingredients\n1 egg":             false, // no title: the first line is a heading
		"Boiled egg\nIngredients\n1 egg": true,
		"lol\n#food #yum":                false,
	} {
		if got := FromText(text).Found(); got != want {
			t.Errorf("FromText(%q).Found() = %v, want %v", text, got, want)
		}
	}
}

func TestFromTextBounded(t *testing.T) {
	// More text than MaxText, in lines that all look like ingredients:
	// the draft stays within maxLines.
	text := "Flour\n" + strings.Repeat("1 cup flour\n", MaxText/6)
	r := FromText(text)
	if len(r.Ingredients) != maxLines {
		t.Errorf("kept %d ingredient lines, want %d", len(r.Ingredients), maxLines)
	}
	// One endless line, and invalid UTF-8 cut at the limit: the title is
	// a title's length, the rest description.
	r = FromText(strings.Repeat("a\xff", MaxText))
	if len(r.Title) > maxTitleLen {
		t.Errorf("title of %d bytes", len(r.Title))
	}
	r = FromText("Best guacamole ever!! " + strings.Repeat("Mash two avocados with lime and salt, ", 5))
	if r.Title != "Best guacamole ever!!" {
		t.Errorf("title = %q", r.Title)
	}
}

func TestMetaLine(t *testing.T) {
	cases := []struct {
		line              string
		ok                bool
		prep, cook, total int
		yield             string
		servings          int
	}{
		{line: "Prep time: 15 minutes", ok: true, prep: 15},
		{line: "Cook: 1 hr 20 mins", ok: true, cook: 80},
		{line: "Total time 45 min", ok: true, total: 45},
		{line: "Prep: 10 min · Cook: 1.5 hours", ok: true, prep: 10, cook: 90},
		{line: "Zubereitungszeit: 1 Std. 10 Min.", ok: true, prep: 70},
		{line: "Serves 4", ok: true, yield: "4 servings", servings: 4},
		{line: "Yield: 8 servings", ok: true, yield: "8 servings", servings: 8},
		{line: "4 portions", ok: true, yield: "4 portions", servings: 4},
		{line: "Serves 4-6", ok: true, yield: "4-6 servings", servings: 4},
		{line: "Pour 4 personnes", ok: true, yield: "4 personnes", servings: 4},
		{line: "Pour 2 cups milk into the pan", ok: false},
		{line: "For 2 people", ok: true, yield: "2 people", servings: 2},
		{line: "Ingredients for 5 (small) servings", ok: true, yield: "5 (small) servings", servings: 5},
		{line: "Zutaten für 4 Personen", ok: true, yield: "4 Personen", servings: 4},
		{line: "Ingredients for 2 cups of sauce", ok: false},
		{line: "Bake for 2 hours", ok: false},
		{line: "Cuisson 1h10", ok: true, cook: 70},
		{line: "Cuisson 1h75", ok: false},
		{line: "Cook the pasta for 10 minutes", ok: false},
		{line: "Bake until golden", ok: false},
		{line: "2 cups flour", ok: false},
	}
	for _, c := range cases {
		r := &Recipe{}
		if ok := metaLine(c.line, r); ok != c.ok {
			t.Errorf("metaLine(%q) = %v, want %v", c.line, ok, c.ok)
			continue
		}
		if got := deref(r.PrepMinutes); got != c.prep {
			t.Errorf("%q: prep %d, want %d", c.line, got, c.prep)
		}
		if got := deref(r.CookMinutes); got != c.cook {
			t.Errorf("%q: cook %d, want %d", c.line, got, c.cook)
		}
		if got := deref(r.TotalMinutes); got != c.total {
			t.Errorf("%q: total %d, want %d", c.line, got, c.total)
		}
		if r.Yield != c.yield || deref(r.Servings) != c.servings {
			t.Errorf("%q: yield %q (%d), want %q (%d)", c.line, r.Yield, deref(r.Servings), c.yield, c.servings)
		}
	}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func TestStripStepNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1. Mix.":               "Mix.",
		"2) Bake.":              "Bake.",
		"Step 3: Serve.":        "Serve.",
		"Step 1In a pan, melt.": "In a pan, melt.",
		"Étape 2 - Cuire.":      "Cuire.",
		"4 Heat the oven.":      "Heat the oven.",
		"2 eggs, beaten":        "2 eggs, beaten",
		"1.5 litres of water":   "1.5 litres of water",
		"350°F oven":            "350°F oven",
		"12345 Mix":             "12345 Mix",
		"3":                     "3",
	} {
		if got := stripStepNumber(in); got != want {
			t.Errorf("stripStepNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeadingKind(t *testing.T) {
	for in, want := range map[string]sectionKind{
		"Ingredients":                    ingredientSection,
		"INGREDIENTS:":                   ingredientSection,
		"Zutaten für 4 Personen":         ingredientSection,
		"Les ingrédients de la recette":  ingredientSection,
		"Składniki":                      ingredientSection,
		"Ingrediënten":                   ingredientSection,
		"Method":                         stepSection,
		"Préparation :":                  stepSection,
		"Preparación":                    stepSection,
		"Procedimento":                   stepSection,
		"Bereiding":                      stepSection,
		"材料 （4人分）":                       ingredientSection,
		"Hozzávalók":                     ingredientSection,
		"Elkészítés":                     stepSection,
		"Notes":                          endSection,
		"Tips from our test kitchen":     endSection,
		"Variations":                     endSection,
		"Voir aussi :":                   endSection,
		"Tips and tricks are for later.": notSection,
		"Mix the dry ingredients together with a whisk until combined": notSection,
		"Chicken": notSection,
	} {
		if got := headingKind(in); got != want {
			t.Errorf("headingKind(%q) = %d, want %d", in, got, want)
		}
	}
}

func BenchmarkFromText(b *testing.B) {
	text := "Soup\nIngredients\n" + strings.Repeat("1 onion, chopped\n", 200) + "Method\n" + strings.Repeat("Simmer everything for a while, stirring.\n", 200)
	for b.Loop() {
		FromText(text)
	}
}
