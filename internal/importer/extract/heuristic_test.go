package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// heuristicOf runs the heuristics alone on a page, as FromHTML does
// before it merges them with structured data.
func heuristicOf(t testing.TB, page []byte, baseURL string) *Recipe {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return heuristic(doc, baseURL)
}

// sameRecipe compares two drafts field by field through their JSON, so a
// failure shows both in full.
func sameRecipe(t *testing.T, got, want *Recipe) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if string(g) != string(w) {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}

func TestHeuristicPages(t *testing.T) {
	const base = "https://example.com/recipes/x"
	cases := []struct {
		file string
		want Recipe
	}{
		{"heur-wprm.html", Recipe{
			// The card's own name wins over og:title and <h1>; the image
			// resolves against <base href>; the checkbox's "▢", the Print
			// link and the script stay out of the lines; the group names
			// head the ingredients' sections.
			Title:            "Easy Lemon Bars",
			Description:      "Tangy lemon bars on a buttery crust.",
			Ingredients:      []string{"1 cup all-purpose flour", "½ cup butter (softened)", "3 eggs", "2 lemons (juice & zest)"},
			IngredientGroups: []Group{{Title: "Crust", Start: 0}, {Title: "Filling", Start: 2}},
			Steps: []string{
				"Heat the oven to 175°C.",
				"Press the dough into a pan and bake 15 minutes.",
				"Whisk the eggs, lemon juice and zest; pour over the crust and bake 20 minutes.",
			},
			StepGroups: []StepGroup{{Title: "Crust", Start: 0}, {Title: "Filling", Start: 2}},
			ImageURL:   "https://cdn.example.org/media/img/lemon-bars.jpg",
			Author:     "Dana Baker",
			Language:   "en-US",
			SiteName:   "Sunny Kitchen",
			Via:        "heuristic",
		}},
		{"heur-tasty.html", Recipe{
			// The navigation's "Ingredients" link is no heading;
			// twitter:image stands in for og:image.
			Title:       "Weeknight Chili",
			Description: "A quick chili with beans.",
			Ingredients: []string{"1 tbsp olive oil", "500 g minced beef", "1 can (400 g) kidney beans, drained"},
			Steps:       []string{"Brown the beef in the oil.", "Add the beans and simmer 20 minutes."},
			ImageURL:    "https://example.com/images/chili.jpg",
			Language:    "en",
			Via:         "heuristic",
		}},
		{"heur-german.html", Recipe{
			// "Zutaten für 12 Stücke" opens the ingredients; the
			// sub-headings "Für den Teig:" are not lines but sections;
			// "Tipps" ends the steps.
			Title:            "Apfelkuchen vom Blech",
			Ingredients:      []string{"250 g Mehl", "125 g Butter", "1 Ei", "1 kg Äpfel", "2 EL Zucker"},
			IngredientGroups: []Group{{Title: "Für den Teig:", Start: 0}, {Title: "Für den Belag:", Start: 3}},
			Steps: []string{
				"Mehl, Butter und Ei zu einem Teig verkneten.",
				"Die Äpfel schälen, in Spalten schneiden und auf dem Teig verteilen.",
				"Bei 180 °C 40 Minuten backen.",
			},
			ImageURL: "https://backstube.example/bilder/apfelkuchen.jpg",
			Language: "de",
			SiteName: "Backstube Lenz",
			Via:      "heuristic",
		}},
		{"heur-french.html", Recipe{
			// Bold headings with a colon, check boxes before lines,
			// "Étape 1 :" numbering; the site's name leaves the og:title.
			Title:       "Quiche lorraine",
			Description: "La vraie quiche lorraine.",
			Ingredients: []string{"1 pâte brisée", "200 g de lardons", "3 œufs", "20 cl de crème fraîche"},
			Steps: []string{
				"Préchauffer le four à 200 °C.",
				"Faire revenir les lardons.",
				"Battre les œufs avec la crème, verser sur la pâte avec les lardons et cuire 30 minutes.",
			},
			Language: "fr",
			SiteName: "La Cuisine de Marie",
			Via:      "heuristic",
		}},
		{"heur-spanish.html", Recipe{
			// A table of ingredients, steps in elements classed as steps.
			Title:       "Tortilla de patatas",
			Ingredients: []string{"4 patatas", "6 huevos", "1 cebolla"},
			Steps: []string{
				"Pelar y cortar las patatas en láminas finas.",
				"Freír las patatas y la cebolla a fuego lento.",
				"Mezclar con los huevos batidos y cuajar por ambos lados.",
			},
			Language: "es",
			Via:      "heuristic",
		}},
		{"heur-blog.html", Recipe{
			// The story's "Ingredients" section loses to the recipe's;
			// nested lists' names and h3 sub-headings become groups;
			// Notes and Comments are left out.
			Title:            "Chicken Pot Pie",
			IngredientGroups: []Group{{Title: "For the filling", Start: 0}, {Title: "For the crust", Start: 3}},
			Ingredients: []string{
				"2 cups cooked chicken, shredded", "1 cup frozen peas and carrots",
				"2 cups chicken stock", "1 sheet puff pastry", "1 egg, beaten",
			},
			Steps: []string{
				"Melt the butter in a large pan and stir in the flour.",
				"Whisk in the stock and simmer until thick, then add the chicken and vegetables.",
				"Pour the filling into a dish, cover with the pastry and brush with the egg.",
				"Bake at 200°C for 25 minutes.",
			},
			StepGroups: []StepGroup{{Title: "Make the filling", Start: 0}, {Title: "Bake", Start: 2}},
			Language:   "en",
			Via:        "heuristic",
		}},
		{"heur-paragraphs.html", Recipe{
			// No lists at all: paragraphs split at <br>; the <noscript>
			// "Ingredients" is not read.
			Title:       "Grandma's Scones",
			Ingredients: []string{"2 cups flour", "1 tbsp baking powder", "1/4 cup butter", "3/4 cup milk"},
			Steps: []string{
				"Rub the butter into the flour and baking powder.",
				"Stir in the milk to a soft dough, cut rounds and bake at 220°C for 12 minutes.",
			},
			ImageURL: "https://images.example.net/scones.jpg",
			Via:      "heuristic",
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page, err := os.ReadFile("testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			sameRecipe(t, heuristicOf(t, page, base), &c.want)
		})
	}
}

func TestHeuristicTitle(t *testing.T) {
	cases := []struct{ name, head, body, want string }{
		{"og:title without the site's name", `<meta property="og:title" content="Fig Jam | Jar Life"><meta property="og:site_name" content="Jar Life">`, "", "Fig Jam"},
		{"og:title without the host's name", `<meta property="og:title" content="Fig Jam - Jar Life">`, "", "Fig Jam"},
		{"og:title keeps a dash of its own", `<meta property="og:title" content="Fig Jam - Quick and Easy">`, "", "Fig Jam - Quick and Easy"},
		{"h1 before <title>", `<title>Fig Jam Recipe | Jar Life</title>`, "<h1>Fig Jam</h1>", "Fig Jam"},
		{"<title> loses its suffix", `<title>Fig Jam · Jams</title>`, "", "Fig Jam"},
		{"the word recipe before", `<meta property="og:title" content="Recette : Quiche lorraine">`, "", "Quiche lorraine"},
		{"the word recipe after", `<meta property="og:title" content="Lemon Posset Recipe | JarLife.com">`, "", "Lemon Posset"},
		{"recipe by someone", "", "<h1>Lau Chingri recipe by Bong Eats</h1>", "Lau Chingri"},
		{"entities escaped twice", `<meta property="og:title" content="Gratinée à l&amp;#039;emmental">`, "", "Gratinée à l'emmental"},
		{"nothing", "", "<p>hello</p>", ""},
		{"the heading in the page's own case", `<meta property="og:title" content="FIG JAM WITH THYME │ JAR LIFE │ PRESERVES">`, "<h1>Fig jam with thyme</h1>", "Fig jam with thyme"},
		{"the heading keeps the word recipe it shows", `<meta property="og:title" content="Fig Jam Recipe">`, "<h1>Fig Jam Recipe</h1>", "Fig Jam Recipe"},
		{"the heading with a note of its own", `<meta property="og:title" content="Fig Jam Recipe - Jar Life | Preserves">`, "<h1>Fig Jam (with Honey)</h1>", "Fig Jam (with Honey)"},
		{"the heading the title confirms, not a logo", `<title>Recipe - Fig Jam | Jar Life</title>`, "<h1>Jar Life</h1><h1>For the pantry</h1><h1>Fig Jam</h1>", "Fig Jam"},
		{"a heading the head does not name", `<meta property="og:title" content="Fig Jam">`, "<h1>Welcome</h1>", "Fig Jam"},
		{"og:title naming only the site", `<meta property="og:title" content="Jar Life"><title>Jar Life — fig jam</title>`, "<h1>fig jam</h1>", "fig jam"},
		{"not a heading naming the site's section", `<title>Fig Jam | Recipes | Jar Life</title>`, "<h1>Recipes</h1><h1>Fig Jam</h1>", "Fig Jam"},
		{"the dish before the section", `<title>Fig Jam | Preserves | Jar Life</title>`, "<h1>Preserves</h1><h1>Fig jam</h1>", "Fig jam"},
		{"og:title naming only the site, no heading", `<meta property="og:title" content="Jar Life"><title>Fig Jam | Jar Life</title>`, "", "Fig Jam"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := "<html><head>" + c.head + "</head><body>" + c.body + "</body></html>"
			if got := heuristicOf(t, []byte(page), "https://www.jarlife.com/fig-jam").Title; got != c.want {
				t.Errorf("title = %q, want %q", got, c.want)
			}
		})
	}
}

