package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTextLines is the most lines of pasted text read.
const maxTextLines = 5000

// FromText builds a recipe from plain text a person pasted (a recipe
// copied from a page, a message or a caption): the first line is the
// title, ingredient lines and steps are told apart by headings
// ("Ingredients:", "Method"), list markers and quantities.
func FromText(text string) *Recipe {
	if len(text) > MaxText {
		text = text[:MaxText]
	}
	text = strings.ToValidUTF8(text, "")
	r := &Recipe{Via: "text"}
	lines := textLines(text)
	p := &textParser{r: r}
	for _, l := range lines {
		p.line(l)
	}
	p.finish()
	return r
}

// textLines splits text into trimmed lines, whatever the line endings.
func textLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.SplitN(text, "\n", maxTextLines+1)
	if len(lines) > maxTextLines {
		lines = lines[:maxTextLines]
	}
	for i, l := range lines {
		lines[i] = keycapNumber(strings.TrimFunc(l, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
		}))
	}
	return lines
}

// textParser reads lines one at a time, in the section the last heading
// opened.
type textParser struct {
	r       *Recipe
	section sectionKind
	// headed is set once a heading has been seen: from then on sections,
	// not the shape of each line, say what a line is.
	headed      bool
	description []string
	pending     string // a step group's name, until its first step
	keywords    map[string]bool
	// bulleted says which ingredient lines had a list marker; a page
	// copied with check boxes marks every line but its group names.
	bulleted []bool
	// groups are the ingredient group names seen, which name the step
	// groups too when a copied recipe repeats them.
	groups map[string]bool
	// ingPending is an ingredient group's name waiting for its first line.
	ingPending string
	// blank is set after an empty line: a paragraph of prose after the
	// ingredients, without a heading, is the method (a caption's way).
	blank bool
}

// line reads one line.
func (p *textParser) line(l string) {
	if l == "" {
		p.blank = true
		return
	}
	blank := p.blank
	p.blank = false
	if isURL(l) {
		return
	}
	if tags, rest := hashtags(l); len(tags) > 0 {
		p.keyword(tags)
		if rest == "" {
			return
		}
		l = rest
	}
	if p.r.Title == "" && !p.headed && len(p.r.Ingredients) == 0 && len(p.r.Steps) == 0 {
		if textHeading(l) == notSection && !metaLine(l, p.r) {
			title, rest := splitTitle(l)
			p.r.Title = titleText(title)
			if rest != "" {
				p.description = append(p.description, rest)
			}
			return
		}
	}
	if k := textHeading(l); k != notSection {
		if p.section == ingredientSection {
			p.unmarkedGroups()
		}
		p.section, p.headed, p.pending = k, true, ""
		return
	}
	if k, rest := inlineHeading(l); k != notSection {
		// "Ingredients: 2 eggs" opens the section and is its first line.
		p.section, p.headed, p.pending = k, true, ""
		l = rest
	}
	if p.section != stepSection && metaLine(l, p.r) {
		return
	}
	if p.section == ingredientSection && blank && len(p.r.Ingredients) > 0 && isProse(l) {
		p.unmarkedGroups()
		p.section = stepSection
	}
	switch p.section {
	case ingredientSection:
		p.ingredient(l)
	case stepSection:
		p.step(l)
	case endSection:
		// Notes and tips are not part of the draft.
	default:
		p.unheaded(l)
	}
}

// ingredient reads a line in an Ingredients section: every line is one,
// except group names ("For the dough:"), which start a group.
func (p *textParser) ingredient(l string) {
	if isJunkLine(l) {
		return
	}
	if isGroupLine(nil, l) {
		p.ingPending = groupName(stripBullet(l))
		p.group(p.ingPending)
		return
	}
	if len(p.r.Ingredients) < maxLines {
		if p.ingPending != "" {
			p.r.IngredientGroups = append(p.r.IngredientGroups, Group{Title: p.ingPending, Start: len(p.r.Ingredients)})
			p.ingPending = ""
		}
		p.r.Ingredients = append(p.r.Ingredients, stripBullet(l))
		p.bulleted = append(p.bulleted, hasBullet(l))
	}
}

