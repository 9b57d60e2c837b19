package browsertest

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestSearchNotes checks, with JavaScript, that what the server says about
// a search reaches the page when htmx updates the results in place: the
// words left out, and a search refused for its length (a 400, which htmx
// would not swap in by itself).
func TestSearchNotes(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	seedRecipes(t, srv, 5)
	b := newTab(t, srv.URL, desktop)
	b.open("/recipes", 200)

	notes := func() string {
		return evalJS[string](b, `document.querySelector('#search-notes')?.innerText ?? ''`)
	}
	updateResults(b, "a search with one-letter words", func() {
		b.fill(css("#q"), "a b soup")
	}, func() {
		b.click(button("Search"))
	})
	if got := notes(); !strings.Contains(got, "left out") || !strings.Contains(got, "“a”, “b”") {
		b.errorf("search notes %q do not name the ignored words", got)
	}

	// The 400 is the answer under test, not a broken resource.
	b.mu.Lock()
	b.answered = append(b.answered, "XHR /recipes?q=xxxxx")
	b.mu.Unlock()
	updateResults(b, "a refused search", func() {
		b.fill(css("#q"), strings.Repeat("x", 41))
	}, func() {
		b.click(button("Search"))
	})
	if got := notes(); !strings.Contains(got, "longer than 40 characters") {
		b.errorf("search notes %q do not say why the search was refused", got)
	}
	if txt := evalJS[string](b, `document.querySelector('#results').innerText`); strings.Contains(txt, "left out") {
		b.errorf("results still show the previous search's note: %q", txt)
	}
	b.shot("search-refused")
}
