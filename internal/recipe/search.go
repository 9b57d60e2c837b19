package recipe

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/validate"
)

// Search limits. Every word of a search costs the store an index probe and
// perhaps a typo lookup, and one-letter words match as prefixes of most of
// the index, so the API and the search page refuse what no cook types
// (see ParseSearch) rather than let one request slow everyone down.
const (
	// MaxSearchText bounds the whole search text, in characters.
	MaxSearchText = 200
	// MaxSearchTerms is how many different words one search may look for.
	MaxSearchTerms = 10
	// MaxSearchTerm bounds one word, in characters; the longest words of
	// recipes ("worcestershire", German compounds) are well under it.
	MaxSearchTerm = 40
	// MinSearchTerm is the shortest word searched for; shorter words are
	// ignored (and reported), not refused: "a", "&" or "2" in "2 eggs"
	// tell the index nothing.
	MinSearchTerm = 2
)

// Search is a search text as the store looks for it.
type Search struct {
	// Terms are the words searched for: lower-case, each once, in the
	// order typed.
	Terms []string
	// Ignored are the words left out for being too short, each once.
	Ignored []string
}

// ParseSearch splits a search text into words and applies the limits:
// text over MaxSearchText characters, a word over MaxSearchTerm or more
// than MaxSearchTerms different words are refused with an error for the
// field "q"; words under MinSearchTerm characters are dropped into
// Ignored. A repeated word counts once. The API, the search page and the
// store all call this, so they cannot disagree on what a search is.
func ParseSearch(text string) (Search, validate.Errors) {
	var errs validate.Errors
	text = validate.Text(&errs, "q", text, 0, MaxSearchText, false)
	if len(errs) > 0 {
		return Search{}, errs
	}
	var s Search
	var long []string
	for _, w := range SearchWords(text) {
		switch {
		case !searchable(w):
			if !slices.Contains(s.Ignored, w) {
				s.Ignored = append(s.Ignored, w)
			}
		case utf8.RuneCountInString(w) > MaxSearchTerm:
			long = append(long, w)
		case !slices.Contains(s.Terms, w):
			s.Terms = append(s.Terms, w)
		}
	}
	if len(long) > 0 {
		errs.Add("q", "has a word longer than %d characters (%q); search for shorter words", MaxSearchTerm, clip(long[0], 20))
	}
	if len(s.Terms) > MaxSearchTerms {
		errs.Add("q", "has %d different words; search for at most %d", len(s.Terms), MaxSearchTerms)
	}
	if len(errs) > 0 {
		return Search{}, errs
	}
	return s, nil
}

// SearchWords splits text into lower-case words of letters and digits, the
// same words the store indexes for typo correction.
func SearchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// searchable reports whether w is long enough to search for. In scripts
// written without spaces between words a single character is already a
// word, so the minimum does not apply to them.
func searchable(w string) bool {
	if utf8.RuneCountInString(w) >= MinSearchTerm {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// clip shortens s to n characters for quoting in a message.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
