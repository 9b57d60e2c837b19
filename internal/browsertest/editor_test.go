package browsertest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestRecipeEditor checks what the recipe form shows while a cook types:
// the ingredient and step boxes sit alike in their fieldsets (the recipe
// page's list styles stay on the recipe page), each ingredient line says
// how the server reads it, step boxes grow with their text, rows reorder
// by dragging and the saved recipe keeps that order, and editing shows the
// recipe's rows without blank ones.
func TestRecipeEditor(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			b := newTab(t, startServer(t), vp)
			b.open("/register", 200)
			register(b, newAccount("Editor", vp))
			b.open("/recipes/new", 200)
			editorFlow(b)
		})
	}
}

func editorFlow(b *tab) {
	t := b.t
	// The Add buttons show once the form's script has run.
	b.waitVisible(css("#add-ingredient"))
	// A new recipe starts with one box per list; the Add buttons make more.
	if n, m := b.count(`#recipe-form [name="ingredient"]`), b.count(`#recipe-form [name="step"]`); n != 1 || m != 1 {
		t.Errorf("new recipe form: %d ingredient and %d step boxes, want 1 of each", n, m)
	}
	checkFieldsets(b)

	b.fill(css(`#recipe-form [name="title"]`), "Tomato bread")
	b.fill(css("#ingredient-0"), "400 g (14 oz) canned tomatoes")
	b.click(button("Add ingredient"))
	b.fill(css("#ingredient-1"), "2 cups flour, sifted")
	b.click(button("Add ingredient"))
	b.fill(css("#ingredient-2"), "1 tsp salt")
	b.waitJS("the preview of the last line", `document.querySelector('#ingredient-2-parse')?.textContent === 'Read as: 1 · tsp · salt'`)
	previews := b.texts(".parse-preview")
	if want := []string{
		"Read as: 400 · g · canned tomatoes · 14 oz",
		"Read as: 2 · cup · flour · sifted",
		"Read as: 1 · tsp · salt",
	}; !slices.Equal(previews, want) {
		t.Errorf("previews %q, want %q", previews, want)
	}
	// The preview is part of each box's description, and the reading of
	// the line just typed is announced.
	if d, _ := b.attr("#ingredient-1", "aria-describedby"); !strings.Contains(d, "ingredient-1-parse") {
		t.Errorf("ingredient 2 aria-describedby %q lacks its preview", d)
	}
	if got := b.text(css("#ingredient-parse-status")); got != "Ingredient 3 read as: quantity 1, unit tsp, name salt." {
		t.Errorf("announcement %q", got)
	}
	// Changing a line changes its reading.
	b.fill(css("#ingredient-1"), "2-3 cups flour")
	b.waitJS("the preview of a changed line", `document.querySelector('#ingredient-1-parse')?.textContent === 'Read as: 2–3 · cup · flour'`)

	// Step boxes grow with their text, and never scroll inside.
	b.fill(css("#step-0"), "Heat the oven.")
	short := evalJS[float64](b, `document.querySelector('#step-0').getBoundingClientRect().height`)
	long := strings.Repeat("Stir the tomatoes into the flour a little at a time, then knead until smooth. ", 8)
	setValue(b, "#step-0", long)
	tall := evalJS[float64](b, `document.querySelector('#step-0').getBoundingClientRect().height`)
	if tall < short+40 {
		t.Errorf("a long step's box is %.0f px high, a short one's %.0f: it did not grow", tall, short)
	}
	if evalJS[bool](b, `(e => e.scrollHeight > e.clientHeight + 1)(document.querySelector('#step-0'))`) {
		t.Error("the long step scrolls inside its box")
	}
	b.click(button("Add step"))
	b.fill(css("#step-1"), "Bake for 40 minutes.")
	b.shot("typed")

	// Drag the salt to the top, and the second step above the first.
	drag(b, "#ingredient-2", "#ingredient-0")
	if got, want := fieldValues(b, "ingredient"), []string{"1 tsp salt", "400 g (14 oz) canned tomatoes", "2-3 cups flour"}; !slices.Equal(got, want) {
		t.Fatalf("after dragging the third ingredient to the top: %q, want %q", got, want)
	}
	if got := b.text(css(`label[for="ingredient-0"]`)); got != "Ingredient 1" {
		t.Errorf("the dragged row's label reads %q", got)
	}
	if got := b.text(css("#ingredient-0-parse")); got != "Read as: 1 · tsp · salt" {
		t.Errorf("the dragged row's preview reads %q", got)
	}
	drag(b, "#step-1", "#step-0")
	if got := fieldValues(b, "step"); len(got) != 2 || got[0] != "Bake for 40 minutes." {
		t.Fatalf("after dragging step 2 up: %q", got)
	}
	b.shot("dragged")
	b.checkPage("recipe editor")

	b.follow(button("Save recipe"), 200)
	checkFlash(b, "Recipe saved")
	id, ok := recipeIDFrom(b.path())
	if !ok {
		t.Fatalf("saved to %q, not a recipe page", b.path())
	}
	names := evalJS[[]string](b, `[...document.querySelectorAll('#ingredients .name')].map(e => e.textContent.trim())`)
	if want := []string{"salt", "canned tomatoes", "flour"}; !slices.Equal(names, want) {
		t.Errorf("saved ingredients %q, want %q", names, want)
	}
	if steps := b.texts("#steps li"); len(steps) != 2 || steps[0] != "Bake for 40 minutes." {
		t.Errorf("saved steps %q", steps)
	}

	// Editing shows the recipe's rows and no blank ones, the readings of
	// every line at once, and the long step at its full height.
	b.open("/recipes/"+id+"/edit", 200)
	b.waitVisible(css("#add-ingredient"))
	b.waitJS("the previews of the saved lines", `document.querySelectorAll('.parse-preview:not([hidden])').length === 3`)
	if got := fieldValues(b, "ingredient"); len(got) != 3 || b.count(`#recipe-form [name="ingredient"]`) != 3 {
		t.Errorf("edit form ingredient boxes: %d, filled %q; want the 3 of the recipe", b.count(`#recipe-form [name="ingredient"]`), got)
	}
	if got := fieldValues(b, "step"); len(got) != 2 || b.count(`#recipe-form [name="step"]`) != 2 {
		t.Errorf("edit form step boxes: %d, filled %q; want the 2 of the recipe", b.count(`#recipe-form [name="step"]`), got)
	}
	if h := evalJS[float64](b, `document.querySelector('#step-1').getBoundingClientRect().height`); h < short+40 {
		t.Errorf("the long step's box opens %.0f px high, no taller than a short one (%.0f)", h, short)
	}
	checkFieldsets(b)
	b.checkPage("recipe editor, editing")
	b.shot("editing")
}

