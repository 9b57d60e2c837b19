package recipe

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RoundCount rounds an amount of whole things (eggs, onions: a counted
// ingredient with no unit) to what a cook can measure out: quarters below
// one (never less than ¼), halves below ten, whole numbers from ten. A
// scaled "1.37 eggs" reads "1½ eggs". Amounts with a unit are not rounded
// this way, since "1.37 cups" is still measurable.
//
// static/app.js roundCount applies the same rule in the browser;
// testdata/round_count.json holds the expected outputs both are tested
// against.
func RoundCount(q float64) float64 {
	switch {
	case math.IsNaN(q) || math.IsInf(q, 0) || q <= 0:
		return q
	case q < 1:
		return max(math.Round(q*4)/4, 0.25)
	case q < 10:
		return math.Round(q*2) / 2
	default:
		return math.Round(q)
	}
}

// CountedNames gives the singular and plural of a counted ingredient's
// name ("egg", "eggs"; "large onion", "large onions"; "bay leaf", "bay
// leaves"), whichever of the two was written. The noun changed is the
// last word, or the last before "of", "in", "with" or "for" ("tins of
// tomatoes" is not counted this way, having a unit, but "cloves of garlic"
// without one would be). Words it cannot inflect (mass nouns, anything
// not made of letters) come back unchanged in both.
func CountedNames(name string) (one, many string) {
	words := strings.Fields(name)
	head := len(words) - 1
	for i, w := range words {
		if i > 0 && prepositions[strings.ToLower(w)] {
			head = i - 1
			break
		}
	}
	if head < 0 {
		return name, name
	}
	w := words[head]
	s, p, ok := inflect(w)
	if !ok {
		return name, name
	}
	prefix, suffix := strings.Join(words[:head], " "), strings.Join(words[head+1:], " ")
	join := func(mid string) string {
		return strings.TrimSpace(strings.TrimSpace(prefix+" "+mid) + " " + suffix)
	}
	return join(s), join(p)
}

var prepositions = map[string]bool{"of": true, "in": true, "with": true, "for": true}

// inflect returns the singular and plural of a noun as written, in either
// number, keeping a leading capital.
func inflect(w string) (singular, plural string, ok bool) {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return "", "", false
		}
	}
	lower := strings.ToLower(w)
	first, _ := utf8.DecodeRuneInString(w)
	if lower != w && (strings.ToUpper(w) == w || unicode.IsLower(first)) {
		return "", "", false // ALL CAPS or mixed case: leave alone
	}
	capital := func(s string) string {
		if lower == w {
			return s
		}
		r, n := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[n:]
	}
	if uncountable[lower] || strings.HasSuffix(lower, "ss") || strings.HasSuffix(lower, "us") {
		return "", "", false
	}
	if p, ok := irregularPlural[lower]; ok {
		return capital(lower), capital(p), true
	}
	if s, ok := irregularSingular[lower]; ok {
		return capital(s), capital(lower), true
	}
	s := singularOf(lower)
	return capital(s), capital(pluralOf(s)), true
}

// singularOf undoes the regular English plural endings; a word that does
// not look plural is returned as it is.
func singularOf(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y" // cherries
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"),
		strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2] // radishes, boxes
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w // cress, hummus, not plurals
	case len(w) > 2 && strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// pluralOf is the regular English plural of a singular noun.
func pluralOf(w string) string {
	n := len(w)
	switch {
	case n > 1 && w[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(w[n-2])):
		return w[:n-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}

// irregularPlural lists the kitchen's nouns the regular rules get wrong.
var irregularPlural = map[string]string{
	"leaf": "leaves", "loaf": "loaves", "half": "halves", "knife": "knives",
	"tomato": "tomatoes", "potato": "potatoes", "mango": "mangoes",
	"chilli": "chillies", "chili": "chilies",
	"tooth": "teeth", "goose": "geese", "foot": "feet",
}

var irregularSingular = func() map[string]string {
	m := make(map[string]string, len(irregularPlural))
	for s, p := range irregularPlural {
		m[p] = s
	}
	return m
}()

// uncountable nouns keep one form whatever the count.
var uncountable = map[string]bool{
	"fish": true, "shrimp": true, "squid": true, "salmon": true, "tuna": true,
	"garlic": true, "rice": true, "salt": true, "sugar": true, "flour": true,
	"water": true, "milk": true, "butter": true, "oil": true, "spinach": true,
	"parsley": true, "asparagus": true, "broccoli": true, "bread": true, "molasses": true, "couscous": true, "swiss": true,
}
