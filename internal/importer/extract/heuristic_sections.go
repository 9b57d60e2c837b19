package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// Bounds on the heading search, so a hostile page costs bounded work.
const (
	// maxElements is the most elements of a page the search looks at.
	maxElements = 50000
	// maxLines is the most ingredient lines or steps kept.
	maxLines = 1000
	// maxSectionScan is how far past a heading the search looks for its
	// lines before giving up.
	maxSectionScan = 3000
	// maxCandidates is the most headings of one kind tried.
	maxCandidates = 50
	// maxHeadingNodes is the most nodes a heading may hold.
	maxHeadingNodes = 64
)

// flat is a page's elements in document order; end[i] is the index past
// element i's last descendant, so a subtree is skipped with i = end[i].
type flat struct {
	nodes []*html.Node
	end   []int
	// alike remembers repeats' answer per element, so sections that
	// overlap do not ask twice.
	alike map[*html.Node]bool
}

// repeats is repeats(n), remembered.
func (f *flat) repeats(n *html.Node) bool {
	if v, ok := f.alike[n]; ok {
		return v
	}
	if f.alike == nil {
		f.alike = map[*html.Node]bool{}
	}
	v := repeats(n)
	f.alike[n] = v
	return v
}

// flatten lists the elements under root in document order, leaving out
// scripts, styles and hidden elements.
func flatten(root *html.Node) *flat {
	f := &flat{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(f.nodes) < maxElements; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped[c.Data] || hiddenNode(c) {
				continue
			}
			i := len(f.nodes)
			f.nodes = append(f.nodes, c)
			f.end = append(f.end, 0)
			walk(c)
			f.end[i] = len(f.nodes)
		}
	}
	walk(root)
	return f
}

// headingLevel is 1-6 for <h1>-<h6> and 7 for the other elements that
// can act as a heading (a bold line, a short paragraph).
func headingLevel(n *html.Node) int {
	if len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
		return int(n.Data[1] - '0')
	}
	return 7
}

// sectionLevel is the level of a section's heading: that of an <hN> the
// heading element sits in ("<h2><span>Ingredients</span></h2>"), else its
// own.
func sectionLevel(n *html.Node) int {
	p := n
	for range 3 {
		if lv := headingLevel(p); lv < 7 {
			return lv
		}
		if p.Parent == nil || p.Parent.Type != html.ElementNode {
			break
		}
		p = p.Parent
	}
	return headingLevel(n)
}

// headingTags are the elements read as a heading when their whole text is
// a section word. Links, list items and buttons are left out: they are
// tables of contents and tabs, not headings.
var headingTags = map[string]bool{
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"strong": true, "b": true, "p": true, "span": true, "div": true,
	"dt": true, "th": true, "td": true, "header": true, "label": true,
	"em": true, "u": true, "legend": true, "summary": true, "caption": true,
}

// asHeading says which section n introduces, if it is a heading: a
// heading element whose short text is a section word, and not only a
// wrapper around a child saying the same.
func asHeading(n *html.Node) sectionKind {
	if !headingTags[n.Data] {
		return notSection
	}
	t := shortText(n, maxHeadingLen)
	if t == "" {
		return notSection
	}
	k := headingKind(t)
	if k == notSection || inside(n, "a", "nav", "li", "button") || timeLabel(n, t) {
		return notSection
	}
	// The innermost element carrying the words is the heading.
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && headingTags[c.Data] && shortText(c, maxHeadingLen) == t {
			return notSection
		}
	}
	return k
}

// opensSection reports whether n is, or only wraps, a section heading:
// "<p><strong>Method</strong></p>" ends the section before it.
func opensSection(n *html.Node) bool {
	if asHeading(n) != notSection {
		return true
	}
	if !headingTags[n.Data] {
		return false
	}
	t := shortText(n, maxHeadingLen)
	return t != "" && headingKind(t) != notSection && !inside(n, "a", "nav", "li", "button")
}

// partHeading reports a heading that names a part of a recipe's section
// before the section's word: "Aioli Ingredients:", "Sauce method". The
// section's own headings put the word first ("Ingredients for 4") or after
// an article ("The ingredients").
func partHeading(t string, kind sectionKind) bool {
	words := strings.Fields(normHeading(t))
	if len(words) != 2 || sectionWords[words[1]] != kind || articles[words[0]] {
		return false
	}
	_, whole := sectionWords[words[0]+" "+words[1]]
	return !whole
}

