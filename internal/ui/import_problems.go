package ui

import (
	"errors"

	"github.com/reccollection/reccollection/internal/importer"
)

// importProblem is why an import did not work, as the import page tells
// it: a sentence, and which other way of importing to offer. The page
// shows the form again with it (422): even a site's failure is something
// the person can work around from there.
type importProblem struct {
	// Title heads the error summary; "" for the page's own.
	Title   string
	Message string
	// Offer is "html" (open the paste-the-page disclosure), "text"
	// (point at the text box) or "" (correct the address).
	Offer string
}

// importProblems maps the importer's errors to what a person can do about
// them. The wording is the page's own; the API words the same reasons for
// programs.
var importProblems = []struct {
	err error
	importProblem
}{
	{importer.ErrInvalidURL, importProblem{"", "That is not a web address that can be imported: copy the whole address, starting with https://.", ""}},
	{importer.ErrHostRefused, importProblem{"", "That address can’t be imported: it points to a private or local network.", ""}},
	{importer.ErrTooManyRedirects, importProblem{"", "The site sent us round in circles (too many redirects). Paste the page’s HTML instead.", "html"}},
	{importer.ErrBlocked, importProblem{"", "The site refused to send us the page. Open the recipe in your browser, copy the page’s HTML and paste it below.", "html"}},
	{importer.ErrPageNotFound, importProblem{"", "The site has no page at that address. Check the address and try again.", ""}},
	{importer.ErrUpstream, importProblem{"", "The site answered with an error. Try again later, or paste the page’s HTML below.", "html"}},
	{importer.ErrNotHTML, importProblem{"", "That address is not a web page. Use the address of the recipe’s page.", ""}},
	{importer.ErrTooLarge, importProblem{"", "That page is too large to import. Paste the recipe’s text below instead.", "text"}},
	{importer.ErrTimeout, importProblem{"", "The site took too long to answer. Try again, or paste the page’s HTML below.", "html"}},
	{importer.ErrUnreachable, importProblem{"", "The site could not be reached. Check the address, or paste the page’s HTML below.", "html"}},
	{importer.ErrNoRecipe, importProblem{"", "We found no recipe there. Paste the recipe’s text below and we will sort it into ingredients and steps.", "text"}},
}

// importProblemOf finds err's entry, or reports false for an error that is
// not a reason the import itself gave (a fault to log and answer with 500).
// A mapping shared with the API (importer.Problem) would replace this
// table.
func importProblemOf(err error) (importProblem, bool) {
	for _, p := range importProblems {
		if errors.Is(err, p.err) {
			return p.importProblem, true
		}
	}
	return importProblem{}, false
}
