package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// unitsRecipe mixes US and metric measures, an alternate measure,
// counted things, a unit that is no measure and temperatures both ways.
func unitsRecipe() recipeForm {
	f := simpleRecipe("Two-system bake", "public") // serves 4
	f.Ingredients = []string{"1 cup milk", "250 ml cream", "400 g (14 oz) canned tomatoes", "1 lb beef", "2 eggs",
		"1 pinch salt", "375 g flour", "2 tbsp oil", "1 can (400 g) beans, about 2 cups"}
	f.Steps = []string{"Heat the oven to 350°F.", "Bake at 180 degrees C for 20 minutes.", "Rest for 5 minutes."}
	return f
}

var unitsAsWritten = []string{"1 cup milk", "250 ml cream", "400 g (14 oz) canned tomatoes", "1 lb beef", "2 eggs",
	"1 pinch salt", "375 g flour", "2 tbsp oil", "1 can (400 g) beans, about 2 cups"}

// TestUnitsByQuery reads the recipe page and cook mode, without a
// script, in each system asked for by ?units=, with and without scaling.
func TestUnitsByQuery(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, unitsRecipe())
	anon := s.browser()
	lines := func(d *node) []string { return d.texts("#ingredients li.ingredient") }
	steps := func(d *node) []string { return d.texts("#steps li") }

	for _, c := range []struct {
		query        string
		lines, steps []string
	}{
		{"", unitsAsWritten, unitsRecipe().Steps},
		{"?units=original", unitsAsWritten, unitsRecipe().Steps},
		{"?units=bogus", unitsAsWritten, unitsRecipe().Steps},
		{"?units=metric",
			[]string{"240 ml milk", "250 ml cream", "400 g canned tomatoes", "455 g beef", "2 eggs",
				"1 pinch salt", "375 g flour", "30 ml oil", "1 can (400 g) beans, about 470 ml"},
			[]string{"Heat the oven to 180°C.", "Bake at 180 degrees C for 20 minutes.", "Rest for 5 minutes."}},
		{"?units=us",
			[]string{"1 cup milk", "1 cup cream", "14 oz canned tomatoes", "1 lb beef", "2 eggs",
				"1 pinch salt", "13¼ oz flour", "2 tbsp oil", "1 can (14 oz) beans, about 2 cups"},
			[]string{"Heat the oven to 350°F.", "Bake at 350°F for 20 minutes.", "Rest for 5 minutes."}},
		// Halved: converted amounts are picked and rounded after scaling,
		// and metric ones as written never read "187½ g".
		{"?units=metric&servings=2",
			[]string{"120 ml milk", "125 ml cream", "200 g canned tomatoes", "225 g beef", "1 egg",
				"½ pinch salt", "190 g flour", "15 ml oil", "½ can (200 g) beans, about 240 ml"},
			nil},
		{"?units=us&servings=2",
			[]string{"½ cup milk", "½ cup cream", "7 oz canned tomatoes", "½ lb beef", "1 egg",
				"½ pinch salt", "6½ oz flour", "1 tbsp oil", "½ can (7 oz) beans, about 1 cup"},
			nil},
		{"?servings=2",
			[]string{"½ cup milk", "125 ml cream", "200 g (7 oz) canned tomatoes", "½ lb beef", "1 egg",
				"½ pinch salt", "190 g flour", "1 tbsp oil", "½ can (200 g) beans, about 1 cup"},
			nil},
	} {
		r := anon.get(t, "/recipes/"+id+c.query).want(t, http.StatusOK)
		d := assertDocument(t, r)
		if got := lines(d); fmtList(got) != fmtList(c.lines) {
			t.Errorf("%s: %q,\nwant %q", c.query, got, c.lines)
		}
		if c.steps != nil && fmtList(steps(d)) != fmtList(c.steps) {
			t.Errorf("%s: steps %q, want %q", c.query, steps(d), c.steps)
		}
	}

	// The script rescales a converted amount from ml or g.
	d := anon.get(t, "/recipes/"+id+"?units=metric").doc(t)
	if li := d.first("#ingredients li.ingredient"); li.get("data-qty") != "236.588" || li.get("data-system") != "metric" || li.get("data-kind") != "volume" {
		t.Errorf("metric milk: data-qty %q, data-system %q, data-kind %q", li.get("data-qty"), li.get("data-system"), li.get("data-kind"))
	}
	// The toggle says which is shown.
	pressed := d.all(`.units-form button[aria-pressed="true"]`)
	if len(pressed) != 1 || pressed[0].textContent() != "Metric" {
		t.Errorf("pressed units buttons: %v", pressed)
	}

	// Links keep the view: to cook mode, between steps and back.
	d = anon.get(t, "/recipes/"+id+"?servings=2&units=us").doc(t)
	cook := d.one(t, "a[data-keep-servings]").get("href")
	if cook != "/recipes/"+id+"/cook?servings=2&units=us" {
		t.Fatalf("cook mode link %q", cook)
	}
	if v := d.one(t, `.servings-form input[name="units"]`).get("value"); v != "us" {
		t.Errorf("the servings form drops the units (%q)", v)
	}
	d = anon.get(t, cook).want(t, http.StatusOK).doc(t)
	if got := d.texts(".cook-ingredients li"); len(got) < 3 || got[0] != "½ cup milk" || got[2] != "7 oz canned tomatoes" {
		t.Errorf("cook mode in US at 2: %q", got)
	}
	if next := d.one(t, "a.cook-next").get("href"); next != "/recipes/"+id+"/cook?step=2&servings=2&units=us" {
		t.Errorf("next step link %q", next)
	}
	d = anon.get(t, "/recipes/"+id+"/cook?step=2&servings=2&units=us").doc(t)
	if step := d.one(t, "#step-2 .cook-text").textContent(); step != "Bake at 350°F for 20 minutes." {
		t.Errorf("cook mode step 2 in US: %q", step)
	}
	if prev := d.one(t, "a.cook-prev").get("href"); prev != "/recipes/"+id+"/cook?step=1&servings=2&units=us" {
		t.Errorf("previous step link %q", prev)
	}
	d = anon.get(t, "/recipes/"+id+"/cook?step=1&units=metric").doc(t)
	if step := d.one(t, "#step-1 .cook-text").textContent(); step != "Heat the oven to 180°C." {
		t.Errorf("cook mode step 1 in metric: %q", step)
	}
	if title := d.one(t, "a.cook-back").get("href"); title != "/recipes/"+id+"?units=metric" {
		t.Errorf("cook mode's way back %q", title)
	}
}

