package store

import (
	"maps"
	"slices"
	"testing"
)

// The pruning's word splitter finds exactly the words the write path
// adds to the vocabulary.
func TestAddVocabularyMatchesTheWritePath(t *testing.T) {
	texts := []string{
		"Crème Brûlée", "Chicken & Leek Pie (serves 4)", "Ōkonomiyaki — Osaka-style", "İSTANBUL simit",
		"naïve café-au-lait", "2x4 blocks 1234 abcd", "don't stop believin'", "\xff\xfeinvalid bytes\x80here",
		"ΣΊΣΥΦΟΣ σίσυφος", "straße STRASSE", "a b c dddd", "   ", "",
		"supercalifragilisticexpialidocious-supercalifragilisticexpialidocious-and-more-letters-than-sixty-four",
		"supercalifragilisticexpialidocioussupercalifragilisticexpialidociousandmorelettersthansixtyfour",
		"日本語のレシピ 豆腐 麻婆豆腐丼", "tomato\ttomatoes\ntomatoey",
	}
	for _, a := range texts {
		for _, b := range texts[:5] {
			want := map[string]bool{}
			vocabularyOf(a, b, "ingredient "+a, want)
			got := map[string]bool{}
			var word []byte
			for _, text := range []string{a, b, "ingredient " + a} {
				word = addVocabulary([]byte(text), got, word)
			}
			if !maps.Equal(got, want) {
				t.Errorf("%q + %q: got %q, want %q", a, b, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
		}
	}
}
