package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
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
// (one parent's paragraphs), where headings or bold lines among them name
// groups of steps. A heading before them ("Let's get cooking") is passed
// over; paragraphs, a heading and then a list of sentences were a story
// before the method, which is the list. A section heading (Notes),
// another list or the page's furniture (a comment form, the footer) ends
// them.
func stepsAfter(f *flat, from int) ([]string, []StepGroup) {
	p := stepParagraphs{}
	limit := min(len(f.nodes), from+maxSectionScan)
	for i := from; i < limit; {
		n := f.nodes[i]
		if opensSection(n) || pageParts[n.Data] {
			break
		}
		switch {
		case headingLevel(n) < 7:
			p.heading(n, textOf(n))
			i = f.end[i]
			continue
		case n.Data == "ul" || n.Data == "ol" || n.Data == "table":
			if n.Data == "table" {
				return p.done()
			}
			list, _ := listLines(n, "")
			if len(list) > 0 && averageLen(list) >= minBareStepLen && (p.parent == nil || p.headed) {
				lead := ""
				if p.parent == nil && p.leadParent == n.Parent {
					lead = p.lead
				}
				return groupedStepLists(n, lead, list)
			}
			if len(list) > 0 || p.parent != nil {
				return p.done() // the page's next thing: links, tips
			}
			i = f.end[i]
			continue
		case n.Data == "p":
			lines := linesOf(n)
			if sub := subHeading(n, lines); sub != "" {
				p.heading(n, sub)
			} else if !p.paragraph(n, lines) {
				return p.done()
			}
			i = f.end[i]
			continue
		}
		i++
	}
	return p.done()
}

// groupedStepLists reads the lists of sentences that follow list (whose
// lines are lines) beside it, each after a heading of its own ("2. Make
// the filling"), as groups of steps; lead is the heading before list,
// which names the first group when others follow. Anything else beside
// them ends them.
func groupedStepLists(list *html.Node, lead string, lines []string) ([]string, []StepGroup) {
	var groups []StepGroup
	pending := ""
	for c := list.NextSibling; c != nil && len(lines) < maxLines; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			break
		}
		if c.Type != html.ElementNode || skipped[c.Data] || hiddenNode(c) {
			continue
		}
		if opensSection(c) {
			break
		}
		if headingLevel(c) < 7 {
			if pending != "" {
				break
			}
			if pending = textOf(c); pending == "" {
				break
			}
			continue
		}
		if c.Data != "ul" && c.Data != "ol" || pending == "" {
			break
		}
		more, _ := listLines(c, "")
		if len(more) == 0 || averageLen(more) < minBareStepLen {
			break
		}
		groups = append(groups, StepGroup{Title: pending, Start: len(lines)})
		lines, pending = append(lines, more...), ""
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	if len(groups) > 0 && lead != "" {
		groups = append([]StepGroup{{Title: lead}}, groups...)
	}
	return cleanSteps(lines), tidyGroups(groups, len(lines))
}

// leadHeading is the text of the heading right before n among its
// siblings, or "".
func leadHeading(n *html.Node) string {
	for c := n.PrevSibling; c != nil; c = c.PrevSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" {
			continue
		}
		if c.Type == html.ElementNode && headingLevel(c) < 7 {
			return textOf(c)
		}
		break
	}
	return ""
}

// stepParagraphs gathers stepsAfter's run of paragraphs.
type stepParagraphs struct {
	lines  []string
	groups []StepGroup
	parent *html.Node // the paragraphs' parent, once one is read
	// headed is set by a heading after the paragraphs; title is its text
	// when it sits beside them (a group's name).
	headed bool
	title  string
	// lead is the heading beside the first paragraph, which names the
	// first group when later headings name others.
	lead       string
	leadParent *html.Node
}

// heading notes a heading or bold line n with text t.
func (p *stepParagraphs) heading(n *html.Node, t string) {
	if t == "" {
		return
	}
	if p.parent == nil {
		p.lead, p.leadParent = t, n.Parent
		return
	}
	p.headed, p.title = true, ""
	if n.Parent == p.parent {
		p.title = t
	}
}

// paragraph adds paragraph n's lines, or reports false when n does not
// continue the run: another parent's, or after a heading that names no
// group.
func (p *stepParagraphs) paragraph(n *html.Node, lines []string) bool {
	if p.parent != nil && n.Parent != p.parent {
		return false
	}
	if p.headed {
		if p.title == "" {
			return false
		}
		p.groups = append(p.groups, StepGroup{Title: p.title, Start: len(p.lines)})
		p.headed, p.title = false, ""
	}
	for _, l := range lines {
		if !isJunkLine(l) && !metaLine(l, &Recipe{}) && len(p.lines) < maxLines {
			p.lines = append(p.lines, l)
			p.parent = n.Parent
		}
	}
	return true
}

// done returns the steps and their groups; the heading beside the first
// paragraph names the first group when there are others.
func (p *stepParagraphs) done() ([]string, []StepGroup) {
	if len(p.groups) > 0 && p.lead != "" && p.leadParent == p.parent {
		p.groups = append([]StepGroup{{Title: p.lead}}, p.groups...)
	}
	return p.lines, tidyGroups(p.groups, len(p.lines))
}

// pageParts hold what surrounds a recipe, never its steps.
var pageParts = map[string]bool{
	"form": true, "footer": true, "aside": true, "nav": true,
}
