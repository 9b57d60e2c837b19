package ui

import (
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// section is one run of a recipe page's list (steps or ingredients) under
// a heading ("For the sauce"); the items before the first heading form a
// section with no title. Numbering runs on across sections, as the cook
// counts them.
type section[T any] struct {
	Title string
	Items []sectionItem[T]
}

type sectionItem[T any] struct {
	I    int // 0-based index into the recipe's list
	Item T
}

// Start is the number of the section's first item, for <ol start>.
func (s section[T]) Start() int { return s.Items[0].I + 1 }

// sectionsOf groups items (already converted for the page) by the
// recipe's groups for that list, or returns nil when it has none: the page
// then shows one plain list.
func sectionsOf[T any](items []T, groups []recipe.Group) []section[T] {
	if len(groups) == 0 {
		return nil
	}
	var out []section[T]
	next := 0
	for i, item := range items {
		if next < len(groups) && groups[next].Start == i {
			out = append(out, section[T]{Title: groups[next].Title})
			next++
		} else if i == 0 {
			out = append(out, section[T]{})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, sectionItem[T]{I: i, Item: item})
	}
	return out
}

// sectionOf is the title of the section item i (0-based) belongs to, or "".
func sectionOf(groups []recipe.Group, i int) string {
	title := ""
	for _, g := range groups {
		if g.Start > i {
			break
		}
		title = g.Title
	}
	return title
}

// The recipe form writes a section heading as a box of the list that
// starts with "#", so headings move, split and paste with the items they
// head (the editor's rows, with or without JavaScript). A digit right
// after the mark is an item, not a heading: "#10 can tomatoes" is a can
// size.
const headingMark = "#"

// headingRow is the form's text for a section heading.
func headingRow(title string) string { return headingMark + " " + title }

// headingTitle returns the title of a heading row and true, or false for
// an item.
func headingTitle(row string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(row), headingMark)
	if !ok || rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return "", false
	}
	return strings.TrimLeft(rest, "# "), true
}

// rowsOf interleaves a list with its section headings, as the form shows
// them.
func rowsOf(items []string, groups []recipe.Group) []string {
	rows := make([]string, 0, len(items)+len(groups))
	next := 0
	for i, s := range items {
		if next < len(groups) && groups[next].Start == i {
			rows = append(rows, headingRow(groups[next].Title))
			next++
		}
		rows = append(rows, s)
	}
	return rows
}

// splitRows reads the form's boxes of one list back into items and
// groups. itemRow and groupRow give the box each came from, so a problem
// with item 3 is shown on the box the person typed it in. A heading with
// no item after it is reported as a problem in orphans.
func splitRows(rows []string) (items []string, groups []recipe.Group, itemRow, groupRow, orphans []int) {
	for i, row := range rows {
		if title, ok := headingTitle(row); ok {
			if len(groups) > 0 && groups[len(groups)-1].Start == len(items) {
				// Two headings in a row: the first heads nothing.
				orphans = append(orphans, groupRow[len(groupRow)-1])
				groups, groupRow = groups[:len(groups)-1], groupRow[:len(groupRow)-1]
			}
			groups = append(groups, recipe.Group{Title: title, Start: len(items)})
			groupRow = append(groupRow, i)
			continue
		}
		items = append(items, row)
		itemRow = append(itemRow, i)
	}
	if n := len(groups); n > 0 && groups[n-1].Start == len(items) {
		orphans = append(orphans, groupRow[n-1])
		groups, groupRow = groups[:n-1], groupRow[:n-1]
	}
	return items, groups, itemRow, groupRow, orphans
}
