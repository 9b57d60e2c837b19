package httpx

import "strings"

// gzipSuffix marks the entity tag of a gzip-compressed answer. Its bytes
// differ from the identity encoding's, so it needs a tag of its own, and a
// strong one: a shared cache stores both encodings (Vary:
// Accept-Encoding) and revalidates each with the tag it was given.
const gzipSuffix = "-gzip"

// GzipETag is the tag of the gzip encoding of the answer tagged etag: the
// suffix inside the quotes of a strong tag; a weak tag stays weak.
func GzipETag(etag string) string {
	if !strings.HasSuffix(etag, `"`) || strings.HasSuffix(etag, gzipSuffix+`"`) {
		return etag
	}
	return strings.TrimSuffix(etag, `"`) + gzipSuffix + `"`
}

// ETagMatches answers whether an If-None-Match header names etag (a
// strong, quoted tag) in any encoding: the comparison is the weak one
// RFC 9110 prescribes for If-None-Match, so W/ is ignored, and a tag
// with the gzip suffix names the same page.
func ETagMatches(header, etag string) bool {
	gz := GzipETag(etag)
	for _, candidate := range strings.Split(header, ",") {
		c := strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if c == etag || c == gz || c == "*" {
			return true
		}
	}
	return false
}