// TestHeadingImage: a page without a share image shows its dish in the
// first picture after its title heading, not in its menu, and not in an
// icon.
func TestHeadingImage(t *testing.T) {
	cases := []struct{ name, head, body, want string }{
		{"the picture after the heading", "", `<nav><img src="/menu.jpg"></nav><h1>Fig Jam</h1><p>Sweet.</p><div><img src="/icons/print-icon.png"><img src="data:image/gif;base64,R0lGOD" data-src="/figs.jpg"></div>`, "https://www.jarlife.com/figs.jpg"},
		{"not the menu after it", "", `<h1>Fig Jam</h1><nav><img src="/menu.jpg"></nav>`, ""},
		{"the share image first", `<meta property="og:image" content="/share.jpg">`, `<h1>Fig Jam</h1><img src="/figs.jpg">`, "https://www.jarlife.com/share.jpg"},
		{"not a share image that is the site's logo", `<meta property="og:image" content="/media/logo.png">`, `<h1>Fig Jam</h1><img src="/figs.jpg">`, "https://www.jarlife.com/figs.jpg"},
		{"no heading", "", `<img src="/figs.jpg">`, ""},
		{"not a placeholder behind an image proxy", "", `<h1>Fig Jam</h1><img src="/_next/image?url=%2Fstatic%2FdishPlaceholder.png&w=800"><p><img src="/media/figs.jpg"></p>`, "https://www.jarlife.com/media/figs.jpg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := "<html><head>" + c.head + "</head><body>" + c.body + "</body></html>"
			if got := heuristicOf(t, []byte(page), "https://www.jarlife.com/fig-jam").ImageURL; got != c.want {
				t.Errorf("image = %q, want %q", got, c.want)
			}
		})
	}
}

