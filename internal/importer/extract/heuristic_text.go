package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// skipped are the elements whose text a reader never sees, or that hold
// controls rather than content.
var skipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"svg": true, "button": true, "select": true, "textarea": true,
	"iframe": true, "object": true, "head": true,
}

// blockTags break a line where they open or close, as a browser lays
// them out, so "<p>a</p><p>b</p>" reads "a b" and not "ab".
var blockTags = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "br": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"tr": true, "td": true, "th": true, "dt": true, "dd": true, "section": true,
	"article": true, "header": true, "footer": true, "table": true, "hr": true,
}

// maxNodeText caps the text read from one element, and maxNodeVisits the
// nodes visited for it, so a hostile page's one huge paragraph costs
// bounded work.
const (
	maxNodeText   = 8 << 10
	maxNodeVisits = 4096
)

// textOf is an element's visible text, white space collapsed, without the
// text of scripts, styles and controls. It differs from clean(sel.Text())
// in leaving those out and in keeping block boundaries as spaces.
func textOf(n *html.Node) string {
	var b strings.Builder
	visits := 0
	var last rune   // the last character written
	closed := false // the element holding the last character has ended
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() < maxNodeText && visits < maxNodeVisits; c = c.NextSibling {
			visits++
			switch c.Type {
			case html.TextNode:
				if c.Data == "" {
					continue
				}
				if closed && amountEnd(last) && startsWord(c.Data) {
					// "<b>2</b><span>eggs</span>": pages space an amount
					// from the word after it with style, not with a space.
					// A one-letter unit ("4g") is left as it is.
					b.WriteByte(' ')
				}
				b.WriteString(c.Data)
				last, _ = utf8.DecodeLastRuneInString(c.Data)
				closed = false
			case html.ElementNode:
				if skipped[c.Data] || hiddenNode(c) {
					continue
				}
				block := blockTags[c.Data]
				if block {
					b.WriteByte(' ')
				}
				walk(c)
				closed = true
				if block {
					b.WriteByte(' ')
				}
			}
		}
	}
	walk(n)
	return tidyLine(b.String())
}

// partsLine reads a line made of parts, each in an inline element of its
// own with nothing between them ("<span>2</span><span>tbsp</span><span>
// olive oil</span>"), whose style spaces them: the parts joined by
// spaces. It reports false for any other element, such as one with text
// of its own between its elements ("<span>T</span>his").
func partsLine(n *html.Node) (string, bool) {
	for {
		only := soleElement(n)
		if only == nil {
			break
		}
		n = only
	}
	var parts []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return "", false
			}
		case html.ElementNode:
			if skipped[c.Data] || hiddenNode(c) {
				continue
			}
			if !inlineParts[c.Data] {
				return "", false
			}
			t := textOf(c)
			if t == "" {
				continue
			}
			if len(parts) > 0 && noteClass(c) && !strings.ContainsAny(t[:1], "(,;") {
				// A note after the name reads as an aside, as recipe
				// plugins show theirs: "2 peppers (red or yellow)".
				t = "(" + t + ")"
			}
			parts = append(parts, t)
		}
	}
	if len(parts) < 2 {
		return "", false
	}
	var b strings.Builder
	for i, p := range parts {
		// No space before punctuation (", torn") or after an opening
		// parenthesis.
		if i > 0 && !strings.ContainsAny(p[:1], ",.;:)") && !strings.HasSuffix(parts[i-1], "(") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String(), true
}

// noteClass reports a line's part whose class names it a note on the
// ingredient ("note", "ingredient-notes", "description", "comment").
func noteClass(n *html.Node) bool {
	return classEndsIn(n, "note", "notes", "description", "comment", "remark")
}

// inlineParts are the elements a line's parts are written in.
var inlineParts = map[string]bool{
	"span": true, "b": true, "strong": true, "a": true, "em": true, "i": true, "small": true, "mark": true,
}

// soleElement is n's only child element when n holds nothing else but
// white space, else nil.
func soleElement(n *html.Node) *html.Node {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return nil
			}
		case html.ElementNode:
			if skipped[c.Data] || hiddenNode(c) {
				continue
			}
			if only != nil {
				return nil
			}
			only = c
		}
	}
	return only
}

// startsWord reports text that starts with a word of two letters or more.
func startsWord(s string) bool {
	r1, n := utf8.DecodeRuneInString(s)
	r2, _ := utf8.DecodeRuneInString(s[n:])
	return unicode.IsLetter(r1) && unicode.IsLetter(r2)
}

// amountEnd reports a character that ends an amount: a digit or a
// vulgar fraction.
func amountEnd(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune(vulgarFractions, r)
}

// linesOf splits an element's text at <br> and block boundaries, for
// paragraphs that hold several ingredient lines.
func linesOf(n *html.Node) []string {
	var lines []string
	var b strings.Builder
	flush := func() {
		if l := tidyLine(b.String()); l != "" {
			lines = append(lines, l)
		}
		b.Reset()
	}
	visits := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() < maxNodeText && visits < maxNodeVisits; c = c.NextSibling {
			visits++
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if skipped[c.Data] || hiddenNode(c) {
					continue
				}
				if blockTags[c.Data] {
					flush()
					walk(c)
					flush()
					continue
				}
				walk(c)
			}
		}
	}
	walk(n)
	flush()
	return lines
}

