package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

// inputOf turns a draft into a recipe input the recipe rules accept as it
// stands, so that saving a preview unchanged never fails on the page's
// excesses: text is trimmed politely to the recipe limits (at a word
// boundary, with an ellipsis) rather than refused, lists are cut to their
// maximum, labels that cannot be tags are dropped. Whatever is missing
// stays empty for the person to fill in (missing lists it). Ingredient
// lines are parsed here, as Normalize would, so the preview shows their
// parts and each keeps its line as Original.
//
// When the page gives only a total time, prep and cook stay unset: which
// part of the total is work and which is waiting cannot be told, and a
// wrong split would read as a fact. The preview shows the total and lists
// "time" as missing.
//
// fetched is the address the page was read from, the source URL when the
// page names no canonical one.
func inputOf(d *extract.Recipe, fetched string) recipe.Input {
	in := recipe.Input{
		Title:       clipWords(tidy(d.Title, false), recipe.MaxTitle),
		Description: clipWords(tidy(d.Description, true), recipe.MaxDescription),
		Visibility:  recipe.Private,
		Servings:    clampServings(d.Servings),
		PrepMinutes: clampMinutes(d.PrepMinutes),
		CookMinutes: clampMinutes(d.CookMinutes),
		Tags:        recipe.CleanLabels(recipe.MaxTags, d.Keywords),
		Categories:  recipe.CleanLabels(recipe.MaxCategories, d.Category, d.Cuisine),
	}
	in.SourceAuthor = clipWords(tidy(d.Author, false), recipe.MaxSourceAuthor)
	in.SourceURL = canonicalURL(d.SourceURL)
	if in.SourceURL == "" {
		in.SourceURL = canonicalURL(fetched)
	}
	in.Ingredients, in.IngredientGroups = regroup(d.Ingredients, d.IngredientGroups, recipe.MaxIngredients, func(line string) (recipe.Ingredient, bool) {
		line = clipWords(tidy(line, false), recipe.MaxIngredientLine)
		return ingredientOf(line), line != ""
	})
	in.Steps, in.StepGroups = regroup(d.Steps, d.StepGroups, recipe.MaxSteps, func(s string) (string, bool) {
		s = clipWords(tidy(s, true), recipe.MaxStep)
		return s, s != ""
	})
	return in
}

// ingredientOf parses a line as the recipe form would and brings the
// parts within the recipe limits, so the line saves as it stands: a
// line the parser finds no name in ("2", "½ –"), or an amount beyond
// belief, is kept whole as the name; a long name or note is shortened.
func ingredientOf(line string) recipe.Ingredient {
	ing := recipe.ParseIngredient(line)
	ing.Original = line
	tooMuch := func(q *float64) bool { return q != nil && (*q < 0 || *q > recipe.MaxQuantity) }
	if ing.Name == "" || tooMuch(ing.Quantity) || tooMuch(ing.QuantityMax) || utf8.RuneCountInString(ing.Unit) > recipe.MaxUnit {
		ing = recipe.Ingredient{Name: line, Original: line}
	}
	ing.Name = clipWords(ing.Name, recipe.MaxIngredientName)
	ing.Note = clipWords(ing.Note, recipe.MaxNote)
	return ing
}

// regroup tidies a list (the ingredients or the steps) with item, which
// reports false for an item to drop, caps it at limit items, and moves
// each group's start to where its first item ended up; a group left
// without items is dropped.
func regroup[T any](raw []string, groups []extract.Group, limit int, item func(string) (T, bool)) ([]T, []recipe.Group) {
	var out []T
	newIndex := make([]int, len(raw)+1)
	for i, s := range raw {
		newIndex[i] = len(out)
		v, ok := item(s)
		if !ok || len(out) == limit {
			continue
		}
		out = append(out, v)
	}
	newIndex[len(raw)] = len(out)
	var gs []recipe.Group
	for _, g := range groups {
		if g.Start < 0 || g.Start >= len(raw) {
			continue
		}
		start := newIndex[g.Start]
		// A page's heading often ends in a colon ("For the sauce:"); the
		// recipe shows it as a heading, where the colon has no place.
		title := clipWords(strings.TrimRight(tidy(g.Title, false), " :："), recipe.MaxGroupTitle)
		if start >= len(out) || title == "" {
			continue
		}
		if n := len(gs); n > 0 && gs[n-1].Start == start {
			gs[n-1] = recipe.Group{Title: title, Start: start}
			continue
		}
		gs = append(gs, recipe.Group{Title: title, Start: start})
	}
	return out, gs
}

// missing names what a person should fill in before saving in.
func missing(in recipe.Input, imageURL string) []string {
	out := []string{}
	if in.Title == "" {
		out = append(out, "title")
	}
	if len(in.Ingredients) == 0 {
		out = append(out, "ingredients")
	}
	if len(in.Steps) == 0 {
		out = append(out, "steps")
	}
	if in.Servings == nil {
		out = append(out, "servings")
	}
	if in.PrepMinutes == nil && in.CookMinutes == nil {
		out = append(out, "time")
	}
	if imageURL == "" {
		out = append(out, "photo")
	}
	return out
}

func clampServings(p *int) *int {
	if p == nil || *p < 1 {
		return nil
	}
	n := min(*p, recipe.MaxServings)
	return &n
}

func clampMinutes(p *int) *int {
	if p == nil || *p < 0 {
		return nil
	}
	n := min(*p, recipe.MaxMinutes)
	return &n
}

// tidy removes control characters (keeping newlines and tabs when
// multiline, where runs of blank lines become one), collapses spaces on
// one line, and trims.
func tidy(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "")
	if !multiline {
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r)
		}), " ")
	}
	s = strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	var kept []string
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" && (len(kept) == 0 || kept[len(kept)-1] == "") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// clipWords shortens s to at most max characters, cutting at the last
// space in the second half of the allowance when there is one and ending
// with an ellipsis, so a long page title reads as shortened, not broken.
func clipWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	cut := len(r)
	for i := len(r) - 1; i > len(r)/2; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}
