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

// eagerCards is how many cards at the head of a list fetch their photo
// at once and first: about the first screen, a row of three on a wide
// screen, three or four thumbnails on a phone. The rest load lazily.
const eagerCards = 3

// listCard is a card with its place in its list, which decides whether
// its photo loads eagerly. It is a fragment (fragments.go): its JSON is
// everything it is drawn from.
type listCard struct {
	// Of is the card as the list made it (*recipe.Summary,
	// oneAuthorCard or searchCard), which the card helpers read.
	Of any
	// Summary is Of's recipe, for the template's convenience; Of
	// already carries it.
	*recipe.Summary `json:"-"`
	// ShowAuthor says whether the card names its recipe's author.
	ShowAuthor bool
	Eager      bool
}

// cardAt places card i of a list.
func cardAt(card any, i int) listCard {
	return listCard{Of: card, Summary: summaryOf(card), ShowAuthor: showAuthor(card), Eager: i < eagerCards}
}

// summaryOf is the recipe a card shows.
func summaryOf(card any) *recipe.Summary {
	switch c := card.(type) {
	case searchCard:
		return c.Summary
	case oneAuthorCard:
		return c.Summary
	case *recipe.Summary:
		return c
	}
	return nil
}

// cardPhoto is a card's main photo, or nil for the drawn placeholder. Its
// alt is empty: the card's title, right beside it, already names the
// recipe, and a screen reader would otherwise read it twice.
func cardPhoto(c listCard) *photoView {
	if c.Summary == nil {
		return nil
	}
	v := newPhotoView("card", c.Photo, "", c.Eager)
	if v != nil {
		v.Alt = ""
	}
	return v
}