func TestIsLogo(t *testing.T) {
	for u, want := range map[string]bool{
		"https://x.example/media/logo.png":                        true,
		"https://x.example/img/site-icon-512.png?v=2":             true,
		"https://x.example/api/image?src=%2FimgFallback.jpg":      true,
		"https://x.example/wp-content/uploads/lazyPlaceholder":    true,
		"https://x.example/uploads/iconic-fig-cake.jpg":           false,
		"https://x.example/logos/fig-jam.jpg":                     false,
		"https://x.example/_next/image?url=%2Fuploads%2Ffigs.jpg": false,
	} {
		if got := isLogo(u); got != want {
			t.Errorf("isLogo(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestHeuristicImageSchemes(t *testing.T) {
	// Only http(s) images: a javascript: or data: URL is not an image to
	// fetch.
	for _, img := range []string{"javascript:alert(1)", "data:image/png;base64,AAAA"} {
		page := `<html><head><meta property="og:image" content="` + img + `"></head></html>`
		if got := heuristicOf(t, []byte(page), "https://example.com/").ImageURL; got != "" {
			t.Errorf("image %q gave %q", img, got)
		}
	}
}

func TestHeuristicNoRecipe(t *testing.T) {
	page := `<html><head><title>About us</title></head><body><h2>Ingredients</h2><p>We care about them.</p></body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if len(r.Steps) != 0 {
		t.Errorf("steps = %q", r.Steps)
	}
	if r.Via != "heuristic" {
		t.Errorf("via = %q", r.Via)
	}
	if got := heuristicOf(t, nil, "").Found(); got {
		t.Error("an empty page was found to be a recipe")
	}
}

func TestHeuristicBoundsLines(t *testing.T) {
	// A hostile page with far more lines than any recipe: the draft keeps
	// at most maxLines of each.
	var b strings.Builder
	b.WriteString("<html><body><h2>Ingredients</h2><ul>")
	for range 3 * maxLines {
		b.WriteString("<li>1 cup flour</li>")
	}
	b.WriteString("</ul><h2>Instructions</h2><ol>")
	for range 3 * maxLines {
		b.WriteString("<li>Stir the flour into the bowl.</li>")
	}
	b.WriteString("</ol></body></html>")
	r := heuristicOf(t, []byte(b.String()), "https://example.com/")
	if len(r.Ingredients) != maxLines || len(r.Steps) != maxLines {
		t.Errorf("kept %d ingredients and %d steps, want %d each", len(r.Ingredients), len(r.Steps), maxLines)
	}
}

func TestHeuristicDeepNesting(t *testing.T) {
	// Deeply nested markup (as deep as the parser accepts, 512 open
	// elements) and many headings still give a bounded draft.
	var b strings.Builder
	b.WriteString("<html><body>")
	for range 500 {
		b.WriteString("<div>")
	}
	for range 500 {
		b.WriteString("<h3>Ingredients</h3><p>1 egg</p><h3>Method</h3><p>Boil the egg for seven minutes.</p>")
	}
	b.WriteString("</body></html>")
	r := heuristicOf(t, []byte(b.String()), "https://example.com/")
	if len(r.Ingredients) == 0 || len(r.Ingredients) > maxLines || len(r.Steps) > maxLines {
		t.Errorf("got %d ingredients and %d steps", len(r.Ingredients), len(r.Steps))
	}
}

func BenchmarkHeuristic(b *testing.B) {
	page, err := os.ReadFile("testdata/heur-blog.html")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		heuristicOf(b, page, "https://example.com/")
	}
}

func TestHeuristicCardImage(t *testing.T) {
	// Without og:image, the card's photo: the widest of its srcset, past
	// the lazy loader's placeholder, made absolute.
	page := `<html><body><div class="wprm-recipe"><div class="wprm-recipe-image">
<img src="data:image/svg+xml,%3Csvg%3E" data-lazy-srcset="/a-300.jpg 300w, /a-1200.jpg 1200w, /a-600.jpg 600w">
</div><ul><li class="wprm-recipe-ingredient">1 egg</li></ul></div></body></html>`
	if got, want := heuristicOf(t, []byte(page), "https://example.com/r/1").ImageURL, "https://example.com/a-1200.jpg"; got != want {
		t.Errorf("image = %q, want %q", got, want)
	}
	// og:image, when there is one, wins.
	page = `<html><head><meta property="og:image" content="https://cdn.example.com/og.jpg"></head>` + page[6:]
	if got, want := heuristicOf(t, []byte(page), "https://example.com/r/1").ImageURL, "https://cdn.example.com/og.jpg"; got != want {
		t.Errorf("image = %q, want %q", got, want)
	}
}

func TestHeuristicAlikeElements(t *testing.T) {
	// Markup that says nothing (generated class names, no lists): one
	// element per line, repeated, after each heading.
	page := `<html><head><title>Lemon Cake</title></head><body>
<div class="x1"><h3 class="x2">Ingredients</h3><p class="x3">10 servings</p>
<div class="x4"><a class="x5"><b>2</b> <span>lemons</span></a><a class="x5"><b>1 cup</b> <span>sugar</span></a></div></div>
<div class="x1"><h3 class="x2">Instructions</h3><div class="x6">
<div class="x7">Mix the sugar with the lemon zest.</div><div class="x7">Bake for 50 minutes.</div></div></div>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	sameRecipe(t, r, &Recipe{
		Title:       "Lemon Cake",
		Ingredients: []string{"2 lemons", "1 cup sugar"},
		Steps:       []string{"Mix the sugar with the lemon zest.", "Bake for 50 minutes."},
		Yield:       "10 servings",
		Servings:    intPtr(10),
		Via:         "heuristic",
	})
}

func TestHeuristicTimesAndYield(t *testing.T) {
	// A blog without structured data: the times and yield sit in short
	// lines of their own; a story that mentions times, a step's duration
	// and a later "Serves 12" from another recipe are not read.
	page := `<html><head><title>Soda Bread</title></head><body>
<p>We baked this for an hour one rainy Sunday, then ate it all in 10 minutes flat with butter.</p>
<ul class="meta"><li><strong>Prep time:</strong> 15 minutes</li><li>Cook: 1 hr 5 mins</li></ul>
<p><b>Serves</b> 8</p>
<h2>Ingredients</h2><ul><li>500 g flour</li><li>400 ml buttermilk</li></ul>
<h2>Method</h2><ol><li>Mix.</li><li>Bake for 40 minutes.</li></ol>
<aside><p>Serves 12</p><p>Total time: 3 hours</p></aside>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if r.Yield != "8 servings" {
		t.Errorf("yield %q", r.Yield)
	}
	if r.Servings == nil || *r.Servings != 8 {
		t.Errorf("servings %v, want 8", r.Servings)
	}
	if r.PrepMinutes == nil || *r.PrepMinutes != 15 || r.CookMinutes == nil || *r.CookMinutes != 65 {
		t.Errorf("prep %v cook %v, want 15 and 65", r.PrepMinutes, r.CookMinutes)
	}
	// The first line to give a field gives it: the aside's total time is
	// the only total on the page, so it is read; its yield is not.
	if r.TotalMinutes == nil || *r.TotalMinutes != 180 {
		t.Errorf("total %v, want 180", r.TotalMinutes)
	}
}

func TestHeuristicTimesLaidOut(t *testing.T) {
	// Times as pages lay them out: lines split by <br>, a label in one
	// box and its value in the next, a yield ending in a colon. Without a
	// total the page's prep and cook times add up to one. A label whose
	// next line is no value is forgotten.
	cases := []struct {
		name              string
		body              string
		prep, cook, total int
		yield             string
		servings          int
	}{
		{"br", `<p>Prep: 10 mins<br>Cook: 25 mins<br>Serves 4</p>`, 10, 25, 35, "4 servings", 4},
		{"label boxes", `<dl><dt>Preparation time:</dt><dd>30 mins</dd><dt>Cooking time</dt><dd>13 mins</dd></dl>`, 30, 13, 43, "", 0},
		{"total box", `<div><div>Totale tijd</div><div>20 minuten</div></div>`, 0, 0, 20, "", 0},
		{"yield colon", `<p>Pour 2 personnes :</p>`, 0, 0, 0, "2 personnes", 2},
		{"label without value", `<p>Cooking time</p><p>Depends on the oven.</p><p>45 minutes</p>`, 0, 0, 0, "", 0},
	}
	for _, c := range cases {
		page := `<html><body>` + c.body + `<h2>Ingredients</h2><ul><li>500 g flour</li></ul></body></html>`
		r := heuristicOf(t, []byte(page), "https://example.com/")
		if deref(r.PrepMinutes) != c.prep || deref(r.CookMinutes) != c.cook || deref(r.TotalMinutes) != c.total {
			t.Errorf("%s: prep %d cook %d total %d, want %d %d %d", c.name,
				deref(r.PrepMinutes), deref(r.CookMinutes), deref(r.TotalMinutes), c.prep, c.cook, c.total)
		}
		if r.Yield != c.yield || deref(r.Servings) != c.servings {
			t.Errorf("%s: yield %q (%d), want %q (%d)", c.name, r.Yield, deref(r.Servings), c.yield, c.servings)
		}
	}
}

func TestHeuristicBareLists(t *testing.T) {
	// No heading names a section: the list of amounts is the ingredients,
	// the next list of sentences the steps; the menu's list is neither.
	page := `<html><head><title>Chicken Salad</title></head><body>
<ul><li><a href="/">Home</a></li><li><a href="/r">Recipes</a></li></ul>
<h1>Chicken Salad</h1>
<ul><li>6 cups chicken, shredded</li><li>3 cups grapes, halved</li><li>½ cup blue cheese</li><li>Salt</li></ul>
<ol><li>Toss the chicken with the grapes and the cheese.</li><li>Season with salt and chill for an hour before serving.</li></ol>
</body></html>`
	sameRecipe(t, heuristicOf(t, []byte(page), "https://example.com/"), &Recipe{
		Title:       "Chicken Salad",
		Ingredients: []string{"6 cups chicken, shredded", "3 cups grapes, halved", "½ cup blue cheese", "Salt"},
		Steps:       []string{"Toss the chicken with the grapes and the cheese.", "Season with salt and chill for an hour before serving."},
		Via:         "heuristic",
	})
}

func TestTextOf(t *testing.T) {
	for in, want := range map[string]string{
		"<b>2</b><span>eggs</span>":                        "2 eggs",
		"1 tsp (<span>4</span><span>g</span>) salt":        "1 tsp (4g) salt",
		"<span>1½</span><span>cups</span> flour":           "1½ cups flour",
		"<p>a</p><p>b</p>":                                 "a b",
		"x<script>y</script><style>z</style>":              "x",
		`<span class="sr-only">▢</span>▢ 1 egg`:            "1 egg",
		"\u200b\u200b3 eggs\u2063":                         "3 eggs",
		`<span aria-hidden="true">★</span>Bake`:            "Bake",
		`<span class="visually-hidden">Step</span>Stir`:    "Stir",
		`<span class="u-visuallyhidden">(US)</span>Fold`:   "Fold",
		`<span class="is-visually-hidden">Open</span> tab`: "Open tab",
	} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<div id=t>" + in + "</div>"))
		if err != nil {
			t.Fatal(err)
		}
		if got := textOf(doc.Find("#t").Nodes[0]); got != want {
			t.Errorf("textOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsJunkLine(t *testing.T) {
	for line, want := range map[string]bool{
		"Print Recipe":              true,
		"Jump to Recipe":            true,
		"Step 3":                    true,
		"Prep Time: 5 mins":         true,
		"10 min":                    true,
		"Keywords: frittata, eggs":  true,
		"Pinterest":                 true,
		"":                          true,
		"Bake 25 minutes.":          false,
		"Cook the pasta for 10 min": false,
		"1 cup flour":               false,
		"Print the labels and glue": false,
		"Last step! If you make these, please leave a review below.": true,
		"Serve, and tag us on the socials!":                          true,
		"Volg ons ook op Pinterest en bewaar dit recept!":            true,
		"Also try: our lemon tart with a crisp base.":                true,
		"Leave the dough to rest for a review of the crumb":          false,
	} {
		if got := isJunkLine(line); got != want {
			t.Errorf("isJunkLine(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestHeuristicParagraphsInOneItem(t *testing.T) {
	// Steps in one list item split by blank lines, and a "method text"
	// block holding paragraphs: one step per paragraph either way.
	page := `<html><head><title>Cream</title></head><body>
<h2>Ingredients</h2><ul><li>1 cup cream</li><li>2 tbsp sugar</li></ul>
<h2>Directions</h2><ul class="directions"><li>Whip the cream.<br/><br/>Fold in the sugar.</li></ul>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if want := []string{"Whip the cream.", "Fold in the sugar."}; strings.Join(r.Steps, "|") != strings.Join(want, "|") {
		t.Errorf("steps = %q, want %q", r.Steps, want)
	}
	page = `<html><head><title>Cream</title></head><body>
<h2>Method</h2><div class="hf-method__text"><p>Whip the cream.</p><p>Fold in the sugar.</p></div>
</body></html>`
	r = heuristicOf(t, []byte(page), "https://example.com/")
	if want := []string{"Whip the cream.", "Fold in the sugar."}; strings.Join(r.Steps, "|") != strings.Join(want, "|") {
		t.Errorf("steps = %q, want %q", r.Steps, want)
	}
}

func TestHeuristicTimeLabelIsNoHeading(t *testing.T) {
	// "Preparation" labels a time in the summary box; the steps are under
	// the later "Preparation" heading.
	page := `<html><head><title>Jam</title></head><body>
<div class="facts"><div><span>Preparation</span> 20 min</div><div><span>Cooking</span> 10 min</div></div>
<h2>Ingredients</h2><ul><li>1 kg plums</li><li>500 g sugar</li></ul>
<h2>Preparation</h2><ol><li>Cook the plums with the sugar.</li><li>Fill the jars.</li></ol>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if want := "Cook the plums with the sugar.|Fill the jars."; strings.Join(r.Steps, "|") != want {
		t.Errorf("steps = %q, want %q", r.Steps, want)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
	if k := asHeading(doc.Find(".facts span").Nodes[0]); k != notSection {
		t.Errorf("the time label reads as a heading of kind %d", k)
	}
}

func TestHeuristicGroupsAtSectionLevel(t *testing.T) {
	// The group names have the level of the Ingredients heading itself:
	// once the first did, the next is a group too, not the section's end.
	page := `<html><head><title>Pasta Bake</title></head><body>
<h3>Ingredients</h3>
<div class="list"><h3>Sauce</h3><div class="list-ingredient">20 g butter</div><div class="list-ingredient">200 ml milk</div></div>
<div class="list"><h3>Pasta</h3><div class="list-ingredient">400 g penne</div></div>
<h3>Preparation</h3><ol><li>Make the sauce.</li><li>Bake the pasta in it.</li></ol>
<h3>More recipes</h3><ul><li>Cheese soufflé</li></ul>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Ingredients, "|"), "20 g butter|200 ml milk|400 g penne"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
	// A heading of the section's level after lines, with no group named
	// at that level before, still ends it.
	page = strings.Replace(page, "<h3>Sauce</h3>", "", 1)
	r = heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Ingredients, "|"), "20 g butter|200 ml milk"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
}

func TestHeuristicStepsWithoutHeading(t *testing.T) {
	// No heading names the method: what follows the ingredients is read
	// as a person would. The comment form is never a step.
	for _, c := range []struct {
		name, after string
		want        string
	}{
		{"paragraphs", `<hr><p>Whisk the eggs with the milk.</p><p>Fry in butter until golden.</p>
<div class="related"><p>More breakfasts</p></div>`,
			"Whisk the eggs with the milk.|Fry in butter until golden."},
		{"a heading, then a list of sentences", `<h2>Let's get cooking</h2>
<ol><li>Whisk the eggs with the milk and a pinch of salt.</li><li>Fry in butter until golden on both sides.</li></ol>`,
			"Whisk the eggs with the milk and a pinch of salt.|Fry in butter until golden on both sides."},
		{"a story, a heading, then the list", `<div><p>My grandmother made these every Sunday morning.</p><p>We ate them hot.</p></div>
<h2>How we make them</h2><ol><li>Whisk the eggs with the milk and a pinch of salt.</li><li>Fry in butter until golden on both sides.</li></ol>`,
			"Whisk the eggs with the milk and a pinch of salt.|Fry in butter until golden on both sides."},
		{"a list of links", `<ul><li><a href="/a">Crêpes</a></li><li><a href="/b">Waffles</a></li></ul><p>Fry in butter.</p>`, ""},
		{"a comment form", `<form><p>Your e-mail address will not be published.</p><p>Name *</p></form>`, ""},
	} {
		page := `<html><head><title>Pancakes</title></head><body><h1>Pancakes</h1>
<div><div><h2>Ingredients</h2><ul><li>2 eggs</li><li>250 ml milk</li><li>125 g flour</li></ul></div></div>
<div>` + c.after + `</div></body></html>`
		r := heuristicOf(t, []byte(page), "https://example.com/")
		if got := strings.Join(r.Steps, "|"); got != c.want {
			t.Errorf("%s: steps = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestHeuristicVisuallyHiddenList(t *testing.T) {
	// The other unit systems sit in lists only screen readers see until a
	// script swaps them in; the page's reader sees the first.
	page := `<html><head><title>Scones</title></head><body>
<h3>Ingredients</h3>
<ul><li>225 g flour</li><li>55 g butter</li></ul>
<ul class="u-visuallyhidden"><li>8 oz flour</li><li>2 oz butter</li></ul>
<h3>Method</h3><ol><li>Rub the butter into the flour.</li></ol>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Ingredients, "|"), "225 g flour|55 g butter"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
}

func TestHeuristicBareIngredientsBeforeMethod(t *testing.T) {
	// The method has a heading, the ingredients none: their lists (the
	// second after a group name) come before it, each amount in an
	// element of its own and a dash before the name.
	page := `<html><head><title>Trifle</title></head><body>
<div class="aside"><ul><li><strong>200g</strong> - <a href="/i/berries">berries</a></li>
<li><strong>1 - 2 tbsp</strong> – <a href="/i/sugar">sugar</a></li><li><b>3</b> - <a href="/i/eggs">eggs, beaten</a></li><li><b>1</b> - 2 lemons</li></ul>
<h3>Custard</h3><ul><li><strong>500ml</strong> - <a href="/i/milk">milk</a></li></ul>
<ul><li><a href="/a">Share</a></li></ul></div>
<div class="main"><h2>Method</h2><ol><li>Layer the berries with the sugar.</li><li>Pour over the custard.</li></ol></div>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Ingredients, "|"), "200g berries|1 - 2 tbsp sugar|3 eggs, beaten|1 - 2 lemons|500ml milk"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
	if got, want := strings.Join(r.Steps, "|"), "Layer the berries with the sugar.|Pour over the custard."; got != want {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestHeuristicHiddenAlternativeItems(t *testing.T) {
	// A unit toggle: the imperial items are hidden by a utility class
	// until a script swaps them in.
	page := `<html><head><title>Roast potatoes</title></head><body>
<h3>Ingredients</h3><ul><li class="metric">1 kg potatoes</li><li class="metric">100 ml oil</li>
<li class="imperial hide">2 lb potatoes</li><li class="imperial hide">3 ½ fl oz oil</li></ul>
<h3>Method</h3><ol><li>Roast the potatoes in the oil.</li></ol>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Ingredients, "|"), "1 kg potatoes|100 ml oil"; got != want {
		t.Errorf("ingredients = %q, want %q", got, want)
	}
	// A list hidden whole (a tab not yet opened) is still read, and so is
	// an item shown again at larger screens.
	for _, repl := range []*strings.Replacer{
		strings.NewReplacer(`class="metric"`, `class="metric hide"`),
		strings.NewReplacer(`class="imperial hide"`, `class="imperial d-none d-md-block"`),
	} {
		r = heuristicOf(t, []byte(repl.Replace(page)), "https://example.com/")
		if got, want := strings.Join(r.Ingredients, "|"), "1 kg potatoes|100 ml oil|2 lb potatoes|3 ½ fl oz oil"; got != want {
			t.Errorf("ingredients = %q, want %q", got, want)
		}
	}
}

func TestHeuristicBareListsThenParagraphs(t *testing.T) {
	// No section headings at all: two lists of amounts split by a bold
	// group name, then paragraphs of steps in groups; the comments' list
	// of sentences further down and the variation are not steps.
	page := `<html><head><title>Porridge</title></head><body><article>
<p><b>Porridge</b></p><ul><li>50 g oats</li><li>250 ml milk</li><li>1 tsp sugar</li></ul>
<p><strong>Topping</strong></p><ul><li>1 orange</li><li>1 tbsp chia seeds</li></ul>
<h3>Cook the porridge</h3>
<p>Simmer the oats in the milk for five minutes.</p><p>Stir in the sugar.</p>
<h3>Finish</h3>
<p>Top with the orange and the seeds.</p>
<h3>Variations</h3><p>Use apples instead of the orange.</p>
</article>
<ul class="comments"><li>What a lovely breakfast this was for the whole family, thank you!</li></ul>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	sameRecipe(t, &Recipe{Ingredients: r.Ingredients, Steps: r.Steps, StepGroups: r.StepGroups}, &Recipe{
		Ingredients: []string{"50 g oats", "250 ml milk", "1 tsp sugar", "1 orange", "1 tbsp chia seeds"},
		Steps:       []string{"Simmer the oats in the milk for five minutes.", "Stir in the sugar.", "Top with the orange and the seeds."},
		StepGroups:  []StepGroup{{Title: "Cook the porridge", Start: 0}, {Title: "Finish", Start: 2}},
	})
}

func TestHeuristicSectionEndsWithArticle(t *testing.T) {
	// The method's paragraphs end where the recipe's article does; the
	// promotion after it is not a step.
	page := `<html><head><title>Stew</title></head><body>
<article><h2>Ingredients</h2><ul><li>1 kg beef</li><li>2 onions</li></ul>
<h2>Method</h2><p>Brown the beef.</p><p>Add the onions and simmer for two hours.</p></article>
<div class="promo"><p>Hungry for more? Our cookbook is out now!</p></div>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Steps, "|"), "Brown the beef.|Add the onions and simmer for two hours."; got != want {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestPartsLine(t *testing.T) {
	for in, want := range map[string]string{
		"<li><div><span>2</span><span>tbsp</span><span>olive oil</span></div></li>": "2 tbsp olive oil",
		"<li><span>6 oz</span><span>ham</span><span>, torn</span></li>":             "6 oz ham, torn",
		"<li><span>1</span><span>egg</span><span>(</span><span>beaten)</span></li>": "1 egg (beaten)",
		"<li><span>T</span>his and that</li>":                                       "",
		"<li><span>one part</span></li>":                                            "",
		"<li><p>1 cup</p><p>flour</p></li>":                                         "",
	} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<ul>" + in + "</ul>"))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := partsLine(doc.Find("li").Nodes[0])
		if got != want || ok != (want != "") {
			t.Errorf("partsLine(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestHeuristicParagraphStepsThenList(t *testing.T) {
	// The method is written in paragraphs; the download list after them is
	// the page's next thing, not the steps.
	page := `<html><head><title>Noodle salad</title></head><body>
<h2>Ingredients</h2><ul><li>250 g noodles</li><li>1 carrot</li></ul>
<h2>Method</h2><p>Soak the noodles in hot water for ten minutes.</p><p>Cut the carrot into thin sticks and toss it with the noodles.</p>
<div><ul><li><a href="/recipe.pdf">Recipe as PDF | download</a></li></ul></div>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	if got, want := strings.Join(r.Steps, "|"), "Soak the noodles in hot water for ten minutes.|Cut the carrot into thin sticks and toss it with the noodles."; got != want {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestHeuristicGroupedBareListsInWrappers(t *testing.T) {
	// No Ingredients heading: lists under group headings, each in wrappers
	// of a page builder; the first group has a single line. The same
	// lists again in other units are no further group. The steps are
	// lists of sentences under headings of their own, beside each other.
	page := `<html><head><title>Meringues</title></head><body>
<div class="m"><div class="c"><h2><span>Produce</span></h2></div></div>
<div class="m"><div class="c"><ul><li>½ lemon</li></ul></div></div>
<div class="m"><div class="c"><h2><span>Pantry</span></h2></div></div>
<div class="m"><div class="c"><ul><li>1 cup sugar</li><li>½ teaspoon salt</li></ul></div></div>
<div class="m"><div class="c"><h2><span>In ounces</span></h2></div></div>
<div class="m"><div class="c"><ul><li>7 oz sugar</li><li>⅛ oz salt</li></ul></div></div>
<div class="m"><div class="c"><h3>1. Whip:</h3><ul><li>Whip the egg whites with the lemon juice until foamy.</li><li>Add the sugar a spoonful at a time and whip until stiff.</li></ul>
<h3>2. Bake:</h3><ul><li>Spoon the meringue onto a lined tray in small heaps.</li></ul></div></div>
<div class="m"><h3>Storage</h3><ul><li>Keep them in a tin for up to a week, away from damp air.</li></ul></div>
</body></html>`
	r := heuristicOf(t, []byte(page), "https://example.com/")
	sameRecipe(t, &Recipe{Ingredients: r.Ingredients, Steps: r.Steps, StepGroups: r.StepGroups}, &Recipe{
		Ingredients: []string{"½ lemon", "1 cup sugar", "½ teaspoon salt"},
		Steps: []string{"Whip the egg whites with the lemon juice until foamy.",
			"Add the sugar a spoonful at a time and whip until stiff.", "Spoon the meringue onto a lined tray in small heaps."},
		StepGroups: []StepGroup{{Title: "1. Whip:", Start: 0}, {Title: "2. Bake:", Start: 2}},
	})
}

func TestHeuristicClassedStepLists(t *testing.T) {
	// Neither a heading nor a list of amounts leads to the steps: the
	// lists whose class names them instructions are the steps, in order;
	// the list of links is not.
	page, err := os.ReadFile("testdata/heur-classed-steps.html")
	if err != nil {
		t.Fatal(err)
	}
	r := heuristicOf(t, page, "https://example.com/")
	want := []string{
		"Line a baking sheet with a baking mat.",
		"Melt the sugar in a pot at medium heat.",
		"Sprinkle with salt once set.",
	}
	if strings.Join(r.Steps, "|") != strings.Join(want, "|") || len(r.StepGroups) != 0 {
		t.Errorf("steps %q groups %v, want %q and no groups", r.Steps, r.StepGroups, want)
	}
}

func TestHeuristicParagraphStepsInHeadingsBox(t *testing.T) {
	// Steps written as paragraphs beside their heading, in its box, end
	// with that box: the promotion after it is the page's next thing.
	page, err := os.ReadFile("testdata/heur-steps-own-box.html")
	if err != nil {
		t.Fatal(err)
	}
	r := heuristicOf(t, page, "https://example.com/")
	want := "Fruit de ui en bak het gehakt rul.|Kook de macaroni en roer door het gehakt."
	if got := strings.Join(r.Steps, "|"); got != want {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestHeuristicHeadingOpeningParagraph(t *testing.T) {
	// The method's heading is bold text opening a paragraph: the lines
	// after it in that paragraph are its first steps, and the paragraph
	// after it the next; the list of categories after them is none.
	page, err := os.ReadFile("testdata/heur-inline-heading.html")
	if err != nil {
		t.Fatal(err)
	}
	r := heuristicOf(t, page, "https://example.com/")
	want := "Klop de eieren met de melk en het bakmeel.|Smelt boter in een pan.|Bak de pannenkoekjes 2 minuten per kant."
	if got := strings.Join(r.Steps, "|"); got != want {
		t.Errorf("steps = %q, want %q", got, want)
	}
	if got := strings.Join(r.Ingredients, "|"); got != "2 eieren|250 ml melk|125 gr bakmeel" {
		t.Errorf("ingredients = %q", got)
	}
}