// group remembers an ingredient group's name.
func (p *textParser) group(name string) {
	if p.groups == nil {
		p.groups = map[string]bool{}
	}
	if len(p.groups) < maxLines {
		p.groups[strings.ToLower(name)] = true
	}
}

// unmarkedGroups drops, from ingredient lines mostly marked with bullets
// or check boxes, the unmarked lines without an amount: those are the
// names of groups ("Crust", "Filling").
func (p *textParser) unmarkedGroups() {
	marked := 0
	for _, b := range p.bulleted {
		if b {
			marked++
		}
	}
	if marked < 2 || marked*3 < len(p.bulleted)*2 {
		return
	}
	var kept []string
	var keptBullets []bool
	var groups []Group
	old := p.r.IngredientGroups
	for i, l := range p.r.Ingredients {
		for len(old) > 0 && old[0].Start == i {
			groups = append(groups, Group{Title: old[0].Title, Start: len(kept)})
			old = old[1:]
		}
		if !p.bulleted[i] && !hasAmount(l) && len(l) <= maxHeadingLen {
			p.group(l)
			groups = append(groups, Group{Title: l, Start: len(kept)})
			continue
		}
		kept = append(kept, l)
		keptBullets = append(keptBullets, p.bulleted[i])
	}
	p.r.Ingredients, p.r.IngredientGroups = kept, tidyGroups(groups, len(kept))
	p.bulleted = keptBullets
}

// step reads a line in a Method section; a group name starts a group.
func (p *textParser) step(l string) {
	if isJunkLine(l) {
		return
	}
	if isGroupLine(nil, l) || p.groups[strings.ToLower(stripBullet(l))] {
		p.pending = groupName(stripBullet(l))
		return
	}
	s := stripStepNumber(stripBullet(l))
	if s == "" || len(p.r.Steps) >= maxLines {
		return
	}
	if p.pending != "" {
		p.r.StepGroups = append(p.r.StepGroups, StepGroup{Title: p.pending, Start: len(p.r.Steps)})
		p.pending = ""
	}
	p.r.Steps = append(p.r.Steps, s)
}

// unheaded reads a line before any heading, by its shape: numbered lines
// and long sentences are steps; bulleted lines and lines that start with
// an amount are ingredients; other lines before the first ingredient are
// the description.
func (p *textParser) unheaded(l string) {
	bullet := hasBullet(l)
	numbered := isNumbered(l) || isStepHeading(l)
	switch {
	case numbered:
		p.step(l)
	case len(p.r.Steps) == 0 && (bullet || startsWithQuantity(l)) && len(l) <= maxIngredientLine:
		p.ingredient(l)
	case len(p.r.Ingredients) == 0 && len(p.r.Steps) == 0 && !isGroupLine(nil, l):
		if !p.detail(l) {
			p.description = append(p.description, l)
		}
	case len(l) >= minStepLine || len(p.r.Ingredients) > 0:
		if len(p.r.Ingredients) > 0 && len(p.r.Steps) == 0 && len(l) < minStepLine && !sentence(l) {
			// A short line among ingredient lines: "salt and pepper".
			p.ingredient(l)
			return
		}
		p.step(l)
	}
}

// Shapes of lines that decide what an unheaded line is.
const (
	// maxIngredientLine is the longest line read as an ingredient by its
	// shape alone.
	maxIngredientLine = 120
	// minStepLine is the shortest line read as a step by its length.
	minStepLine = 60
)

// isProse reports a line written as sentences, not as a list's item: no
// list marker, no leading amount, and long or more than one sentence.
func isProse(l string) bool {
	if hasBullet(l) || startsWithQuantity(l) || isNumbered(l) {
		return false
	}
	return len(l) >= minStepLine || (sentence(l) && strings.Contains(strings.TrimRight(l, ".!"), ". "))
}

// sentence reports a line that ends as a sentence does.
func sentence(l string) bool {
	return strings.HasSuffix(l, ".") || strings.HasSuffix(l, "!")
}

