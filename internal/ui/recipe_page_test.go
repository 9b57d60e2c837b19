package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestRecipePageServings(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("Scones", "public")
	f.Ingredients = []string{"1 1/2 cups flour", "3/4 tsp salt", "1 clove garlic", "2-3 tbsp milk", "1 pinch nutmeg", "salt to taste"}
	id := ann.createRecipe(t, f) // serves 4
	anon := s.browser()

	ingredients := func(r *resp) []string { return r.doc(t).texts("#ingredients li.ingredient") }
	note := func(r *resp) string { return r.doc(t).one(t, "#servings-note").textContent() }
	servingsValue := func(r *resp) string { return r.doc(t).one(t, "#servings").get("value") }

	base := anon.get(t, "/recipes/"+id).want(t, http.StatusOK)
	asWritten := []string{"1½ cups flour", "¾ tsp salt", "1 clove garlic", "2–3 tbsp milk", "1 pinch nutmeg", "salt, to taste"}
	if got := ingredients(base); fmtList(got) != fmtList(asWritten) {
		t.Errorf("as written: %q, want %q", got, asWritten)
	}
	if note(base) != "As written." || servingsValue(base) != "4" {
		t.Errorf("note %q, servings %q", note(base), servingsValue(base))
	}
	if a := base.doc(t).one(t, "article[data-base-servings]").get("data-base-servings"); a != "4" {
		t.Errorf("data-base-servings %q", a)
	}
	// The script rescales from the base quantities in data attributes.
	if li := base.doc(t).first("#ingredients li.ingredient"); li.get("data-qty") != "1.5" {
		t.Errorf("data-qty %q", li.get("data-qty"))
	}

	doubled := anon.get(t, "/recipes/"+id+"?servings=8").want(t, http.StatusOK)
	assertDocument(t, doubled)
	want := []string{"3 cups flour", "1½ tsp salt", "2 cloves garlic", "4–6 tbsp milk", "2 pinches nutmeg", "salt, to taste"}
	if got := ingredients(doubled); fmtList(got) != fmtList(want) {
		t.Errorf("doubled: %q, want %q", got, want)
	}
	// The factor is said once, in the note by the title; the hint by
	// the control says what it was written for.
	if note(doubled) != "Written for 4." || servingsValue(doubled) != "8" {
		t.Errorf("doubled note %q, servings %q", note(doubled), servingsValue(doubled))
	}
	half := anon.get(t, "/recipes/"+id+"?servings=2").want(t, http.StatusOK)
	if got := ingredients(half); got[0] != "¾ cup flour" || got[2] != "½ clove garlic" {
		t.Errorf("halved: %q", got)
	}
	if n := half.doc(t).one(t, ".scaled-note").textContent(); n != "Amounts scaled ×½ (written for 4)" || strings.Count(half.doc(t).one(t, "article").textContent(), "scaled") != 1 {
		t.Errorf("halved: the scaled note %q, or \"scaled\" said more than once", n)
	}
	if got := ingredients(anon.get(t, "/recipes/"+id+"?servings=6")); got[0] != "2¼ cups flour" {
		t.Errorf("×1½: %q", got)
	}

	for _, junk := range []string{"0", "-4", "1001", "abc", "2.5", "1e3", "", "8&servings=2x"} {
		r := anon.get(t, "/recipes/"+id+"?servings="+q(junk)).want(t, http.StatusOK)
		if got := ingredients(r); fmtList(got) != fmtList(asWritten) || servingsValue(r) != "4" || note(r) != "As written." {
			t.Errorf("servings=%q: %q, servings %q, note %q", junk, got, servingsValue(r), note(r))
		}
	}
	if r := anon.get(t, "/recipes/"+id+"?servings=1000").want(t, http.StatusOK); servingsValue(r) != "1000" {
		t.Errorf("servings=1000 not honoured")
	}
}