// TestUnitsDefaultFromLanguage: with nothing chosen the browser's
// language decides; ?units= and a choice override it.
func TestUnitsDefaultFromLanguage(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, unitsRecipe())
	anon := s.browser()
	first := func(lang, query string) string {
		return anon.get(t, "/recipes/"+id+query, withHeader("Accept-Language", lang)).want(t, http.StatusOK).doc(t).
			texts("#ingredients li.ingredient")[1]
	}
	for lang, want := range map[string]string{
		"en-US,en;q=0.9": "1 cup cream", "en-GB,en;q=0.9": "250 ml cream", "de": "250 ml cream",
		"en": "250 ml cream", "": "250 ml cream",
	} {
		if got := first(lang, ""); got != want {
			t.Errorf("Accept-Language %q: %q, want %q", lang, got, want)
		}
	}
	if got := first("en-US", "?units=original"); got != "250 ml cream" {
		t.Errorf("en-US asking for the recipe as written: %q", got)
	}
	if got := anon.get(t, "/recipes/"+id, withHeader("Accept-Language", "en-GB")).doc(t).texts("#ingredients li.ingredient")[0]; got != "240 ml milk" {
		t.Errorf("en-GB: %q", got)
	}
}

// TestUnitsRememberedByCookie: an anonymous reader's pick is kept in a
// cookie, and beats the browser's language.
func TestUnitsRememberedByCookie(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, unitsRecipe())
	anon := s.browser()
	r := anon.post(t, "/recipes/"+id+"/units", url.Values{"units": {"metric"}, "servings": {"2"}}).want(t, http.StatusSeeOther)
	if loc := r.location(t); loc != "/recipes/"+id+"?servings=2&units=metric" {
		t.Errorf("picking metric led to %q", loc)
	}
	if c := anon.cookie("units"); c != "metric" {
		t.Errorf("units cookie %q", c)
	}
	got := anon.get(t, "/recipes/"+id, withHeader("Accept-Language", "en-US")).want(t, http.StatusOK).doc(t).texts("#ingredients li.ingredient")
	if got[0] != "240 ml milk" {
		t.Errorf("after picking metric: %q", got)
	}
	// Someone else's browser is not affected.
	if got := s.browser().get(t, "/recipes/"+id).doc(t).texts("#ingredients li.ingredient"); got[0] != "1 cup milk" {
		t.Errorf("another browser: %q", got)
	}
	// Bad picks are refused, and change nothing.
	for _, bad := range []url.Values{{"units": {"imperial"}}, {"units": {""}}, {}, {"units": {strings.Repeat("m", 5000)}}} {
		anon.post(t, "/recipes/"+id+"/units", bad).want(t, http.StatusBadRequest)
	}
	if c := anon.cookie("units"); c != "metric" {
		t.Errorf("units cookie after bad picks %q", c)
	}
	// Junk servings are dropped from the way back, not an error.
	r = anon.post(t, "/recipes/"+id+"/units", url.Values{"units": {"us"}, "servings": {"0"}}).want(t, http.StatusSeeOther)
	if loc := r.location(t); loc != "/recipes/"+id+"?units=us" {
		t.Errorf("picking US with junk servings led to %q", loc)
	}
}