// articles are the words a section's own heading may put before its
// section word.
var articles = map[string]bool{
	"the": true, "our": true, "your": true, "les": true, "des": true, "die": true,
	"los": true, "las": true, "gli": true, "het": true, "de": true, "la": true, "le": true,
}

// timeLabel reports a heading word that labels a time or yield instead:
// "Preparation" beside "20 min" in a recipe's summary box.
func timeLabel(n *html.Node, t string) bool {
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		pt := shortText(p, maxMetaLine)
		if pt == "" {
			return false
		}
		if pt != t {
			return metaLine(pt, &Recipe{})
		}
	}
	return false
}

// shortText is n's text when it is at most max bytes, else "".
func shortText(n *html.Node, max int) string {
	size, visited := 0, 0
	var over bool
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !over; c = c.NextSibling {
			visited++
			over = visited > maxHeadingNodes
			switch c.Type {
			case html.TextNode:
				size += len(strings.TrimSpace(c.Data))
				over = size > max
			case html.ElementNode:
				if !skipped[c.Data] {
					walk(c)
				}
			}
		}
	}
	walk(n)
	if over {
		return ""
	}
	return textOf(n)
}

// inside reports whether n or an ancestor is one of tags.
func inside(n *html.Node, tags ...string) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		for _, t := range tags {
			if p.Data == t {
				return true
			}
		}
	}
	return false
}

// section is what follows a heading: its lines, grouped by sub-headings.
type section struct {
	at     int // index of the heading in flat
	kind   sectionKind
	lines  []string
	groups []StepGroup
	// listed is true when the lines came from <li> elements rather than
	// paragraphs.
	listed bool
	// end is the index in flat past the section: past its last list,
	// table or item, or where the reading of its paragraphs stopped.
	end int
}