func TestRecipePageMetadata(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("Focaccia", "public")
	f.Prep, f.Cook = "15", "75"
	f.Description = "A soft, oily bread."
	f.Source = "https://example.test/focaccia"
	id := ann.createRecipe(t, f)
	anon := s.browser()

	r := anon.get(t, "/recipes/"+id).want(t, http.StatusOK)
	d := assertDocument(t, r)
	scripts := d.all(`script[type="application/ld+json"]`)
	if len(scripts) != 1 {
		t.Fatalf("%d JSON-LD scripts", len(scripts))
	}
	var ld struct {
		Context      string   `json:"@context"`
		Type         string   `json:"@type"`
		Name         string   `json:"name"`
		URL          string   `json:"url"`
		Description  string   `json:"description"`
		PrepTime     string   `json:"prepTime"`
		CookTime     string   `json:"cookTime"`
		TotalTime    string   `json:"totalTime"`
		RecipeYield  string   `json:"recipeYield"`
		Ingredients  []string `json:"recipeIngredient"`
		Instructions []struct {
			Type     string `json:"@type"`
			Position int    `json:"position"`
			Text     string `json:"text"`
		} `json:"recipeInstructions"`
		Author struct {
			Type string `json:"@type"`
			Name string `json:"name"`
		} `json:"author"`
		IsBasedOn string `json:"isBasedOn"`
	}
	if err := json.Unmarshal([]byte(scripts[0].rawText()), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, scripts[0].rawText())
	}
	if ld.Context != "https://schema.org" || ld.Type != "Recipe" || ld.Name != "Focaccia" || ld.Description != "A soft, oily bread." {
		t.Errorf("JSON-LD head: %+v", ld)
	}
	if ld.PrepTime != "PT15M" || ld.CookTime != "PT75M" || ld.TotalTime != "PT90M" || ld.RecipeYield != "4 servings" {
		t.Errorf("JSON-LD times/yield: prep %q cook %q total %q yield %q", ld.PrepTime, ld.CookTime, ld.TotalTime, ld.RecipeYield)
	}
	if len(ld.Ingredients) != 3 || !strings.HasPrefix(ld.Ingredients[0], "1½ cup") || !strings.HasSuffix(ld.Ingredients[0], " flour") {
		t.Errorf("recipeIngredient %q", ld.Ingredients)
	}
	if len(ld.Instructions) != 3 || ld.Instructions[0].Type != "HowToStep" || ld.Instructions[1].Position != 2 ||
		ld.Instructions[2].Text != "Bake until golden." {
		t.Errorf("recipeInstructions %+v", ld.Instructions)
	}
	if ld.Author.Type != "Person" || ld.Author.Name != "Ann Cook" || ld.IsBasedOn != "https://example.test/focaccia" {
		t.Errorf("author %+v, isBasedOn %q", ld.Author, ld.IsBasedOn)
	}
	if !strings.HasSuffix(ld.URL, "/recipes/"+id) {
		t.Errorf("JSON-LD url %q", ld.URL)
	}

	meta := map[string]string{}
	for _, m := range d.all("head meta[property]") {
		meta[m.get("property")] = m.get("content")
	}
	if meta["og:title"] != "Focaccia" || !strings.HasSuffix(meta["og:url"], "/recipes/"+id) || meta["og:type"] != "article" ||
		meta["og:description"] != "A soft, oily bread." {
		t.Errorf("Open Graph tags %v", meta)
	}
	if c := d.first(`head link[rel="canonical"]`); c == nil || c.get("href") != meta["og:url"] {
		t.Errorf("canonical link missing or differs from og:url")
	}
	if m := d.first(`head meta[name="description"]`); m == nil || m.get("content") != "A soft, oily bread." {
		t.Error("meta description missing")
	}
	if a := d.first("a.source-link"); a == nil || !strings.Contains(a.get("rel"), "nofollow") {
		t.Error("the source link lacks rel=nofollow")
	}
	if v := r.header.Get("X-Robots-Tag"); v != "" {
		t.Errorf("public recipe sends X-Robots-Tag %q", v)
	}

	t.Run("non-public recipes are not for search engines", func(t *testing.T) {
		unl := ann.createRecipe(t, simpleRecipe("Unlisted bread", "unlisted"))
		priv := ann.createRecipe(t, simpleRecipe("Private bread", "private"))
		if v := anon.get(t, "/recipes/"+unl).want(t, http.StatusOK).header.Get("X-Robots-Tag"); !strings.Contains(v, "noindex") {
			t.Errorf("unlisted recipe X-Robots-Tag %q", v)
		}
		if v := ann.get(t, "/recipes/"+priv).want(t, http.StatusOK).header.Get("X-Robots-Tag"); !strings.Contains(v, "noindex") {
			t.Errorf("private recipe X-Robots-Tag %q", v)
		}
	})
}

