package browsertest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestRecipeFormRows checks the recipe form's row tools: pasting a block
// of lines into one ingredient box splits it into rows (list markers
// dropped), pasting paragraphs into a step splits them into steps, rows
// move and go by keyboard, and the saved recipe keeps that order.
func TestRecipeFormRows(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	b := newTab(t, startServer(t), viewports[0])
	b.open("/register", 200)
	register(b, newAccount("Rows", b.vp))
	b.open("/recipes/new", 200)
	b.waitVisible(css("#recipe-form"))
	b.waitVisible(css("#add-ingredient")) // the form's script has run
	b.fill(css(`#recipe-form [name="title"]`), "Pasted Pancakes")
	b.choose(css(`#recipe-form select[name="visibility"]`), "public")

	paste := func(selector, text string) {
		b.t.Helper()
		evalJS[bool](b, fmt.Sprintf(`(() => {
			const el = document.querySelector(%s);
			el.focus();
			const dt = new DataTransfer();
			dt.setData('text/plain', %s);
			return el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		})()`, js(selector), js(text)))
	}
	values := func(name string) []string {
		b.t.Helper()
		return evalJS[[]string](b, fmt.Sprintf(`[...document.querySelectorAll('#recipe-form [name=%q]')].map(e => e.value).filter(v => v)`, name))
	}

	paste(`#ingredient-0`, "- 1 cup flour\n- 2 eggs\n• 1 tsp salt\n\n300 ml milk")
	if got, want := values("ingredient"), []string{"1 cup flour", "2 eggs", "1 tsp salt", "300 ml milk"}; !slices.Equal(got, want) {
		t.Fatalf("after pasting a list: ingredient rows %q, want %q", got, want)
	}
	paste(`#step-0`, "1. Whisk everything.\n2. Rest ten minutes.\n3. Fry in butter.")
	if got, want := values("step"), []string{"Whisk everything.", "Rest ten minutes.", "Fry in butter."}; !slices.Equal(got, want) {
		t.Fatalf("after pasting numbered steps: step rows %q, want %q", got, want)
	}
	b.shot("pasted")

	// Move "2 eggs" up by keyboard: focus its button and press Enter.
	evalJS[bool](b, `(() => { document.querySelector('#ingredient-1').closest('li').querySelector('[data-row-action=up]').focus(); return true })()`)
	b.press(kb.Enter)
	if got := values("ingredient"); len(got) < 2 || got[0] != "2 eggs" || got[1] != "1 cup flour" {
		t.Fatalf("after moving row 2 up: %q", got)
	}
	// Remove the salt row with its button.
	b.click(css(`#ingredient-2 ~ .row-tools [data-row-action=remove], li:has(#ingredient-2) [data-row-action=remove]`))
	if got, want := values("ingredient"), []string{"2 eggs", "1 cup flour", "300 ml milk"}; !slices.Equal(got, want) {
		t.Fatalf("after removing row 3: %q, want %q", got, want)
	}
	// Labels follow the rows: the first box is "Ingredient 1" again.
	if got := evalJS[string](b, `document.querySelector('label[for=ingredient-0]').textContent`); got != "Ingredient 1" {
		t.Errorf("label of the first row = %q", got)
	}
	b.checkPage("recipe form with rows")
	b.follow(button("Save recipe"), 200)
	checkFlash(b, "Recipe saved")
	got := evalJS[[]string](b, `[...document.querySelectorAll('#ingredients .name')].map(e => e.textContent.trim())`)
	if want := []string{"eggs", "flour", "milk"}; !slices.Equal(got, want) {
		t.Errorf("saved ingredient order %q, want %q", got, want)
	}
	steps := evalJS[[]string](b, `[...document.querySelectorAll('#steps li')].map(e => e.textContent.trim())`)
	if want := []string{"Whisk everything.", "Rest ten minutes.", "Fry in butter."}; !slices.Equal(steps, want) {
		t.Errorf("saved steps %q, want %q", steps, want)
	}
	b.shot("saved")
}
