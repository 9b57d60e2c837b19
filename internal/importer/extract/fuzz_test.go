package extract

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// Bounds no draft may exceed, whatever the page: far above any real
// recipe, far below what a hostile page could otherwise make a person (and
// the recipe form) wade through.
const (
	fuzzMaxItems = 1000
	fuzzBaseURL  = "https://example.com/r"
)

var fuzzSeeds = []string{
	"",
	"<html><head><title>Soup</title></head><body><h1>Soup</h1></body></html>",
	`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Recipe","name":"Bread",` +
		`"recipeIngredient":["500 g flour","10 g salt"],"recipeInstructions":[{"@type":"HowToStep","text":"Mix."},` +
		`{"@type":"HowToSection","name":"Bake","itemListElement":[{"@type":"HowToStep","text":"Bake 40 min."}]}],` +
		`"recipeYield":["8","1 loaf"],"prepTime":"PT15M","cookTime":"PT40M","totalTime":"P0DT0H55M",` +
		`"image":[{"@type":"ImageObject","url":"/b.jpg","width":1200},"//cdn.example.com/b.png"],` +
		`"author":{"@type":"Person","name":"Ann"},"keywords":"bread, easy","nutrition":{"calories":"200 kcal"}}</script>`,
	`<script type="application/ld+json">{"@graph":[{"@type":["Recipe","Thing"],"name":"G","recipeIngredient":"a\nb"}]}</script>`,
	`<script type="application/ld+json">[{"@type":"Recipe","name":` + "\"\\ud800\"" + `,"recipeInstructions":"Step one.\nStep two."}]</script>`,
	`<script type="application/ld+json">{"@type":"Recipe","name":{"@value":1},"recipeIngredient":[[[]]],"recipeYield":1e308}</script>`,
	`<script type="application/ld+json">{"@type":"Recipe"`,
	`<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">Cake</h1>` +
		`<li itemprop="recipeIngredient">2 eggs</li><div itemprop="recipeInstructions">Whisk.</div>` +
		`<meta itemprop="cookTime" content="PT1H"><img itemprop="image" src="c.jpg"></div>`,
	`<div vocab="http://schema.org/" typeof="Recipe"><span property="name">Tart</span>` +
		`<span property="recipeIngredient">1 lemon</span></div>`,
	`<h1>Stew</h1><h2>Ingredients</h2><ul><li>1 onion</li><li>2 carrots</li></ul>` +
		`<h2>Method</h2><ol><li>Chop.</li><li>Simmer.</li></ol>` +
		`<meta property="og:image" content="/s.jpg"><link rel="canonical" href="https://example.com/stew">`,
	"<ul>" + fuzzRepeat("<li>1 cup x</li>", 3000) + "</ul>",
	fuzzRepeat("<div>", 5000),
	"<h2>Ingredients</h2>" + fuzzRepeat("<ul><li>a</li>", 2000),
	"\xff\xfe<\x00h\x001\x00>\x00",
}

func fuzzRepeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

func FuzzFromHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("Pancakes\n\nIngredients:\n- 200 g flour\n- 2 eggs\n\nMethod\n1. Mix.\n2. Fry."))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := FromHTML(data, fuzzBaseURL)
		fuzzCheckDraft(t, "FromHTML", r, utf8.Valid(data))
		if again := FromHTML(data, fuzzBaseURL); !reflect.DeepEqual(r, again) {
			t.Fatalf("FromHTML is not deterministic:\n%+v\n%+v", r, again)
		}
		fuzzCheckDraft(t, "FromText", FromText(string(data)), utf8.Valid(data))
	})
}

// fuzzCheckDraft checks what must hold of any draft: bounded lists, step
// groups that point into the steps in order, and valid UTF-8 text when
// the input was valid UTF-8 (a limit that cut a character in two would
// break that).
func fuzzCheckDraft(t *testing.T, via string, r *Recipe, validIn bool) {
	t.Helper()
	if r == nil {
		t.Fatalf("%s returned nil", via)
	}
	lists := map[string]int{
		"Ingredients": len(r.Ingredients), "Steps": len(r.Steps), "StepGroups": len(r.StepGroups),
		"Keywords": len(r.Keywords), "Cuisine": len(r.Cuisine), "Category": len(r.Category),
		"Nutrition": len(r.Nutrition),
	}
	for name, n := range lists {
		if n > fuzzMaxItems {
			t.Fatalf("%s: %d %s", via, n, name)
		}
	}
	prev := 0
	for _, g := range r.StepGroups {
		if g.Start < prev || g.Start > len(r.Steps) {
			t.Fatalf("%s: step group %q starts at %d (previous %d, %d steps)", via, g.Title, g.Start, prev, len(r.Steps))
		}
		prev = g.Start
	}
	for _, p := range []*int{r.Servings, r.PrepMinutes, r.CookMinutes, r.TotalMinutes} {
		if p != nil && *p < 0 {
			t.Fatalf("%s: a negative number %d", via, *p)
		}
	}
	if !validIn {
		return
	}
	texts := []string{r.Title, r.Description, r.Yield, r.ImageURL, r.SourceURL, r.Author, r.Language, r.SiteName, r.Via}
	texts = append(texts, r.Ingredients...)
	texts = append(texts, r.Steps...)
	texts = append(texts, r.Keywords...)
	texts = append(texts, r.Cuisine...)
	texts = append(texts, r.Category...)
	for _, g := range r.StepGroups {
		texts = append(texts, g.Title)
	}
	for k, v := range r.Nutrition {
		texts = append(texts, k, v)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			t.Fatalf("%s: valid UTF-8 in, invalid out: %q", via, s)
		}
	}
}
