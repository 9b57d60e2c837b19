package recipe

import (
	"math"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/validate"
)

func ptr[T any](v T) *T { return &v }

func TestCanReadAndCanEdit(t *testing.T) {
	author, other, admin := Viewer{UserID: "a"}, Viewer{UserID: "b"}, Viewer{UserID: "c", Admin: true}
	anon := Viewer{}
	type want struct{ read, edit bool }
	cases := map[Visibility]map[string]want{
		Public:   {"anon": {true, false}, "other": {true, false}, "author": {true, true}, "admin": {true, true}},
		Unlisted: {"anon": {true, false}, "other": {true, false}, "author": {true, true}, "admin": {true, true}},
		Private:  {"anon": {false, false}, "other": {false, false}, "author": {true, true}, "admin": {false, false}},
	}
	viewers := map[string]Viewer{"anon": anon, "other": other, "author": author, "admin": admin}
	for vis, row := range cases {
		r := &Summary{Visibility: vis, Author: Author{ID: "a"}}
		for who, w := range row {
			if got := CanRead(r, viewers[who]); got != w.read {
				t.Errorf("%s recipe, %s: CanRead = %v, want %v", vis, who, got, w.read)
			}
			if got := CanEdit(r, viewers[who]); got != w.edit {
				t.Errorf("%s recipe, %s: CanEdit = %v, want %v", vis, who, got, w.edit)
			}
		}
	}
}

func TestTotalMinutes(t *testing.T) {
	if (Input{}).TotalMinutes() != nil {
		t.Error("no times should give no total")
	}
	if got := (Input{PrepMinutes: ptr(5)}).TotalMinutes(); got == nil || *got != 5 {
		t.Errorf("prep only: %v", got)
	}
	if got := (Input{PrepMinutes: ptr(5), CookMinutes: ptr(20)}).TotalMinutes(); *got != 25 {
		t.Errorf("prep+cook: %v", *got)
	}
}

func valid() Input {
	return Input{
		Title:       "  Soup  ",
		Visibility:  Public,
		Ingredients: []Ingredient{{Name: "water", Quantity: ptr(1.0), Unit: "l"}},
		Steps:       []string{" Boil. "},
		Tags:        []string{"Quick ", "quick", "  Weeknight   Dinner "},
		Categories:  []string{"Soup"},
	}
}

func TestNormalizeCleansValidInput(t *testing.T) {
	in := valid()
	if errs := in.Normalize(); len(errs) != 0 {
		t.Fatalf("valid input refused: %v", errs)
	}
	if in.Title != "Soup" || in.Steps[0] != "Boil." {
		t.Errorf("not trimmed: %q %q", in.Title, in.Steps[0])
	}
	if strings.Join(in.Tags, "|") != "quick|weeknight dinner" || in.Categories[0] != "soup" {
		t.Errorf("labels not normalised: %q %q", in.Tags, in.Categories)
	}
}

func TestNormalizeReportsEveryField(t *testing.T) {
	in := Input{
		Title:       "",
		Description: strings.Repeat("d", MaxDescription+1),
		PrepMinutes: ptr(-1),
		CookMinutes: ptr(MaxMinutes + 1),
		Servings:    ptr(0),
		Difficulty:  "extreme",
		Visibility:  "secret",
		SourceURL:   "javascript:alert(1)",
		Ingredients: []Ingredient{
			{Name: ""},
			{Name: "salt", Quantity: ptr(2.0), QuantityMax: ptr(1.0)},
			{Name: "x", QuantityMax: ptr(1.0)},
			{Name: "y", Quantity: ptr(math.NaN())},
			{Name: "z", Quantity: ptr(-1.0), Unit: strings.Repeat("u", MaxUnit+1)},
		},
		Steps:      []string{"ok", "   ", "bad\x00step"},
		Tags:       []string{"", "no/slash", strings.Repeat("t", MaxLabel+1)},
		Categories: make([]string, MaxCategories+1),
	}
	got := map[string]bool{}
	for _, e := range in.Normalize() {
		got[e.Field] = true
	}
	for _, f := range []string{"title", "description", "prep_minutes", "cook_minutes", "servings", "difficulty",
		"visibility", "source_url", "ingredients[0].name", "ingredients[1].quantity_max", "ingredients[2].quantity_max",
		"ingredients[3].quantity", "ingredients[4].quantity", "ingredients[4].unit", "steps[1]", "steps[2]",
		"tags[0]", "tags[1]", "tags[2]", "categories"} {
		if !got[f] {
			t.Errorf("%s not reported; got %v", f, got)
		}
	}
}

func TestNormalizeListLimits(t *testing.T) {
	in := valid()
	in.Ingredients = make([]Ingredient, MaxIngredients+1)
	in.Steps = make([]string, MaxSteps+1)
	in.Tags = make([]string, MaxTags+1)
	errs := in.Normalize()
	want := map[string]bool{"ingredients": true, "steps": true, "tags": true}
	for _, e := range errs {
		delete(want, e.Field)
		if strings.Contains(e.Field, "[") {
			t.Errorf("items of an over-long list were checked one by one: %v", e)
		}
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v (got %v)", want, errs)
	}
}

func TestTextRules(t *testing.T) {
	var errs validate.Errors
	if got := validate.Text(&errs, "f", " a\tb\nc ", 1, 10, true); got != "a\tb\nc" || len(errs) != 0 {
		t.Errorf("multiline text: %q %v", got, errs)
	}
	validate.Text(&errs, "g", "a\nb", 1, 10, false)
	validate.Text(&errs, "h", "héllo wörld", 1, 5, false)
	if len(errs) != 2 || errs[0].Field != "g" || errs[1].Field != "h" {
		t.Errorf("want control-character and rune-length errors, got %v", errs)
	}
}
