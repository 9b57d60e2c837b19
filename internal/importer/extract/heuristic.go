package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// heuristic reads a recipe from a page's visible markup, for pages without
// structured data or whose structured data lacks a field: headings such
// as Ingredients/Zutaten/Ingrédients/Ingredientes and the lists nearest
// them, WordPress recipe-plugin markup, and Open Graph. FromHTML uses each
// field it finds only where structured data gave none.
//
// Every rule is generic: markup a plugin gives thousands of sites, or
// words any page uses for its headings. A rule for one site would break
// silently when that site changed and would help no other.
func heuristic(doc *goquery.Document, baseURL string) *Recipe {
	r := &Recipe{Via: "heuristic"}
	pageMeta(doc, baseURL, r)
	metaImage := r.ImageURL
	r.ImageURL = ""
	card := fromCards(doc, r)
	pageTimes(doc, r)
	// The page's declared image first; a card's photo when it has none.
	switch {
	case metaImage != "":
		r.ImageURL = metaImage
	case r.ImageURL != "":
		r.ImageURL = absoluteURL(documentBase(doc, baseURL), r.ImageURL)
	default:
		if img := headingImage(doc); img != "" {
			r.ImageURL = absoluteURL(documentBase(doc, baseURL), img)
		}
	}
	if card && len(r.Ingredients) > 0 && len(r.Steps) > 0 {
		return r
	}
	// A card with only one of the two, or no card: read the headings,
	// and keep from them only what the card lacked.
	if len(doc.Nodes) > 0 {
		h := &Recipe{}
		fromHeadings(flatten(doc.Nodes[0]), h)
		if len(r.Ingredients) == 0 {
			r.Ingredients, r.IngredientGroups = h.Ingredients, h.IngredientGroups
		}
		if len(r.Steps) == 0 {
			r.Steps, r.StepGroups = h.Steps, h.StepGroups
		}
	}
	return r
}

// fromHeadings finds the page's Ingredients and Instructions headings and
// reads the lines that follow them. A page often says "Ingredients" more
// than once (a story about them, then the recipe); the section whose lines
// look most like ingredient lines wins, and the steps are taken from the
// first instructions section after it.
func fromHeadings(f *flat, r *Recipe) {
	var ingredientAt, stepAt []int
	for i, n := range f.nodes {
		switch asHeading(n) {
		case ingredientSection:
			if len(ingredientAt) < maxCandidates {
				ingredientAt = append(ingredientAt, i)
			}
		case stepSection:
			if len(stepAt) < maxCandidates {
				stepAt = append(stepAt, i)
			}
		}
	}
	best, bestScore := section{at: -1}, 0
	for _, at := range ingredientAt {
		s := readSection(f, at, ingredientSection)
		if sc := ingredientScore(s); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	if best.at >= 0 {
		r.Ingredients, r.IngredientGroups = best.lines, tidyGroups(best.groups, len(best.lines))
	}
	var steps section
	stepsScore := 0
	for _, at := range stepAt {
		s := readSection(f, at, stepSection)
		if len(s.lines) == 0 {
			continue
		}
		if best.at >= 0 && at > best.at {
			// The first instructions after the chosen ingredients.
			steps = s
			break
		}
		if sc := stepScore(s); sc > stepsScore {
			steps, stepsScore = s, sc
		}
	}
	r.Steps, r.StepGroups = cleanSteps(steps.lines), steps.groups
	if len(r.Ingredients) == 0 && len(r.Steps) == 0 {
		fromBareLists(f, r)
		return
	}
	if len(r.Ingredients) == 0 {
		// Steps under a heading, ingredients in a list of their own
		// before them.
		r.Ingredients, _, _ = bareIngredients(f, steps.at)
	}
	if len(r.Steps) == 0 && best.at >= 0 {
		r.Steps, r.StepGroups = stepsAfter(f, best.end)
	}
}

// Shapes of a list read as ingredients without a heading.
const (
	minBareLines   = 3
	bareQuantities = 0.6
	minBareStepLen = 40
)

// fromBareLists reads a page that names no section: the first list most
// of whose lines start with an amount is the ingredients, and what
// follows it (stepsAfter), else the first list after it whose lines are
// sentences, is the steps.
func fromBareLists(f *flat, r *Recipe) {
	lines, at, end := bareIngredients(f, len(f.nodes))
	if at < 0 {
		r.Steps, r.StepGroups = classedSteps(f)
		return
	}
	r.Ingredients = lines
	// What follows the ingredients, else the first list of sentences
	// further on.
	if r.Steps, r.StepGroups = stepsAfter(f, end); len(r.Steps) > 0 {
		return
	}
	for i := end; i < len(f.nodes); i++ {
		n := f.nodes[i]
		if n.Data != "ul" && n.Data != "ol" {
			continue
		}
		if lines, _ := listLines(n, ""); len(lines) > 0 && averageLen(lines) >= minBareStepLen {
			r.Steps, r.StepGroups = groupedStepLists(n, leadHeading(n), lines)
			return
		}
		i = f.end[i] - 1
	}
}

// stepListClasses end the class names a list of steps goes by
// ("instructions", "recipe-directions", "method-steps").
var stepListClasses = []string{"instructions", "directions", "steps", "method"}

// classedSteps reads the lists classed as the recipe's steps, for a page
// with neither headings nor a list of amounts to find them after: their
// class says what they are. A recipe in parts has one list per part, read
// in order, each headed by the heading set just before it, if any.
func classedSteps(f *flat) ([]string, []StepGroup) {
	var lines []string
	var groups []StepGroup
	for i := 0; i < len(f.nodes) && len(lines) < maxLines; i++ {
		n := f.nodes[i]
		if (n.Data != "ul" && n.Data != "ol") || !classEndsIn(n, stepListClasses...) {
			continue
		}
		more, _ := listLines(n, "")
		if len(more) == 0 {
			continue
		}
		if h := leadHeading(n); h != "" {
			groups = append(groups, StepGroup{Title: h, Start: len(lines)})
		}
		lines = append(lines, more...)
		i = f.end[i] - 1
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	return lines, tidyGroups(groups, len(lines))
}

// bareIngredients finds the first list before index to of f most of
// whose lines start with an amount, and returns its lines with those of
// the lists grouped with it, the list's index (-1 when there is none) and
// the index past the last list read. A list of fewer than minBareLines
// lines counts when lists grouped with it make up the rest ("½ lemon"
// under Produce, then the Pantry's list).
func bareIngredients(f *flat, to int) (lines []string, at, end int) {
	for i := 0; i < min(to, len(f.nodes)); i++ {
		n := f.nodes[i]
		if n.Data != "ul" && n.Data != "ol" {
			continue
		}
		lines, _ := listLines(n, "")
		if len(lines) > 0 && quantityShare(lines) >= bareQuantities {
			more, end := groupedLists(f, f.end[i], lines)
			if all := append(lines, more...); len(all) >= minBareLines {
				return all, i, end
			}
		}
		i = f.end[i] - 1
	}
	return nil, -1, -1
}

// repeatsList reports a list that gives one of lists again.
func repeatsList(lists [][]string, l []string) bool {
	for _, s := range lists {
		if sameList(s, l) {
			return true
		}
	}
	return false
}

// sameList reports two lists of the same ingredients, in other units:
// as many lines, most ending in the same word ("300g mixed quinoa,
// rinsed", "10oz mixed quinoa, rinsed").
func sameList(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	same := 0
	for i := range a {
		if lastWord(a[i]) == lastWord(b[i]) {
			same++
		}
	}
	return same*5 >= len(a)*4
}

// lastWord is the last word of s, lower case.
func lastWord(s string) string {
	w := strings.Fields(strings.ToLower(s))
	if len(w) == 0 {
		return ""
	}
	return w[len(w)-1]
}

// hasOwnText reports an element holding text directly, not only in its
// children.
func hasOwnText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return true
		}
	}
	return false
}

