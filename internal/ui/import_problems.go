package ui

import (
	"errors"

	"github.com/reccollection/reccollection/internal/importer"
)

// importProblem is why an import did not work, as the import pages tell
// it: the importer's own title and sentence (importer.Problem, the mapping
// the API shares), the field it concerns, and which other way of
// importing to offer. The page shows the form again with it (422): even a
// site's failure is something the person can work around from there.
type importProblem struct {
	Title   string
	Message string
	// Offer is "html" (open the paste-the-page disclosure), "text"
	// (point at the text box), "caption" (point at the text box, with the
	// post's address as the source) or "" (correct the address).
	Offer string
}

// offerHTML are the failures of a site that its page's HTML, pasted, gets
// round; offerText those where the recipe's text is the way.
var (
	offerHTML = []error{importer.ErrBlocked, importer.ErrTooManyRedirects, importer.ErrUpstream, importer.ErrUnreachable, importer.ErrTimeout}
	offerText = []error{importer.ErrNoRecipe, importer.ErrTooLarge}
	// offerCaption are a social post's failures: its caption, pasted,
	// gets round them.
	offerCaption = []error{importer.ErrPostUnreadable, importer.ErrNoRecipeInPost}
)

// importProblemOf words err, or reports false for an error that is not a
// reason the import itself gave (a fault to log and answer with 500).
func importProblemOf(err error) (importProblem, bool) {
	status, title, detail := importer.Problem(err)
	if status == 0 {
		return importProblem{}, false
	}
	p := importProblem{Title: title, Message: detail}
	for _, e := range offerHTML {
		if errors.Is(err, e) {
			p.Offer = "html"
		}
	}
	for _, e := range offerText {
		if errors.Is(err, e) {
			p.Offer = "text"
		}
	}
	for _, e := range offerCaption {
		if errors.Is(err, e) {
			p.Offer = "caption"
		}
	}
	return p, true
}
