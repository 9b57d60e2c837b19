package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/testutil"
)

// scaleCase is one servings count and what a cook then reads on the
// recipe page for the scaling recipe (4 servings as written).
type scaleCase struct {
	servings    string
	factor      string   // "×1½" as the page writes it
	qtys        []string // every amount, notes' too, in order
	ingredients []string
}

// scalingRecipe is written for 4: measured amounts, counted ones (eggs,
// an onion) and amounts in notes (the alternate "(14 oz)", "about 200 g").
var scalingRecipe = map[string]any{
	"title": "Tomato Flour Bake", "servings": 4, "visibility": "public", "difficulty": "easy",
	"ingredients": []string{"1½ cups flour", "1 tsp salt", "3 eggs", "400 g (14 oz) canned tomatoes", "1 onion, about 200 g"},
	"steps":       []string{"Mix everything.", "Bake until golden."},
}

// scaleCases halve, double and multiply by 1½ and 1¼; counted things
// round to halves (3¾ eggs are 4, 1¼ onions 1½) and take the plural.
var scaleCases = []scaleCase{
	{"2", "×½", []string{"¾", "½", "1½", "200", "7", "½", "100"}, []string{"¾ cup flour", "½ tsp salt", "1½ eggs", "200 g (7 oz) canned tomatoes", "½ onion, about 100 g"}},
	{"8", "×2", []string{"3", "2", "6", "800", "28", "2", "400"}, []string{"3 cups flour", "2 tsp salt", "6 eggs", "800 g (28 oz) canned tomatoes", "2 onions, about 400 g"}},
	{"6", "×1½", []string{"2¼", "1½", "4½", "600", "21", "1½", "300"}, []string{"2¼ cups flour", "1½ tsp salt", "4½ eggs", "600 g (21 oz) canned tomatoes", "1½ onions, about 300 g"}},
	{"5", "×1¼", []string{"1⅞", "1¼", "4", "500", "17½", "1½", "250"}, []string{"1⅞ cups flour", "1¼ tsp salt", "4 eggs", "500 g (17½ oz) canned tomatoes", "1½ onions, about 250 g"}},
}

// TestScaling scales a recipe written for 4 to 2, 8 and 6 servings, in
// place with the script and by the server alone (?servings=), and reads
// the ingredient lines a cook sees: the same text both ways, units in
// the right number and no stray characters from attribute escaping.
func TestScaling(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			id := seedScalingRecipe(t, srv)
			b := newTab(t, srv.URL, vp)
			for _, c := range scaleCases {
				// In place, with the script.
				b.open("/recipes/"+id, 200)
				scaleServings(b, c.servings, c.qtys)
				checkIngredientLines(b, "scaled in place to "+c.servings, c.ingredients)
				checkYield(b, "scaled in place to "+c.servings, c)
				b.shot("scaled-" + c.servings)
				checkPrinted(b, "scaled in place to "+c.servings, c)
				checkCookMode(b, id, c)
				// By the server, as without the script or from a shared link.
				b.open("/recipes/"+id+"?servings="+c.servings, 200)
				checkIngredientLines(b, "?servings="+c.servings, c.ingredients)
				checkYield(b, "?servings="+c.servings, c)
			}
			// As written: no "scaled" note, and the yield as written.
			b.open("/recipes/"+id, 200)
			if evalJS[bool](b, `!!document.querySelector('[data-scaled-note]')?.checkVisibility()`) {
				b.errorf("recipe as written: a visible \"scaled\" note %q", b.text(css("[data-scaled-note]")))
			}
			checkYield(b, "as written", scaleCase{servings: "4"})
			b.checkPage("recipe scaled")
		})
	}
}

// checkYield reads the "Serves" fact and the "scaled" note.
func checkYield(b *tab, how string, c scaleCase) {
	b.t.Helper()
	serves := evalJS[string](b, `(() => { const dt = [...document.querySelectorAll('.facts dt')].find(d => /serves/i.test(d.innerText)); return dt ? dt.nextElementSibling.innerText.trim() : '' })()`)
	if serves != c.servings {
		b.errorf("%s: \"Serves\" reads %q, want %q", how, serves, c.servings)
	}
	if c.factor == "" {
		return
	}
	note := evalJS[string](b, `(e => e && e.checkVisibility() ? e.innerText.trim() : '')(document.querySelector('.recipe-head [data-scaled-note]'))`)
	if want := "Amounts scaled " + c.factor + " (written for 4)"; note != want {
		b.errorf("%s: the scaled note reads %q, want %q", how, note, want)
	}
}

