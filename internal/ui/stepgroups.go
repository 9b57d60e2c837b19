package ui

import (
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// stepSection is one run of a recipe page's steps under a heading ("For
// the sauce"); the steps before the first heading form a section with no
// title. Numbering runs on across sections, as the cook counts them.
type stepSection struct {
	Title string
	Steps []sectionStep
}

type sectionStep struct {
	I    int // 0-based index into the recipe's steps
	Text string
}

// Start is the number of the section's first step, for <ol start>.
func (s stepSection) Start() int { return s.Steps[0].I + 1 }

// stepSections groups steps (already converted for the page) by the
// recipe's step groups, or returns nil when it has none: the page then
// shows one plain list.
func stepSections(steps []string, groups []recipe.StepGroup) []stepSection {
	if len(groups) == 0 {
		return nil
	}
	var out []stepSection
	next := 0
	for i, text := range steps {
		if next < len(groups) && groups[next].Start == i {
			out = append(out, stepSection{Title: groups[next].Title})
			next++
		} else if i == 0 {
			out = append(out, stepSection{})
		}
		out[len(out)-1].Steps = append(out[len(out)-1].Steps, sectionStep{I: i, Text: text})
	}
	return out
}

// sectionOf is the title of the section step i (0-based) belongs to, or "".
func sectionOf(groups []recipe.StepGroup, i int) string {
	title := ""
	for _, g := range groups {
		if g.Start > i {
			break
		}
		title = g.Title
	}
	return title
}

// The recipe form writes a section heading as a step box that starts with
// "#", so headings move, split and paste with the steps they head (the
// editor's rows, with or without JavaScript).
const headingMark = "#"

// headingRow is the form's text for a section heading.
func headingRow(title string) string { return headingMark + " " + title }

// stepRowsOf interleaves a recipe's steps with its section headings, as
// the form shows them.
func stepRowsOf(steps []string, groups []recipe.StepGroup) []string {
	rows := make([]string, 0, len(steps)+len(groups))
	next := 0
	for i, s := range steps {
		if next < len(groups) && groups[next].Start == i {
			rows = append(rows, headingRow(groups[next].Title))
			next++
		}
		rows = append(rows, s)
	}
	return rows
}

// splitStepRows reads the form's step boxes back into steps and groups.
// stepRow and groupRow give the box each came from, so a problem with
// step 3 is shown on the box the person typed it in. A heading with no
// step after it is reported as a problem in orphans.
func splitStepRows(rows []string) (steps []string, groups []recipe.StepGroup, stepRow, groupRow, orphans []int) {
	for i, row := range rows {
		if title, ok := strings.CutPrefix(strings.TrimSpace(row), headingMark); ok {
			if len(groups) > 0 && groups[len(groups)-1].Start == len(steps) {
				// Two headings in a row: the first heads nothing.
				orphans = append(orphans, groupRow[len(groupRow)-1])
				groups, groupRow = groups[:len(groups)-1], groupRow[:len(groupRow)-1]
			}
			groups = append(groups, recipe.StepGroup{Title: strings.TrimLeft(title, "# "), Start: len(steps)})
			groupRow = append(groupRow, i)
			continue
		}
		steps = append(steps, row)
		stepRow = append(stepRow, i)
	}
	if n := len(groups); n > 0 && groups[n-1].Start == len(steps) {
		orphans = append(orphans, groupRow[n-1])
		groups, groupRow = groups[:n-1], groupRow[:n-1]
	}
	return steps, groups, stepRow, groupRow, orphans
}

// jsonLDSteps is a recipe's recipeInstructions: HowToSteps, inside a
// HowToSection for each named section, so an importer reading the page
// back gets the same sections.
func jsonLDSteps(rec *recipe.Recipe) []map[string]any {
	step := func(i int, text string) map[string]any {
		return map[string]any{"@type": "HowToStep", "position": i + 1, "text": text}
	}
	sections := stepSections(rec.Steps, rec.StepGroups)
	if sections == nil {
		var out []map[string]any
		for i, s := range rec.Steps {
			out = append(out, step(i, s))
		}
		return out
	}
	var out []map[string]any
	for _, sec := range sections {
		var items []map[string]any
		for _, s := range sec.Steps {
			items = append(items, step(s.I, s.Text))
		}
		if sec.Title == "" {
			out = append(out, items...)
			continue
		}
		out = append(out, map[string]any{"@type": "HowToSection", "name": sec.Title, "itemListElement": items})
	}
	return out
}
