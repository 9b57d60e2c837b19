package browsertest

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// unitsRecipe is written in US measures for 4, with an oven temperature.
var unitsRecipe = map[string]any{
	"title": "Buttermilk Bake", "servings": 4, "visibility": "public", "difficulty": "easy",
	"ingredients": []string{"1 cup milk", "1 tsp salt", "8 oz butter", "2 eggs"},
	"steps":       []string{"Heat the oven to 350°F.", "Bake until golden."},
}

// TestUnits picks Metric on the recipe page, scales it in place and
// reads what a cook sees, converted and scaled; then the same without
// the script, through the forms alone.
func TestUnits(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	metric := []string{"240 ml milk", "5 ml salt", "225 g butter", "2 eggs"}
	metricFor2 := []string{"120 ml milk", "2.5 ml salt", "115 g butter", "1 egg"}
	metricFor20 := []string{"1.2 l milk", "25 ml salt", "1.15 kg butter", "10 eggs"}
	usFor2 := []string{"½ cup milk", "½ tsp salt", "4 oz butter", "1 egg"}
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			id := seedRecipe(t, srv, "units", unitsRecipe)
			b := newTab(t, srv.URL, vp)
			b.open("/recipes/"+id+"?units=original", 200)
			b.follow(button("Metric"), 200)
			if p := b.path(); p != "/recipes/"+id+"?units=metric" {
				b.errorf("picking Metric led to %s", p)
			}
			checkIngredientLines(b, "in metric", metric)
			if s := b.texts("#steps li"); len(s) == 0 || s[0] != "Heat the oven to 180°C." {
				b.errorf("steps in metric: %q", s)
			}
			if p := b.texts(`.units-form [aria-pressed="true"]`); len(p) != 1 || p[0] != "Metric" {
				b.errorf("pressed units buttons: %q", p)
			}
			b.shot("metric")
			b.checkPage("recipe in metric")

			scaleServings(b, "2", []string{"120", "2.5", "115", "1"})
			checkIngredientLines(b, "in metric, scaled in place to 2", metricFor2)
			b.shot("metric-scaled-2")
			checkPrintedLines(b, append(metricFor2, "Heat the oven to 180°C."))
			scaleServings(b, "20", []string{"1.2", "25", "1.15", "10"})
			checkIngredientLines(b, "in metric, scaled in place to 20", metricFor20)
			// The server writes the same for the address the script kept.
			b.open("/recipes/"+id+"?servings=20&units=metric", 200)
			checkIngredientLines(b, "?servings=20&units=metric", metricFor20)
			scaleServings(b, "2", []string{"120", "2.5", "115", "1"})

			// Switching units keeps the servings scaled in place.
			b.follow(button("US"), 200)
			if p := b.path(); p != "/recipes/"+id+"?servings=2&units=us" {
				b.errorf("picking US at 2 servings led to %s", p)
			}
			checkIngredientLines(b, "in US at 2", usFor2)

			// Remembered without ?units= (a cookie for this anonymous reader).
			b.open("/recipes/"+id, 200)
			checkIngredientLines(b, "remembered", []string{"1 cup milk", "1 tsp salt", "8 oz butter", "2 eggs"})
			b.follow(button("Metric"), 200)
			b.open("/recipes/"+id, 200)
			checkIngredientLines(b, "remembered", metric)
			b.shot("remembered")
		})
	}
}

// TestUnitsWithoutJavaScript picks Metric and scales with the forms
// alone.
func TestUnitsWithoutJavaScript(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	id := seedRecipe(t, srv, "units", unitsRecipe)
	b := newTab(t, srv.URL, phone)
	b.setJavaScript(false)
	b.open("/recipes/"+id+"?units=original", 200)
	b.follow(button("Metric"), 200)
	checkIngredientLines(b, "in metric without the script", []string{"240 ml milk", "5 ml salt", "225 g butter", "2 eggs"})
	b.fill(css("#servings"), "2")
	b.follow(button("Scale"), 200)
	if p := b.path(); p != "/recipes/"+id+"?servings=2&units=metric" {
		b.errorf("scaling in metric without the script led to %s", p)
	}
	checkIngredientLines(b, "in metric at 2 without the script", []string{"120 ml milk", "2.5 ml salt", "115 g butter", "1 egg"})
	b.follow(link("Cook mode"), 200)
	if s := b.text(css("#step-1 .cook-text")); s != "Heat the oven to 180°C." {
		b.errorf("cook mode in metric: %q", s)
	}
	b.follow(link("Next step"), 200)
	if p := b.path(); p != "/recipes/"+id+"/cook?step=2&servings=2&units=metric" {
		b.errorf("the next step in cook mode is at %s", p)
	}
	b.follow(link("Done"), 200)
	checkIngredientLines(b, "back from cook mode without the script", []string{"120 ml milk", "2.5 ml salt", "115 g butter", "1 egg"})
}

// checkPrintedLines reads the page as printed: want must all be on paper,
// and the units toggle must not.
func checkPrintedLines(b *tab, want []string) {
	b.t.Helper()
	text := printedText(b, "printed")
	for _, w := range want {
		if !strings.Contains(text, w) {
			b.errorf("printed: %q not on the page:\n%s", w, text)
		}
	}
	if strings.Contains(text, "As written") {
		b.errorf("printed: the units toggle is on paper:\n%s", text)
	}
}
