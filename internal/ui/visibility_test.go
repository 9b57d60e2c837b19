package ui_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestVisibilityOnPages: a private recipe exists only for its author; an
// unlisted one for whoever has its URL, but in no list.
func TestVisibilityOnPages(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	bob := s.register(t, "bob")
	anon := s.browser()
	const (
		pubTitle  = "Quokka public quiche"
		unlTitle  = "Wombat unlisted waffles"
		privTitle = "Xylophone private xinxim"
	)
	pub := ann.createRecipe(t, simpleRecipe(pubTitle, "public"))
	unl := ann.createRecipe(t, simpleRecipe(unlTitle, "unlisted"))
	priv := ann.createRecipe(t, simpleRecipe(privTitle, "private"))

	t.Run("private is not found for others, like a missing recipe", func(t *testing.T) {
		missing := anon.get(t, "/recipes/ZZZZZZZZZZZZZZZZZZZZZZZZZZ").want(t, http.StatusNotFound)
		for _, who := range []*browser{anon, bob} {
			for _, path := range []string{"/recipes/" + priv, "/recipes/" + priv + "/cook", "/recipes/" + priv + "?servings=8"} {
				r := who.get(t, path)
				assertNotFoundPage(t, r)
				if strings.Contains(r.String(), privTitle) {
					t.Errorf("%s: the 404 page names the private recipe", path)
				}
				if normalise(r.String(), priv) != normalise(missing.String(), "ZZZZZZZZZZZZZZZZZZZZZZZZZZ") && who == anon {
					t.Errorf("%s: the page for a private recipe differs from the page for a missing one", path)
				}
			}
		}
		ann.get(t, "/recipes/"+priv).want(t, http.StatusOK)
		ann.get(t, "/recipes/"+priv+"/cook").want(t, http.StatusOK)
	})

	t.Run("unlisted is readable by URL", func(t *testing.T) {
		for _, who := range []*browser{anon, bob} {
			r := who.get(t, "/recipes/"+unl).want(t, http.StatusOK)
			if h := r.doc(t).one(t, "h1").textContent(); h != unlTitle {
				t.Errorf("h1 %q", h)
			}
			who.get(t, "/recipes/"+unl+"/cook").want(t, http.StatusOK)
		}
	})

	lists := []string{"/", "/?tab=everyone", "/recipes", "/recipes?q=" + q(pubTitle), "/recipes?q=" + q(unlTitle),
		"/recipes?q=" + q(privTitle), "/recipes?q=xinxim", "/recipes?q=waffles", "/recipes?tag=test", "/recipes?sort=title", "/u/ann"}
	t.Run("others see only the public recipe in lists", func(t *testing.T) {
		for _, who := range []*browser{anon, bob} {
			for _, path := range lists {
				r := who.get(t, path).want(t, http.StatusOK)
				assertDocument(t, r)
				ids := recipeIDs(t, r)
				if contains(ids, priv) || contains(ids, unl) {
					t.Errorf("%s %s lists a hidden recipe: %q", who.username, path, cardTitles(t, r))
				}
				for _, title := range []string{privTitle, unlTitle} {
					// (A search page echoes its own query.)
					if !strings.Contains(path, q(title)) && strings.Contains(r.String(), title) {
						t.Errorf("%s %s: page mentions %q", who.username, path, title)
					}
				}
			}
			// Positive controls: the public recipe is listed where it should be.
			for _, path := range []string{"/recipes", "/recipes?q=" + q(pubTitle), "/recipes?q=quiche", "/u/ann"} {
				if r := who.get(t, path); !contains(recipeIDs(t, r), pub) {
					t.Errorf("%s %s does not list the public recipe: %q", who.username, path, cardTitles(t, r))
				}
			}
			if got := profileCount(t, who.get(t, "/u/ann")); got != "1" {
				t.Errorf("%s sees ann's recipe count %q, want 1", who.username, got)
			}
		}
		// Anonymous visitors' landing page and bob's "Everyone" tab list it.
		if !contains(recipeIDs(t, anon.get(t, "/")), pub) || !contains(recipeIDs(t, bob.get(t, "/?tab=everyone")), pub) {
			t.Error("the public recipe is missing from the newest recipes")
		}
		// Bob's own kitchen is empty.
		if ids := recipeIDs(t, bob.get(t, "/")); len(ids) != 0 {
			t.Errorf("bob's own recipes show %q", ids)
		}
	})

	t.Run("the author sees all three", func(t *testing.T) {
		for _, path := range []string{"/", "/u/ann"} {
			r := ann.get(t, path).want(t, http.StatusOK)
			ids := recipeIDs(t, r)
			for _, id := range []string{pub, unl, priv} {
				if !contains(ids, id) {
					t.Errorf("%s: ann does not see her recipe %s: %q", path, id, cardTitles(t, r))
				}
			}
			// Hidden ones carry a badge saying so.
			d := r.doc(t)
			if len(d.all(".badge-private")) != 1 || len(d.all(".badge-unlisted")) != 1 {
				t.Errorf("%s: badges %q", path, d.texts(".badge"))
			}
		}
		if got := profileCount(t, ann.get(t, "/u/ann")); got != "3" {
			t.Errorf("ann's own recipe count %q, want 3", got)
		}
		// Search lists the author's private recipe to her only; the
		// everyone tab stays public-only even for her.
		if r := ann.get(t, "/recipes?q="+q(privTitle)); !contains(recipeIDs(t, r), priv) {
			t.Errorf("ann cannot find her private recipe: %q", cardTitles(t, r))
		}
		if r := ann.get(t, "/?tab=everyone"); contains(recipeIDs(t, r), priv) || contains(recipeIDs(t, r), unl) {
			t.Errorf("the everyone tab lists hidden recipes: %q", cardTitles(t, r))
		}
	})
}

func profileCount(t testing.TB, r *resp) string {
	t.Helper()
	r.want(t, http.StatusOK)
	return r.doc(t).one(t, "#recipe-count").textContent()
}

// normalise removes what legitimately differs between two 404 pages.
func normalise(body, id string) string {
	return strings.ReplaceAll(body, id, "ID")
}
