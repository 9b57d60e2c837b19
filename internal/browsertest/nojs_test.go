package browsertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestNoJavaScript checks the site works as plain HTML forms and links:
// with JavaScript off, a person can sign up, log in, write a recipe (the
// server renders enough empty rows), read and scale it, step through cook
// mode and search.
func TestNoJavaScript(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	b := newTab(t, startServer(t), desktop)
	b.setJavaScript(false)
	ana := newAccount("Nora", b.vp)

	b.open("/register", 200)
	if evalJS[string](b, `typeof window.htmx`) != "undefined" {
		t.Fatal("JavaScript still runs in the page: window.htmx is defined")
	}
	register(b, ana)
	logout(b)
	b.open("/login", 200)
	login(b, ana)
	b.shot("logged-in")

	// The recipe form: enough empty rows for two ingredients and two
	// steps, and no "Add" buttons that would do nothing (checkPage: they
	// have the hidden attribute until the script shows them).
	r := recipeInput{
		title:       "Plain HTML Flatbread",
		servings:    "2",
		visibility:  "public",
		ingredients: []string{"1 1/2 cups flour", "2 tbsp olive oil"},
		steps:       []string{"Knead the flour and oil with water into a dough.", "Roll thin and bake on a hot stone."},
	}
	b.open("/recipes/new", 200)
	b.checkPage("recipe form without JavaScript")
	fillRecipeForm(b, r, false)
	b.shot("recipe-form")
	b.follow(button("Save recipe"), 200)
	id, ok := recipeIDFrom(b.path())
	if !ok {
		b.fatalf("after saving, the browser is at %s, want /recipes/{id}", b.path())
	}
	checkFlash(b, "Recipe saved")

	// Reading it.
	if h := b.text(css("h1#recipe-title")); h != r.title {
		b.errorf("h1#recipe-title is %q, want %q", h, r.title)
	}
	if qty := b.texts("ul#ingredients li.ingredient span.qty"); !slices.Equal(qty, []string{"1½", "2"}) {
		b.errorf(`span.qty %q, want ["1½" "2"]`, qty)
	}
	if steps := b.texts("ol#steps > li"); len(steps) != 2 || !strings.Contains(steps[1], r.steps[1]) {
		b.errorf("steps %q, want %q", steps, r.steps)
	}
	b.shot("recipe")
	b.checkPage("recipe page without JavaScript")

	// Scaling submits the servings form: ?servings=4.
	b.fill(css("#servings"), "4")
	b.followKey(kb.Enter, 200)
	if p := b.path(); !strings.Contains(p, "servings=4") {
		b.errorf("submitting the servings form led to %s, want ?servings=4", p)
	}
	if qty := b.texts("ul#ingredients li.ingredient span.qty"); !slices.Equal(qty, []string{"3", "4"}) {
		b.errorf(`span.qty %q at 4 servings, want ["3" "4"]`, qty)
	}
	if v := b.text(css("#servings")); v != "4" {
		b.errorf("#servings shows %q at ?servings=4, want 4", v)
	}
	b.shot("recipe-scaled")

	// Cook mode: "Next step" is a link.
	b.open("/recipes/"+id+"/cook", 200)
	b.waitJS("step 1 of 2", `document.body.innerText.toLowerCase().includes('step 1 of 2')`)
	b.follow(buttonOrLink("Next step"), 200)
	b.waitJS("step 2 of 2", `document.body.innerText.toLowerCase().includes('step 2 of 2')`)
	if s := b.text(css(".cook-step")); !strings.Contains(s, r.steps[1]) {
		b.errorf("the step shown on step 2 is %q, want %q", s, r.steps[1])
	}
	b.shot("cook-step-2")
	b.checkPage("cook mode without JavaScript")

	// Search: the form submits as a page load.
	b.open("/recipes", 200)
	b.fill(css(`input[name="q"]`), "flatbread")
	b.followKey(kb.Enter, 200)
	if p := b.path(); !strings.Contains(p, "q=flatbread") {
		b.errorf("searching led to %s, want /recipes?q=flatbread", p)
	}
	if links := resultLinks(b); !slices.Contains(links, "/recipes/"+id) {
		b.errorf("search results %q, want /recipes/%s", links, id)
	}
	b.shot("search")
	b.checkPage("browse without JavaScript")
}

// setJavaScript turns scripts in the tab's pages on or off (the DevTools
// protocol still evaluates the tests' own expressions).
func (b *tab) setJavaScript(on bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.t.Fatalf("turn JavaScript on=%v: %v", on, err)
	}
	b.noJS = !on
}

// followKey presses key (such as Enter in a form field) and waits for the
// page it loads, checking its HTTP status.
func (b *tab) followKey(key string, status int64) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(key))
	if err != nil {
		b.fatalf("press %q and wait for a page: %v", key, err)
	}
	if resp == nil || resp.Status != status {
		b.fatalf("press %q: response %+v, want status %d", key, resp, status)
	}
	return resp
}
