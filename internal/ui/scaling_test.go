package ui_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCookModeScaled checks, without a script, that cook mode follows
// ?servings= like the recipe page and that every link between the two
// keeps it; junk servings mean the recipe as written, never an error.
func TestCookModeScaled(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Flatbread", "public")) // serves 4, 2 eggs
	anon := s.browser()

	page := anon.get(t, "/recipes/"+id+"?servings=2").want(t, http.StatusOK).doc(t)
	cook := page.first(`a[href^="/recipes/` + id + `/cook"]`)
	if cook == nil || cook.get("href") != "/recipes/"+id+"/cook?servings=2" {
		t.Fatalf("the scaled page's cook mode link: %v", cook)
	}
	d := anon.get(t, cook.get("href")).want(t, http.StatusOK).doc(t)
	want := []string{"¾ cup flour", "⅜ tsp salt", "1 egg"}
	if got := d.texts(".cook-ingredients li"); fmtList(got) != fmtList(want) {
		t.Errorf("cook mode at 2 servings: %q, want %q", got, want)
	}
	if n := d.one(t, ".scaled-note").textContent(); !strings.Contains(n, "scaled ×½") {
		t.Errorf("cook mode at 2 servings: note %q", n)
	}
	next := d.one(t, "a.cook-next").get("href")
	if next != "/recipes/"+id+"/cook?step=2&servings=2" {
		t.Errorf("next step link %q", next)
	}
	d = anon.get(t, "/recipes/"+id+"/cook?step=3&servings=2").want(t, http.StatusOK).doc(t)
	if prev := d.one(t, "a.cook-prev").get("href"); prev != "/recipes/"+id+"/cook?step=2&servings=2" {
		t.Errorf("previous step link %q", prev)
	}
	back := 0
	for _, a := range d.all("a") {
		if text := strings.TrimSpace(a.textContent()); text == "Done" || text == "← Back to the recipe" {
			back++
			if h := a.get("href"); h != "/recipes/"+id+"?servings=2" {
				t.Errorf("%q links to %q, want the scaled recipe page", text, h)
			}
		}
	}
	if back != 2 {
		t.Errorf("%d links back to the recipe (back and Done), want 2", back)
	}

	// As written: plain links, no note.
	for _, junk := range []string{"", "4", "0", "abc", "1001"} {
		d := anon.get(t, "/recipes/"+id+"/cook?servings="+q(junk)).want(t, http.StatusOK).doc(t)
		if d.first(".scaled-note") != nil {
			t.Errorf("servings=%q: a scaled note in cook mode", junk)
		}
		if next := d.one(t, "a.cook-next").get("href"); next != "/recipes/"+id+"/cook?step=2" {
			t.Errorf("servings=%q: next step link %q", junk, next)
		}
		if got := d.texts(".cook-ingredients li"); len(got) != 3 || got[2] != "2 eggs" {
			t.Errorf("servings=%q: %q", junk, got)
		}
	}
}

// TestRecipePageScalesNotesAndCounts checks the server's page for
// ?servings=: alternates and amounts in notes scale, counted things round
// and take the number, sizes and plain words stay.
func TestRecipePageScalesNotesAndCounts(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("Stew", "public") // serves 4
	f.Ingredients = []string{
		"400 g (14 oz) canned tomatoes, drained",
		"2 onions (about 300 g)",
		"3 bay leaves",
		"1 egg",
		"1 (20 cm) tin",
		"5 potatoes, cut into 2 pieces",
	}
	id := ann.createRecipe(t, f)
	anon := s.browser()
	for servings, want := range map[string][]string{
		"2": {"200 g (7 oz) canned tomatoes, drained", "1 onion, about 150 g", "1½ bay leaves", "½ egg", "½ tin, 20 cm", "2½ potatoes, cut into 2 pieces"},
		"3": {"300 g (10½ oz) canned tomatoes, drained", "1½ onions, about 225 g", "2½ bay leaves", "¾ egg", "¾ tin, 20 cm", "4 potatoes, cut into 2 pieces"},
		"8": {"800 g (28 oz) canned tomatoes, drained", "4 onions, about 600 g", "6 bay leaves", "2 eggs", "2 tins, 20 cm", "10 potatoes, cut into 2 pieces"},
	} {
		d := anon.get(t, "/recipes/"+id+"?servings="+servings).want(t, http.StatusOK).doc(t)
		if got := d.texts("#ingredients li.ingredient"); fmtList(got) != fmtList(want) {
			t.Errorf("servings=%s:\n got %q\nwant %q", servings, got, want)
		}
	}
}