// TestUnitsRememberedForUser: a signed-in reader's pick is saved with
// the account, seen from another device, and editable in settings.
func TestUnitsRememberedForUser(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		id := ann.createRecipe(t, unitsRecipe())
		ann.post(t, "/recipes/"+id+"/units", url.Values{"units": {"us"}}).want(t, http.StatusSeeOther)
		if c := ann.cookie("units"); c != "" {
			t.Errorf("a signed-in pick set a cookie %q", c)
		}
		other := s.login(t, "ann")
		first := func(lang string) string {
			return other.get(t, "/recipes/"+id, withHeader("Accept-Language", lang)).want(t, http.StatusOK).doc(t).
				texts("#ingredients li.ingredient")[1]
		}
		if got := first("en-GB"); got != "1 cup cream" {
			t.Errorf("another device after picking US: %q", got)
		}
		settings := assertDocument(t, other.get(t, "/settings").want(t, http.StatusOK))
		if sel := settings.one(t, "#units option[selected]").get("value"); sel != "us" {
			t.Errorf("settings show %q selected", sel)
		}
		r := other.post(t, "/settings/units", url.Values{"units": {"metric"}}).want(t, http.StatusSeeOther)
		if f := flash(t, other.follow(t, r)); f != "Units saved." {
			t.Errorf("flash %q", f)
		}
		if got := first("en-US"); got != "250 ml cream" {
			t.Errorf("after choosing metric in settings: %q", got)
		}
		// Following the browser again.
		other.post(t, "/settings/units", url.Values{"units": {""}}).want(t, http.StatusSeeOther)
		if got := first("en-US"); got != "1 cup cream" {
			t.Errorf("following an en-US browser: %q", got)
		}
		other.post(t, "/settings/units", url.Values{"units": {"cubits"}}).want(t, http.StatusBadRequest)
		// Signed out, the settings form sends to the login page.
		s.browser().post(t, "/settings/units", url.Values{"units": {"us"}}).want(t, http.StatusSeeOther, http.StatusUnauthorized, http.StatusForbidden)
	})
}
