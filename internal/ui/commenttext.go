package ui

import (
	"html/template"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// commentRel is every link's rel in a comment: nofollow and ugc tell
// search engines the link is a reader's, not the site's endorsement;
// noopener and noreferrer keep the linked page from reaching back into
// this one or learning which comment it came from.
const commentRel = "nofollow ugc noopener noreferrer"

// Bounds of a linked address: a longer one stays text, and a link's text
// is shortened to maxLinkText characters (its href keeps all of it), so
// a tracking link does not push the comment off a phone's screen.
const (
	maxLinkedURL = 2048
	maxLinkText  = 60
)

// commentHTML is a comment's text as HTML: every character escaped, and
// each http or https address made a link. The text is never parsed as
// markup; the only elements in the result are the links made here, whose
// href is the escaped address itself, so nothing but http(s) can be
// linked (a "javascript:" address has no "http" to start from). Line
// breaks stay as they are; the page shows them with white-space:
// pre-wrap.
func commentHTML(text string) template.HTML {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for len(text) > 0 {
		start, end := nextLink(text)
		if start < 0 {
			b.WriteString(template.HTMLEscapeString(text))
			break
		}
		b.WriteString(template.HTMLEscapeString(text[:start]))
		link := text[start:end]
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(link))
		b.WriteString(`" rel="` + commentRel + `">`)
		b.WriteString(template.HTMLEscapeString(linkText(link)))
		b.WriteString(`</a>`)
		text = text[end:]
	}
	return template.HTML(b.String())
}

// nextLink finds the first address in text worth linking: "http://" or
// "https://" (in any case) not glued to a word before it, running to the
// next space or character that cannot be in an address written in prose,
// less the punctuation that ends the sentence around it. It answers -1
// when there is none.
func nextLink(text string) (start, end int) {
	from := 0
	for {
		i := indexScheme(text[from:])
		if i < 0 {
			return -1, -1
		}
		start = from + i
		from = start + len("http")
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		end = start + strings.IndexFunc(text[start:], endsAddress)
		if end < start {
			end = len(text)
		}
		end = start + len(trimAddress(text[start:end]))
		if end-start <= maxLinkedURL && linkable(text[start:end]) {
			return start, end
		}
	}
}

// indexScheme is the index of the first "http://" or "https://" in s,
// case-insensitively, or -1.
func indexScheme(s string) int {
	lower := asciiLower(s)
	for from := 0; ; {
		i := strings.Index(lower[from:], "http")
		if i < 0 {
			return -1
		}
		i += from
		rest := lower[i+4:]
		if strings.HasPrefix(rest, "://") || strings.HasPrefix(rest, "s://") {
			return i
		}
		from = i + 4
	}
}

// asciiLower lowers ASCII letters only, so every byte stays where it was
// (strings.ToLower may change the length of other text).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// endsAddress reports the characters that end an address in prose:
// spaces, controls, and the quotes and angle brackets that cannot be in
// one unencoded.
func endsAddress(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("\"<>`{}|\\^", r)
}

// trimAddress drops what ends a sentence after an address ("see
// https://example.com/a." or "(https://example.com/a)"): trailing
// punctuation, and a closing bracket that has no opening one inside it.
func trimAddress(s string) string {
	for len(s) > 0 {
		last := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?'*_~", last) >= 0:
			s = s[:len(s)-1]
		case last == ')' && strings.Count(s, "(") < strings.Count(s, ")"),
			last == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

// linkable reports whether s is an http(s) URL with a host.
func linkable(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) && u.Host != "" && u.Hostname() != ""
}

// linkText is what a link shows: the address, shortened with an
// ellipsis past maxLinkText characters.
func linkText(s string) string {
	if utf8.RuneCountInString(s) <= maxLinkText {
		return s
	}
	r := []rune(s)
	return string(r[:maxLinkText-1]) + "…"
}
