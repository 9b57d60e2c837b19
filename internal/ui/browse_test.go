package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

func TestBrowseFilters(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	s.register(t, "ann")
	anon := s.browser()
	mk := func(title string, d recipe.Difficulty, minutes int, tags ...string) recipe.Input {
		return recipe.Input{Title: title, Difficulty: d, Visibility: recipe.Public, PrepMinutes: intp(minutes), Tags: tags,
			Ingredients: []recipe.Ingredient{recipe.ParseIngredient("1 cup rice")}, Steps: []string{"Cook."}}
	}
	s.seedRecipes(t, "ann",
		mk("Beetroot salad", recipe.Easy, 10, "vegetarian", "salad"),
		mk("Apple pie", recipe.Medium, 90, "dessert", "baking"),
		mk("Cassoulet", recipe.Hard, 300, "french"),
		mk("Date squares", recipe.Easy, 40, "dessert", "baking"),
		mk("Egg fried rice", recipe.Easy, 20, "quick"),
	)

	titles := func(path string) []string {
		t.Helper()
		r := anon.get(t, path).want(t, http.StatusOK)
		assertDocument(t, r)
		return cardTitles(t, r)
	}
	sorted := func(list []string) []string { out := slices.Clone(list); slices.Sort(out); return out }

	if got := titles("/recipes"); len(got) != 5 {
		t.Fatalf("/recipes lists %q", got)
	}
	cases := map[string][]string{
		"/recipes?tag=dessert":                    {"Apple pie", "Date squares"},
		"/recipes?tag=Dessert":                    {"Apple pie", "Date squares"},
		"/recipes?difficulty=easy":                {"Beetroot salad", "Date squares", "Egg fried rice"},
		"/recipes?difficulty=hard":                {"Cassoulet"},
		"/recipes?max_minutes=30":                 {"Beetroot salad", "Egg fried rice"},
		"/recipes?max_minutes=40&difficulty=easy": {"Beetroot salad", "Date squares", "Egg fried rice"},
		"/recipes?tag=baking&max_minutes=60":      {"Date squares"},
		"/recipes?q=pie":                          {"Apple pie"},
		"/recipes?q=fried&difficulty=hard":        nil,
		"/recipes?tag=nosuchtag":                  nil,
	}
	for path, want := range cases {
		if got := titles(path); fmtList(sorted(got)) != fmtList(sorted(want)) {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if got := titles("/recipes?sort=title"); fmtList(got) != fmtList([]string{"Apple pie", "Beetroot salad", "Cassoulet", "Date squares", "Egg fried rice"}) {
		t.Errorf("sort=title: %q", got)
	}
	if got := titles("/recipes?sort=quickest"); fmtList(got) != fmtList([]string{"Beetroot salad", "Egg fried rice", "Date squares", "Apple pie", "Cassoulet"}) {
		t.Errorf("sort=quickest: %q", got)
	}
	// An empty result says so.
	if r := anon.get(t, "/recipes?tag=nosuchtag"); r.doc(t).first("#results .empty") == nil {
		t.Error("no message for an empty result")
	}
	// The form shows the filters in use.
	d := anon.get(t, "/recipes?q=pie&sort=title&difficulty=medium&max_minutes=120&tag=baking").doc(t)
	if inputValue(t, d, "q") != "pie" || inputValue(t, d, "max_minutes") != "120" || inputValue(t, d, "tag") != "baking" ||
		d.one(t, "#sort option[selected]").get("value") != "title" || d.one(t, "#difficulty option[selected]").get("value") != "medium" {
		t.Error("the search form does not show the filters in use")
	}
	if f := d.one(t, "form[role=search]"); f.get("method") != "get" || f.get("action") != "/recipes" {
		t.Error("the search form is not a plain GET form")
	}
}

func TestBrowseInvalidFilters(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	anon := s.browser()
	cases := []struct {
		query, field, message string
	}{
		{"max_minutes=abc", "max_minutes", "Enter a number of minutes."},
		{"max_minutes=-1", "max_minutes", "Enter a number of minutes."},
		{"max_minutes=99999999999999999999", "max_minutes", "Enter a number of minutes."},
		{"q=" + strings.Repeat("long", 51), "q", "at most 200 characters"},
		{"q=" + strings.Repeat("x", 41), "q", "longer than 40 characters"},
		{"q=one+two+three+four+five+six+seven+eight+nine+ten+eleven", "q", "11 different words; search for at most 10"},
		{"sort=bogus", "sort", "Choose one of the listed orders."},
		{"difficulty=impossible", "difficulty", "Choose easy, medium or hard."},
	}
	for _, c := range cases {
		t.Run(c.query[:min(len(c.query), 30)], func(t *testing.T) {
			r := anon.get(t, "/recipes?"+c.query).want(t, http.StatusBadRequest)
			d := assertDocument(t, r)
			if !strings.Contains(d.one(t, "main").textContent(), c.message) {
				t.Errorf("/recipes?%s: the page does not say %q", c.query, c.message)
			}
			if ctl := d.first("#" + c.field); ctl == nil || ctl.get("aria-invalid") != "true" {
				t.Errorf("/recipes?%s: #%s is not marked invalid", c.query, c.field)
			}
		})
	}
	// Junk parameters that are not filters are ignored.
	anon.get(t, "/recipes?page=%ZZ&foo=bar").want(t, http.StatusOK, http.StatusBadRequest)
}

// One-letter words are left out of a search, and the page says which.
func TestBrowseIgnoredWords(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	r := s.browser().get(t, "/recipes?q=a+b+c+soup").want(t, http.StatusOK)
	d := assertDocument(t, r)
	if got := d.one(t, "#search-notes").textContent(); !strings.Contains(got, "left out: “a”, “b”, “c”.") {
		t.Errorf("search notes %q do not name the ignored words", got)
	}
}

func TestBrowsePaging(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	var ins []recipe.Input
	for i := range 30 {
		ins = append(ins, recipe.Input{Title: fmt.Sprintf("Paged recipe %02d", i), Visibility: recipe.Public, Tags: []string{"paged"},
			Ingredients: []recipe.Ingredient{recipe.ParseIngredient("1 cup stock")}, Steps: []string{"Simmer."}})
	}
	s.seedRecipes(t, "ann", ins...)
	anon := s.browser()

	for _, start := range []string{"/recipes", "/recipes?sort=title", "/recipes?tag=paged&sort=newest", "/recipes?q=paged+recipe"} {
		t.Run(start, func(t *testing.T) {
			seen := map[string]bool{}
			path, pages := start, 0
			for path != "" {
				pages++
				if pages > 3 {
					t.Fatalf("more than 3 pages for 30 recipes")
				}
				r := anon.get(t, path).want(t, http.StatusOK)
				d := assertDocument(t, r)
				ids := recipeIDs(t, r)
				if pages == 1 && len(ids) != 24 {
					t.Errorf("first page has %d recipes, want 24", len(ids))
				}
				for _, id := range ids {
					if seen[id] {
						t.Errorf("%s: recipe %s repeated", path, id)
					}
					seen[id] = true
				}
				path = ""
				for _, a := range d.all("#results .pager a") {
					if a.textContent() == "Next page" {
						path = a.get("href")
						u, err := url.Parse(path)
						if err != nil || u.Path != "/recipes" || u.Query().Get("cursor") == "" {
							t.Fatalf("next page link %q", path)
						}
						// The link keeps the filters.
						base, _ := url.Parse(start)
						for k := range base.Query() {
							if u.Query().Get(k) != base.Query().Get(k) {
								t.Errorf("next page link %q lost %s", path, k)
							}
						}
					}
				}
			}
			if len(seen) != 30 || pages != 2 {
				t.Errorf("%d recipes over %d pages, want 30 over 2", len(seen), pages)
			}
		})
	}

	t.Run("home and profile pages page too", func(t *testing.T) {
		r := ann.get(t, "/").want(t, http.StatusOK)
		if n := len(recipeIDs(t, r)); n != 12 {
			t.Errorf("home lists %d", n)
		}
		more := r.doc(t).first(".pager a")
		if more == nil {
			t.Fatal("no More recipes link on home")
		}
		next := ann.get(t, more.get("href")).want(t, http.StatusOK)
		if ids := recipeIDs(t, next); len(ids) != 12 || slices.Contains(recipeIDs(t, r), ids[0]) {
			t.Errorf("home page 2: %d recipes", len(ids))
		}
		p := anon.get(t, "/u/ann").want(t, http.StatusOK)
		if n := len(recipeIDs(t, p)); n != 24 || p.doc(t).first(".pager a") == nil {
			t.Errorf("profile lists %d, pager %v", n, p.doc(t).first(".pager a") != nil)
		}
	})

	t.Run("a garbage cursor falls back to page one", func(t *testing.T) {
		first := recipeIDs(t, anon.get(t, "/recipes"))
		for _, cur := range []string{"garbage", "eyJzIjoibmV3ZXN0In0", strings.Repeat("A", 3000), "%00"} {
			r := anon.get(t, "/recipes?cursor="+q(cur)).want(t, http.StatusOK)
			d := assertDocument(t, r)
			if n := d.first("#results .notice"); n == nil || !strings.Contains(n.textContent(), "first page") {
				t.Errorf("cursor %q: no notice about going back to the first page", truncate(cur, 20))
			}
			if got := recipeIDs(t, r); fmtList(got) != fmtList(first) {
				t.Errorf("cursor %q: not the first page", truncate(cur, 20))
			}
		}
		// Home and profile pages quietly show their first page.
		ann.get(t, "/?cursor=garbage").want(t, http.StatusOK)
		anon.get(t, "/u/ann?cursor=garbage").want(t, http.StatusOK)
		// A cursor made for another order is not accepted as this one's.
		r := anon.get(t, "/recipes?sort=title").want(t, http.StatusOK)
		next := r.doc(t).first("#results .pager a").get("href")
		u, _ := url.Parse(next)
		anon.get(t, "/recipes?sort=quickest&cursor="+q(u.Query().Get("cursor"))).want(t, http.StatusOK)
	})

	t.Run("htmx requests get a page with the results", func(t *testing.T) {
		r := anon.get(t, "/recipes?tag=paged", withHeader("HX-Request", "true"), withHeader("HX-Target", "results")).want(t, http.StatusOK)
		d := r.doc(t)
		res := d.first("#results")
		if res == nil {
			t.Fatal("no #results in the htmx answer")
		}
		if n := len(res.all(".recipe-card")); n != 24 {
			t.Errorf("#results has %d cards", n)
		}
	})
}
