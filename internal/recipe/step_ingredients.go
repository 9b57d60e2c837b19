package recipe

import (
	"strings"
	"unicode"
)

// StepIngredients returns the indexes (in order) of the ingredients a
// step mentions, so that cook mode can show them with it. A name matches
// as whole words, in either number ("eggs" matches "egg", never "boil"
// for "oil"), in full or by its head noun, the last word ("canned
// tomatoes" matches "tomatoes", "unsalted butter" matches "butter"). A
// name "X of Y" is looked for as Y too ("cloves of garlic" matches
// "garlic"), and "salt and pepper" as each of the two. Words that a full
// name matched are not matched again by another's head noun: "add the
// baking powder" does not name "garlic powder".
func StepIngredients(step string, ings []Ingredient) []int {
	words := nounKeys(step)
	if len(words) == 0 {
		return nil
	}
	// Where each word stands, so that the cost grows with the step's
	// length plus the names', not with their product.
	at := make(map[string][]int)
	for i, w := range words {
		at[w] = append(at[w], i)
	}
	claimed := make([]bool, len(words))
	found := make([]bool, len(ings))
	phrases := make([][][]string, len(ings))
	for i, ing := range ings {
		phrases[i] = namePhrases(ing.Name)
	}
	// Full names of more than one word first, then head nouns.
	for i := range ings {
		for _, p := range phrases[i] {
			if len(p) < 2 {
				continue
			}
			for _, pos := range at[p[0]] {
				if hasAt(words, pos, p) {
					found[i] = true
					for k := range p {
						claimed[pos+k] = true
					}
				}
			}
		}
	}
	for i := range ings {
		for _, p := range phrases[i] {
			for _, pos := range at[p[len(p)-1]] {
				if !claimed[pos] {
					found[i] = true
				}
			}
		}
	}
	var out []int
	for i, f := range found {
		if f {
			out = append(out, i)
		}
	}
	return out
}

func hasAt(words []string, at int, p []string) bool {
	if at+len(p) > len(words) {
		return false
	}
	for k, w := range p {
		if words[at+k] != w {
			return false
		}
	}
	return true
}

// namePhrases are the word sequences that name an ingredient: each of
// "salt and pepper", and for "cloves of garlic" both the whole and
// "garlic". "tomatoes in juice" is looked for as "tomatoes".
func namePhrases(name string) [][]string {
	var out [][]string
	words := nounKeys(strings.NewReplacer("&", " and ", "/", " or ").Replace(name))
	start := 0
	for i := 0; i <= len(words); i++ {
		if i < len(words) && !joiners[words[i]] {
			continue
		}
		if part := words[start:i]; len(part) > 0 {
			out = append(out, namePart(part)...)
		}
		start = i + 1
	}
	return out
}

// namePart gives the phrases of one alternative of a name: cut before
// "in", "with", "for"; "X of Y" adds Y.
func namePart(words []string) [][]string {
	for i, w := range words {
		switch w {
		case "in", "with", "for":
			if i == 0 {
				return nil
			}
			return [][]string{words[:i]}
		case "of":
			if i == 0 || i == len(words)-1 {
				return nil
			}
			return [][]string{words, words[i+1:]}
		}
	}
	// A head noun of one letter ("x") would match stray letters.
	if len([]rune(words[len(words)-1])) < 2 {
		return nil
	}
	return [][]string{words}
}

// joiners separate the alternatives of a name.
var joiners = map[string]bool{"and": true, "or": true}

// nounKeys splits text into words made of letters, lower-cased and in
// the singular, so that two numbers of one noun compare equal.
func nounKeys(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range words {
		words[i] = nounKey(w)
	}
	return words
}

func nounKey(w string) string {
	if s, ok := irregularSingular[w]; ok {
		return s
	}
	if uncountable[w] {
		return w
	}
	return singularOf(w)
}
