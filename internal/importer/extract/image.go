package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// image picks the best of an image property: a URL, an ImageObject (url
// or contentUrl, with width and height), or a list of either. The largest
// declared wins; with no sizes declared, the largest named when every
// address names its size ("…/1024x1024/…"); else the first. The URL is
// made absolute against the page.
func (sr *schemaReader) image(v any) string {
	cands := sr.imageCandidates(v)
	best, bestArea := "", 0
	for _, c := range cands {
		if c.declared > bestArea {
			best, bestArea = c.url, c.declared
		}
	}
	if best != "" {
		return best
	}
	if allNamed(cands) {
		for _, c := range cands {
			if c.named > bestArea {
				best, bestArea = c.url, c.named
			}
		}
		return best
	}
	if len(cands) > 0 {
		return cands[0].url
	}
	return ""
}

// imageCandidate is one image of an image property, with the area its
// width and height declare and the one its address names (0 if none).
type imageCandidate struct {
	url             string
	declared, named int
}

// imageCandidates lists an image property's images in order.
func (sr *schemaReader) imageCandidates(v any) []imageCandidate {
	var out []imageCandidate
	var visit func(v any, depth int)
	count := 0
	visit = func(v any, depth int) {
		if depth > 4 || count > 200 {
			return
		}
		count++
		switch t := v.(type) {
		case string:
			if u := sr.absolute(t); u != "" {
				out = append(out, imageCandidate{url: u, named: sizedVariant(u).area})
			}
		case []any:
			for _, e := range t {
				visit(e, depth+1)
			}
		case node:
			if sr.g != nil {
				if r, ok := sr.g.resolve(t).(node); ok {
					t = r
				}
			}
			if u := sr.absolute(sr.text(first(t, "url", "contentUrl", "@id"))); u != "" {
				out = append(out, imageCandidate{url: u, declared: dimension(t["width"]) * dimension(t["height"]), named: sizedVariant(u).area})
			}
		}
	}
	visit(v, 0)
	return out
}

// allNamed reports a list of several images each of whose addresses
// names its size.
func allNamed(cands []imageCandidate) bool {
	if len(cands) < 2 {
		return false
	}
	for _, c := range cands {
		if c.named == 0 {
			return false
		}
	}
	return true
}

// dimension reads a width or height: a number, "1200", "1200px", or a
// QuantitativeValue.
func dimension(v any) int {
	switch t := v.(type) {
	case float64:
		if t > 0 && t < 100000 {
			return int(t)
		}
	case string:
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(t), "px"))
		if err == nil && n > 0 && n < 100000 {
			return n
		}
	case node:
		return dimension(t["value"])
	}
	return 0
}

// absolute resolves ref against the page's base URL and returns it if it
// is an http(s) URL; anything else ("data:", "javascript:") is "".
func (sr *schemaReader) absolute(ref string) string {
	return resolveWebURL(sr.base, ref)
}

func resolveWebURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(decodeEntities(ref))
	if ref == "" || len(ref) > 4096 {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// imageSized reports whether an image property declares the size of any
// of its images, so that image picked the largest by design.
func (sr *schemaReader) imageSized(v any) bool {
	for _, c := range sr.imageCandidates(v) {
		if c.declared > 0 {
			return true
		}
	}
	return false
}

// sizeInURL is a "1200x800" in an image's address, as image services
// and WordPress name the sizes they serve.
var sizeInURL = regexp.MustCompile(`(\d{2,5})x(\d{2,5})`)

// sizedImage is an image address split into the size it names (the
// last "WxH" in it, as an area) and the rest of the address.
type sizedImage struct {
	rest string
	area int
}

// sizedVariant splits u at the last size it names; rest is "" when it
// names none.
func sizedVariant(u string) sizedImage {
	locs := sizeInURL.FindAllStringSubmatchIndex(u, -1)
	if len(locs) == 0 {
		return sizedImage{}
	}
	l := locs[len(locs)-1]
	w, _ := strconv.Atoi(u[l[2]:l[3]])
	h, _ := strconv.Atoi(u[l[4]:l[5]])
	return sizedImage{rest: u[:l[0]] + "\x00" + u[l[1]:], area: w * h}
}

// maxThumbnailArea is the largest size (150x150, 225x225, 300x300) an
// image's address may name for it to count as a thumbnail.
const maxThumbnailArea = 300 * 300

// isThumbnail reports an image address naming a thumbnail's size
// ("…-150x150.jpg").
func isThumbnail(u string) bool {
	v := sizedVariant(u)
	return v.rest != "" && v.area <= maxThumbnailArea
}
