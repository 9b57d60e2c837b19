package main

import (
	"context"
	"errors"
)

// fetchPage fetches a page for `import extract URL` and returns its body
// and the address it was finally read from. Fetching must go through the
// importer's SSRF-safe fetcher (addresses checked at connect time,
// redirects and size bounded); until this binary carries it, URLs are
// refused and a saved page can be given as a FILE instead.
func fetchPage(ctx context.Context, env *environment, rawURL string) ([]byte, string, error) {
	return nil, "", errors.New("fetching a URL is not available in this build; save the page and give its file instead")
}
