package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// The search page explains its answer: how many recipes match, which
// typo it corrected (with a way back to the words as typed), which words
// matched where, and facets that narrow the search as plain links.
func TestSearchPageExplainsItself(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		s.register(t, "ann")
		mk := func(title, desc string, vis recipe.Visibility, minutes int, d recipe.Difficulty, ingredient string, tags ...string) recipe.Input {
			return recipe.Input{Title: title, Description: desc, Visibility: vis, PrepMinutes: intp(minutes), Difficulty: d, Tags: tags,
				Ingredients: []recipe.Ingredient{recipe.ParseIngredient(ingredient)}, Steps: []string{"Cook."}}
		}
		s.seedRecipes(t, "ann",
			mk("Roast chickens", "Two birds.", recipe.Public, 80, recipe.Medium, "2 whole chicken", "weeknight", "roast"),
			mk("Winter soup", "Warming.", recipe.Public, 25, recipe.Easy, "1 l chicken stock", "soup"),
			mk("Tart <script>alert(1)</script> chicken", "Odd.", recipe.Public, 40, recipe.Easy, "1 lemon", "weeknight"),
			mk("Sunday bake", "A slow, generous dish for a cold Sunday afternoon when there is time to spare: a quick chicken would never do, so this one takes its time.",
				recipe.Public, 150, recipe.Hard, "1 kg potatoes", "baking"),
			mk("Secret chicken", "Mine.", recipe.Private, 20, recipe.Easy, "1 chicken", "secretive"),
			mk("Lemon tart", "Sharp.", recipe.Public, 60, recipe.Medium, "3 lemons", "dessert"),
		)
		anon := s.browser()

		r := anon.get(t, "/recipes?q=chicken").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if got := d.one(t, "#result-count").textContent(); got != "4 recipes" {
			t.Errorf("count %q, want 4 recipes (the private one is not counted)", got)
		}
		if strings.Contains(r.String(), "<script>alert(1)") || !strings.Contains(r.String(), "Tart &lt;script&gt;alert(1)&lt;/script&gt; <mark>chicken</mark>") {
			t.Error("a marked title is not escaped first")
		}
		marks := map[string]string{}
		matches := map[string]string{}
		for _, card := range d.all(".recipe-card") {
			title := card.one(t, ".recipe-card-title").textContent()
			marks[title] = strings.Join(card.texts(".recipe-card-title mark"), ",")
			if m := card.first(".recipe-card-match"); m != nil {
				matches[title] = m.textContent()
				if len(m.all("mark")) == 0 {
					t.Errorf("%s: the snippet %q marks nothing", title, matches[title])
				}
			}
		}
		if marks["Roast chickens"] != "chickens" {
			t.Errorf("the plural is not marked in the title: %q", marks)
		}
		if got := matches["Winter soup"]; got != "in ingredients: chicken stock" {
			t.Errorf("ingredient snippet %q", got)
		}
		if got := matches["Sunday bake"]; !strings.HasPrefix(got, "in description: …") || !strings.Contains(got, "quick chicken") || len([]rune(got)) > 110 {
			t.Errorf("description snippet %q: want a short, ellipsised window around the match", got)
		}
		if _, ok := matches["Roast chickens"]; ok {
			t.Error("a card whose title holds every word still has a snippet")
		}

		// Facets count what the viewer may see, and narrow without JavaScript.
		facets := d.one(t, "#facets").textContent()
		if strings.Contains(facets, "secretive") || !strings.Contains(facets, "weeknight 2") || !strings.Contains(facets, "Easy 2") {
			t.Errorf("facets %q", facets)
		}
		link := ""
		for _, a := range d.all("#facets a") {
			if strings.HasPrefix(a.textContent(), "weeknight") {
				link = a.get("href")
			}
		}
		r = anon.get(t, link).want(t, http.StatusOK)
		d = assertDocument(t, r)
		if got := d.one(t, "#result-count").textContent(); got != "2 recipes" {
			t.Errorf("after the tag facet %s: %q", link, got)
		}
		chip := d.one(t, ".chips a")
		if chip.textContent() != "Remove filter Tag: weeknight ×" || chip.get("href") != "/recipes?q=chicken" {
			t.Errorf("chip %q → %s", chip.textContent(), chip.get("href"))
		}
		if got := anon.get(t, "/recipes?q=chicken&time=upto30").doc(t).one(t, "#result-count").textContent(); got != "1 recipe" {
			t.Errorf("time facet: %q", got)
		}
		if got := s.login(t, "ann").get(t, "/recipes?q=chicken").doc(t).one(t, "#facets").textContent(); !strings.Contains(got, "secretive 1") {
			t.Errorf("the author's facets leave out her private recipe: %q", got)
		}

		// A typo is corrected, and says so.
		d = assertDocument(t, anon.get(t, "/recipes?q=chiken+soup").want(t, http.StatusOK))
		if got := d.one(t, "#corrected").textContent(); got != "Showing results for chicken soup. Search instead for chiken soup" {
			t.Errorf("correction note %q", got)
		}
		if got := d.one(t, "#corrected strong").textContent(); got != "chicken" {
			t.Errorf("the corrected word %q is not set apart", got)
		}
		exact := d.one(t, "#corrected a").get("href")
		d = assertDocument(t, anon.get(t, exact).want(t, http.StatusOK))
		if got := d.one(t, "#result-count").textContent(); got != "No recipes match this search." || d.first("#corrected") != nil {
			t.Errorf("%s: %q, want the words searched as typed", exact, got)
		}
		if got := anon.get(t, "/recipes?q=lemon").doc(t).one(t, "#result-count").textContent(); got != "2 recipes" {
			t.Errorf("lemon: %q", got)
		}
		anon.get(t, "/recipes?time=forever").want(t, http.StatusBadRequest)
	})
}

// A search's facets count a sample of its matches (store.SearchSample),
// and the page says how many; a browse without a search counts them all
// up to the count's cap and needs no such note.
func TestSearchFacetsNameTheirSample(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		s.register(t, "ann")
		ins := make([]recipe.Input, store.SearchSample+1)
		for i := range ins {
			ins[i] = recipe.Input{Title: fmt.Sprintf("Stew %d", i+1), Visibility: recipe.Public, Difficulty: recipe.Easy,
				Ingredients: []recipe.Ingredient{recipe.ParseIngredient("1 onion")}, Steps: []string{"Simmer."}}
		}
		s.seedRecipes(t, "ann", ins...)
		anon := s.browser()
		d := assertDocument(t, anon.get(t, "/recipes?q=stew").want(t, http.StatusOK))
		if got := d.one(t, "#result-count").textContent(); got != "201 recipes" {
			t.Errorf("count %q, want 201 recipes", got)
		}
		if got := d.one(t, "#facets-heading").textContent(); got != "Narrow down (counted over the first 200)" {
			t.Errorf("search facets heading %q", got)
		}
		if got := d.one(t, "#facets").textContent(); !strings.Contains(got, "Easy 200") {
			t.Errorf("search facets %q, want Easy counted over the 200", got)
		}
		d = assertDocument(t, anon.get(t, "/recipes").want(t, http.StatusOK))
		if got := d.one(t, "#facets-heading").textContent(); got != "Narrow down" {
			t.Errorf("browse facets heading %q, want no sample note", got)
		}
		if got := d.one(t, "#facets").textContent(); !strings.Contains(got, "Easy 201") {
			t.Errorf("browse facets %q, want Easy counted over all 201", got)
		}
	})
}