// finish sets the description from the prose lines after the title.
func (p *textParser) finish() {
	if p.section == ingredientSection {
		p.unmarkedGroups()
	}
	if len(p.description) > 0 {
		p.r.Description = strings.Join(p.description, "\n")
	}
	if len(p.r.StepGroups) > 0 && p.r.StepGroups[len(p.r.StepGroups)-1].Start >= len(p.r.Steps) {
		p.r.StepGroups = p.r.StepGroups[:len(p.r.StepGroups)-1]
	}
	p.r.IngredientGroups = tidyGroups(p.r.IngredientGroups, len(p.r.Ingredients))
}

func (p *textParser) keyword(tags []string) {
	if p.keywords == nil {
		p.keywords = map[string]bool{}
	}
	for _, t := range tags {
		if !p.keywords[t] && len(p.r.Keywords) < maxKeywords {
			p.keywords[t] = true
			p.r.Keywords = append(p.r.Keywords, t)
		}
	}
}

// maxKeywords is the most hashtags kept as keywords.
const maxKeywords = 30

// textHeading says which section a line of text opens: a section word,
// alone or with a short qualifier, with or without a colon, markdown '#'
// or emoji ("## Ingredients", "INGREDIENTS:", "Method 👇").
func textHeading(l string) sectionKind {
	if len(l) > maxHeadingLen {
		return notSection
	}
	h := normHeading(l)
	if k, ok := sectionWords[h]; ok {
		return k
	}
	// "Ingredients (serves 4)", "Zutaten für 2 Personen": the word first.
	// "Ingredients: 2 eggs" is a heading and a line (inlineHeading).
	w, rest, _ := strings.Cut(h, " ")
	if k := sectionWords[w]; (k == ingredientSection || k == stepSection) && len(strings.Fields(rest)) <= 4 && !sentence(l) {
		return k
	}
	return notSection
}

// isStepHeading reports a line that only numbers the next step: "Step
// 1", "2.".
func isStepHeading(l string) bool {
	s := strings.ToLower(strings.TrimRight(l, " :.)"))
	for _, w := range stepWords {
		s = strings.TrimPrefix(s, w)
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasBullet reports a line that starts with a list marker: "-", "•", "*",
// a check box or an emoji.
func hasBullet(l string) bool {
	return stripBullet(l) != l
}

// stripBullet removes a leading list marker and check box.
func stripBullet(l string) string {
	s := l
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case strings.ContainsRune("-–—•·*▢☐□◻✓✔☑►▪▫◦‣⁃+>", r):
			// A minus before a digit is a negative number or a range.
			if (r == '-' || r == '–') && len(s) > size && s[size] >= '0' && s[size] <= '9' {
				return strings.TrimSpace(s)
			}
		case isEmoji(r):
		default:
			return strings.TrimSpace(s)
		}
		s = strings.TrimLeftFunc(s[size:], func(r rune) bool {
			return unicode.IsSpace(r) || r == '\ufe0f' || r == '\u200d' || (r >= 0x1f3fb && r <= 0x1f3ff)
		})
	}
	return s
}

// isEmoji reports pictographs and symbols that captions use as bullets.
func isEmoji(r rune) bool {
	return r >= 0x1f000 || unicode.Is(unicode.So, r) || (r >= 0x2600 && r <= 0x27bf)
}

// titleText is a title line without markdown and decoration.
func titleText(l string) string {
	t := strings.TrimLeft(l, "# ")
	t = strings.Trim(t, "*_ ")
	t = strings.TrimFunc(t, func(r rune) bool {
		return isEmoji(r) || unicode.IsSpace(r) || r == '\ufe0f' || r == '\u200d'
	})
	t = strings.TrimPrefix(t, "Title:")
	return recipeName(clean(t))
}

// hashtags takes the hashtags off the end of a line ("so good #pasta
// #dinner"): their words, and what is left of the line.
func hashtags(l string) ([]string, string) {
	fields := strings.Fields(l)
	end := len(fields)
	for end > 0 && isHashtag(fields[end-1]) {
		end--
	}
	if end == len(fields) {
		return nil, l
	}
	var tags []string
	for _, f := range fields[end:] {
		// "#pasta#dinner" holds two.
		for _, t := range strings.Split(f, "#") {
			if t = strings.TrimRight(t, ".,!"); t != "" {
				tags = append(tags, t)
			}
		}
	}
	return tags, strings.Join(fields[:end], " ")
}

