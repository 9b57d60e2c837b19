package httpx

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// UnavailableRetryAfter is the Retry-After, in seconds, of a 503 answered
// because the database is unreachable or restarting: a restart or a
// fail-over takes seconds, and a client that waits this long before its
// retry neither hammers the recovering database nor waits needlessly.
const UnavailableRetryAfter = 5

// UnavailableDetail is what a 503 for an outage tells the client.
const UnavailableDetail = "The database is briefly unavailable. Try again in a few seconds."

// SetRetryAfter marks a 503 as passing: clients and load balancers retry
// after UnavailableRetryAfter seconds.
func SetRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(UnavailableRetryAfter))
}

// WriteUnavailable answers 503 with Retry-After for a database outage: a
// problem for API clients, a small self-contained page for browsers (it
// cannot depend on templates or static files, and is used where those are
// out of reach, as in the authentication middleware; the web pages use
// their own styled page).
func WriteUnavailable(w http.ResponseWriter, r *http.Request) {
	SetRetryAfter(w)
	if WantsHTML(r) {
		WriteUnavailablePage(w, RequestID(r.Context()))
		return
	}
	WriteProblem(w, r, NewProblem(http.StatusServiceUnavailable, UnavailableDetail))
}

// unavailablePage carries the last-resort error page's stylesheet, so the
// same Content-Security-Policy hash allows it.
var unavailablePage = func() string {
	start := strings.Index(errorPage, "<style>")
	end := strings.Index(errorPage, "</style>") + len("</style>")
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · RecCollection</title>
` + errorPage[start:end] + `
</head><body><main><h1>Back in a moment</h1>
<p>RecCollection cannot reach its database just now, usually for a few seconds while it restarts. Nothing is lost: please try again shortly.</p>
<p>Reference: <code>%s</code></p>
<p><a href="">Try again</a></p></main></body></html>
`
}()

// WriteUnavailablePage sends the self-contained 503 page.
func WriteUnavailablePage(w http.ResponseWriter, requestID string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", errorPageCSP)
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, unavailablePage, template.HTMLEscapeString(requestID))
}
