package extract

import (
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Recipe plugins write a recipe's section headings ("For the sauce:",
// "FOR THE MARINADE", "Dough") into its structured ingredient list, one
// line among the others. Kept there, the heading reads as an ingredient
// to the parser and the scaler; it becomes a group of the ingredients
// instead, when the line is surely a heading: it has no amount, and either
// the page itself sets the same text as a heading or the line reads as
// one. A text the page sets as a heading counts only
// where the page shows the next line of the list after it: the same words
// in a sidebar's heading or a bold word in a story head nothing of the
// recipe.

// Bounds on the work of finding a page's headings: how many are kept, and
// how many elements after one are read for the text that follows it.
const (
	maxShownHeadings = 200
	maxFollowSteps   = 64
)

// shownHeadingSelector finds what a page sets as a heading: heading
// elements, bold text, recipe plugins' group names (WP Recipe Maker's
// wprm-recipe-group-name and the like), and the titles or headings a
// theme names as part of its ingredient list ("ingredients__title",
// "ingredient-group-heading").
const shownHeadingSelector = "h2, h3, h4, h5, h6, strong, b, [class*='group-name'], " +
	"[class*='ingredient'][class*='title'], [class*='ingredient'][class*='heading']"

// shownHeadings collects where the page sets one of the lines as a
// heading: for each line's headingKey in the list, the texts that follow
// it on the page (followingText). Bold text counts only when it is all of
// its block ("<li><b>Dough</b></li>"), not a word stressed in a sentence.
// Only the candidate lines (those that could be headings) are looked for.
func shownHeadings(doc *goquery.Document, lines []string) map[string][]string {
	wanted := map[string]bool{}
	for _, l := range lines {
		if couldBeHeading(l) && startsUpper(l) {
			wanted[headingKey(l)] = true
		}
	}
	shown := map[string][]string{}
	if len(wanted) == 0 {
		return shown
	}
	n := 0
	doc.Find(shownHeadingSelector).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		h := s.Nodes[0]
		t := textOf(h)
		k := headingKey(t)
		if !wanted[k] || (h.Data == "strong" || h.Data == "b") && !isWholeBlock(h) {
			return true
		}
		shown[k] = append(shown[k], strings.ToLower(followingText(h, maxFollowing)))
		n++
		return n < maxShownHeadings
	})
	return shown
}

// maxFollowing is how much of the text after a heading is kept to find
// the list's next line in.
const maxFollowing = 300

// followingText is about limit bytes of the visible text that comes after
// n in the document.
func followingText(n *html.Node, limit int) string {
	var b strings.Builder
	steps := 0
	for cur := n; cur != nil && b.Len() < limit && steps < maxFollowSteps; cur = cur.Parent {
		for sib := cur.NextSibling; sib != nil && b.Len() < limit && steps < maxFollowSteps; sib = sib.NextSibling {
			steps++
			switch {
			case sib.Type == html.TextNode:
				b.WriteString(sib.Data)
			case sib.Type == html.ElementNode && !skipped[sib.Data]:
				b.WriteString(" " + textOf(sib) + " ")
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// headsLine reports whether one of the texts that follow a heading on the
// page shows next, the list's line after it: its longest word, most often
// the ingredient's name (amounts and units are often written otherwise on
// the page: "½" for "1/2", "tbsp." for "tablespoon").
func headsLine(following []string, next string) bool {
	word := ""
	for _, w := range strings.Fields(strings.ToLower(next)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if len(w) > len(word) {
			word = w
		}
	}
	if len(word) < 3 {
		return false
	}
	for _, f := range following {
		if strings.Contains(f, word) {
			return true
		}
	}
	return false
}

// headingKey folds a heading's text for comparison: lower case, without
// a trailing colon.
func headingKey(s string) string { return strings.ToLower(strings.TrimRight(groupName(s), " :：")) }

// hasAmount reports whether s holds a digit or a vulgar fraction.
func hasAmount(s string) bool { return strings.ContainsAny(s, "0123456789"+vulgarFractions) }

// splitHeadings moves the section headings out of structured ingredient
// lines into groups. A heading heads the lines after it: one with no
// line after it, or followed at once by another, stays a line.
func splitHeadings(lines []string, shown map[string][]string) ([]string, []Group) {
	capsAreHeadings := !mostlyCapitals(lines)
	heading := make([]bool, len(lines))
	for i, l := range lines {
		if i+1 < len(lines) {
			heading[i] = isHeadingLine(l, lines[i+1], shown, capsAreHeadings)
		}
	}
	var out []string
	var groups []Group
	for i, l := range lines {
		if heading[i] && i+1 < len(lines) && !heading[i+1] {
			groups = append(groups, Group{Title: headingTitle(l), Start: len(out)})
			continue
		}
		out = append(out, l)
	}
	return out, groups
}

// couldBeHeading reports a line short enough for a heading, with letters
// and no amount.
func couldBeHeading(l string) bool {
	return l != "" && len(l) <= maxHeadingLen && !hasAmount(l) && strings.ContainsFunc(l, unicode.IsLetter)
}

// headingTitle is a heading line as a group's title: without the marks
// typed before it ("## Sauce", "* Dough").
func headingTitle(l string) string {
	return strings.TrimSpace(strings.TrimLeft(groupName(l), "#*•-–— "))
}

// isHeadingLine reports whether a structured ingredient line l, followed
// by next, is a section's heading: no amount, and shown as a heading of
// next on the page or reading as one (isGroupLine's words: a trailing
// colon, capitals, "For the …"). capsAreHeadings is false on a list
// written all in capitals, where capitals say nothing.
func isHeadingLine(l, next string, shown map[string][]string, capsAreHeadings bool) bool {
	if !couldBeHeading(l) {
		return false
	}
	// A heading is capitalised: "toasted almonds" set in bold is still an
	// ingredient.
	if f, ok := shown[headingKey(l)]; ok && startsUpper(l) && headsLine(f, next) {
		return true
	}
	if !capsAreHeadings && isCapitals(l) {
		return strings.HasSuffix(strings.TrimSpace(l), ":")
	}
	// "Sauce Ingredients", "Remaining ingredients": no ingredient is
	// called that. Nor is a line that is only the name of a part of a
	// dish, "Sauce" or "Topping", before the lines of that part.
	return isGroupLine((*html.Node)(nil), l) || headingKind(l) == ingredientSection ||
		(dishParts[strings.ToLower(strings.TrimSpace(l))] && startsUpper(l) && hasAmount(next))
}

// dishParts name the parts of a dish that recipes list ingredients for
// separately; alone on a line, each is a heading, never an ingredient.
var dishParts = map[string]bool{
	"sauce": true, "seasoning": true, "dressing": true, "marinade": true,
	"topping": true, "toppings": true, "filling": true, "glaze": true,
	"frosting": true, "icing": true, "crust": true, "dough": true, "batter": true,
	"garnish": true, "streusel": true, "crumble": true,
	"soße": true, "sosse": true, "teig": true, "füllung": true, "belag": true,
	"glasur": true, "pâte": true, "garniture": true, "relleno": true,
	"ripieno": true, "impasto": true, "saus": true, "deeg": true, "vulling": true,
}

// startsUpper reports whether the first letter of s is a capital.
func startsUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.IsUpper(r)
		}
	}
	return false
}

// mostlyCapitals reports a list whose lines are more than half in
// capitals.
func mostlyCapitals(lines []string) bool {
	n := 0
	for _, l := range lines {
		if isCapitals(l) {
			n++
		}
	}
	return 2*n > len(lines)
}