// readSection collects the lines after the heading at index at: the
// lists (ul/ol) before the section ends, or failing those its paragraphs.
// It ends at a heading as high as its own, at another section's heading,
// at Notes/Nutrition, or where the article holding the heading ends.
func readSection(f *flat, at int, kind sectionKind) (s section) {
	s = section{at: at, kind: kind}
	i := f.end[at]
	// The section ends past the last list, table or item read; a section
	// of paragraphs where the reading stopped.
	taken := -1
	defer func() {
		s.end = i
		if taken >= 0 {
			s.end = taken
		}
	}()
	level := sectionLevel(f.nodes[at])
	groupLevel := 7      // the level group names were given, once seen
	var paras [][]string // paragraph lines, for when there is no list
	var paraGroups []StepGroup
	pending := ""
	paraPending := ""
	nParaLines := 0
	var lastList *html.Node // the last list read, to tell its kin from strangers
	var repeated *html.Node // the first element whose children look alike
	limit := min(len(f.nodes), at+maxSectionScan)
	article := closest(f.nodes[at], "article")
	home := f.nodes[at].Parent // the box the heading sits in
	var paraLast *html.Node    // the last paragraph read
	if rest := afterInlineHeading(f.nodes[at]); len(rest) > 0 {
		// "<p><b>Method:</b><br>Mix…<br>Bake…</p>": the paragraph the
		// heading opens holds the section's first lines.
		paras, nParaLines = append(paras, rest), len(rest)
		i = f.end[at]
		for i < limit && contains(home, f.nodes[i]) {
			i++
		}
	}
scan:
	for i < limit {
		n := f.nodes[i]
		if opensSection(n) {
			// "Aioli Ingredients" after the lines of "Ingredients" names
			// a part of the same list, not another list.
			t := shortText(n, maxHeadingLen)
			if len(s.lines) == 0 || !partHeading(t, kind) {
				break
			}
			pending, paraPending = t, t
			i = f.end[i]
			continue
		}
		if article != nil && !contains(article, n) {
			break // the recipe's article has ended
		}
		if lv := headingLevel(n); lv < 7 {
			// A heading as high as the section's own ends it, unless
			// nothing has been found yet: sites style group names
			// ("Meat sauce") with any heading level, and once the first
			// group was named at that level, so are the next.
			if lv <= level && lv < groupLevel && (len(s.lines) > 0 || nParaLines > 0) {
				break
			}
			if lv <= level && groupLevel == 7 {
				groupLevel = lv
			}
			// A lower heading is a sub-section: "For the sauce".
			if t := textOf(n); t != "" {
				pending, paraPending = t, t
			}
			i = f.end[i]
			continue
		}
		if itemClass(n, kind) && !holdsList(n) {
			l := textOf(n)
			if kind == ingredientSection {
				l = ingredientLine(n)
			}
			if isGroupLine(n, l) {
				pending, paraPending = groupName(l), groupName(l)
			} else if !isJunkLine(l) {
				if pending != "" {
					s.groups = append(s.groups, StepGroup{Title: pending, Start: len(s.lines)})
					pending = ""
				}
				s.lines = append(s.lines, l)
			}
			taken = f.end[i]
			if len(s.lines) >= maxLines {
				return s
			}
			i = f.end[i]
			continue
		}
		switch n.Data {
		case "table":
			if lastList != nil && pending == "" && !nearList(lastList, n) {
				return finishSection(s)
			}
			lastList = n
			lines, groups := tableLines(n, pending)
			for _, g := range groups {
				s.groups = append(s.groups, StepGroup{Title: g.Title, Start: len(s.lines) + g.Start})
			}
			if len(lines) > 0 {
				pending, taken = "", f.end[i]
			}
			s.lines = append(s.lines, lines...)
			if len(s.lines) >= maxLines {
				s.lines = s.lines[:maxLines]
				return s
			}
			i = f.end[i]
			continue
		case "ul", "ol":
			if metaClass(n) {
				// The recipe's facts set as a list ("For 2 people",
				// "under 30 minutes", "easy"): no lines of it.
				i = f.end[i]
				continue
			}
			if lastList != nil && pending == "" && !nearList(lastList, n) {
				// A list after the section's lists, with no sub-heading
				// of its own, is the page's next thing: tips, links.
				return finishSection(s)
			}
			if kind == stepSection && lastList == nil && pending == "" && nParaLines >= minParaSteps {
				// Steps written as paragraphs, then a list of
				// their own: the page's next thing too.
				break scan
			}
			lastList = n
			lines, groups := listLines(n, pending)
			for _, g := range groups {
				s.groups = append(s.groups, StepGroup{Title: g.Title, Start: len(s.lines) + g.Start})
			}
			s.lines = append(s.lines, lines...)
			if len(lines) > 0 {
				pending, taken = "", f.end[i]
			}
			if len(s.lines) >= maxLines {
				s.lines = s.lines[:maxLines]
				return s
			}
			i = f.end[i]
			continue
		case "p", "dd":
			if b := openingBold(n); b != nil && (len(s.lines) > 0 || nParaLines > 0) && opensSection(b) {
				// "<p><strong>Method:</strong><br>Mix…</p>": the next
				// section's heading opens the paragraph.
				break scan
			}
			if nParaLines > 0 && len(s.lines) == 0 && home != nil && contains(home, paraLast) && !contains(home, n) {
				// Paragraphs read beside the heading, in its own box:
				// one outside that box is the page's next thing.
				break scan
			}
			lines := linesOf(n)
			if sub := subHeading(n, lines); sub != "" {
				pending, paraPending = sub, sub
				i = f.end[i]
				continue
			}
			var kept []string
			for _, l := range lines {
				// "10 servings", "Prep time: 15 min" say how much and how
				// long, not what goes in.
				if !isJunkLine(l) && !metaLine(l, &Recipe{}) {
					kept = append(kept, l)
				}
			}
			if len(kept) > 0 && nParaLines < maxLines {
				paraLast = n
				if paraPending != "" {
					paraGroups = append(paraGroups, StepGroup{Title: paraPending, Start: nParaLines})
					paraPending = ""
				}
				paras = append(paras, kept)
				nParaLines += len(kept)
			}
			i = f.end[i]
			continue
		case "strong", "b":
			// A bold line of its own inside a block is a sub-heading.
			if t := textOf(n); t != "" && len(t) <= maxHeadingLen && isWholeBlock(n) {
				pending, paraPending = t, t
			}
		}
		if repeated == nil && nParaLines == 0 && f.repeats(n) {
			repeated = n
		}
		i++
	}
	if len(s.lines) > 0 {
		return finishSection(s)
	}
	// No list, table or item class: the first run of alike elements,
	// beside the heading or after it.
	first := f.nodes[at].NextSibling
	if !alikeRun(first) {
		first = nil
		if repeated != nil {
			first = repeated.FirstChild
		}
	}
	if first != nil {
		for c := first; c != nil && len(s.lines) < maxLines; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if l := textOf(c); !isJunkLine(l) {
				s.lines = append(s.lines, l)
			}
		}
		return s
	}
	for _, p := range paras {
		s.lines = append(s.lines, p...)
	}
	if len(s.lines) > maxLines {
		s.lines = s.lines[:maxLines]
	}
	s.groups = tidyGroups(paraGroups, len(s.lines))
	return s
}

