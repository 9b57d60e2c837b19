package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// vulgarFractions are the single-character fractions recipes use.
const vulgarFractions = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"

// quantityWords start an ingredient line as a number does.
var quantityWords = map[string]bool{
	"a": true, "an": true, "one": true, "two": true, "three": true, "four": true,
	"five": true, "six": true, "half": true, "pinch": true, "handful": true,
	"ein": true, "eine": true, "un": true, "une": true, "una": true, "uno": true,
}

// startsWithQuantity reports whether line begins with an amount: a digit,
// a vulgar fraction or a number word followed by more text.
func startsWithQuantity(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	if unicode.IsDigit(r) || strings.ContainsRune(vulgarFractions, r) {
		return true
	}
	w, rest, ok := strings.Cut(line, " ")
	return ok && rest != "" && quantityWords[strings.ToLower(w)]
}
