package importer

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/importer/extract"
)

// RetryAfterSeconds is what an answer of status 502, 503 or 504 from
// Problem suggests waiting before trying again.
const RetryAfterSeconds = 60

// problem is one Err* value's answer.
type problem struct {
	err    error
	status int
	title  string
	detail string
	// field is the request field the problem is about, or "".
	field string
}

var problems = []problem{
	{ErrInvalidURL, http.StatusUnprocessableEntity, "Not an address that can be imported",
		"Give the full address of the recipe's page, starting with http:// or https://.", "url"},
	{ErrHostRefused, http.StatusUnprocessableEntity, "Address not allowed",
		"That address leads into a private network, which the importer never contacts. Give the recipe's public address, or paste the page's HTML.", "url"},
	{ErrTooManyRedirects, http.StatusUnprocessableEntity, "Too many redirects",
		"The site sent the importer from address to address without reaching a page. Open the page in your browser and give the address it ends on, or paste the page's HTML.", "url"},
	{ErrBlocked, http.StatusUnprocessableEntity, "The site refused the importer",
		"The site refused to send the page to the importer. Open the page in your browser, copy its HTML (View page source) and paste it instead.", ""},
	{ErrPageNotFound, http.StatusUnprocessableEntity, "No page at that address",
		"The site has no page at that address; check the link.", "url"},
	{ErrNotHTML, http.StatusUnprocessableEntity, "Not a web page",
		"That address is not a web page. Give the address of the recipe's page.", "url"},
	{ErrTooLarge, http.StatusUnprocessableEntity, "Page too large",
		fmt.Sprintf("The page is larger than %d MiB, more than the importer reads. Paste the recipe's text instead.", extract.MaxHTML>>20), ""},
	{ErrNoRecipe, http.StatusUnprocessableEntity, "No recipe found",
		"No recipe was found there; paste the recipe's text instead.", ""},
	{ErrPostUnreadable, http.StatusUnprocessableEntity, "The post could not be read",
		"The site shows this post only to people who are signed in (or who accept its cookies first), and the importer never signs in. Open the post, copy its caption and paste it below as the recipe's text.", ""},
	{ErrNoRecipeInPost, http.StatusUnprocessableEntity, "No recipe in the post's caption",
		"The post's caption has no ingredients or steps in it; creators often put the recipe in a comment or on their own site. Copy the recipe and paste it below as the recipe's text.", ""},
	{ai.ErrNotConfigured, http.StatusUnprocessableEntity, "AI is not set up",
		"This server has no AI service set up. Import the text without AI: the built-in reader sorts it into ingredients and steps.", "ai"},
	{ai.ErrInputTooBig, http.StatusUnprocessableEntity, "Too long for the AI",
		fmt.Sprintf("The text is longer than the AI service is sent (%d KiB). Shorten it, or import it without AI.", ai.MaxInputBytes>>10), "text"},
	{ai.ErrBudget, http.StatusTooManyRequests, "Today's AI allowance is used",
		fmt.Sprintf("You have asked the AI service %d times in the last 24 hours, the most allowed. Import the text without AI, or try again tomorrow.", ai.DailyBudget), ""},
	{ai.ErrRateLimited, http.StatusTooManyRequests, "The AI service is busy",
		"The AI service is limiting requests right now. Try again in a minute, or import the text without AI. Nothing was saved.", ""},
	{ai.ErrTimeout, http.StatusGatewayTimeout, "The AI service took too long",
		"The AI service did not answer in time. Try again, or import the text without AI. Nothing was saved.", ""},
	{ai.ErrMalformed, http.StatusBadGateway, "The AI's answer could not be used",
		"The AI service answered with something that is not a recipe in the expected form. Try again, or import the text without AI. Nothing was saved.", ""},
	{ai.ErrRefused, http.StatusUnprocessableEntity, "The AI service declined",
		"The AI service declined to read this text. Import it without AI.", ""},
	{ai.ErrProvider, http.StatusBadGateway, "The AI service answered with an error",
		"The AI service answered with an error. Try again in a minute, or import the text without AI. Nothing was saved.", ""},
	{ErrUpstream, http.StatusBadGateway, "The site answered with an error",
		"The site answered with an error. Try again in a minute, or paste the page's HTML.", ""},
	{ErrUnreachable, http.StatusBadGateway, "The site could not be reached",
		"The site could not be reached. Check the address and try again in a minute, or paste the page's HTML.", ""},
	{ErrTimeout, http.StatusGatewayTimeout, "The site took too long",
		"The site took too long to answer. Try again in a minute, or paste the page's HTML.", ""},
	{ErrBusy, http.StatusServiceUnavailable, "The importer is busy",
		"Many imports are running right now. Try again in a minute.", ""},
	{ErrBulkNotFound, http.StatusNotFound, "No such bulk import",
		"There is no bulk import of yours with that id.", ""},
	{ErrTooManyBulks, http.StatusConflict, "Bulk imports under way",
		fmt.Sprintf("You have %d bulk imports under way; start another when one has finished.", DefaultMaxActiveBulks), ""},
	{ErrBulkDailyLimit, http.StatusTooManyRequests, "Daily bulk import allowance used",
		fmt.Sprintf("You can import up to %d addresses in bulk a day; import fewer, or try again tomorrow.", DefaultMaxBulkURLsPerDay), "urls"},
}

// Problem turns an error of the import flows into what an answer says:
// the HTTP status, a short title and a sentence that tells the person
// what to do. It is the one mapping the API and the web pages share.
// status is 0 for an error that is not the importer's (validation errors,
// a database outage, a bug): the caller answers those as it does any.
// A 502, 503 or 504 may be tried again after RetryAfterSeconds.
func Problem(err error) (status int, title, detail string) {
	for _, p := range problems {
		if errors.Is(err, p.err) {
			return p.status, p.title, p.detail
		}
	}
	return 0, "", ""
}

// ProblemField names the request field an error of the flows is about
// ("url", "urls") so a form can show it there, or "".
func ProblemField(err error) string {
	for _, p := range problems {
		if errors.Is(err, p.err) {
			return p.field
		}
	}
	return ""
}