// afterInlineHeading is the lines a paragraph holds after the heading
// that opens it, when the heading is bold text at its start ("<p><strong>
// Bereiding:</strong><br>Mix…"), else nothing.
func afterInlineHeading(h *html.Node) []string {
	p := h.Parent
	if p == nil || p.Type != html.ElementNode || p.Data != "p" || openingBold(p) != h {
		return nil
	}
	lines := linesOf(p)
	head := textOf(h)
	if len(lines) < 2 || lines[0] != head {
		return nil
	}
	var out []string
	for _, l := range lines[1:] {
		if !isJunkLine(l) {
			out = append(out, l)
		}
	}
	return out
}

// openingBold is the bold element a paragraph opens with, before any
// text of its own, or nil.
func openingBold(p *html.Node) *html.Node {
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.ElementNode && (c.Data == "strong" || c.Data == "b"):
			return c
		default:
			return nil
		}
	}
	return nil
}

// minParaSteps is how many paragraph lines make a section of steps
// written as paragraphs, which a later list does not belong to.
const minParaSteps = 2

// Bounds on a run of alike elements read as lines.
const (
	minRepeats      = 2
	maxRepeatLen    = 600
	maxRepeatChecks = 64
)

// repeats reports whether n's children are a run of alike elements: at
// least two, all of one tag and class, none a paragraph, each with text
// of a line's length. Sites whose markup says nothing (generated class
// names, no lists) still repeat one element per line.
func repeats(n *html.Node) bool {
	return alikeRun(n.FirstChild)
}

// alikeRun reports whether the siblings from first on are a run of alike
// elements (see repeats).
func alikeRun(first *html.Node) bool {
	count := 0
	var tag, class string
	for c := first; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return false
			}
			continue
		case html.ElementNode:
		default:
			continue
		}
		if skipped[c.Data] || c.Data == "p" || c.Data == "br" || c.Data == "img" {
			return false
		}
		cl := attr(c, "class")
		if count == 0 {
			tag, class = c.Data, cl
		} else if c.Data != tag || cl != class {
			return false
		}
		if count++; count > maxRepeatChecks {
			// Enough alike children seen; the rest are read later.
			break
		}
		if l := shortText(c, maxRepeatLen); l == "" {
			return false
		}
	}
	return count >= minRepeats
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// finishSection closes a section whose lines came from lists.
func finishSection(s section) section {
	s.listed = true
	s.groups = tidyGroups(s.groups, len(s.lines))
	return s
}

// nearList reports whether list b belongs with list a: they share a
// parent or a grandparent, as a recipe's lists split by sub-headings do.
func nearList(a, b *html.Node) bool {
	pa, pb := a.Parent, b.Parent
	if pa == nil || pb == nil {
		return false
	}
	if pa == pb || pa.Parent == pb || pb.Parent == pa {
		return true
	}
	return pa.Parent != nil && pa.Parent == pb.Parent
}

// subHeading is a paragraph's text when the paragraph is a sub-heading
// ("For the dough:", a bold line), else "".
func subHeading(p *html.Node, lines []string) string {
	if len(lines) != 1 || len(lines[0]) > maxHeadingLen {
		return ""
	}
	t := lines[0]
	if strings.HasSuffix(t, ":") {
		return t
	}
	// A paragraph that is all bold.
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return ""
		}
		if c.Type == html.ElementNode && c.Data != "strong" && c.Data != "b" && c.Data != "br" {
			return ""
		}
	}
	return t
}

// isWholeBlock reports whether n's text is all the text of its block
// parent.
func isWholeBlock(n *html.Node) bool {
	p := n.Parent
	for p != nil && !blockTags[p.Data] {
		p = p.Parent
	}
	return p != nil && textOf(p) == textOf(n)
}

