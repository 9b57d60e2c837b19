package importer

import "github.com/reccollection/reccollection/internal/recipe"

// MaxURL bounds an address to import: the longest source URL a recipe
// may keep.
const MaxURL = recipe.MaxSourceURL

// Page is a fetched web page: URL is where it was found after redirects,
// ContentType its declared type, Body at most the fetcher's limit.
type Page struct {
	URL         string
	ContentType string
	Body        []byte
}
