package browsertest

import (
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestBrowse checks the browse page's paging and filters for a visitor:
// a "Next page" link when there are more results, and a difficulty filter.
func TestBrowse(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	seedRecipes(t, srv, 30)
	b := newTab(t, srv.URL, desktop)

	b.open("/recipes", 200)
	for _, name := range []string{`select[name="sort"]`, `select[name="difficulty"]`, `input[name="tag"]`, `input[name="max_minutes"]`} {
		if b.count("form "+name) == 0 {
			b.errorf("browse: no %s in the search form", name)
		}
	}
	first := resultLinks(b)
	if len(first) == 0 || len(first) >= 30 {
		b.fatalf("browse: the first page lists %d of 30 recipes, want some and a next page", len(first))
	}
	b.follow(link("Next page"), 200)
	second := resultLinks(b)
	if len(first)+len(second) != 30 {
		b.errorf("browse: pages of %d and %d recipes, want 30 in all", len(first), len(second))
	}
	for _, l := range second {
		if slices.Contains(first, l) {
			b.errorf("browse: %s is on both pages", l)
		}
	}
	if evalJS[bool](b, `(`+link("Next page").expr+`) !== null`) {
		b.errorf(`browse: a "Next page" link on the last page`)
	}
	b.shot("page-2")

	// Every seeded recipe is easy: "Hard" finds none.
	b.open("/recipes", 200)
	updateResults(b, "hard recipes", func() {
		b.click(css("details.filters-box > summary, form details > summary"))
		b.choose(css(`select[name="difficulty"]`), "hard")
	}, func() {
		b.click(button("Search"))
	})
	if links := resultLinks(b); len(links) != 0 {
		b.errorf("browse: difficulty hard lists %d recipes, want none", len(links))
	}
	if txt := evalJS[string](b, `document.querySelector('#results').innerText`); !strings.Contains(strings.ToLower(txt), "no recipes") {
		b.errorf("browse: an empty result says %q, want a message such as \"No recipes found\"", txt)
	}
	b.shot("filter-none")
}
