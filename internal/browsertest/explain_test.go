package browsertest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestSearchExplained reads what a person sees of a search, at a phone
// and a desktop viewport: the count, the marked words, where the rest
// matched, the corrected typo, and a facet that narrows the results. On
// the phone at least three results begin within the first screen.
func TestSearchExplained(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			seedSearchable(t, srv)
			b := newTab(t, srv.URL, vp)

			b.open("/recipes?q=chicken", 200)
			b.checkPage("search")
			if got := b.text(css("#result-count")); got != "8 recipes" {
				b.errorf("count %q, want 8 recipes", got)
			}
			marks := b.texts("#results .recipe-card-title mark")
			if len(marks) == 0 || !strings.EqualFold(marks[0], "chicken") {
				b.errorf("marked title words %q", marks)
			}
			matches := b.texts("#results .recipe-card-match")
			if !slices.Contains(matches, "in ingredients: chicken stock") {
				b.errorf("snippets %q do not say the stock matched in the ingredients", matches)
			}
			if vp == phone {
				// Card tops within the first screen, below the header and
				// the search form.
				tops := evalJS[[]float64](b, `[...document.querySelectorAll('#results .recipe-card')].map(c => c.getBoundingClientRect().top).filter(y => y >= 0 && y < window.innerHeight)`)
				if len(tops) < 3 {
					b.errorf("%d cards begin within the first %dpx, want at least 3 (tops %v)", len(tops), vp.height, tops)
				}
			}
			b.shot("search")

			b.follow(css(`#facets a[href*="tag=weeknight"]`), 200)
			b.checkPage("search with a facet")
			if got := b.text(css("#result-count")); got != "3 recipes" {
				b.errorf("after the weeknight facet: %q, want 3 recipes", got)
			}
			if got := b.text(css(".chips a")); !strings.Contains(got, "Tag: weeknight") {
				b.errorf("chip %q", got)
			}
			if n := len(resultLinks(b)); n != 3 {
				b.errorf("the weeknight facet lists %d recipes, want 3", n)
			}
			if vp == phone {
				// The filter in use is a chip; the closed filter form
				// leaves the first screen to the results.
				tops := evalJS[[]float64](b, `[...document.querySelectorAll('#results .recipe-card')].map(c => c.getBoundingClientRect().top).filter(y => y >= 0 && y < window.innerHeight)`)
				if len(tops) < 3 {
					b.errorf("after a facet, %d cards begin within the first screen, want 3", len(tops))
				}
			}
			if got := b.text(css(".site-footer")); strings.Contains(got, "·") {
				b.errorf("footer %q has separator characters to strand at a line's end", got)
			}
			b.shot("facet")

			b.open("/recipes?q=chiken+soup", 200)
			b.checkPage("corrected search")
			if got := b.text(css("#corrected")); !strings.HasPrefix(got, "Showing results for chicken soup.") || !strings.Contains(got, "Search instead for chiken soup") {
				b.errorf("correction note %q", got)
			}
			b.shot("corrected")
		})
	}
}

// seedSearchable publishes eight chicken recipes, matching in their
// titles, their ingredients and a description, and one other.
func seedSearchable(t *testing.T, srv *testutil.Server) {
	t.Helper()
	post := apiPoster(t, srv)
	post("/api/v1/auth/register", map[string]string{
		"username": "searcher", "email": "searcher@example.com", "password": "a long passphrase", "display_name": "Sam Searcher",
	})
	add := func(title, desc string, minutes int, difficulty string, ingredients []string, tags ...string) {
		post("/api/v1/recipes", map[string]any{
			"title": title, "description": desc, "prep_minutes": minutes, "servings": 4, "difficulty": difficulty, "visibility": "public",
			"ingredients": ingredients, "steps": []string{"Cook it through."}, "tags": tags, "categories": []string{"dinner"},
		})
	}
	for i, d := range []string{"easy", "medium", "hard", "easy", "medium"} {
		tags := []string{"roast", "family"}
		if i < 2 {
			tags = append(tags, "weeknight")
		}
		add(fmt.Sprintf("Lemon and thyme roast chicken No. %d", i+1), "Crisp skin, juicy meat and a pan of golden potatoes underneath to catch every drop.",
			20+i*20, d, []string{"1 whole chicken", "2 lemons", "1 bunch thyme"}, tags...)
	}
	add("Winter vegetable soup", "A big pot of soup for cold evenings, thick with root vegetables.", 45, "easy",
		[]string{"1 l chicken stock", "2 carrots", "1 leek"}, "soup", "weeknight")
	add("Sunday pie", "Slow and generous, for a cold Sunday afternoon with time to spare: leftover chicken, leeks and a rich sauce under puff pastry.", 90, "medium",
		[]string{"300 g puff pastry", "2 leeks"}, "pie")
	add("Chicken noodle soup", "Comfort in a bowl.", 35, "easy", []string{"2 chicken thighs", "100 g egg noodles"}, "soup")
	add("Plain rice", "Fluffy every time.", 20, "easy", []string{"1 cup rice"}, "weeknight")
}