// maxGroupGap is how far past a list the next group's list may start.
const maxGroupGap = 200

// groupedLists reads, from index from of f (the end of a list of
// amounts), the lists that follow each after a heading of its own
// ("Custard", a bold paragraph "Topping"), as long as their lines start
// with amounts too: one recipe's ingredients split into groups. Wrappers
// between them are looked through; anything with text of its own ends
// them. It returns their lines and the index past the last one read.
func groupedLists(f *flat, from int, first []string) (out []string, end int) {
	end = from
	headed := false
	seen := [][]string{first}
	for i := from; i < min(len(f.nodes), end+maxGroupGap) && len(out) < maxLines; {
		n := f.nodes[i]
		if opensSection(n) || pageParts[n.Data] {
			break
		}
		switch {
		case headingLevel(n) < 7 || (n.Data == "p" && subHeading(n, linesOf(n)) != ""):
			if headed {
				return out, end // two headings in a row: the next part
			}
			headed = true
			i = f.end[i]
			continue
		case n.Data == "ul" || n.Data == "ol":
			lines, _ := listLines(n, "")
			if !headed || quantityShare(lines) < bareQuantities || repeatsList(seen, lines) {
				// A list in other units ("10oz quinoa" after "300g
				// quinoa") is the same ingredients again, not a group.
				return out, end
			}
			seen = append(seen, lines)
			out, end, headed = append(out, lines...), f.end[i], false
			i = f.end[i]
			continue
		case hasOwnText(n):
			return out, end
		}
		i++
	}
	return out, end
}

// quantityShare is the share of lines that start with an amount.
func quantityShare(lines []string) float64 {
	if len(lines) == 0 {
		return 0
	}
	n := 0
	for _, l := range lines {
		if startsWithQuantity(l) {
			n++
		}
	}
	return float64(n) / float64(len(lines))
}

// averageLen is the lines' mean length in bytes.
func averageLen(lines []string) int {
	total := 0
	for _, l := range lines {
		total += len(l)
	}
	return total / len(lines)
}

// ingredientScore rates how much a section's lines look like ingredient
// lines: short, most starting with a quantity.
func ingredientScore(s section) int {
	score := 0
	for _, l := range s.lines {
		switch {
		case len(l) > 200:
			score -= 2
		case startsWithQuantity(l):
			score += 3
		case len(l) <= 80:
			score++
		}
	}
	if s.listed && score > 0 {
		score += 2
	}
	return score
}

// stepScore rates how much a section's lines look like steps: sentences.
func stepScore(s section) int {
	score := 0
	for _, l := range s.lines {
		if len(l) >= 20 {
			score += 2
		} else {
			score++
		}
	}
	return score
}
