package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

func TestStepSectionsInTheForm(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")

	f := simpleRecipe("Layer cake", "public")
	f.Steps = []string{"# For the sponge", "Beat butter and sugar.", "Bake for 25 minutes.", "#For the ganache", "Melt the chocolate.", "Spread it over."}
	r := ann.post(t, "/recipes/new", f.values()).want(t, http.StatusSeeOther)
	m := recipePath.FindStringSubmatch(r.location(t))
	if m == nil {
		t.Fatalf("redirected to %q", r.location(t))
	}
	rec, err := s.Store.Recipe(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	wantSteps := []string{"Beat butter and sugar.", "Bake for 25 minutes.", "Melt the chocolate.", "Spread it over."}
	wantGroups := []recipe.StepGroup{{Title: "For the sponge", Start: 0}, {Title: "For the ganache", Start: 2}}
	if !reflect.DeepEqual(rec.Steps, wantSteps) || !reflect.DeepEqual(rec.StepGroups, wantGroups) {
		t.Fatalf("stored steps %q groups %v", rec.Steps, rec.StepGroups)
	}

	t.Run("the page shows headings and numbers the steps on", func(t *testing.T) {
		d := assertDocument(t, ann.get(t, "/recipes/"+rec.ID).want(t, http.StatusOK))
		if got := d.texts("#steps h3"); !reflect.DeepEqual(got, []string{"For the sponge", "For the ganache"}) {
			t.Errorf("section headings %q", got)
		}
		lists := d.all("#steps ol")
		if len(lists) != 2 || lists[0].get("start") != "1" || lists[1].get("start") != "3" {
			t.Fatalf("%d step lists, want 2 starting at 1 and 3", len(lists))
		}
		if got := d.texts("#steps li"); !reflect.DeepEqual(got, wantSteps) {
			t.Errorf("steps %q", got)
		}
		var ld struct {
			Instructions []struct {
				Type  string `json:"@type"`
				Name  string `json:"name"`
				Items []struct {
					Position int    `json:"position"`
					Text     string `json:"text"`
				} `json:"itemListElement"`
			} `json:"recipeInstructions"`
		}
		if err := json.Unmarshal([]byte(d.one(t, `script[type="application/ld+json"]`).rawText()), &ld); err != nil {
			t.Fatal(err)
		}
		if len(ld.Instructions) != 2 || ld.Instructions[1].Type != "HowToSection" || ld.Instructions[1].Name != "For the ganache" ||
			len(ld.Instructions[1].Items) != 2 || ld.Instructions[1].Items[0].Position != 3 || ld.Instructions[1].Items[0].Text != "Melt the chocolate." {
			t.Errorf("JSON-LD instructions %+v, want two HowToSections numbered on", ld.Instructions)
		}
	})
	t.Run("cook mode names the section of each step", func(t *testing.T) {
		d := assertDocument(t, ann.get(t, "/recipes/"+rec.ID+"/cook?step=3").want(t, http.StatusOK))
		if got := d.texts(".cook-step .cook-section"); !reflect.DeepEqual(got, []string{"For the sponge", "For the sponge", "For the ganache", "For the ganache"}) {
			t.Errorf("cook sections %q", got)
		}
	})
	t.Run("the edit form writes headings back as # boxes", func(t *testing.T) {
		d := assertDocument(t, ann.get(t, "/recipes/"+rec.ID+"/edit").want(t, http.StatusOK))
		var got []string
		for _, ta := range d.all(`textarea[name="step"]`) {
			if v := ta.rawText(); v != "" {
				got = append(got, v)
			}
		}
		want := []string{"# For the sponge", "Beat butter and sugar.", "Bake for 25 minutes.", "# For the ganache", "Melt the chocolate.", "Spread it over."}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("edit rows %q, want %q", got, want)
		}
	})
	t.Run("a heading with nothing under it is marked on its box", func(t *testing.T) {
		f := simpleRecipe("Orphan", "public")
		f.Steps = []string{"# Start", "# Prep", "Chop.", "# Serving"}
		d := assertDocument(t, ann.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "step-0", "section heading with no step after it")
		assertFieldError(t, d, "step-3", "section heading with no step after it")
		if e := d.first("#step-1"); e == nil || e.get("aria-invalid") == "true" {
			t.Error("the heading that heads a step is marked invalid")
		}
	})
	t.Run("a problem with a step is shown on its own box, headings counted", func(t *testing.T) {
		f := simpleRecipe("Bad step", "public")
		f.Steps = []string{"# Start", "Chop.", "# Cook", "bad\x00step"}
		d := assertDocument(t, ann.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "step-3", "")
		f.Steps = []string{"Chop.", "#", "Fry."}
		d = assertDocument(t, ann.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "step-1", "required")
	})
}

