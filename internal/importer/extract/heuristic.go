package extract

import (
	"github.com/PuerkitoBio/goquery"
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
	}
}

// Shapes of a list read as ingredients without a heading.
const (
	minBareLines   = 3
	bareQuantities = 0.6
	minBareStepLen = 40
)

// fromBareLists reads a page that names no section: the first list most
// of whose lines start with an amount is the ingredients, and the first
// list after it whose lines are sentences is the steps.
func fromBareLists(f *flat, r *Recipe) {
	at := -1
	for i := 0; i < len(f.nodes); i++ {
		n := f.nodes[i]
		if n.Data != "ul" && n.Data != "ol" {
			continue
		}
		lines, _ := listLines(n, "")
		if at < 0 {
			if quantityShare(lines) >= bareQuantities && len(lines) >= minBareLines {
				r.Ingredients, at = lines, i
			}
		} else if len(lines) > 0 && averageLen(lines) >= minBareStepLen {
			r.Steps = cleanSteps(lines)
			return
		}
		i = f.end[i] - 1
	}
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
