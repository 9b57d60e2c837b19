package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// recipeCard describes the markup of a recipe plugin that thousands of
// sites share (WordPress recipe cards, the hRecipe microformat). None of
// them is one site's markup.
type recipeCard struct {
	// root is the card's container; the first one on the page is read.
	root string
	// title is the recipe's name in the card; ingredient and step select
	// one line each inside the root; ingredientGroup and stepGroup select
	// the headings of their sections.
	title, ingredient, ingredientGroup, step, stepGroup string
	// image holds the card's photo.
	image string
}

// recipeCards are tried in order; the first whose root holds ingredient
// lines or steps wins.
var recipeCards = []recipeCard{
	{ // WP Recipe Maker
		root:            ".wprm-recipe",
		title:           ".wprm-recipe-name",
		image:           ".wprm-recipe-image",
		ingredient:      ".wprm-recipe-ingredient",
		ingredientGroup: ".wprm-recipe-ingredient-group-name, .wprm-recipe-ingredient-group .wprm-recipe-group-name",
		step:            ".wprm-recipe-instruction-text",
		stepGroup:       ".wprm-recipe-instruction-group-name, .wprm-recipe-instruction-group .wprm-recipe-group-name",
	},
	{ // Tasty Recipes
		root:            ".tasty-recipes",
		title:           ".tasty-recipes-title",
		image:           ".tasty-recipes-image",
		ingredient:      ".tasty-recipes-ingredients li, .tasty-recipes-ingredients-body li",
		ingredientGroup: ".tasty-recipes-ingredients h3, .tasty-recipes-ingredients h4, .tasty-recipes-ingredients-body h4",
		step:            ".tasty-recipes-instructions li, .tasty-recipes-instructions-body li",
		stepGroup:       ".tasty-recipes-instructions h3, .tasty-recipes-instructions h4, .tasty-recipes-instructions-body h4",
	},
	{ // Mediavine Create
		root:            ".mv-create-card, .mv-recipe-card, .mv-create-wrapper",
		title:           ".mv-create-title",
		image:           ".mv-create-image",
		ingredient:      ".mv-create-ingredients li",
		ingredientGroup: ".mv-create-ingredients h4, .mv-create-ingredients h3",
		step:            ".mv-create-instructions li",
		stepGroup:       ".mv-create-instructions h4, .mv-create-instructions h3",
	},
	{ // WPZOOM Recipe Card
		root:       ".wp-block-wpzoom-recipe-card-block-recipe-card, .recipe-card-ingredients",
		title:      ".recipe-card-title",
		image:      ".recipe-card-image",
		ingredient: ".ingredients-list li.ingredient-item, .ingredients-list li",
		step:       ".directions-list li.direction-step, .directions-list li",
		stepGroup:  ".directions-list li.direction-step-group, .directions-list .step-title",
	},
	{ // Zip Recipes
		root:       "#zlrecipe-container, .zlrecipe-container, .zip-recipes",
		title:      "#zlrecipe-title, .zlrecipe-title",
		ingredient: "#zlrecipe-ingredients-list li, .zlrecipe-ingredients-list li",
		step:       "#zlrecipe-instructions-list li, .zlrecipe-instructions-list li",
		stepGroup:  "#zlrecipe-instructions-list .subtitle, .zlrecipe-instructions-list .subtitle",
	},
	{ // EasyRecipe
		root:       ".easyrecipe",
		title:      ".ERName",
		ingredient: ".ingredient",
		step:       ".instruction",
		stepGroup:  ".ERSeparator",
	},
	{ // WP Ultimate Recipe
		root:       ".wpurp-container",
		title:      ".wpurp-recipe-title",
		ingredient: ".wpurp-recipe-ingredient",
		step:       ".wpurp-recipe-instruction-text",
		stepGroup:  ".wpurp-recipe-instruction-group-name",
	},
	{ // Cooked
		root:       ".cooked-recipe-ingredients, .cooked-recipe-directions",
		ingredient: ".cooked-single-ingredient.cooked-ingredient",
		step:       ".cooked-single-direction .cooked-dir-content",
		stepGroup:  ".cooked-single-direction.cooked-heading",
	},
	{ // hRecipe microformat (also Yummly's and older plugins' markup)
		root:       ".hrecipe, .h-recipe",
		title:      ".fn, .p-name",
		image:      ".photo, .u-photo",
		ingredient: ".ingredient, .p-ingredient",
		step:       ".instructions li, .e-instructions li",
		stepGroup:  ".instructions h3, .instructions h4",
	},
}