func TestIngredientSectionsInTheForm(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	bo := s.register(t, "bodil")

	f := simpleRecipe("Plum tart", "public")
	f.Servings = "4"
	f.Ingredients = []string{"# Pastry", "200 g flour", "100 g butter", "#For the filling", "6 plums", "#10 can custard"}
	id := bo.createRecipe(t, f)
	rec, err := s.Store.Recipe(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	wantGroups := []recipe.IngredientGroup{{Title: "Pastry", Start: 0}, {Title: "For the filling", Start: 2}}
	if len(rec.Ingredients) != 4 || rec.Ingredients[3].Original != "#10 can custard" || !reflect.DeepEqual(rec.IngredientGroups, wantGroups) {
		t.Fatalf("stored %d ingredients (last %q), groups %v", len(rec.Ingredients), rec.Ingredients[len(rec.Ingredients)-1].Original, rec.IngredientGroups)
	}

	t.Run("the page lists them under headings, scaled, and schema.org sees lines only", func(t *testing.T) {
		d := assertDocument(t, bo.get(t, "/recipes/"+id+"?servings=8").want(t, http.StatusOK))
		if got := d.texts("#ingredients h3"); !reflect.DeepEqual(got, []string{"Pastry", "For the filling"}) {
			t.Errorf("section headings %q", got)
		}
		if n := len(d.all("#ingredients ul")); n != 2 {
			t.Errorf("%d ingredient lists, want 2", n)
		}
		got := d.texts("#ingredients li.ingredient")
		if len(got) != 4 || got[0] != "400 g flour" || got[2] != "12 plums" {
			t.Errorf("ingredients %q, want four lines scaled twice", got)
		}
		var ld struct {
			Ingredients []string `json:"recipeIngredient"`
		}
		if err := json.Unmarshal([]byte(d.one(t, `script[type="application/ld+json"]`).rawText()), &ld); err != nil {
			t.Fatal(err)
		}
		if len(ld.Ingredients) != 4 {
			t.Errorf("recipeIngredient %q, want the four lines without headings", ld.Ingredients)
		}
	})
	t.Run("cook mode lists them under headings", func(t *testing.T) {
		d := assertDocument(t, bo.get(t, "/recipes/"+id+"/cook").want(t, http.StatusOK))
		if got := d.texts(".cook-ingredients .cook-section"); !reflect.DeepEqual(got, []string{"Pastry", "For the filling"}) {
			t.Errorf("cook sections %q", got)
		}
		if n := len(d.all(`.cook-ingredients input[data-tick="ing-3"]`)); n != 1 {
			t.Errorf("%d ticks for the fourth ingredient, want 1", n)
		}
	})
	t.Run("the edit form writes headings back as # rows", func(t *testing.T) {
		d := assertDocument(t, bo.get(t, "/recipes/"+id+"/edit").want(t, http.StatusOK))
		var got []string
		for _, in := range d.all(`input[name="ingredient"]`) {
			if v := in.get("value"); v != "" {
				got = append(got, v)
			}
		}
		want := []string{"# Pastry", "200 g flour", "100 g butter", "# For the filling", "6 plums", "#10 can custard"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("edit rows %q, want %q", got, want)
		}
	})
	t.Run("problems are shown on their own rows, headings counted", func(t *testing.T) {
		f := simpleRecipe("Orphan", "public")
		f.Ingredients = []string{"# Dough", "1 egg", "# Topping"}
		d := assertDocument(t, bo.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "ingredient-2", "section heading with no ingredient after it")
		f.Ingredients = []string{"# Dough", "1 egg", "#", "1 cup milk"}
		d = assertDocument(t, bo.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "ingredient-2", "required")
		f.Ingredients = []string{"# Dough", "1 egg", "# Glaze", strings.Repeat("x", 501)}
		d = assertDocument(t, bo.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "ingredient-3", "at most 500")
	})
}
