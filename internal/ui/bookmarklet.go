package ui

import (
	"fmt"
	"html/template"
	"strings"
)

// bookmarklet is the "Import to RecCollection" bookmark: run on a recipe's
// page, it opens this site's import page with that page's address, and
// import.js presses Import. It is built here, from the configured base URL
// alone, and is the one javascript: URL the pages carry; html/template
// would refuse it (rightly) from anywhere else.
func bookmarklet(base string) template.URL {
	target := jsString(base + "/import?go=1&url=")
	return template.URL("javascript:void(location.href=" + target + "+encodeURIComponent(location.href))")
}

// jsString quotes s as a JavaScript string literal in which every
// character outside a small safe set is a \u escape: nothing in it can end
// the string, and nothing is altered by the percent-decoding a browser
// applies to a javascript: URL or the entity-decoding of an attribute.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("/:.-_?=", r):
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
	}
	b.WriteByte('\'')
	return b.String()
}
