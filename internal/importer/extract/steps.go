package extract

import (
	"regexp"
	"strconv"
	"strings"
)

// stepCollector gathers steps and the sections they fall in.
type stepCollector struct {
	steps  []string
	groups []StepGroup
	// blockLines says a line break in a text marks a block of the
	// page's markup (a paragraph, a list item), not the source's layout.
	blockLines bool
	// ended is set by a heading that closes the steps ("Notes:"): what
	// follows it is no step.
	ended bool
}

func (c *stepCollector) full() bool { return c.ended || len(c.steps) >= maxItems }

// add appends the cleaned lines of a text as steps. A text that is
// all one line but runs numbered steps together ("1. Mix.2. Bake.") or
// glues sentences of separate paragraphs ("…paper.Snap the chocolate")
// is split there.
func (c *stepCollector) add(text string) {
	lines := splitHTMLLines(text)
	if len(lines) == 1 {
		lines = splitRunOn(lines[0])
	}
	c.addLines(lines)
}

// addOne appends a text that is one step, whatever line breaks it holds;
// block markup inside it (paragraphs, list items) still separates steps.
func (c *stepCollector) addOne(text string) {
	text = decodeEntitiesIfMarkup(text)
	if c.blockLines {
		if paras := paragraphs(text); len(paras) > 1 {
			c.addLines(paras)
			return
		}
	}
	if strings.IndexByte(text, '<') >= 0 && blockBreak.MatchString(text) {
		c.add(text)
		return
	}
	c.addLines(splitNumbered(text))
}

// paragraphBreak is a blank line: in markup text, the edge between two
// blocks (a line break alone only breaks a line within one).
var paragraphBreak = regexp.MustCompile(`\n\s*\n`)

