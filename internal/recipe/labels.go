package recipe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLabels makes tags or categories of words from elsewhere (a
// page's keywords, an AI's answer): lower case,
// apostrophes dropped ("kid's" is "kids"), any other character a label
// may not hold a space; too long or empty ones are dropped, duplicates
// kept once, at most max.
func CleanLabels(max int, lists ...[]string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, list := range lists {
		for _, l := range list {
			if len(out) == max {
				return out
			}
			l = strings.Map(func(r rune) rune {
				switch {
				case r == '\'' || r == '’':
					return -1
				case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-':
					return unicode.ToLower(r)
				}
				return ' '
			}, l)
			l = strings.Join(strings.Fields(l), " ")
			l = strings.Trim(l, "- ")
			if l == "" || utf8.RuneCountInString(l) > MaxLabel || seen[l] {
				continue
			}
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
