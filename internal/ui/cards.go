package ui

import (
	"html/template"

	"github.com/reccollection/reccollection/internal/recipe"
)

// oneAuthorCard is a recipe card in a list whose recipes all have one
// author the page already names (a profile, "My recipes"): the card then
// leaves out "by <author>", which would repeat on every card.
type oneAuthorCard struct{ *recipe.Summary }

// oneAuthor marks the cards of a list by one author.
func oneAuthor(items []*recipe.Summary) []oneAuthorCard {
	out := make([]oneAuthorCard, len(items))
	for i, s := range items {
		out[i] = oneAuthorCard{s}
	}
	return out
}

// showAuthor says whether a card names its recipe's author.
func showAuthor(card any) bool {
	_, one := card.(oneAuthorCard)
	return !one
}

// cardTitle is a card's title, with the words a search matched marked
// on a search's cards (already escaped, highlight.go).
func cardTitle(card any) template.HTML {
	switch c := card.(type) {
	case searchCard:
		return c.MarkedTitle
	case oneAuthorCard:
		return template.HTML(template.HTMLEscapeString(c.Title))
	case *recipe.Summary:
		return template.HTML(template.HTMLEscapeString(c.Title))
	}
	return ""
}

// cardMatch is the "where it matched" line of a search's card, if any.
func cardMatch(card any) *searchCard {
	if c, ok := card.(searchCard); ok && c.Where != "" {
		return &c
	}
	return nil
}
