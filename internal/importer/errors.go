package importer

import "errors"

// Errors the fetcher and the import flows return. Each is a reason a person
// can act on; Problem (in the API and the web app) maps them to a status
// and a sentence. Wrapped errors carry detail for the log.
var (
	// ErrInvalidURL: not an absolute http(s) URL, or a port other than
	// 80/443 where private hosts are not allowed.
	ErrInvalidURL = errors.New("importer: not a web address that can be imported")
	// ErrHostRefused: the host is, or resolves to, an address the importer
	// never contacts (loopback, private, link-local, metadata, …).
	ErrHostRefused = errors.New("importer: that address is not allowed")
	// ErrTooManyRedirects: more than MaxRedirects hops.
	ErrTooManyRedirects = errors.New("importer: too many redirects")
	// ErrBlocked: the site refused the request (401, 403, 429, 451 or a
	// challenge page); the person can paste the page's HTML instead.
	ErrBlocked = errors.New("importer: the site refused to send the page")
	// ErrPageNotFound: the site answered 404 or 410.
	ErrPageNotFound = errors.New("importer: the site has no page at that address")
	// ErrUpstream: any other unsuccessful status from the site.
	ErrUpstream = errors.New("importer: the site answered with an error")
	// ErrNotHTML: the answer is not a web page (nor JSON-LD); for images,
	// not an image.
	ErrNotHTML = errors.New("importer: that address is not a web page")
	// ErrTooLarge: the body (after decompression) is over the limit.
	ErrTooLarge = errors.New("importer: the page is too large")
	// ErrTimeout: the site did not answer in time.
	ErrTimeout = errors.New("importer: the site took too long to answer")
	// ErrUnreachable: DNS failure, connection refused, TLS failure.
	ErrUnreachable = errors.New("importer: the site could not be reached")
	// ErrNoRecipe: the page was read but holds no recipe.
	ErrNoRecipe = errors.New("importer: no recipe found on that page")
	// ErrBulkNotFound: no bulk import with that ID belongs to the user.
	ErrBulkNotFound = errors.New("importer: no such bulk import")
)