// TestRecipeTitleCannotInjectMarkup: a hostile title stays text everywhere
// it is shown, including inside the JSON-LD script.
func TestRecipeTitleCannotInjectMarkup(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	const evil = `</script><script>alert(1)</script> "quoted" & <b>bold</b>`
	f := simpleRecipe(evil, "public")
	f.Description = evil
	f.Ingredients = []string{"1 cup <img src=x onerror=alert(2)>"}
	f.Steps = []string{evil}
	id := ann.createRecipe(t, f)

	for _, path := range []string{"/recipes/" + id, "/recipes/" + id + "/cook", "/recipes/" + id + "/edit", "/recipes/" + id + "/delete",
		"/recipes", "/recipes?q=alert", "/", "/u/ann"} {
		r := ann.get(t, path).want(t, http.StatusOK)
		body := r.String()
		for _, bad := range []string{"<script>alert(1)", "<b>bold", "<img src=x"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %q appears unescaped", path, bad)
			}
		}
		d := assertDocument(t, r)
		// Only the page's own scripts exist: JSON-LD plus two files.
		for _, sc := range d.all("script") {
			if sc.get("type") != "application/ld+json" && !sc.has("src") {
				t.Errorf("%s: an inline script appeared: %q", path, sc.rawText())
			}
		}
		if n := len(d.all("b")) + len(d.all("img[onerror]")); n != 0 {
			t.Errorf("%s: injected elements found", path)
		}
	}

	r := ann.get(t, "/recipes/"+id)
	d := r.doc(t)
	if h := d.one(t, "h1").textContent(); h != strings.Join(strings.Fields(evil), " ") {
		t.Errorf("h1 %q, want the title as text", h)
	}
	var ld map[string]any
	scripts := d.all(`script[type="application/ld+json"]`)
	if len(scripts) != 1 {
		t.Fatalf("%d JSON-LD scripts", len(scripts))
	}
	if err := json.Unmarshal([]byte(scripts[0].rawText()), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	if ld["name"] != evil {
		t.Errorf("JSON-LD name %q, want %q", ld["name"], evil)
	}
	if og := d.first(`meta[property="og:title"]`); og == nil || og.get("content") != evil {
		t.Errorf("og:title does not carry the title as text")
	}
	if title := d.one(t, "title").textContent(); !strings.HasPrefix(title, strings.Join(strings.Fields(evil), " ")) {
		t.Errorf("<title> %q", title)
	}
}