// paragraphs splits a markup text at its block edges.
func paragraphs(text string) []string {
	var out []string
	for _, p := range paragraphBreak.Split(text, maxItems) {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *stepCollector) addLines(lines []string) {
	for _, l := range lines {
		if c.full() {
			return
		}
		l = cleanCapped(l, maxLong)
		l = strings.TrimSpace(l[len(stepNumber.FindString(l)):])
		if l == "" || !hasLetter(l) || isAdLine(l) {
			continue
		}
		if c.closes(l) {
			c.ended = true
			return
		}
		c.steps = append(c.steps, l)
	}
}

// closes reports a heading that ends the steps read so far ("Notes:",
// "Tips"). Before any step it closes nothing: a recipe does not start
// with its notes, and ending there would lose every step.
func (c *stepCollector) closes(heading string) bool {
	return len(c.steps) > 0 && headingKind(heading) == endSection
}

// section starts a named group at the next step.
func (c *stepCollector) section(name string) {
	name = cleanCapped(name, maxShort)
	if name == "" || len(c.groups) >= maxItems || c.ended {
		return
	}
	if c.closes(name) {
		c.ended = true
		return
	}
	c.groups = append(c.groups, StepGroup{Title: name, Start: len(c.steps)})
}

// instructions reads recipeInstructions in any of the shapes sites use: a
// string (plain lines or HTML), a list of strings, HowToStep objects (text,
// else name, else their own itemListElement), HowToSection objects (their
// name starts a step group; their steps are flattened in order), ItemList
// objects, and lists nested in lists.
func (sr *schemaReader) instructions(v any, depth int, c *stepCollector) {
	if depth > maxStepDepth || c.full() {
		return
	}
	switch t := v.(type) {
	case string:
		if j, ok := embeddedJSON(t); ok {
			sr.instructions(j, depth+1, c)
			return
		}
		if depth > 0 {
			// An entry of a list is one step.
			c.addOne(t)
			return
		}
		c.add(t)
	case float64:
		// A number alone is no step.
	case []any:
		for _, e := range t {
			if c.full() {
				return
			}
			sr.instructions(e, depth+1, c)
		}
	case node:
		if sr.g != nil {
			if r, ok := sr.g.resolve(t).(node); ok {
				t = r
			}
		}
		if hasType(t["@type"], "howtosection") {
			sr.section(t, depth, c)
			return
		}
		if items := first(t, "itemListElement", "steps", "step"); items != nil && isEmpty(t["text"]) {
			sr.instructions(items, depth+1, c)
			return
		}
		text := sr.text(first(t, "text", "description"))
		name := sr.text(t["name"])
		if strings.TrimSpace(text) == "" {
			c.addOne(name)
			return
		}
		// A step's name that is not just the start of its text is a
		// heading of its own ("Make the glaze"): it starts a group.
		if !namePrefixesText(name, text) && !isStepLabel(name) {
			c.section(name)
		}
		c.addOne(text)
	}
}

// stepLabel matches names that only number a step: "Step 1", "Passo 2",
// "Étape 3", "step1", "2.".
var stepLabel = regexp.MustCompile(`(?i)^\W*(?:step|passo|paso|schritt|étape|etape|stap|trin|steg|krok|fase|punto)?\s*\d+\W*$`)

func isStepLabel(name string) bool { return stepLabel.MatchString(clean(name)) }

// namePrefixesText reports whether a step's name is empty or merely
// repeats the beginning of its text, as many plugins fill it.
func namePrefixesText(name, text string) bool {
	n := strings.ToLower(strings.TrimRight(clean(name), ".:… "))
	if n == "" {
		return true
	}
	return strings.HasPrefix(strings.ToLower(clean(text)), n)
}

// section reads a HowToSection: its name begins a step group.
func (sr *schemaReader) section(t node, depth int, c *stepCollector) {
	c.section(sr.text(t["name"]))
	items := first(t, "itemListElement", "steps", "step", "recipeInstructions")
	if items == nil {
		// A section with its steps in "text" (seen with some plugins).
		items = t["text"]
	}
	sr.instructions(items, depth+1, c)
}

// stepNumber is a step's own number typed before it: "1. ", "2) ",
// "Step 3: ".
var stepNumber = regexp.MustCompile(`(?i)^(?:step\s*)?\d{1,2}\s*[.):]\s+`)

// gluedSentence finds a sentence end followed at once by a capitalised
// word ("paper.Snap"): the seam of paragraphs joined without a break.
var gluedSentence = regexp.MustCompile(`[\p{Ll})][.!?]\p{Lu}\p{Ll}`)

// splitRunOn splits one line at numbered steps run together, else at
// glued sentences when there are at least two such seams.
func splitRunOn(line string) []string {
	if parts := splitNumbered(line); len(parts) > 1 {
		return parts
	}
	seams := gluedSentence.FindAllStringIndex(line, maxItems)
	if len(seams) < 2 {
		return []string{line}
	}
	var out []string
	start := 0
	for _, s := range seams {
		cut := s[0] + 2 // after the punctuation
		out = append(out, line[start:cut])
		start = cut
	}
	return append(out, line[start:])
}

// numberMark finds "N." or "N)" at a step boundary: the start of the
// text or after a sentence end.
var numberMark = regexp.MustCompile(`(?:^|[.!?)]\s*)(\d{1,2})[.)]\s*\p{Lu}`)

// splitNumbered splits a text at its step numbers when they run 1, 2, 3…
// from the start; otherwise it returns the text whole.
func splitNumbered(text string) []string {
	marks := numberMark.FindAllStringSubmatchIndex(text, maxItems)
	if len(marks) < 2 {
		return []string{text}
	}
	var cuts []int
	for i, m := range marks {
		n, err := strconv.Atoi(text[m[2]:m[3]])
		if err != nil || n != i+1 {
			return []string{text}
		}
		cuts = append(cuts, m[2])
	}
	if strings.TrimSpace(text[:cuts[0]]) != "" {
		return []string{text}
	}
	var out []string
	for i, c := range cuts {
		end := len(text)
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		out = append(out, text[c:end])
	}
	return out
}

// embeddedJSON decodes a text value that is itself JSON-LD, as some
// pages put a whole HowToStep list into a microdata attribute.
func embeddedJSON(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '[' && t[0] != '{') {
		return nil, false
	}
	return decodeJSONLD(decodeEntities(t))
}