// hiddenNode reports elements marked as not shown: hidden, aria-hidden and
// screen-reader-only text (a plugin's "▢" checkbox label). Elements
// hidden by an inline style are read: pages hide their recipe in tabs and
// in templates their scripts show.
func hiddenNode(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "class":
			for _, c := range strings.Fields(a.Val) {
				if c == "sr-only" || c == "screen-reader-text" || visuallyHidden(c) {
					return true
				}
			}
		}
	}
	return false
}

// visuallyHidden reports a class of the CSS utilities that keep text
// for screen readers only ("visually-hidden", "visuallyhidden", or with
// a utility prefix, "u-visually-hidden"): a reader of the page never
// sees it. A state class ("is-visually-hidden") is not one: scripts
// lift it to open accordions and tabs.
func visuallyHidden(class string) bool {
	c := strings.ToLower(class)
	for _, u := range []string{"visually-hidden", "visuallyhidden"} {
		if c == u || strings.HasSuffix(c, "u-"+u) {
			return true
		}
	}
	return false
}

// hiddenClass reports a class attribute that hides its element by a CSS
// utility ("hide", "hidden", "d-none", "is-hidden"), unless another of
// its classes shows it again at some screen size ("d-none d-lg-block",
// "hidden md:block").
func hiddenClass(v string) bool {
	hidden := false
	for _, c := range strings.Fields(v) {
		switch c {
		case "hide", "hidden", "d-none", "is-hidden", "u-hidden":
			hidden = true
		}
		if strings.Contains(c, ":") || (strings.HasPrefix(c, "d-") && c != "d-none") {
			return false
		}
	}
	return hidden
}

// checkboxes are the marks recipe cards print before each line for
// ticking off; they are decoration, not part of the line.
const checkboxes = "▢☐□◻✓✔☑•·*-–—"

// invisible are characters that take no room and mean nothing in a line
// (zero-width spaces, the invisible separator some editors leave).
var invisible = strings.NewReplacer("\u200b", "", "\u2060", "", "\u2063", "", "\ufeff", "")

// tidyLine collapses white space and drops leading check boxes and
// bullets.
func tidyLine(s string) string {
	s = clean(invisible.Replace(s))
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if !strings.ContainsRune(checkboxes, r) {
			break
		}
		// A minus or dash followed by a digit is a number, not a bullet.
		if (r == '-' || r == '–') && len(s) > size && unicode.IsDigit(rune(s[size])) {
			break
		}
		s = strings.TrimSpace(s[size:])
	}
	return s
}

// junkLines are the words recipe cards and blogs put among the lines:
// buttons and links that are not part of a recipe (ad labels are
// isAdLine's, shared with structured data's cleaning).
var junkLines = map[string]bool{
	"print": true, "print recipe": true, "jump to recipe": true, "pin": true,
	"pin recipe": true, "save": true, "save recipe": true, "rate this recipe": true,
	"rate": true, "share": true, "email": true, "tweet": true, "cook mode": true,
	"prevent your screen from going dark": true, "keep screen awake": true,
	"us customary": true, "metric": true, "1x": true, "2x": true, "3x": true,
	"scale": true, "units": true, "1x2x3x": true, "1x 2x 3x": true, "us customary metric": true, "video": true, "watch": true, "play": true,
	"deselect all": true, "check all": true, "copy": true, "facebook": true,
	"twitter": true, "instagram": true, "youtube": true, "pinterest": true,
	"whatsapp": true, "tiktok": true, "linkedin": true, "reddit": true,
	"flipboard": true, "x": true, "threads": true, "bluesky": true,
	"read more": true, "see more": true, "show more": true, "en lire plus": true,
	"lire la suite": true, "voir plus": true, "weiterlesen": true, "mehr lesen": true,
	"mehr anzeigen": true, "leer más": true, "ver más": true, "leggi tutto": true,
	"lees meer": true, "läs mer": true, "discover more": true, "discover more…": true,
}

// isJunkLine reports a line that is a control or an ad, not content.
func isJunkLine(s string) bool {
	if s == "" {
		return true
	}
	l := strings.ToLower(strings.TrimRight(s, " :!."))
	// A step's number on a line of its own ("Step 1") numbers the next.
	if junkLines[l] || isAdLine(s) || isStepHeading(s) {
		return true
	}
	for _, p := range junkPrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	for _, p := range junkPhrases {
		if strings.Contains(l, p) {
			return true
		}
	}
	// A time or a yield with its label ("Prep Time: 5 mins", "Serves: 4")
	// or a bare duration ("10 min") is about the recipe, not a line of it.
	if len(s) <= maxMetaLine {
		if _, ok := parseDuration(s); ok {
			return true
		}
		if strings.Contains(s, ":") && metaLine(s, &Recipe{}) {
			return true
		}
	}
	return false
}

// junkPhrases ask the reader for something (a review, a follow) in
// lines cards and blogs print after the steps; no step says them.
var junkPhrases = []string{
	"leave a review", "leave a comment", "leave a rating", "tag us on", "rate this recipe",
	"follow us on", "volg ons", "folge uns", "folgt uns", "suivez-nous", "síguenos", "seguici",
}

// junkPrefixes start lines that recipe cards and blogs print after their
// steps,
var junkPrefixes = []string{
	"keywords:", "keyword:", "nutrition facts", "nutrition information", "did you make this recipe",
	// and the links to other recipes after them: "Also try: …".
	"also try:", "see also:", "you might also like", "you may also like", "ook lekker:",
	"lees ook:", "siehe auch:", "voir aussi :", "voir aussi:", "à découvrir aussi",
}
