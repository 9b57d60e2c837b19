package ui

// A recipe's photos in what other sites read of its page: link previews
// (Open Graph, Twitter cards) and search engines (schema.org JSON-LD).
// Both fetch the picture from elsewhere, so every URL here is absolute.

import (
	"strconv"

	"github.com/reccollection/reccollection/internal/recipe"
)

// shareWidth is the width a link preview asks for: the 1024 variant
// where there is one, which is above every preview's minimum (Facebook
// shows a large card from 600 pixels) and a third of the 1600's bytes.
const shareWidth = 1024

// maxLDImages bounds the JSON-LD image list: a search engine picks one,
// and a gallery of twenty would only make the page heavier.
const maxLDImages = 6

// sharedPhotos are the recipe's ready pictures in the order other sites
// should prefer them: the main photo, then the gallery.
func sharedPhotos(rec *recipe.Recipe) []*recipe.Photo {
	var out []*recipe.Photo
	if rec.Photo.Ready() {
		out = append(out, rec.Photo)
	}
	for i := range rec.Photos {
		if p := &rec.Photos[i]; p.Step == 0 && p.Ready() {
			out = append(out, p)
		}
	}
	return out
}

// shareImage adds the recipe's photo to its page's Open Graph and
// Twitter tags, when it has one that is ready.
func shareImage(og map[string]string, rec *recipe.Recipe, base string) {
	photos := sharedPhotos(rec)
	if len(photos) == 0 {
		return
	}
	p := photos[0]
	v := p.Smallest("jpeg", shareWidth)
	if v == nil || v.URL == "" {
		return
	}
	alt := p.Alt
	if alt == "" {
		alt = rec.Title
	}
	og["og:image"] = absoluteURL(base, v.URL)
	og["og:image:type"] = "image/jpeg"
	og["og:image:width"] = strconv.Itoa(v.Width)
	og["og:image:height"] = strconv.Itoa(v.Height)
	og["og:image:alt"] = alt
	og["twitter:card"] = "summary_large_image"
	og["twitter:image:alt"] = alt
}

// jsonLDImages is schema.org's Recipe image: the widest JPEG of each
// ready photo, main photo first, as absolute URLs.
func jsonLDImages(rec *recipe.Recipe, base string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range sharedPhotos(rec) {
		u := absoluteURL(base, widestJPEG(p))
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
		if len(out) == maxLDImages {
			break
		}
	}
	return out
}
