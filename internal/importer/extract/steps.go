package extract

import "strings"

// stepCollector gathers steps and the sections they fall in.
type stepCollector struct {
	steps  []string
	groups []StepGroup
}

func (c *stepCollector) full() bool { return len(c.steps) >= maxItems }

// add appends the cleaned lines of a text as steps.
func (c *stepCollector) add(text string) {
	for _, l := range splitHTMLLines(text) {
		if c.full() {
			return
		}
		l = cleanCapped(l, maxLong)
		if l == "" || isAdLine(l) {
			continue
		}
		c.steps = append(c.steps, l)
	}
}

// section starts a named group at the next step.
func (c *stepCollector) section(name string) {
	name = cleanCapped(name, maxShort)
	if name == "" || len(c.groups) >= maxItems {
		return
	}
	if n := len(c.groups); n > 0 && c.groups[n-1].Start == len(c.steps) {
		c.groups[n-1].Title = name // an empty section: the later name wins
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
			text = name
		}
		c.add(text)
	}
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