// checkFieldsets: the ingredient and step fieldsets are laid out alike,
// with none of the recipe page's list styles (no zeroed padding on one,
// no extra indent on the other, no dashed rules between rows).
func checkFieldsets(b *tab) {
	b.t.Helper()
	got := evalJS[[]string](b, `[...document.querySelectorAll('#recipe-form fieldset.rows')].map(f => {
		const s = getComputedStyle(f), list = getComputedStyle(f.querySelector('.row-list'));
		const row = getComputedStyle(f.querySelector('.row-list > li'));
		return [s.paddingTop, s.paddingLeft, list.paddingLeft, list.marginLeft, row.paddingLeft, row.borderBottomStyle].join(' ');
	})`)
	if want := "16px 16px 0px 0px 0px none"; len(got) != 2 || got[0] != want || got[1] != want {
		b.errorf("fieldset, list and row layout %q, want %q for both ingredients and steps", got, want)
	}
}

// fieldValues is the non-blank values of the form's fields named name, in
// page order.
func fieldValues(b *tab, name string) []string {
	b.t.Helper()
	return evalJS[[]string](b, fmt.Sprintf(`[...document.querySelectorAll('#recipe-form [name=%q]')].map(e => e.value).filter(v => v.trim() !== '')`, name))
}

// setValue puts text into a field the way typing does, one input event.
func setValue(b *tab, selector, text string) {
	b.t.Helper()
	evalJS[bool](b, fmt.Sprintf(`(e => { e.value = %s; e.dispatchEvent(new Event('input', {bubbles: true})); return true })(document.querySelector(%s))`, js(text), js(selector)))
}

// drag presses the mouse on the drag handle of the row holding from, moves
// in small steps to the upper part of the row holding to, and lets go.
func drag(b *tab, from, to string) {
	b.t.Helper()
	point := func(expr string) [2]float64 {
		b.t.Helper()
		return evalJS[[2]float64](b, `(() => { const e = `+expr+`; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2] })()`)
	}
	start := point(fmt.Sprintf(`document.querySelector(%s).closest('li').querySelector('.drag-handle')`, js(from)))
	// The target is read after the start was scrolled into view.
	end := evalJS[[2]float64](b, fmt.Sprintf(`(() => { const r = document.querySelector(%s).closest('li').getBoundingClientRect(); return [r.left + 20, r.top + 4] })()`, js(to)))
	actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, start[0], start[1], chromedp.ButtonLeft, chromedp.ClickCount(1))}
	// While moving, the left button is held down (buttons bit 1).
	held := func(p *input.DispatchMouseEventParams) { p.Buttons = 1 }
	const steps = 8
	for i := 1; i <= steps; i++ {
		x := start[0] + (end[0]-start[0])*float64(i)/steps
		y := start[1] + (end[1]-start[1])*float64(i)/steps
		actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y, chromedp.ButtonLeft, held))
	}
	actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, end[0], end[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.do("drag "+from+" to "+to, nil, actions...)
}