// checkPrinted reads the page as printed: the yield, the note and the
// scaled lines must all be on paper.
func checkPrinted(b *tab, how string, c scaleCase) {
	b.t.Helper()
	text := printedText(b, "printed-"+c.servings)
	for _, want := range append([]string{"Amounts scaled " + c.factor, "Serves\n" + c.servings}, c.ingredients...) {
		// (lower-cased: CSS may show labels in capitals)
		if !strings.Contains(strings.ToLower(strings.ReplaceAll(text, "\t", "")), strings.ToLower(want)) {
			b.errorf("%s, printed: %q not on the page:\n%s", how, want, text)
		}
	}
}

// printedText is the page's text with print styles applied, shot as
// printed; the screen's styles come back afterwards.
func printedText(b *tab, shot string) string {
	b.t.Helper()
	media := func(m string) {
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
			b.fatalf("emulate %q media: %v", m, err)
		}
	}
	media("print")
	defer media("")
	b.shot(shot)
	return b.bodyText()
}

// checkCookMode follows "Cook mode" from the scaled page: cook mode shows
// the scaled amounts and keeps the scale on its step links and on the
// way back.
func checkCookMode(b *tab, id string, c scaleCase) {
	b.t.Helper()
	b.follow(link("Cook mode"), 200)
	keep := "servings=" + c.servings
	if l := b.location(); !strings.Contains(l, keep) {
		b.errorf("cook mode from a page scaled to %s: at %s, want %s", c.servings, l, keep)
	}
	got := evalJS[[]string](b, `[...document.querySelectorAll('.cook-ingredients li')].map(li => li.textContent.replace(/\s+/g, ' ').trim())`)
	if strings.Join(got, "\n") != strings.Join(c.ingredients, "\n") {
		b.errorf("cook mode scaled to %s: ingredients %q, want %q", c.servings, got, c.ingredients)
	}
	if note := b.text(css(".cook .scaled-note")); !strings.Contains(note, "scaled "+c.factor) {
		b.errorf("cook mode scaled to %s: note %q, want \"scaled %s\"", c.servings, note, c.factor)
	}
	// The next step shows in place; the address keeps the scale.
	b.click(link("Next step"))
	b.waitJS("step 2", `location.search.includes('step=2')`)
	if l := b.location(); !strings.Contains(l, keep) || !strings.Contains(l, "step=2") {
		b.errorf("cook mode scaled to %s: \"Next step\" led to %s, want step=2 and %s", c.servings, l, keep)
	}
	b.follow(link("Done"), 200)
	if l := b.location(); !strings.HasSuffix(l, "/recipes/"+id+"?"+keep) {
		b.errorf("cook mode scaled to %s: \"Done\" led to %s, want the recipe page with ?%s", c.servings, l, keep)
	}
	checkIngredientLines(b, "back from cook mode", c.ingredients)
}

// checkIngredientLines reads every ingredient line as shown.
func checkIngredientLines(b *tab, how string, want []string) {
	b.t.Helper()
	got := evalJS[[]string](b, `[...document.querySelectorAll('ul#ingredients > li')].map(li => li.innerText.replace(/\s+/g, ' ').trim())`)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		b.errorf("ingredients %s: %q, want %q", how, got, want)
	}
	for _, l := range got {
		if strings.ContainsAny(l, "\"'&;\\") {
			b.errorf("ingredients %s: %q has a stray quote or escape character", how, l)
		}
	}
}

// seedScalingRecipe creates scalingRecipe through the API and returns its id.
func seedScalingRecipe(t *testing.T, srv *testutil.Server) string {
	t.Helper()
	return seedRecipe(t, srv, "scaler", scalingRecipe)
}

// seedRecipe registers username and creates recipe as that user through
// the API, returning its id.
func seedRecipe(t *testing.T, srv *testutil.Server, username string, recipe map[string]any) string {
	t.Helper()
	post := apiPoster(t, srv)
	post("/api/v1/auth/register", map[string]string{
		"username": username, "email": username + "@example.com", "password": "a long passphrase", "display_name": "Sam Scaler",
	})
	r := post("/api/v1/recipes", recipe)
	id, _ := r["id"].(string)
	if id == "" {
		t.Fatalf("created recipe has no id: %v", r)
	}
	return id
}