// listLines reads a list's items. An item holding a nested list names a
// group (its own text) of the nested items, unless its text starts with
// an amount: then the nested items are its notes, read with it as one
// line.
func listLines(list *html.Node, pending string) ([]string, []StepGroup) {
	var lines []string
	var groups []StepGroup
	if pending != "" {
		groups = append(groups, StepGroup{Title: pending})
	}
	alternatives := someShown(list)
	for li := list.FirstChild; li != nil && len(lines) < maxLines; li = li.NextSibling {
		if li.Type != html.ElementNode || li.Data != "li" || hiddenNode(li) {
			continue
		}
		if alternatives && hiddenClass(attr(li, "class")) {
			continue
		}
		nested := nestedList(li)
		if nested == nil && doubleBreak(li) {
			// Paragraphs in one item, split by blank lines: one line each.
			for _, l := range linesOf(li) {
				if !isJunkLine(l) {
					lines = append(lines, l)
				}
			}
			continue
		}
		if nested == nil {
			l := amountDash(li, lineOf(li))
			switch {
			case isJunkLine(l):
			case isGroupLine(li, l):
				groups = append(groups, StepGroup{Title: groupName(l), Start: len(lines)})
			default:
				lines = append(lines, l)
			}
			continue
		}
		name := ownText(li, nested)
		if startsWithQuantity(name) {
			// "150 g onion, diced" over a list of its notes ("roughly
			// 1 large onion") is one line, no group's name.
			if l := lineOf(li); !isJunkLine(l) {
				lines = append(lines, l)
			}
			continue
		}
		sub, subGroups := listLines(nested, name)
		for _, g := range subGroups {
			groups = append(groups, StepGroup{Title: g.Title, Start: len(lines) + g.Start})
		}
		lines = append(lines, sub...)
	}
	return lines, tidyGroups(groups, len(lines))
}

// someShown reports a list whose items a class hides only in part: the
// hidden ones are an alternative (another unit system) a script swaps
// in, and the reader sees the others. A list hidden whole is read: it
// may be a tab the reader opens.
func someShown(list *html.Node) bool {
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode && li.Data == "li" && !hiddenClass(attr(li, "class")) {
			return true
		}
	}
	return false
}

// tidyGroups drops groups that name no lines: one followed at once by
// another, or one past the end. Titles lose a trailing colon.
func tidyGroups(groups []Group, n int) []Group {
	var out []Group
	for _, g := range groups {
		g.Title = groupName(g.Title)
		// A group named "Instructions" only repeats the section's heading;
		// "Aioli Ingredients" names a part.
		if k := headingKind(g.Title); g.Start >= n || g.Title == "" || k != notSection && !partHeading(g.Title, k) {
			continue
		}
		if len(out) > 0 && out[len(out)-1].Start == g.Start {
			out[len(out)-1] = g
			continue
		}
		out = append(out, g)
	}
	return out
}

// nestedList is the first ul/ol inside li, or nil.
func nestedList(li *html.Node) *html.Node {
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.Data == "ul" || c.Data == "ol" {
			return c
		}
		if n := nestedList(c); n != nil {
			return n
		}
	}
	return nil
}

// ownText is li's text without the nested list's.
func ownText(li, nested *html.Node) string {
	var b strings.Builder
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		if c == nested || (c.Type == html.ElementNode && contains(c, nested)) {
			if c != nested {
				// Text before the list inside the wrapper.
				for cc := c.FirstChild; cc != nil && !contains(cc, nested); cc = cc.NextSibling {
					b.WriteString(" " + nodeText(cc))
				}
			}
			break
		}
		b.WriteString(" " + nodeText(c))
	}
	return strings.TrimSuffix(tidyLine(b.String()), ":")
}

// nodeText is the text of a text node or of an element.
func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	if n.Type == html.ElementNode && !skipped[n.Data] {
		return textOf(n)
	}
	return ""
}

// holdsList reports whether n holds a list or a table: then it is a
// container of lines, not one line.
func holdsList(n *html.Node) bool {
	visits, paragraphs := 0, 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if visits++; visits > maxNodeVisits {
				// Too big to be one line.
				return true
			}
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "ul", "ol", "li", "table":
				return true
			case "p":
				// Paragraphs are lines of their own.
				if paragraphs++; paragraphs > 1 {
					return true
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(n)
}

// tableLines reads a table's rows as lines, its cells joined by spaces
// ("150ml" "red wine" → "150ml red wine").
func tableLines(table *html.Node, pending string) ([]string, []StepGroup) {
	var lines []string
	var groups []StepGroup
	if pending != "" {
		groups = append(groups, StepGroup{Title: pending})
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(lines) < maxLines; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped[c.Data] || hiddenNode(c) {
				continue
			}
			switch c.Data {
			case "tr":
				l := textOf(c)
				switch {
				case isJunkLine(l):
				case isGroupLine(c, l):
					groups = append(groups, StepGroup{Title: groupName(l), Start: len(lines)})
				default:
					lines = append(lines, l)
				}
			case "thead", "tbody", "tfoot":
				walk(c)
			}
		}
	}
	walk(table)
	return lines, tidyGroups(groups, len(lines))
}

