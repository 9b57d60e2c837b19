package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// socialState reads the recipe page's like, save and rating block.
type socialState struct {
	liked, saved, likes, saves, average, checked string
}

func readSocial(t *testing.T, b *browser, id string) socialState {
	t.Helper()
	d := assertDocument(t, b.get(t, "/recipes/"+id).want(t, http.StatusOK))
	s := socialState{
		liked: d.one(t, "#like-button").get("aria-pressed"), saved: d.one(t, "#save-button").get("aria-pressed"),
		likes: d.one(t, "#like-count").textContent(), saves: d.one(t, "#save-count").textContent(),
		average: d.one(t, "#rating-average").textContent(),
	}
	for _, in := range d.all(".rating-star input") {
		if in.has("checked") {
			s.checked = in.get("value")
		}
	}
	return s
}

// The recipe page's toggles and rating work as plain forms: each posts,
// redirects back to the block, and the page then shows the state, its
// counts, and the pressed state to assistive technology.
func TestLikeSaveRateOnThePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		anon := s.browser()
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))

		if got := readSocial(t, anon, id); got != (socialState{"false", "false", "0 likes", "0 saves", "No ratings yet.", ""}) {
			t.Fatalf("fresh page: %+v", got)
		}
		d := assertDocument(t, anon.get(t, "/recipes/"+id))
		if n := len(d.all(".rating-star input")); n != 5 {
			t.Fatalf("%d star choices, want 5", n)
		}
		if d.one(t, ".rating-form legend").textContent() == "" {
			t.Error("the rating control has no legend")
		}
		// A visitor's forms post plainly (to the sign-in page); a reader's
		// are swapped in place.
		if n := len(d.all("section.no-print form[hx-post]")); n != 0 {
			t.Errorf("a visitor's page has %d forms posted by script, whose answer would be the sign-in page", n)
		}
		if n := len(assertDocument(t, bob.get(t, "/recipes/"+id)).all("section.no-print form[hx-post]")); n != 3 {
			t.Errorf("a reader's page has %d forms posted by script, want 3", n)
		}

		for _, step := range []struct {
			path, block string
			form        url.Values
		}{
			{"/like", "#social", url.Values{"to": {"on"}}}, {"/like", "#social", url.Values{"to": {"on"}}}, // twice is once
			{"/save", "#social", url.Values{"to": {"on"}}},
			{"/rating", "#rating", url.Values{"stars": {"4"}}},
		} {
			r := bob.post(t, "/recipes/"+id+step.path, step.form).want(t, http.StatusSeeOther)
			if loc := r.location(t); loc != "/recipes/"+id+step.block {
				t.Fatalf("%s redirects to %q", step.path, loc)
			}
		}
		ann.post(t, "/recipes/"+id+"/rating", url.Values{"stars": {"1"}}).want(t, http.StatusSeeOther)
		want := socialState{"true", "true", "1 like", "1 save", "Average 2.5 out of 5 from 2 ratings.", "4"}
		if got := readSocial(t, bob, id); got != want {
			t.Fatalf("bob's page: %+v, want %+v", got, want)
		}
		// The top of the page sums the rating up and leads to the form.
		top := assertDocument(t, bob.get(t, "/recipes/"+id)).one(t, "#social #rating-summary")
		if got := strings.Join(strings.Fields(top.textContent()), " "); got != "★ 2.5 out of 5 (2 ratings)" || top.get("href") != "#rating" {
			t.Errorf("rating summary %q linking to %q", got, top.get("href"))
		}
		// A visitor, whose page may be kept (pagememo.go), sees the new
		// counts and nobody's marks.
		if got := readSocial(t, anon, id); got != (socialState{"false", "false", "1 like", "1 save", want.average, ""}) {
			t.Fatalf("visitor's page: %+v", got)
		}
		if got := readSocial(t, ann, id); got.liked != "false" || got.checked != "1" {
			t.Fatalf("ann's page: %+v", got)
		}
		// The card in lists carries the counts too.
		cards := assertDocument(t, anon.get(t, "/recipes").want(t, http.StatusOK)).all(".recipe-card-stats")
		if len(cards) != 1 || !strings.Contains(cards[0].textContent(), "2.5") || !strings.Contains(cards[0].textContent(), "1 like") {
			t.Fatalf("card stats: %d", len(cards))
		}

		bob.post(t, "/recipes/"+id+"/like", url.Values{"to": {"off"}}).want(t, http.StatusSeeOther)
		bob.post(t, "/recipes/"+id+"/save", url.Values{"to": {"off"}}).want(t, http.StatusSeeOther)
		bob.post(t, "/recipes/"+id+"/rating", url.Values{"stars": {"4"}, "remove": {"1"}}).want(t, http.StatusSeeOther)
		if got := readSocial(t, bob, id); got != (socialState{"false", "false", "0 likes", "0 saves", "Average 1.0 out of 5 from 1 rating.", ""}) {
			t.Fatalf("after undoing: %+v", got)
		}

		// A visitor's post asks them to sign in, and writes nothing.
		r := anon.post(t, "/recipes/"+id+"/like", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		if !strings.HasPrefix(r.location(t), "/login") {
			t.Fatalf("visitor's like went to %q", r.location(t))
		}
		// Bad forms are 400 pages and write nothing.
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/like", url.Values{}}, {"/like", url.Values{"to": {"yes"}}}, {"/save", url.Values{"to": {"ON"}}},
			{"/rating", url.Values{}}, {"/rating", url.Values{"stars": {"6"}}}, {"/rating", url.Values{"stars": {"0"}}},
			{"/rating", url.Values{"stars": {"-1"}}}, {"/rating", url.Values{"stars": {"2.5"}}}, {"/rating", url.Values{"stars": {"five"}}},
		} {
			bob.post(t, "/recipes/"+id+c.path, c.form).want(t, http.StatusBadRequest)
		}
		if got := readSocial(t, bob, id); got.likes != "0 likes" || got.saves != "0 saves" || got.checked != "" {
			t.Fatalf("bad forms wrote: %+v", got)
		}
	})
}

