package extract

import (
	"strings"
)

// Shapes of a structured ingredient list that lost its amounts and of
// the visible list that still has them.
const (
	// bareStructured is the largest share of structured lines holding a
	// number for the list to count as bare names ("Knoblauchzehe",
	// "gin").
	bareStructured = 0.2
	// amountedVisible is the smallest share of visible lines holding a
	// number for the page's own list to count as carrying the amounts.
	amountedVisible = 0.5
	// A structured list with a third of the visible lines or fewer
	// (of at least minVisibleLines) is tags, not the recipe's list.
	shortStructured = 3
	minVisibleLines = 3
)

// visibleIngredients returns the page's visible ingredient lines when
// they should stand in for the structured ones, else nil. Some sites
// fill recipeIngredient with bare names ("Tequila") or with a category
// ("Chicken") while the page shows "4 cl Tequila": a cook wants the
// amounts. The visible list is taken only when the structured one has
// (almost) no numbers, the visible one mostly has them, and either every
// structured entry names something in a visible line, so the two
// describe the same recipe, or the structured list is so much shorter
// that it cannot be the recipe's. Structured lines that carry amounts are
// replaced only when they put them after the name (amountsLast): where
// both lead with them, the structured ones are the site's own clean copy.
func visibleIngredients(structured, visible []string) []string {
	if len(structured) == 0 || len(visible) == 0 {
		return nil
	}
	if amountsLast(structured, visible) || partOfVisible(structured, visible) || amountsCut(structured, visible) ||
		repeatsOfVisible(structured, visible) {
		return visible
	}
	if numberShare(structured) > bareStructured || numberShare(visible) < amountedVisible {
		return nil
	}
	if len(visible) >= minVisibleLines && len(visible) >= shortStructured*len(structured) {
		// Far fewer entries than visible lines: not the recipe's list
		// but a few tags ("Chicken", "Gluten Free").
		return visible
	}
	lower := make([]string, len(visible))
	for i, l := range visible {
		lower[i] = strings.ToLower(l)
	}
	for _, entry := range structured {
		// An entry may list several names ("Cheese, Pasta").
		for _, name := range strings.Split(entry, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "" && !mentioned(name, lower) {
				return nil
			}
		}
	}
	return visible
}

// amountsLast reports structured lines that put the amount after the
// name ("milk, 500 ml") beside visible lines of the same recipe that
// lead with it ("500 ml milk"), the order a cook reads and the parser
// expects: as many lines, each visible line naming the structured one's
// name.
func amountsLast(structured, visible []string) bool {
	if len(structured) != len(visible) || quantityShare(structured) > bareStructured || quantityShare(visible) < amountedVisible {
		return false
	}
	for i, l := range structured {
		name, _, _ := strings.Cut(l, ",")
		if !strings.Contains(strings.ToLower(visible[i]), strings.ToLower(strings.TrimSpace(name))) {
			return false
		}
	}
	return true
}

// partOfVisible reports a structured list that is only part of the
// visible one: every structured line is one of the page's lines, word for
// word, and the page shows more, each of them starting with an amount.
// Some sites write only one section of the recipe (the sauce, the
// dressing) into their structured data. A visible line without an amount
// among the extra ones may be a heading or a nutrition table read as
// lines, so the page's list is not trusted then.
func partOfVisible(structured, visible []string) bool {
	if len(visible) <= len(structured) {
		return false
	}
	inStructured := make(map[string]bool, len(structured))
	for _, l := range structured {
		inStructured[collapseSpace(l)] = true
	}
	found := make(map[string]bool, len(inStructured))
	for _, l := range visible {
		l = collapseSpace(l)
		switch {
		case inStructured[l]:
			found[l] = true
		case !startsWithQuantity(l):
			return false
		}
	}
	return len(found) == len(inStructured)
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// amountsCut reports structured lines that lost the start of their
// amount ("5 tsp salt") where the page, line for line, shows it whole
// ("1.5 tsp salt"): as many lines, each the same as the visible one or its
// end after a cut made only of digits and a decimal point or comma, at
// least one so cut. A site's export read "1." as a list number.
func amountsCut(structured, visible []string) bool {
	if len(structured) != len(visible) {
		return false
	}
	cut := false
	for i, s := range structured {
		s, v := collapseSpace(s), collapseSpace(visible[i])
		if s == v {
			continue
		}
		head, ok := strings.CutSuffix(v, s)
		if !ok || head == "" || strings.Trim(head, "0123456789.,") != "" || !strings.ContainsAny(head, "0123456789") {
			return false
		}
		cut = true
	}
	return cut
}

// repeatsOfVisible reports a structured list that repeats some of its
// lines where the page shows each once: without its repeats it is the
// visible list, line for line. A site that writes a section into its
// data twice (once per unit system, or once per tab) lists its
// ingredients twice; a line shown twice on the page (salt in the dough
// and in the sauce) is kept as shown.
func repeatsOfVisible(structured, visible []string) bool {
	if len(visible) >= len(structured) {
		return false
	}
	seen := make(map[string]bool, len(structured))
	var once []string
	for _, l := range structured {
		l = collapseSpace(l)
		if !seen[l] {
			seen[l] = true
			once = append(once, l)
		}
	}
	if len(once) != len(visible) {
		return false
	}
	for i, l := range visible {
		if collapseSpace(l) != once[i] {
			return false
		}
	}
	return true
}

// mentioned reports whether one of lines contains name.
func mentioned(name string, lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, name) {
			return true
		}
	}
	return false
}

// numberShare is the share of lines holding a digit or a vulgar fraction
// anywhere ("Salt, 1 pinch" counts as well as "1 pinch salt").
func numberShare(lines []string) float64 {
	if len(lines) == 0 {
		return 0
	}
	n := 0
	for _, l := range lines {
		if strings.IndexFunc(l, amountEnd) >= 0 {
			n++
		}
	}
	return float64(n) / float64(len(lines))
}