// itemClass reports whether n's class names it one ingredient line or one
// step of a section of kind: a class whose last word is "ingredient",
// "ingredient-item", "step", "instruction-text" and the like. Generated
// suffixes ("Ingredients_ingredient__j6REm") are looked past.
func itemClass(n *html.Node, kind sectionKind) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		for _, token := range strings.Fields(a.Val) {
			if classNamesItem(token, kind) {
				return true
			}
		}
	}
	return false
}

// itemTails are the words that end an item's class name after the
// section's word ("ingredient-item", "step-text").
var itemTails = map[string]bool{"item": true, "line": true, "row": true, "text": true}

func classNamesItem(token string, kind sectionKind) bool {
	words := strings.FieldsFunc(token, func(r rune) bool { return r == '-' || r == '_' })
	// Drop generated hashes: segments with capitals or digits, or too
	// short to be words.
	for len(words) > 0 {
		w := words[len(words)-1]
		if len(w) > 2 && strings.ToLower(w) == w && !strings.ContainsAny(w, "0123456789") {
			break
		}
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return false
	}
	last := strings.ToLower(words[len(words)-1])
	prev := ""
	if len(words) > 1 {
		prev = strings.ToLower(words[len(words)-2])
	}
	if kind == ingredientSection {
		return last == "ingredient" || (itemTails[last] && (prev == "ingredient" || prev == "ingredients"))
	}
	switch last {
	case "step", "instruction", "direction":
		return true
	}
	if itemTails[last] {
		switch prev {
		case "step", "steps", "instruction", "instructions", "direction", "directions", "method", "preparation":
			return true
		}
	}
	return false
}

// doubleBreak reports whether n's own children hold a blank line: two
// <br> with only white space between.
func doubleBreak(n *html.Node) bool {
	afterBreak := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && c.Data == "br":
			if afterBreak {
				return true
			}
			afterBreak = true
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		default:
			afterBreak = false
		}
	}
	return false
}

// amountDash drops the dash a page prints between an amount in an element
// of its own and the rest of the line ("<b>300g</b> – flour"), which
// reads "300g flour"; line is li's text. A dash between numbers ("1 - 2
// eggs") is a range and stays.
func amountDash(li *html.Node, line string) string {
	first := li.FirstChild
	for first != nil && first.Type == html.TextNode && strings.TrimSpace(first.Data) == "" {
		first = first.NextSibling
	}
	if first == nil || first.Type != html.ElementNode {
		return line
	}
	amount := textOf(first)
	if !startsWithQuantity(amount) || !strings.HasPrefix(line, amount+" ") {
		return line
	}
	rest := line[len(amount)+1:]
	for _, d := range []string{"- ", "– ", "— "} {
		if after, ok := strings.CutPrefix(rest, d); ok && !startsWithQuantity(after) {
			return amount + " " + after
		}
	}
	return line
}

// closest is n's nearest ancestor (or n itself) with tag, or nil.
func closest(n *html.Node, tag string) *html.Node {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return p
		}
	}
	return nil
}

// lineOf is an ingredient line's text: its parts spaced when it is made
// of parts (partsLine), else its text.
func lineOf(n *html.Node) string {
	if l, ok := partsLine(n); ok {
		return l
	}
	return textOf(n)
}

// metaClass reports an element whose class names it metadata, a class
// name ending in the word "meta" ("recipe-meta", "entry-meta",
// "recipe-list-meta"): themes set a recipe's servings, time and
// difficulty so, never its ingredients or steps.
func metaClass(n *html.Node) bool { return classEndsIn(n, "meta") }

// classEndsIn reports whether one of n's class names ends in one of
// words after a dash or underscore, or is that word ("ingredient-notes"
// ends in "notes"). The last word names what the element is; the words
// before it, where it sits ("tabs-description-ingredients__title" is a
// title).
func classEndsIn(n *html.Node, words ...string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		for _, token := range strings.Fields(strings.ToLower(a.Val)) {
			last := token[strings.LastIndexAny(token, "-_")+1:]
			for _, w := range words {
				if last == w {
					return true
				}
			}
		}
	}
	return false
}
