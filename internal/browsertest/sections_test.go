package browsertest

import (
	"slices"
	"testing"
)

// TestIngredientSections: in the recipe form a "# " row among the
// ingredients is shown as a section heading, not sent to the parser, and
// the saved recipe lists its ingredients under that heading, scaled as
// before.
func TestIngredientSections(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			b := newTab(t, startServer(t), vp)
			b.open("/register", 200)
			register(b, newAccount("Sections", vp))
			b.open("/recipes/new", 200)
			b.waitVisible(css("#add-ingredient"))

			b.fill(css(`#recipe-form [name="title"]`), "Apple cake")
			b.fill(css(`#recipe-form [name="servings"]`), "4")
			b.fill(css("#ingredient-0"), "200 g flour")
			b.click(button("Add ingredient"))
			b.fill(css("#ingredient-1"), "# For the topping")
			b.click(button("Add ingredient"))
			b.fill(css("#ingredient-2"), "2 apples")
			b.waitJS("the heading's preview", `document.querySelector('#ingredient-1-parse')?.textContent === 'Section heading: For the topping'`)
			b.waitJS("the last line's reading", `document.querySelector('#ingredient-2-parse')?.textContent === 'Read as: 2 · apples'`)
			b.fill(css("#step-0"), "Bake.")
			b.follow(button("Save recipe"), 200)
			checkFlash(b, "Recipe saved")

			if got := b.texts("#ingredients h3"); !slices.Equal(got, []string{"For the topping"}) {
				t.Errorf("ingredient headings %q", got)
			}
			names := func() []string {
				return evalJS[[]string](b, `[...document.querySelectorAll('#ingredients li.ingredient')].map(e => e.textContent.trim())`)
			}
			if got := names(); !slices.Equal(got, []string{"200 g flour", "2 apples"}) {
				t.Errorf("ingredients %q", got)
			}
			// Scaling in the page rescales every section's lines.
			b.fill(css("#servings"), "8")
			b.waitJS("the scaled lines", `[...document.querySelectorAll('#ingredients li.ingredient')].map(e => e.textContent.trim()).join('|') === '400 g flour|4 apples'`)
			b.checkPage("recipe with ingredient sections")
			b.shot("ingredient-sections")
		})
	}
}
