package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// groupPrefixes open the name of a part of a recipe: "For the sauce",
// "Für den Teig", "Pour la pâte", "Para la salsa", "Per la crema".
var groupPrefixes = []string{
	"for the ", "for ", "für den ", "für die ", "für das ", "für ", "pour la ",
	"pour le ", "pour les ", "pour l'", "para el ", "para la ", "para los ",
	"para las ", "per la ", "per il ", "per le ", "per i ", "voor de ", "voor het ",
}

// groupClassWords mark a list item as a group's heading by its class.
var groupClassWords = []string{"group", "heading", "header", "title", "section", "subtitle"}

// isGroupLine reports whether a line among ingredient lines or steps is
// the name of a group rather than a line: it ends with a colon, is set in
// bold or capitals, is classed as a heading, or reads "For the ..."
// without any amount.
func isGroupLine(n *html.Node, line string) bool {
	if line == "" || len(line) > maxHeadingLen {
		return false
	}
	t := strings.TrimRightFunc(line, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	if strings.HasSuffix(t, ":") {
		return true
	}
	if hasAmount(t) {
		return false
	}
	if n != nil && (allBold(n) || hasClassWord(n, groupClassWords)) {
		return true
	}
	if isCapitals(t) {
		return true
	}
	l := strings.ToLower(t)
	for _, p := range groupPrefixes {
		if strings.HasPrefix(l, p) && len(strings.Fields(t)) <= 5 {
			return true
		}
	}
	return false
}

// groupName is a group line as the page writes it, a trailing colon
// included ("For the sauce:"): the importer's draft drops the colon, a
// heading's own mark, when it files the title.
func groupName(line string) string {
	return strings.TrimSpace(strings.TrimRightFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	}))
}

// isCapitals reports a line of at least two words, all in capitals.
func isCapitals(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 4
}

// allBold reports whether all of n's text is inside <strong>, <b> or a
// heading.
func allBold(n *html.Node) bool {
	found := false
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if strings.TrimSpace(c.Data) != "" {
					return false
				}
			case html.ElementNode:
				if skipped[c.Data] {
					continue
				}
				switch c.Data {
				case "strong", "b", "h2", "h3", "h4", "h5", "h6":
					if strings.TrimSpace(textOf(c)) != "" {
						found = true
					}
				default:
					if !walk(c) {
						return false
					}
				}
			}
		}
		return true
	}
	return walk(n) && found
}

// hasClassWord reports whether one of n's classes contains one of words.
func hasClassWord(n *html.Node, words []string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}