// fromCards reads ingredient lines and steps from the first recipe card
// on the page that has them.
func fromCards(doc *goquery.Document, r *Recipe) bool {
	for _, c := range recipeCards {
		roots := doc.Find(c.root)
		if roots.Length() == 0 {
			continue
		}
		// Search the whole page when the card's parts sit outside its
		// root (some themes move them), but prefer the root.
		scope := roots.First()
		if scope.Find(c.ingredient).Length() == 0 && scope.Find(c.step).Length() == 0 {
			scope = doc.Selection
		}
		ingredients, ingredientGroups := cardList(scope, c.ingredient, c.ingredientGroup, ingredientLines)
		steps, groups := cardList(scope, c.step, c.stepGroup, stepLines)
		if len(ingredients) == 0 && len(steps) == 0 {
			continue
		}
		r.Ingredients, r.IngredientGroups = ingredients, ingredientGroups
		r.Steps, r.StepGroups = cleanSteps(steps), groups
		if c.image != "" {
			if img := scope.Find(c.image).First(); img.Length() > 0 {
				r.ImageURL = imageOf(img.Nodes[0])
			}
		}
		if c.title != "" {
			if t := scope.Find(c.title).First(); t.Length() > 0 {
				if name := textOf(t.Nodes[0]); name != "" {
					r.Title = name
				}
			}
		}
		return true
	}
	return false
}

// cardList reads one of a card's lists: the lines linesOf finds in each
// element sel matches (the outermost matches only: an ".ingredient" may
// hold another), and the section headings among them, elements groupSel
// matches or lines that read as headings, in page order.
func cardList(scope *goquery.Selection, sel, groupSel string, linesOf func(*html.Node) []string) ([]string, []Group) {
	var lines []string
	var groups []Group
	var last *html.Node
	pending := ""
	both := sel
	if groupSel != "" {
		both = sel + ", " + groupSel
	}
	group := matcherOf(groupSel)
	scope.Find(both).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		n := s.Nodes[0]
		if last != nil && contains(last, n) {
			return true
		}
		if group != nil && group(s) {
			pending = groupName(textOf(n))
			return true
		}
		last = n
		for _, l := range linesOf(n) {
			if isGroupLine(n, l) {
				pending = groupName(l)
				continue
			}
			if pending != "" {
				groups = append(groups, Group{Title: pending, Start: len(lines)})
				pending = ""
			}
			lines = append(lines, l)
		}
		return len(lines) < maxLines
	})
	return lines, tidyGroups(groups, len(lines))
}

// ingredientLines is an ingredient element's line, or none for junk.
func ingredientLines(n *html.Node) []string {
	l := ingredientLine(n)
	if isJunkLine(l) {
		return nil
	}
	return []string{l}
}

// stepLines is one step per element; a step element with paragraphs
// inside stays one step.
func stepLines(n *html.Node) []string {
	l := textOf(n)
	if isJunkLine(l) {
		return nil
	}
	return []string{l}
}

// matcherOf returns a test for selector sel, or nil for none.
func matcherOf(sel string) func(*goquery.Selection) bool {
	if sel == "" {
		return nil
	}
	return func(s *goquery.Selection) bool { return s.Is(sel) }
}

// contains reports whether n is a or lies inside a.
func contains(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// ingredientParts are the class endings recipe cards give an ingredient
// line's parts, in reading order.
var ingredientParts = []string{"-ingredient-amount", "-ingredient-unit", "-ingredient-name", "-ingredient-notes"}

// ingredientLine is an ingredient element's text. A line split into
// amount, unit, name and notes (WP Recipe Maker and its kin) is read
// from those parts, which leaves out checkboxes and a second unit system.
func ingredientLine(n *html.Node) string {
	var parts []string
	for _, suffix := range ingredientParts {
		if p := firstWithClassSuffix(n, suffix); p != nil {
			t := textOf(p)
			if t == "" {
				continue
			}
			// Notes read as an aside: "(room temperature)".
			if suffix == "-ingredient-notes" && !strings.HasPrefix(t, "(") {
				t = "(" + t + ")"
			}
			parts = append(parts, t)
		}
	}
	if len(parts) > 0 && firstWithClassSuffix(n, "-ingredient-name") != nil {
		return tidyLine(strings.Join(parts, " "))
	}
	return lineOf(n)
}

// firstWithClassSuffix finds the first element under n with a class that
// ends in suffix.
func firstWithClassSuffix(n *html.Node, suffix string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || skipped[c.Data] {
			continue
		}
		for _, a := range c.Attr {
			if a.Key != "class" {
				continue
			}
			for _, cl := range strings.Fields(a.Val) {
				if strings.HasSuffix(cl, suffix) {
					return c
				}
			}
		}
		if f := firstWithClassSuffix(c, suffix); f != nil {
			return f
		}
	}
	return nil
}
