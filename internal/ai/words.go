package ai

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/recipe"
)

// token is one word of a text, lower-cased, with the forms a vocabulary
// phrase may match it by.
type token struct {
	raw string // lower-cased: "tomatoes"
	one string // its singular by recipe.CountedNames: "tomato"
	// alt covers the -ie nouns the regular rule reads as -y ("cookies"
	// gives "cooky"): the word less its final "s" ("cookie").
	alt string
	// from and to are where the word is in the text, so a phrase can be
	// quoted with its hyphens ("sun-dried tomatoes").
	from, to int
}

// is reports whether the token reads as the vocabulary word w.
func (t token) is(w string) bool { return t.raw == w || t.one == w || t.alt == w }

// newToken makes a token of a lower-case word of letters found at
// text[from:to].
func newToken(w string, from, to int) token {
	one, _ := recipe.CountedNames(w)
	t := token{raw: w, one: one, from: from, to: to}
	if strings.HasSuffix(w, "ies") {
		t.alt = w[:len(w)-1]
	}
	return t
}

// sentences splits text into sentences of tokens. Only its first
// maxRunes runes are read, so the cost of a step is bounded however long
// it is. Words are runs of letters: digits, punctuation and hyphens
// separate them ("stir-fry" is "stir fry", the vocabulary's spelling);
// ".", "!", "?", ";" and ":" also end a sentence.
func sentences(text string, maxRunes int) [][]token {
	var out [][]token
	var cur []token
	var word strings.Builder
	start := 0
	flushWord := func(end int) {
		if word.Len() > 0 {
			cur = append(cur, newToken(word.String(), start, end))
			word.Reset()
		}
	}
	flushSentence := func(end int) {
		flushWord(end)
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	i := 0
	for n := 0; i < len(text) && n < maxRunes; n++ {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r):
			if word.Len() == 0 {
				start = i
			}
			word.WriteRune(unicode.ToLower(r))
		case strings.ContainsRune(".!?;:", r):
			flushSentence(i)
		default:
			flushWord(i)
		}
		i += size
	}
	flushSentence(i)
	return out
}

// tokens is the words of a short text (an ingredient's name or note) as
// one sequence.
func tokens(text string, maxRunes int) []token {
	var out []token
	for _, s := range sentences(text, maxRunes) {
		out = append(out, s...)
	}
	return out
}

// written is the words of toks[start:end] as the cook wrote them in text,
// lower case: what a description repeats ("sun-dried tomatoes"). Only
// letters, spaces, hyphens and apostrophes are kept from between the
// words; anything else ("chicken (skinless) thighs") gives the bare words.
func written(text string, toks []token, start, end int) string {
	s := strings.ToLower(strings.Join(strings.Fields(text[toks[start].from:toks[end-1].to]), " "))
	for _, r := range s {
		if !unicode.IsLetter(r) && !strings.ContainsRune(" -'’", r) {
			ws := make([]string, 0, end-start)
			for _, t := range toks[start:end] {
				ws = append(ws, t.raw)
			}
			return strings.Join(ws, " ")
		}
	}
	return s
}

// smallWords stay lower case inside a title, as style guides have it.
var smallWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "but": true, "by": true,
	"for": true, "in": true, "nor": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "with": true,
}

// titleCase capitalises every word but the small ones after the first,
// and each part of a hyphenated word ("Stir-Fry", "Sun-Dried").
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && smallWords[w] {
			continue
		}
		parts := strings.Split(w, "-")
		for j, p := range parts {
			parts[j] = capitalise(p)
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// joinList writes a list as prose: "a", "a and b", "a, b and c". No
// serial comma, the house style of the site's copy.
func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// counted writes n with its noun in the right number: "1 hour", "2 hours".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// duration writes minutes as a cook says them: "45 minutes", "1 hour",
// "1 hour 15 minutes"; two days and more in whole days, since "73 hours"
// of curing reads as a sum to be done.
func duration(minutes int) string {
	const day = 24 * 60
	switch {
	case minutes < 60:
		return counted(minutes, "minute", "minutes")
	case minutes >= 2*day:
		return counted((minutes+day/2)/day, "day", "days")
	}
	h, m := minutes/60, minutes%60
	if m == 0 {
		return counted(h, "hour", "hours")
	}
	return counted(h, "hour", "hours") + " " + counted(m, "minute", "minutes")
}

// plural is the plural of a noun phrase whose last word is a countable
// noun ("red pepper" → "red peppers"), by recipe.CountedNames.
func plural(phrase string) string {
	_, many := recipe.CountedNames(phrase)
	return many
}
