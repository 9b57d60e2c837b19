package extract

import (
	"bytes"

	"github.com/PuerkitoBio/goquery"
)

// FromHTML extracts a recipe from page, an HTML document fetched from
// baseURL (used to make links absolute and as SourceURL; the page's
// canonical link wins when it has one). It never fails: a page without a
// recipe gives a Recipe for which Found is false.
func FromHTML(page []byte, baseURL string) *Recipe {
	if len(page) > MaxHTML {
		page = page[:MaxHTML]
	}
	r := &Recipe{SourceURL: baseURL}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return r
	}
	// Structured data first (JSON-LD, microdata, RDFa), then heuristics
	// for whatever is still missing.
	h := heuristic(doc, baseURL)
	if r.Title == "" {
		r.Title = h.Title
	}
	return r
}
