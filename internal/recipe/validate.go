package recipe

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/validate"
)

// Limits on a recipe. They keep one recipe well under the API's 1 MiB body
// limit and bound the work a list or search page can cost.
const (
	MaxTitle          = 200
	MaxDescription    = 10000
	MaxMinutes        = 7 * 24 * 60 // a week covers curing and fermenting
	MaxServings       = 1000
	MaxSourceURL      = 2048
	MaxSourceAuthor   = 200
	MaxIngredients    = 100
	MaxIngredientLine = 500
	MaxIngredientName = 200
	MaxUnit           = 32
	MaxNote           = 500
	MaxQuantity       = 1e6
	MaxSteps          = 100
	MaxStep           = 5000
	MaxGroupTitle     = 200
	MaxTags           = 20
	MaxCategories     = 10
	MaxLabel          = 40
)

// DefaultVisibility is a new recipe's visibility when none is chosen.
const DefaultVisibility = Private

// IngredientLine is an ingredient given as a line of text, to be parsed by
// Normalize: how the recipe form and the API's string form send them.
func IngredientLine(line string) Ingredient { return Ingredient{Original: line} }

// IsIngredientLine reports whether ing is a line still to be parsed: text
// in Original and no parsed name.
func IsIngredientLine(ing Ingredient) bool { return ing.Name == "" && ing.Original != "" }

var (
	difficulties = []Difficulty{"", Easy, Medium, Hard}
	visibilities = []Visibility{Public, Unlisted, Private}
)

// Normalize trims and validates in, in place, and returns every problem
// found. Tags and categories are lower-cased and de-duplicated. It is the
// one home of the input rules the API and the recipe form share: an empty
// visibility is private, and an ingredient given as a line of text (only
// Original set, as typed in the form or sent as a string to the API) is
// parsed here, after its length is checked (IngredientLine).
func (in *Input) Normalize() validate.Errors {
	var errs validate.Errors
	if in.Visibility == "" {
		// Nothing is published by accident.
		in.Visibility = DefaultVisibility
	}
	in.Title = validate.Text(&errs, "title", in.Title, 1, MaxTitle, false)
	in.Description = validate.Text(&errs, "description", in.Description, 0, MaxDescription, true)
	validate.IntRange(&errs, "prep_minutes", in.PrepMinutes, 0, MaxMinutes)
	validate.IntRange(&errs, "cook_minutes", in.CookMinutes, 0, MaxMinutes)
	validate.IntRange(&errs, "servings", in.Servings, 1, MaxServings)
	validate.OneOf(&errs, "difficulty", in.Difficulty, difficulties...)
	validate.OneOf(&errs, "visibility", in.Visibility, visibilities...)
	in.SourceURL = strings.TrimSpace(in.SourceURL)
	if in.SourceURL != "" {
		if len(in.SourceURL) > MaxSourceURL {
			errs.Add("source_url", "must be at most %d characters", MaxSourceURL)
		} else if u, err := url.Parse(in.SourceURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add("source_url", "must be an absolute http or https URL")
		}
	}
	in.SourceAuthor = validate.Text(&errs, "source_author", in.SourceAuthor, 0, MaxSourceAuthor, false)

	if len(in.Ingredients) > MaxIngredients {
		errs.Add("ingredients", "must have at most %d items (got %d)", MaxIngredients, len(in.Ingredients))
	} else {
		for i := range in.Ingredients {
			field := fmt.Sprintf("ingredients[%d]", i)
			if IsIngredientLine(in.Ingredients[i]) {
				line := in.Ingredients[i].Original
				// Checked before parsing: the parser's work grows with
				// the line, and one bad line is one error, not several.
				if n := utf8.RuneCountInString(line); n > MaxIngredientLine {
					errs.Add(field, "must be at most %d characters (got %d)", MaxIngredientLine, n)
					continue
				}
				in.Ingredients[i] = ParseIngredient(line)
			}
			normalizeIngredient(&errs, field, &in.Ingredients[i])
		}
	}

	if len(in.Steps) > MaxSteps {
		errs.Add("steps", "must have at most %d items (got %d)", MaxSteps, len(in.Steps))
	} else {
		for i := range in.Steps {
			in.Steps[i] = validate.Text(&errs, fmt.Sprintf("steps[%d]", i), in.Steps[i], 1, MaxStep, true)
		}
	}
	in.IngredientGroups = ingredientList.normalizeGroups(&errs, in.IngredientGroups, len(in.Ingredients))
	in.StepGroups = stepList.normalizeGroups(&errs, in.StepGroups, len(in.Steps))
	in.Tags = normalizeLabels(&errs, "tags", in.Tags, MaxTags)
	in.Categories = normalizeLabels(&errs, "categories", in.Categories, MaxCategories)
	if in.Ingredients == nil {
		in.Ingredients = []Ingredient{}
	}
	if in.Steps == nil {
		in.Steps = []string{}
	}
	return errs
}

