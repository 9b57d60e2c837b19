package extract

import (
	"golang.org/x/net/html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stepWords are the words that number a step: "Step 1", "Étape 2".
var stepWords = []string{
	"step", "étape", "etape", "schritt", "paso", "passo", "stap", "krok", "steg", "trin",
}

// stripStepNumber removes the numbering a page prints before a step
// ("1.", "2)", "Step 3:", "Étape 4 -"), which the steps' order already
// says. A bare number is removed only before a capital letter, so a step
// that starts with an amount keeps it.
func stripStepNumber(s string) string {
	rest := s
	lower := strings.ToLower(rest)
	worded := false
	for _, w := range stepWords {
		if strings.HasPrefix(lower, w) {
			after := strings.TrimLeft(rest[len(w):], " ")
			if r, _ := utf8.DecodeRuneInString(after); unicode.IsDigit(r) {
				rest, worded = after, true
				break
			}
		}
	}
	i := 0
	for i < len(rest) && i < 4 && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || i == len(rest) || (i == 4 && rest[i] >= '0' && rest[i] <= '9') {
		return s
	}
	tail := rest[i:]
	switch {
	case tail[0] == '.' || tail[0] == ')' || tail[0] == ':':
		tail = tail[1:]
		if tail != "" && tail[0] >= '0' && tail[0] <= '9' {
			return s // "1.5 litres", not a numbering
		}
	case worded:
	case tail[0] == ' ':
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(tail, " "))
		if !unicode.IsUpper(r) {
			return s
		}
	default:
		return s
	}
	tail = strings.TrimLeft(tail, " -–—:.")
	if tail == "" {
		return s
	}
	return tail
}

// cleanSteps strips the numbering from each step.
func cleanSteps(steps []string) []string {
	for i, s := range steps {
		// "Step 1 1. Mix" is numbered twice.
		if t := stripStepNumber(s); t != s {
			steps[i] = stripStepNumber(t)
		}
	}
	return steps
}

// stepsAfter reads the steps of a page that names no instructions
// section, from index from of f (where its ingredients end), as a person
// reading the page takes them: the first list after the ingredients when
// its lines are sentences, else the run of paragraphs that follows them
// (one parent's paragraphs in a row). A heading before them ("Let's get
// cooking") is passed over; a section heading (Notes), another list or
// the page's furniture (a comment form, the footer) ends them.
func stepsAfter(f *flat, from int) []string {
	var lines []string
	var parent *html.Node // the paragraphs' parent, once one is read
	headed := false       // a heading came after the paragraphs
	limit := min(len(f.nodes), from+maxSectionScan)
	for i := from; i < limit; {
		n := f.nodes[i]
		if opensSection(n) || pageParts[n.Data] {
			break
		}
		switch {
		case headingLevel(n) < 7:
			headed = parent != nil
			i = f.end[i]
			continue
		case n.Data == "ul" || n.Data == "ol" || n.Data == "table":
			if n.Data == "table" {
				return lines
			}
			// Paragraphs, a heading and a list of sentences: the
			// paragraphs were a story, the list is the method.
			list, _ := listLines(n, "")
			if len(list) > 0 && averageLen(list) >= minBareStepLen && (parent == nil || headed) {
				return cleanSteps(list)
			}
			if len(list) > 0 || parent != nil {
				return lines // the page's next thing: links, tips
			}
			i = f.end[i]
			continue
		case n.Data == "p":
			if parent != nil && (n.Parent != parent || headed) {
				return lines
			}
			for _, l := range linesOf(n) {
				if !isJunkLine(l) && !metaLine(l, &Recipe{}) && len(lines) < maxLines {
					lines = append(lines, l)
					parent = n.Parent
				}
			}
			i = f.end[i]
			continue
		}
		i++
	}
	return lines
}

// pageParts hold what surrounds a recipe, never its steps.
var pageParts = map[string]bool{
	"form": true, "footer": true, "aside": true, "nav": true,
}
