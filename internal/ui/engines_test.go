package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCoreFlowsOnEveryEngine runs the main path through the pages on
// SQLite and PostgreSQL: sign up, log in, write a recipe, read it, find
// it, and keep a private one hidden.
func TestCoreFlowsOnEveryEngine(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		home := ann.follow(t, ann.get(t, "/")).want(t, http.StatusOK)
		if f := flash(t, home); !strings.Contains(f, "Welcome") {
			t.Errorf("flash after sign-up %q", f)
		}

		// Log in again in another browser, through the form with next.
		other := s.browser()
		r := other.get(t, "/recipes/new").want(t, http.StatusSeeOther)
		loc, _ := url.Parse(r.location(t))
		r = other.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {loc.Query().Get("next")}}).
			want(t, http.StatusSeeOther)
		if r.location(t) != "/recipes/new" {
			t.Errorf("login led to %q", r.location(t))
		}
		other.post(t, "/login", url.Values{"login": {"ann"}, "password": {"wrong"}}).want(t, http.StatusUnauthorized, http.StatusSeeOther)

		// Write recipes through the form.
		f := simpleRecipe("Smoky aubergine dip", "public")
		f.Tags = "vegan, dip"
		pub := ann.createRecipe(t, f)
		priv := ann.createRecipe(t, simpleRecipe("Secret sauerkraut stew", "private"))
		unl := ann.createRecipe(t, simpleRecipe("Unlisted umami udon", "unlisted"))

		page := ann.get(t, "/recipes/"+pub).want(t, http.StatusOK)
		d := assertDocument(t, page)
		if flash(t, page) != "Recipe saved." || d.one(t, "h1").textContent() != "Smoky aubergine dip" {
			t.Errorf("recipe page: flash %q, h1 %q", flash(t, page), d.texts("h1"))
		}
		if got := d.texts("#ingredients li"); len(got) != 3 || got[0] != "1½ cups flour" {
			t.Errorf("ingredients %q", got)
		}
		anon := s.browser()
		if r := anon.get(t, "/recipes/"+pub+"?servings=8").want(t, http.StatusOK); r.doc(t).texts("#ingredients li")[0] != "3 cups flour" {
			t.Errorf("scaled: %q", r.doc(t).texts("#ingredients li"))
		}
		anon.get(t, "/recipes/"+pub+"/cook?step=2").want(t, http.StatusOK)

		// Search finds the public recipe, by title words, ingredient and tag.
		for _, path := range []string{"/recipes?q=aubergine", "/recipes?q=" + q("smoky aubergine"), "/recipes?q=aubrgine", "/recipes?tag=vegan", "/recipes"} {
			r := anon.get(t, path).want(t, http.StatusOK)
			assertDocument(t, r)
			ids := recipeIDs(t, r)
			if !contains(ids, pub) {
				t.Errorf("%s does not find the public recipe: %q", path, cardTitles(t, r))
			}
			if contains(ids, priv) || contains(ids, unl) {
				t.Errorf("%s lists a hidden recipe", path)
			}
		}
		// "Small typos are forgiven" (the about page), on either engine:
		// a swap of two letters, a doubled letter.
		t.Run("typo search", func(t *testing.T) {
			for _, typo := range []string{"auberigne", "smokky"} {
				if r := anon.get(t, "/recipes?q="+typo).want(t, http.StatusOK); !contains(recipeIDs(t, r), pub) {
					t.Errorf("%s: /recipes?q=%s does not find %q", s.engine, typo, "Smoky aubergine dip")
				}
			}
		})
		for _, path := range []string{"/recipes?q=sauerkraut", "/recipes?q=udon", "/?tab=everyone", "/u/ann"} {
			r := anon.get(t, path).want(t, http.StatusOK)
			if ids := recipeIDs(t, r); contains(ids, priv) || contains(ids, unl) {
				t.Errorf("anonymous %s lists a hidden recipe: %q", path, cardTitles(t, r))
			}
		}
		if got := profileCount(t, anon.get(t, "/u/ann")); got != "1" {
			t.Errorf("anonymous sees ann's count %q", got)
		}
		if got := profileCount(t, ann.get(t, "/u/ann")); got != "3" {
			t.Errorf("ann sees her count %q", got)
		}

		// Private is a 404 for others, like a missing recipe; unlisted opens.
		bob := s.register(t, "bob")
		assertNotFoundPage(t, anon.get(t, "/recipes/"+priv))
		assertNotFoundPage(t, bob.get(t, "/recipes/"+priv))
		assertNotFoundPage(t, bob.get(t, "/recipes/"+priv+"/edit"))
		bob.get(t, "/recipes/"+unl).want(t, http.StatusOK)
		bob.get(t, "/recipes/"+pub+"/edit").want(t, http.StatusForbidden)
		ann.get(t, "/recipes/"+priv).want(t, http.StatusOK)
		if r := bob.get(t, "/recipes?q=sauerkraut"); contains(recipeIDs(t, r), priv) {
			t.Error("bob finds ann's private recipe")
		}
	})
}