// groupedList names a list that may fall into sections, for the problems
// its groups report.
type groupedList struct {
	field string // the groups' field: "step_groups"
	item  string // one item of the list: "a step"
	max   int    // the most items, so the most groups
}

var (
	ingredientList = groupedList{field: "ingredient_groups", item: "an ingredient", max: MaxIngredients}
	stepList       = groupedList{field: "step_groups", item: "a step", max: MaxSteps}
)

// normalizeGroups checks the sections of a list of n items (the steps or
// the ingredients): each has a title and opens at an item after the
// previous section's, so the groups read in the order of the items and no
// item sits in two. An empty list is stored as none.
func (l groupedList) normalizeGroups(errs *validate.Errors, groups []Group, n int) []Group {
	if len(groups) > l.max {
		errs.Add(l.field, "must have at most %d items (got %d)", l.max, len(groups))
		return groups
	}
	prev := -1
	for i := range groups {
		field := fmt.Sprintf("%s[%d]", l.field, i)
		groups[i].Title = validate.Text(errs, field+".title", groups[i].Title, 1, MaxGroupTitle, false)
		switch start := groups[i].Start; {
		case start < 0 || start >= n:
			errs.Add(field+".start", "must be the index of %s (0 to %d)", l.item, max(n-1, 0))
		case start <= prev:
			errs.Add(field+".start", "must come after the previous group's start (%d)", prev)
		default:
			prev = start
		}
	}
	if groups == nil {
		groups = []Group{}
	}
	return groups
}

func normalizeIngredient(errs *validate.Errors, field string, ing *Ingredient) {
	ing.Original = validate.Text(errs, field+".original", ing.Original, 0, MaxIngredientLine, false)
	ing.Name = validate.Text(errs, field+".name", ing.Name, 1, MaxIngredientName, false)
	ing.Unit = validate.Text(errs, field+".unit", ing.Unit, 0, MaxUnit, false)
	ing.Note = validate.Text(errs, field+".note", ing.Note, 0, MaxNote, false)
	checkQty := func(name string, q *float64) {
		if q != nil && (math.IsNaN(*q) || math.IsInf(*q, 0) || *q < 0 || *q > MaxQuantity) {
			errs.Add(field+"."+name, "must be a number between 0 and %g", float64(MaxQuantity))
		}
	}
	checkQty("quantity", ing.Quantity)
	checkQty("quantity_max", ing.QuantityMax)
	switch {
	case ing.QuantityMax != nil && ing.Quantity == nil:
		errs.Add(field+".quantity_max", "needs a quantity")
	case ing.QuantityMax != nil && *ing.QuantityMax < *ing.Quantity:
		errs.Add(field+".quantity_max", "must not be less than quantity")
	}
}

// normalizeLabels lower-cases, trims and de-duplicates tags or categories;
// a label is letters, digits, spaces and hyphens.
func normalizeLabels(errs *validate.Errors, field string, labels []string, max int) []string {
	if len(labels) > max {
		errs.Add(field, "must have at most %d items (got %d)", max, len(labels))
		return labels
	}
	out := make([]string, 0, len(labels))
	seen := make(map[string]bool, len(labels))
	for i, l := range labels {
		l = strings.ToLower(strings.Join(strings.Fields(l), " "))
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case l == "":
			errs.Add(f, "must not be empty")
			continue
		case utf8.RuneCountInString(l) > MaxLabel:
			errs.Add(f, "must be at most %d characters", MaxLabel)
			continue
		case strings.IndexFunc(l, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '-'
		}) >= 0:
			errs.Add(f, "may contain only letters, digits, spaces and hyphens")
			continue
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
