package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stepWords are the words that number a step: "Step 1", "Étape 2".
var stepWords = []string{
	"step", "étape", "etape", "schritt", "paso", "passo", "stap", "krok", "steg", "trin",
}

// stripStepNumber removes the numbering a page prints before a step
// ("1.", "2)", "Step 3:", "Étape 4 -"), which the steps' order already
// says. A bare number is removed only before a capital letter, so a step
// that starts with an amount keeps it.
func stripStepNumber(s string) string {
	rest := s
	lower := strings.ToLower(rest)
	worded := false
	for _, w := range stepWords {
		if strings.HasPrefix(lower, w) {
			after := strings.TrimLeft(rest[len(w):], " ")
			if r, _ := utf8.DecodeRuneInString(after); unicode.IsDigit(r) {
				rest, worded = after, true
				break
			}
		}
	}
	i := 0
	for i < len(rest) && i < 4 && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || i == len(rest) || (i == 4 && rest[i] >= '0' && rest[i] <= '9') {
		return s
	}
	tail := rest[i:]
	switch {
	case tail[0] == '.' || tail[0] == ')' || tail[0] == ':':
		tail = tail[1:]
		if tail != "" && tail[0] >= '0' && tail[0] <= '9' {
			return s // "1.5 litres", not a numbering
		}
	case worded:
	case tail[0] == ' ':
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(tail, " "))
		if !unicode.IsUpper(r) {
			return s
		}
	default:
		return s
	}
	tail = strings.TrimLeft(tail, " -–—:.")
	if tail == "" {
		return s
	}
	return tail
}

// cleanSteps strips the numbering from each step.
func cleanSteps(steps []string) []string {
	for i, s := range steps {
		// "Step 1 1. Mix" is numbered twice.
		if t := stripStepNumber(s); t != s {
			steps[i] = stripStepNumber(t)
		}
	}
	return steps
}
