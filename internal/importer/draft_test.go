package importer

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

func ptr(n int) *int { return &n }

// TestInputOfAnExcessivePage: whatever a page holds, its input validates
// as it stands: long text shortened at a word, lists cut, odd labels
// dropped, numbers brought within the limits.
func TestInputOfAnExcessivePage(t *testing.T) {
	words := strings.Repeat("word ", 3000)
	d := &extract.Recipe{
		Title:       "A " + words,
		Description: "Line one.\r\n\r\n\r\nLine\x00 two.\x07",
		Servings:    ptr(5000),
		PrepMinutes: ptr(-3),
		CookMinutes: ptr(99999),
		Keywords:    []string{"Easy!", "", "a/b testing", strings.Repeat("x", 41), "EASY", "Kid’s Food"},
		Category:    []string{"Dinner", "Dinner"},
		Cuisine:     []string{"Thai"},
		SourceURL:   "https://Site.Example/Pad-Thai?utm_source=x&id=3#comments",
		ImageURL:    "data:image/png;base64,xx",
	}
	for i := range 150 {
		d.Ingredients = append(d.Ingredients, "1 cup rice "+strings.Repeat("long ", i))
	}
	d.Ingredients[0] = "  "
	d.Ingredients[1] = "2"
	d.Ingredients[2] = words
	d.IngredientGroups = []extract.Group{{Title: "Dough", Start: 0}, {Title: " ", Start: 3}, {Title: "Glaze", Start: 4}, {Title: "Gone", Start: 140}}
	for i := range 130 {
		d.Steps = append(d.Steps, "Step "+strings.Repeat("x", i))
	}
	d.Steps[0] = "\n"
	d.Steps[1] = words + words
	d.StepGroups = []extract.StepGroup{{Title: "Prep", Start: 0}, {Title: "Sauce", Start: 5}, {Title: "Beyond", Start: 120}, {Title: "Bad", Start: -1}}

	in := inputOf(d, "https://other.example/")
	if n := utf8.RuneCountInString(in.Title); n > recipe.MaxTitle || !strings.HasSuffix(in.Title, "word…") {
		t.Errorf("title of %d characters ends %q", n, in.Title[len(in.Title)-10:])
	}
	if in.Description != "Line one.\n\nLine two." {
		t.Errorf("description %q", in.Description)
	}
	if *in.Servings != recipe.MaxServings || in.PrepMinutes != nil || *in.CookMinutes != recipe.MaxMinutes {
		t.Errorf("servings %d, prep %v, cook %d", *in.Servings, in.PrepMinutes, *in.CookMinutes)
	}
	if want := []string{"easy", "a b testing", "kids food"}; !slices.Equal(in.Tags, want) {
		t.Errorf("tags %q, want %q", in.Tags, want)
	}
	if want := []string{"dinner", "thai"}; !slices.Equal(in.Categories, want) {
		t.Errorf("categories %q, want %q", in.Categories, want)
	}
	if in.SourceURL != "https://site.example/Pad-Thai?id=3" {
		t.Errorf("source %q", in.SourceURL)
	}
	if len(in.Ingredients) != recipe.MaxIngredients || in.Ingredients[0].Name != "2" {
		t.Errorf("%d ingredients, the first %+v", len(in.Ingredients), in.Ingredients[0])
	}
	// The ingredients' groups follow the same rules as the steps': "Dough"
	// moves to the first line kept, a blank title and a group past the
	// cut are dropped.
	if want := []recipe.IngredientGroup{{Title: "Dough", Start: 0}, {Title: "Glaze", Start: 3}}; !slices.Equal(in.IngredientGroups, want) {
		t.Errorf("ingredient groups %+v, want %+v", in.IngredientGroups, want)
	}
	if len(in.Steps) != recipe.MaxSteps || utf8.RuneCountInString(in.Steps[0]) > recipe.MaxStep {
		t.Errorf("%d steps", len(in.Steps))
	}
	// "Prep" started at the empty step, which is gone: it starts at the
	// next; "Sauce" moves up one; "Beyond" is past the cut.
	if want := []recipe.StepGroup{{Title: "Prep", Start: 0}, {Title: "Sauce", Start: 4}}; !slices.Equal(in.StepGroups, want) {
		t.Errorf("groups %+v, want %+v", in.StepGroups, want)
	}
	if errs := in.Normalize(); len(errs) > 0 {
		t.Errorf("the input does not validate: %v", errs)
	}
	if m := missing(in, canonicalImage(d.ImageURL)); !slices.Equal(m, []string{"photo"}) {
		t.Errorf("missing %q", m)
	}
}

// TestInputOfOnlyATotalTime: prep and cook stay unset and "time" is
// missing; an empty draft misses everything.
func TestInputOfOnlyATotalTime(t *testing.T) {
	in := inputOf(&extract.Recipe{Title: "Stew", TotalMinutes: ptr(90), Servings: ptr(0)}, "")
	if in.PrepMinutes != nil || in.CookMinutes != nil || in.Servings != nil || in.SourceURL != "" {
		t.Errorf("input %+v", in)
	}
	if m := missing(in, ""); !slices.Equal(m, []string{"ingredients", "steps", "servings", "time", "photo"}) {
		t.Errorf("missing %q", m)
	}
	if m := missing(inputOf(&extract.Recipe{}, ""), ""); len(m) != 6 || m[0] != "title" {
		t.Errorf("empty draft misses %q", m)
	}
}

func TestAddresses(t *testing.T) {
	for raw, want := range map[string]string{
		"https://EX.com":                              "https://ex.com/",
		"https://ex.com/a/?utm_source=x#y":            "https://ex.com/a/",
		"https://ex.com/a?b=1&utm_medium=2&c=3":       "https://ex.com/a?b=1&c=3",
		" http://ex.com/a?UTM_Campaign=z ":            "http://ex.com/a",
		"ftp://ex.com/a":                              "",
		"https:///a":                                  "",
		"mailto:cook@example.com":                     "",
		"https://ex.com/" + strings.Repeat("a", 2048): "",
	} {
		if got := canonicalURL(raw); got != want {
			t.Errorf("canonicalURL(%.40q) = %q, want %q", raw, got, want)
		}
	}
	same := sameAddress("https://ex.com/soup/?utm_source=x")
	for _, u := range []string{"https://ex.com/soup", "https://ex.com/soup/", "http://ex.com/soup", "http://ex.com/soup/"} {
		if !slices.Contains(same, u) {
			t.Errorf("%q misses %q", same, u)
		}
	}
	if addressKey("https://ex.com/soup#x") != addressKey("http://EX.com/soup/") {
		t.Error("two spellings of one page have different keys")
	}
}

func TestClipWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"the quick brown fox", 12, "the quick…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"ab cdefghijklmnop", 8, "ab cdef…"},
	} {
		if got := clipWords(c.in, c.max); got != c.want || utf8.RuneCountInString(got) > c.max {
			t.Errorf("clipWords(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