// A recipe one may not see cannot be liked, saved or rated from a page,
// and says so exactly as a missing one does.
func TestMarksOnHiddenRecipesAreNotFound(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		priv := ann.createRecipe(t, simpleRecipe("Private parfait", "private"))
		const missing = "01900000-0000-7000-8000-000000000000"
		bob.get(t, "/") // takes the welcome message, which would show on the first page only
		for _, c := range []struct {
			path string
			form url.Values
		}{{"/like", url.Values{"to": {"on"}}}, {"/save", url.Values{"to": {"on"}}}, {"/rating", url.Values{"stars": {"5"}}}} {
			hidden := bob.post(t, "/recipes/"+priv+c.path, c.form)
			assertNotFoundPage(t, hidden)
			gone := bob.post(t, "/recipes/"+missing+c.path, c.form)
			assertNotFoundPage(t, gone)
			if normalise(hidden.String(), priv) != normalise(gone.String(), missing) {
				t.Errorf("%s: a private recipe's page differs from a missing one's", c.path)
			}
			assertNotFoundPage(t, bob.post(t, "/recipes/not-an-id"+c.path, c.form))
		}
		if got := readSocial(t, ann, priv); got.likes != "0 likes" || got.saves != "0 saves" || got.average != "No ratings yet." {
			t.Fatalf("refused marks were written: %+v", got)
		}
		// The author may keep their own private recipe.
		ann.post(t, "/recipes/"+priv+"/save", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		if ids := recipeIDs(t, ann.get(t, "/saved").want(t, http.StatusOK)); len(ids) != 1 || ids[0] != priv {
			t.Fatalf("ann's saved: %q", ids)
		}
		if ids := recipeIDs(t, bob.get(t, "/saved").want(t, http.StatusOK)); len(ids) != 0 {
			t.Fatalf("bob's saved: %q", ids)
		}
	})
}

// The Saved page: in the navigation for the signed in, with browse's
// search and filters over the reader's library only; a saved recipe that
// goes private leaves it.
func TestSavedPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		anon := s.browser()
		kept := ann.createRecipe(t, simpleRecipe("Saffron buns", "public"))
		quiet := ann.createRecipe(t, simpleRecipe("Saffron rice", "unlisted"))
		later := ann.createRecipe(t, simpleRecipe("Saffron milk", "public"))
		ann.createRecipe(t, simpleRecipe("Nutmeg custard", "public"))
		for _, id := range []string{kept, quiet, later} {
			bob.post(t, "/recipes/"+id+"/save", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		}

		if r := anon.get(t, "/saved"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(t), "/login") {
			t.Fatalf("visitor's /saved: %d %q", r.status, r.header.Get("Location"))
		}
		if len(assertDocument(t, anon.get(t, "/recipes")).all("a[href=/saved]")) != 0 {
			t.Error("a visitor's navigation links to Saved")
		}
		r := bob.get(t, "/saved").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if len(d.all("a[href=/saved]")) == 0 {
			t.Error("no Saved link in the navigation")
		}
		if h := d.one(t, "h1").textContent(); h != "Saved recipes" {
			t.Errorf("h1 %q", h)
		}
		if got := cardTitles(t, r); len(got) != 3 {
			t.Fatalf("bob's saved: %q", got)
		}
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("Saved page Cache-Control %q", cc)
		}
		if got := cardTitles(t, bob.get(t, "/saved?q=rice")); len(got) != 1 || got[0] != "Saffron rice" {
			t.Fatalf("searched saved: %q", got)
		}
		if got := cardTitles(t, bob.get(t, "/saved?sort=title")); strings.Join(got, ",") != "Saffron buns,Saffron milk,Saffron rice" {
			t.Fatalf("saved by title: %q", got)
		}
		// Facet and page links stay on /saved.
		for _, a := range assertDocument(t, bob.get(t, "/saved?sort=title")).all("#facets a") {
			if !strings.HasPrefix(a.get("href"), "/saved") {
				t.Errorf("facet link %q leaves the saved page", a.get("href"))
			}
		}
		bob.get(t, "/saved?sort=sideways").want(t, http.StatusBadRequest)

		f := simpleRecipe("Saffron milk", "private")
		ann.post(t, "/recipes/"+later+"/edit", f.values()).want(t, http.StatusSeeOther)
		if got := cardTitles(t, bob.get(t, "/saved?sort=title")); strings.Join(got, ",") != "Saffron buns,Saffron rice" {
			t.Fatalf("saved after a recipe went private: %q", got)
		}
		if got := cardTitles(t, ann.get(t, "/saved")); len(got) != 0 {
			t.Fatalf("ann's saved: %q", got)
		}
		if !strings.Contains(assertDocument(t, ann.get(t, "/saved")).one(t, ".empty").textContent(), "Save") {
			t.Error("an empty Saved page does not say how to fill it")
		}
	})
}