func TestCookMode(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Flatbread", "public")) // three steps
	anon := s.browser()

	cases := []struct {
		step    string
		counter string
		text    string
		prev    bool
		next    bool
	}{
		{"", "Step 1 of 3", "Mix the flour and salt.", false, true},
		{"1", "Step 1 of 3", "Mix the flour and salt.", false, true},
		{"2", "Step 2 of 3", "Beat in the eggs.", true, true},
		{"3", "Step 3 of 3", "Bake until golden.", true, false},
		{"4", "Step 3 of 3", "Bake until golden.", true, false},
		{"999999999999999999999", "Step 1 of 3", "Mix the flour and salt.", false, true},
		{"0", "Step 1 of 3", "Mix the flour and salt.", false, true},
		{"-2", "Step 1 of 3", "Mix the flour and salt.", false, true},
		{"two", "Step 1 of 3", "Mix the flour and salt.", false, true},
	}
	for _, c := range cases {
		r := anon.get(t, "/recipes/"+id+"/cook?step="+q(c.step)).want(t, http.StatusOK)
		d := assertDocument(t, r)
		if got := d.one(t, "h1").textContent(); got != c.counter {
			t.Errorf("step=%q: %q, want %q", c.step, got, c.counter)
		}
		// Every step is in the page, the one asked for alone shown.
		if n := len(d.all(".cook-step")); n != 3 {
			t.Errorf("step=%q: %d steps in the page, want 3", c.step, n)
		}
		if got := shownSteps(d); len(got) != 1 || got[0] != c.text {
			t.Errorf("step=%q: shown steps %q, want %q", c.step, got, c.text)
		}
		prev, next := d.one(t, "a.cook-prev"), d.one(t, "a.cook-next")
		if text := prev.textContent(); (text == "Previous step") != c.prev || (text == "Recipe") == c.prev {
			t.Errorf("step=%q: the previous control reads %q", c.step, text)
		}
		if !c.prev && prev.get("href") != "/recipes/"+id {
			t.Errorf("step=%q: the first step's way back links to %q, want the recipe", c.step, prev.get("href"))
		}
		if text := next.textContent(); (text == "Next step") != c.next || (text == "Done") == c.next {
			t.Errorf("step=%q: the next control reads %q", c.step, text)
		}
		if !c.next && next.get("href") != "/recipes/"+id {
			t.Errorf("step=%q: Done links to %q, want the recipe", c.step, next.get("href"))
		}
		if c.next {
			// Following "Next step" advances by one.
			nr := anon.get(t, next.get("href")).want(t, http.StatusOK)
			if got := nr.doc(t).one(t, "h1").textContent(); got == c.counter {
				t.Errorf("step=%q: the next link %q does not advance", c.step, next.get("href"))
			}
		}
		if c.prev {
			pr := anon.get(t, prev.get("href")).want(t, http.StatusOK)
			if got := pr.doc(t).one(t, "h1").textContent(); got == c.counter {
				t.Errorf("step=%q: the previous link %q does not go back", c.step, prev.get("href"))
			}
		}
		// The page is a task of its own: no site header or footer, and a
		// way back to the recipe.
		if d.first("header.site-header") != nil || d.first("footer.site-footer") != nil {
			t.Errorf("step=%q: cook mode shows the site's header or footer", c.step)
		}
		if back := d.first("a.cook-back"); back == nil || back.get("href") != "/recipes/"+id {
			t.Errorf("step=%q: no link back to the recipe: %v", c.step, back)
		}
	}
	if got := anon.get(t, "/recipes/"+id+"/cook").doc(t).texts(".cook-ingredients li"); len(got) != 3 || got[0] != "1½ cups flour" {
		t.Errorf("cook mode ingredients %q", got)
	}

	f := simpleRecipe("No steps", "public")
	f.Steps = nil
	empty := ann.createRecipe(t, f)
	r := anon.get(t, "/recipes/"+empty+"/cook?step=2").want(t, http.StatusOK)
	d := assertDocument(t, r)
	if got := d.one(t, ".cook-text").textContent(); !strings.Contains(got, "no steps") {
		t.Errorf("cook mode without steps: %q", got)
	}
}

// shownSteps is the text of the cook mode steps that are not hidden.
func shownSteps(d *node) []string {
	var out []string
	for _, s := range d.all(".cook-step") {
		if !s.has("hidden") {
			out = append(out, s.first(".cook-text").textContent())
		}
	}
	return out
}

