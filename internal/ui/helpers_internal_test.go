package ui

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/validate"
)

func TestFormatMinutes(t *testing.T) {
	for m, want := range map[int]string{0: "0 min", 1: "1 min", 45: "45 min", 59: "59 min", 60: "1 h", 61: "1 h 1 min",
		80: "1 h 20 min", 180: "3 h", 1500: "25 h", 10080: "168 h"} {
		if got := formatMinutes(m); got != want {
			t.Errorf("formatMinutes(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	keep := []string{"/", "/settings", "/recipes/abc/edit", "/settings?x=1&y=2", "/recipes?q=%2F%2Fevil", "/u/ann#recipes"}
	for _, next := range keep {
		if got := localPath(next); got != next {
			t.Errorf("localPath(%q) = %q, want it kept", next, got)
		}
	}
	drop := []string{"", "settings", "//evil.example", "///evil.example", "https://evil.example", "http:evil.example", "javascript:alert(1)",
		"/\\evil.example", "\\\\evil.example", " /settings", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
		"/\t\\evil.example", "/" + strings.Repeat("a", 1000)}
	for _, next := range drop {
		if got := localPath(next); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", next, got)
		}
	}
}

func TestScaleFactorText(t *testing.T) {
	for _, c := range []struct {
		servings, base int
		want           string
	}{{4, 4, ""}, {8, 4, "×2"}, {2, 4, "×½"}, {6, 4, "×1½"}, {1, 3, "×⅓"}, {3, 1, "×3"}} {
		if got := scaleFactorText(c.servings, c.base); got != c.want {
			t.Errorf("scaleFactorText(%d, %d) = %q, want %q", c.servings, c.base, got, c.want)
		}
	}
}

func TestRecipeFormSetErrors(t *testing.T) {
	var f recipeForm
	f.setErrors(validate.Errors{
		{Field: "title", Message: "is required"},
		{Field: "ingredients[2].name", Message: "is required"},
		{Field: "ingredients[2].unit", Message: "is too long"}, // second error on the same row: the first wins
		{Field: "steps[0]", Message: "must not be empty"},
		{Field: "steps[11]", Message: "is too long"},
		{Field: "tags[1]", Message: "may contain only letters"},
		{Field: "ingredients", Message: "must have at most 100 items"},
		{Field: "title", Message: "duplicate"},
	})
	want := map[string]string{
		"title": "is required", "ingredient-2": "is required", "step-0": "must not be empty", "step-11": "is too long",
		"tags": "may contain only letters", "ingredients": "must have at most 100 items",
	}
	if len(f.Errors) != len(want) {
		t.Errorf("Errors = %v, want %v", f.Errors, want)
	}
	for k, v := range want {
		if f.Errors[k] != v {
			t.Errorf("Errors[%q] = %q, want %q", k, f.Errors[k], v)
		}
	}
	wantSummary := []formError{
		{"title", "Title", "is required"},
		{"ingredient-2", "Ingredient 3", "is required"},
		{"step-0", "Step 1", "must not be empty"},
		{"step-11", "Step 12", "is too long"},
		{"tags", "Tags", "may contain only letters"},
		{"ingredients", "Ingredients", "must have at most 100 items"},
	}
	if len(f.Summary) != len(wantSummary) {
		t.Fatalf("Summary = %+v", f.Summary)
	}
	for i, e := range wantSummary {
		if f.Summary[i] != e {
			t.Errorf("Summary[%d] = %+v, want %+v", i, f.Summary[i], e)
		}
	}
	// A fresh call replaces the old errors.
	f.setErrors(nil)
	if len(f.Errors) != 0 {
		t.Errorf("errors kept: %v", f.Errors)
	}
}

// TestRecipeFormInput checks the form-to-input conversion the pages rely
// on: numbers as typed, blank rows gone, over-long lines on their own row.
func TestRecipeFormInput(t *testing.T) {
	f := recipeForm{Title: " Soup ", Servings: " 4 ", PrepMinutes: "", CookMinutes: "x", Visibility: "",
		Tags: "a, ,b,", Ingredients: []string{"1 cup water", strings.Repeat("x", 501)}, Steps: []string{"Boil."}}
	in, ok := f.input()
	if ok {
		t.Fatal("invalid form accepted")
	}
	if f.Errors["cook_minutes"] == "" || f.Errors["ingredient-1"] == "" || f.Errors["ingredient-0"] != "" {
		t.Errorf("errors %v", f.Errors)
	}
	if in.Servings == nil || *in.Servings != 4 || in.PrepMinutes != nil || in.Visibility != "private" {
		t.Errorf("input %+v", in)
	}
	if strings.Join(in.Tags, "|") != "a|b" {
		t.Errorf("tags %q", in.Tags)
	}
	if got := nonEmpty([]string{"", " ", "a", "\t", "b"}); strings.Join(got, "|") != "a|b" {
		t.Errorf("nonEmpty %q", got)
	}
	if got := withSpareRows([]string{"a", "b"}); strings.Join(got, "|") != "a|b|" {
		t.Errorf("withSpareRows of filled rows %q, want them and one spare", got)
	}
	if got := withSpareRows(nil); len(got) != startRows || strings.Join(got, "") != "" {
		t.Errorf("withSpareRows of no rows %q, want %d blank rows", got, startRows)
	}
}