// isHashtag reports "#word", not a markdown heading ("#", "##") nor a
// number ("#2").
func isHashtag(f string) bool {
	if len(f) < 2 || f[0] != '#' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(f[1:])
	return unicode.IsLetter(r)
}

// isNumbered reports a line numbered as a step: "1. Mix", "2) Bake",
// "Step 3: Serve". A bare number is an amount ("2 Eggs"), not a
// numbering.
func isNumbered(l string) bool {
	lower := strings.ToLower(l)
	for _, w := range stepWords {
		if rest, ok := strings.CutPrefix(lower, w); ok {
			rest = strings.TrimLeft(rest, " ")
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(r) {
				return true
			}
		}
	}
	i := 0
	for i < len(l) && i < 3 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(l) {
		return false
	}
	return (l[i] == '.' || l[i] == ')') && (l[i+1] == ' ' || l[i+1] == '\t')
}

// inlineHeading reads a heading that shares its line with the first
// entry: "Ingredients: 2 eggs", "Method: mix and bake.".
func inlineHeading(l string) (sectionKind, string) {
	head, rest, ok := strings.Cut(l, ":")
	rest = strings.TrimSpace(rest)
	if !ok || rest == "" || len(head) > maxHeadingLen {
		return notSection, l
	}
	if k := sectionWords[normHeading(head)]; k == ingredientSection || k == stepSection {
		return k, rest
	}
	return notSection, l
}

// isURL reports a line that is only a link ("https://…"), which a
// caption adds but a recipe does not need.
func isURL(l string) bool {
	return !strings.ContainsAny(l, " \t") && (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www."))
}

// detailLabels are the labels a copied recipe card puts before its
// details ("Course Dessert", "Author: Dana").
var detailLabels = []string{"author", "course", "category", "cuisine", "keywords", "keyword", "calories", "equipment", "diet"}

// detail reads a labelled detail line before the ingredients: the author,
// course, cuisine and keywords are kept, calories and the like dropped.
func (p *textParser) detail(l string) bool {
	if len(l) > maxMetaLine {
		return false
	}
	lower := strings.ToLower(l)
	for _, label := range detailLabels {
		rest, ok := strings.CutPrefix(lower, label)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != ':') {
			continue
		}
		value := strings.TrimLeft(l[len(label):], " :")
		if value == "" {
			return false
		}
		switch label {
		case "author":
			if p.r.Author == "" {
				p.r.Author = value
			}
		case "course", "category":
			p.r.Category = splitList(value)
		case "cuisine":
			p.r.Cuisine = splitList(value)
		case "keywords", "keyword":
			p.keyword(splitList(value))
		}
		return true
	}
	return false
}

// splitList splits "Dessert, Snack" into its parts.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" && len(out) < maxKeywords {
			out = append(out, part)
		}
	}
	return out
}

// maxTitleLen is the longest first line taken whole as the title.
const maxTitleLen = 150

// splitTitle splits a first line too long to be a title (a caption
// written as one paragraph) after its first sentence, or failing that at
// a word before maxTitleLen; the rest is description.
func splitTitle(l string) (string, string) {
	if len(l) <= maxTitleLen {
		return l, ""
	}
	head := l[:maxTitleLen]
	if i := strings.IndexAny(head, ".!?"); i > 0 {
		for i+1 < len(l) && strings.IndexByte(".!?", l[i+1]) >= 0 {
			i++ // "ever!!"
		}
		return l[:i+1], strings.TrimSpace(l[i+1:])
	}
	if i := strings.LastIndexByte(head, ' '); i > 0 {
		return l[:i], strings.TrimSpace(l[i+1:])
	}
	// One word of 150 bytes or more: cut on a character boundary.
	i := maxTitleLen
	for i > 0 && !utf8.RuneStart(l[i]) {
		i--
	}
	return l[:i], l[i:]
}