// TestCookModeStepDetails checks what each step shows with its text: the
// ingredients it names, with the amounts at the scale asked for, and a
// timer button for every duration it gives; and that every ingredient
// and step can be ticked, the same ingredient under one key.
func TestCookModeStepDetails(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("Tomato soup", "public") // serves 4
	f.Ingredients = []string{"2 tbsp olive oil", "1 onion", "800 g canned tomatoes", "2 eggs"}
	f.Steps = []string{
		"Bring a pan of water to the boil." + strings.Repeat(" Stir 1 min.", 50),
		"Warm the oil and soften the onions for 8–10 minutes.",
		"Add the tomatoes and simmer for 1 hr 30 mins.",
	}
	id := ann.createRecipe(t, f)
	d := s.browser().get(t, "/recipes/"+id+"/cook?servings=8").want(t, http.StatusOK).doc(t)
	steps := d.all(".cook-step")
	if len(steps) != 3 {
		t.Fatalf("%d steps, want 3", len(steps))
	}
	for i, want := range []struct {
		ingredients []string
		timers      []string
		seconds     []string
		durations   []string
	}{
		// "boil" is not "oil"; of many durations, the first few get a timer.
		{nil, slices.Repeat([]string{"Start 1 min timer"}, 6), slices.Repeat([]string{"60"}, 6), slices.Repeat([]string{"1 min"}, 6)},
		{[]string{"4 tbsp olive oil", "2 onions"}, []string{"Start 8 min timer (the shorter time of 8–10 min)"}, []string{"480"}, []string{"8–10 minutes"}},
		{[]string{"1600 g canned tomatoes"}, []string{"Start 1 h 30 min timer"}, []string{"5400"}, []string{"1 hr 30 mins"}},
	} {
		st := steps[i]
		if got := st.texts(".cook-uses li"); fmtList(got) != fmtList(want.ingredients) {
			t.Errorf("step %d: ingredients %q, want %q", i+1, got, want.ingredients)
		}
		if got := st.texts("button.timer-start"); fmtList(got) != fmtList(want.timers) {
			t.Errorf("step %d: timer buttons %q, want %q", i+1, got, want.timers)
		}
		var secs []string
		for _, b := range st.all("button.timer-start") {
			secs = append(secs, b.get("data-timer-seconds"))
			if b.get("data-timer-step") != fmt.Sprint(i+1) {
				t.Errorf("step %d: timer button for step %q", i+1, b.get("data-timer-step"))
			}
		}
		if fmtList(secs) != fmtList(want.seconds) {
			t.Errorf("step %d: timer seconds %q, want %q", i+1, secs, want.seconds)
		}
		if got := st.texts("strong.duration"); fmtList(got) != fmtList(want.durations) {
			t.Errorf("step %d: marked durations %q, want %q", i+1, got, want.durations)
		}
		// The buttons need the script: hidden until it shows them.
		if p := st.first("[data-timer-buttons]"); p != nil && !p.has("hidden") {
			t.Errorf("step %d: timer buttons shown without the script", i+1)
		}
		done := st.one(t, `input[type=checkbox][data-tick="step-`+fmt.Sprint(i+1)+`"]`)
		if l := st.one(t, `label[for="`+done.get("id")+`"]`).textContent(); l != fmt.Sprintf("Step %d done", i+1) {
			t.Errorf("step %d: the step's checkbox is labelled %q", i+1, l)
		}
	}
	// A step's ingredient ticks under the same key as in the full list.
	full := d.all(".cook-ingredients input[type=checkbox]")
	if len(full) != 4 || full[2].get("data-tick") != "ing-2" {
		t.Fatalf("full list checkboxes: %d", len(full))
	}
	if box := steps[2].one(t, ".cook-uses input[type=checkbox]"); box.get("data-tick") != "ing-2" {
		t.Errorf("step 3's tomatoes tick as %q, want ing-2", box.get("data-tick"))
	}
	for _, box := range d.all("input[type=checkbox]") {
		if l := d.all(`label[for="` + box.get("id") + `"]`); len(l) != 1 {
			t.Errorf("checkbox %s has %d labels", box.get("id"), len(l))
		}
	}
}
