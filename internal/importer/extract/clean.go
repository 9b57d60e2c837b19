package extract

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what one recipe keeps, so a hostile page yields a draft of
// bounded size whatever it declares.
const (
	// maxItems is the most ingredients, steps, keywords or step groups kept.
	maxItems = 1000
	// maxShort bounds a title, author, yield or list entry like a keyword.
	maxShort = 1000
	// maxLong bounds a description, an ingredient line or a step.
	maxLong = 10000
)

// clean makes one line of page text presentable: entities decoded (twice
// over where a site encoded them twice, "&amp;#39;"), stray tags removed,
// check-box glyphs and zero-width characters dropped, white space
// collapsed and the ends trimmed.
func clean(s string) string {
	if s == "" {
		return ""
	}
	s = decodeEntities(s)
	if strings.IndexByte(s, '<') >= 0 {
		s = inlineBeforePunct.ReplaceAllString(s, "$1")
		s = inlineAfterBracket.ReplaceAllString(s, "$1")
		s = tagPattern.ReplaceAllString(s, " ")
	}
	s = strings.Map(dropInvisible, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanCapped is clean with the result cut to at most n bytes at a rune
// boundary.
func cleanCapped(s string, n int) string {
	if len(s) > 4*n {
		s = s[:4*n] // bound the work before cleaning, generously
	}
	return capString(clean(s), n)
}

// decodeEntities decodes HTML entities up to three times over: pages
// sometimes escape text already escaped ("&amp;#39;" for an apostrophe).
func decodeEntities(s string) string {
	for range 3 {
		if strings.IndexByte(s, '&') < 0 {
			return s
		}
		d := html.UnescapeString(s)
		if d == s {
			return s
		}
		s = d
	}
	return s
}

// tagPattern matches an HTML tag or comment left inside a text value. A
// "<" not followed by a letter, "/" or "!" ("< 1 hour") is kept.
var tagPattern = regexp.MustCompile(`<!--.*?-->|</?[a-zA-Z][^<>]*>`)

// Tags of inline formatting leave no gap where a browser shows none and
// a space would stand out: before punctuation ("<span>ketchup</span>,"
// reads "ketchup,") and after an opening bracket ("(<em>optional").
// Elsewhere a tag still becomes a space, so "<b>Note:</b>Mix" keeps
// its words apart.
var (
	inlineBeforePunct  = regexp.MustCompile(`(?i)</(?:a|abbr|b|em|font|i|mark|small|span|strong|sub|sup|u)\s*>([,.;:!?)\]])`)
	inlineAfterBracket = regexp.MustCompile(`(?i)([(\[])<(?:a|abbr|b|em|font|i|mark|small|span|strong|sub|sup|u)(?:\s[^<>]*)?>`)
)

// dropInvisible removes check boxes recipe plugins print before each line
// and characters that take no room (zero-width spaces and joiners, the
// byte-order mark, soft hyphens); other control characters become spaces.
func dropInvisible(r rune) rune {
	switch r {
	case '▢', '☐', '☑', '✓', '✔', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return -1
	}
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}

// capString cuts s to at most n bytes without splitting a rune.
func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}

// cleanLines cleans each line and keeps those worth keeping: not empty,
// not an advertisement placeholder, at most maxItems of them.
func cleanLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(out) >= maxItems {
			break
		}
		l = cleanCapped(l, maxLong)
		if l == "" || isAdLine(l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// isAdLine reports a line that is an ad slot's label rather than content.
func isAdLine(l string) bool {
	if len(l) > 20 {
		return false
	}
	switch strings.ToLower(strings.Trim(l, " -–—*:.")) {
	case "advertisement", "advertisements", "ad", "ads", "sponsored", "anzeige", "publicité", "werbung", "publicidad", "pubblicità":
		return true
	}
	return false
}

// blockBreak matches the tags that end a line of text: a paragraph or list
// item boundary, a line break, a heading.
var blockBreak = regexp.MustCompile(`(?i)<\s*(br|/?p|/?li|/?div|/?h[1-6]|/?ol|/?ul|/?tr)\b[^>]*>`)

// splitHTMLLines splits a text value that may hold HTML or plain line
// breaks into its lines: at block tags and newlines. The lines are not
// yet cleaned.
func splitHTMLLines(s string) []string {
	s = decodeEntitiesIfMarkup(s)
	if strings.IndexByte(s, '<') >= 0 {
		s = blockBreak.ReplaceAllString(s, "\n")
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' })
}

// decodeEntitiesIfMarkup decodes a value whose markup itself was escaped
// ("&lt;p&gt;Step one&lt;/p&gt;") so that its tags can break lines.
func decodeEntitiesIfMarkup(s string) string {
	if strings.Contains(s, "&lt;") {
		return decodeEntities(s)
	}
	return s
}
