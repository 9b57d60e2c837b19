package ui

import "github.com/reccollection/reccollection/internal/recipe"

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
