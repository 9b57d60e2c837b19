package extract

import (
	"regexp"
	"strings"
)

// Ingredient lines as recipe plugins write them into structured data
// carry a few habits of their own, undone here:
//   - notes wrapped twice, "1 onion ((chopped))", or a note that began with
//     an aside wrapped again, "1 potato ((Aus: Sebago) or other (Note 1))"
//     (unwrapDoubleParens);
var (
	// a note that begins with a comma wrapped as if it were an aside,
	// "2 carrots (, diced)";
	commaNote = regexp.MustCompile(`\s*\(\s*,\s*`)
	// a space before a comma, "1 apple , cored", left by joining the
	// parts of a line with spaces;
	spaceComma = regexp.MustCompile(`\s+,`)
	// and list bullets or numbers typed into the text, "- 300 g flour",
	// "• 2 eggs", "1. 2 eggs" (a quantity never has a space after its
	// point).
	leadingBullet = regexp.MustCompile(`^(?:[-–—•·*]|\d+[.)])\s+`)
)

// cleanIngredients turns an ingredient property's raw entries into lines:
// cleaned, plugin habits undone, at most maxItems kept. Section headings
// ("For the sauce:") stay as lines here: telling them needs the page,
// which FromHTML reads to move them into groups (splitHeadings).
func cleanIngredients(raw []string) []string {
	var out []string
	for _, l := range cleanLines(raw) {
		if len(out) >= maxItems {
			break
		}
		if l = tidyIngredient(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func tidyIngredient(l string) string {
	if strings.Contains(l, "((") {
		l = unwrapDoubleParens(l)
	}
	if strings.Contains(l, "(") && commaNote.MatchString(l) {
		l = tidyCommaNote(l)
	}
	if strings.Contains(l, " ,") {
		l = spaceComma.ReplaceAllString(l, ",")
	}
	if m := leadingBullet.FindString(l); m != "" {
		l = l[len(m):]
	}
	return strings.TrimSpace(l)
}

// tidyCommaNote rewrites "(, note)" as ", note", dropping the parenthesis
// that closed it.
func tidyCommaNote(l string) string {
	loc := commaNote.FindStringIndex(l)
	if loc == nil {
		return l
	}
	rest := l[loc[1]:]
	// Find the parenthesis closing the one opened at loc[0].
	depth := 0
	for i, c := range rest {
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return l[:loc[0]] + ", " + rest[:i] + rest[i+1:]
			}
			depth--
		}
	}
	return l
}

// unwrapDoubleParens drops the outer parentheses of a group that both
// opens and closes on a parenthesis, "((…) … (…))": a plugin wraps each
// note in parentheses, so a note the cook began with an aside and ended
// with one, "(Aus: Sebago), or other potato (Note 1)", comes out wrapped
// again around all of it. A group that closes on anything else, "((12 oz
// each) )", is how the page shows it and is left as it is, as is one left
// unclosed. One pass pairs the parentheses, so a hostile line of
// thousands of them costs no more than its length.
func unwrapDoubleParens(l string) string {
	closing := matchingParens(l)
	drop := make(map[int]bool)
	for open, end := range closing {
		if end > 0 && open+1 < len(l) && l[open+1] == '(' && l[end-1] == ')' {
			drop[open], drop[end] = true, true
		}
	}
	if len(drop) == 0 {
		return l
	}
	var b strings.Builder
	b.Grow(len(l))
	for i := 0; i < len(l); i++ {
		if !drop[i] {
			b.WriteByte(l[i])
		}
	}
	return b.String()
}

// matchingParens maps the index of each '(' of l that is closed to the
// index of the ')' closing it.
func matchingParens(l string) map[int]int {
	closing := make(map[int]int)
	var open []int
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '(':
			open = append(open, i)
		case ')':
			if n := len(open); n > 0 {
				closing[open[n-1]] = i
				open = open[:n-1]
			}
		}
	}
	return closing
}
