package extract

import (
	"strconv"
	"strings"
	"unicode"
)

// timeKind says which of a recipe's times a label names.
type timeKind int

const (
	prepTime timeKind = iota + 1
	cookTime
	totalTime
)

// timeLabels are the words that label a time, lower case, without the
// word "time" (matched separately) or a colon.
var timeLabels = map[string]timeKind{
	"prep": prepTime, "preparation": prepTime, "prep time": prepTime, "active": prepTime,
	"hands-on": prepTime, "zubereitungszeit": prepTime, "arbeitszeit": prepTime,
	"vorbereitung": prepTime, "zubereitung": prepTime, "temps de préparation": prepTime,
	"préparation": prepTime, "tiempo de preparación": prepTime, "preparación": prepTime,
	"preparazione": prepTime, "tempo di preparazione": prepTime, "bereidingstijd": prepTime,
	"voorbereiding": prepTime,
	"cook":          cookTime, "cooking": cookTime, "bake": cookTime, "baking": cookTime,
	"kochzeit": cookTime, "backzeit": cookTime, "garzeit": cookTime, "cuisson": cookTime,
	"temps de cuisson": cookTime, "cocción": cookTime, "tiempo de cocción": cookTime,
	"cottura": cookTime, "tempo di cottura": cookTime, "kooktijd": cookTime, "baktijd": cookTime,
	"total": totalTime, "ready in": totalTime, "gesamtzeit": totalTime, "temps total": totalTime,
	"tiempo total": totalTime, "tempo totale": totalTime, "totale tijd": totalTime,
}

// yieldLabels introduce a yield before its number: "Serves 4",
// "Yield: 8 servings", "Makes 12".
var yieldLabels = map[string]bool{
	"serves": true, "servings": true, "serving": true, "makes": true, "yield": true,
	"yields": true, "portions": true, "portionen": true, "für": true, "pour": true,
	"para": true, "per": true, "voor": true, "for": true, "personen": true, "porciones": true,
	"porzioni": true, "ergibt": true, "rendement": true, "rendimiento": true,
}

// prepositionLabels are yield labels that are also ordinary words.
var prepositionLabels = map[string]bool{"für": true, "pour": true, "para": true, "per": true, "voor": true, "for": true}

// yieldUnits follow a yield's number and say it counts servings: "4
// portions", "6 Personen".
var yieldUnits = map[string]bool{
	"servings": true, "serving": true, "portions": true, "portion": true,
	"people": true, "persons": true, "personen": true, "portionen": true,
	"personnes": true, "parts": true, "porciones": true, "personas": true,
	"porzioni": true, "persone": true, "porties": true, "porcje": true, "osób": true,
}

// maxMetaLine is the longest line read for a time or a yield; longer
// lines are prose ("Cook for 20 minutes, stirring...").
const maxMetaLine = 100

// metaLine reads times and a yield from a line such as "Prep time: 15
// minutes | Cook: 1 hr 20 mins" or "Serves 4". It reports false, and
// changes nothing, unless every part of the line is a time or a yield.
func metaLine(line string, r *Recipe) bool {
	if len(line) > maxMetaLine {
		return false
	}
	parts := strings.FieldsFunc(line, func(c rune) bool {
		return c == '|' || c == '•' || c == '·' || c == ';' || c == ','
	})
	type found struct {
		kind    timeKind
		minutes int
		yield   string
		serves  int
	}
	var all []found
	for _, p := range parts {
		p = strings.TrimSpace(strings.TrimRight(p, " :："))
		if p == "" {
			continue
		}
		if k, m, ok := timePart(p); ok {
			all = append(all, found{kind: k, minutes: m})
			continue
		}
		if y, n, ok := yieldPart(p); ok {
			all = append(all, found{yield: y, serves: n})
			continue
		}
		return false
	}
	if len(all) == 0 {
		return false
	}
	for _, f := range all {
		switch f.kind {
		case prepTime:
			r.PrepMinutes = intPtr(f.minutes)
		case cookTime:
			r.CookMinutes = intPtr(f.minutes)
		case totalTime:
			r.TotalMinutes = intPtr(f.minutes)
		default:
			if r.Yield == "" {
				r.Yield = f.yield
				if f.serves > 0 {
					r.Servings = intPtr(f.serves)
				}
			}
		}
	}
	return true
}

func intPtr(n int) *int { return &n }

// timePart reads "Prep time: 15 minutes", "Cook: 1 hr 20 mins", "Total
// time 45 min".
func timePart(p string) (timeKind, int, bool) {
	label, rest := splitLabel(p)
	label = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(label), " time"))
	label = strings.TrimSuffix(label, "time")
	kind, ok := timeLabels[strings.TrimSpace(label)]
	if !ok {
		return 0, 0, false
	}
	m, ok := parseDuration(rest)
	return kind, m, ok
}

// splitLabel splits "Prep time: 15 minutes" into its lower-case label
// and the rest, at a colon or before the first digit.
func splitLabel(p string) (string, string) {
	if i := strings.IndexAny(p, ":："); i >= 0 {
		return strings.ToLower(strings.TrimSpace(p[:i])), strings.TrimLeft(p[i+1:], ":： ")
	}
	i := strings.IndexFunc(p, unicode.IsDigit)
	if i <= 0 {
		return "", p
	}
	return strings.ToLower(strings.TrimSpace(strings.TrimRight(p[:i], "-– "))), p[i:]
}

// durationUnits maps a unit word to its minutes.
var durationUnits = map[string]int{
	"h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "std": 60, "stunde": 60,
	"stunden": 60, "heure": 60, "heures": 60, "hora": 60, "horas": 60, "ora": 60,
	"ore": 60, "uur": 60, "godz": 60,
	"m": 1, "mn": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "minuten": 1,
	"minutos": 1, "minuti": 1, "minuto": 1, "minuut": 1, "minut": 1,
}

// parseDuration reads "1 hr 20 mins", "45 min", "1.5 hours", "90m",
// and the minutes written after the hours without a unit, "1h10".
func parseDuration(s string) (int, bool) {
	total, seen := 0, false
	lastPer := 0 // the unit of the last number read, in minutes
	s = strings.TrimSpace(strings.ToLower(s))
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil || n > 10000 {
			return 0, false
		}
		s = strings.TrimLeft(s[i:], " ")
		if s == "" && lastPer == 60 && n < 60 {
			// "1h10": the minutes of the hour before.
			return total + int(n), true
		}
		j := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
		if j < 0 {
			j = len(s)
		}
		per, ok := durationUnits[strings.TrimSuffix(s[:j], ".")]
		if !ok {
			return 0, false
		}
		lastPer = per
		total += int(n * float64(per))
		seen = true
		s = strings.TrimLeft(s[j:], " .")
		s = strings.TrimPrefix(s, "and ")
		s = strings.TrimPrefix(s, "und ")
	}
	return total, seen
}

// bareMetaLabel reports a line that is only a time or yield label,
// "Cooking time:", "Serves", waiting for its value on the next line.
// Prepositions ("Pour") are too common to wait on.
func bareMetaLabel(line string) bool {
	l := strings.ToLower(strings.TrimSpace(strings.TrimRight(line, " :：")))
	if len(l) > 30 || strings.IndexFunc(l, unicode.IsDigit) >= 0 {
		return false
	}
	if yieldLabels[l] && !prepositionLabels[l] {
		return true
	}
	_, ok := timeLabels[strings.TrimSpace(strings.TrimSuffix(l, "time"))]
	return ok
}

// yieldPart reads "Serves 4", "Makes 12 cookies", "Yield: 8 servings",
// "4 portions", "Für 4 Personen": the yield text and its number.
func yieldPart(p string) (string, int, bool) {
	label, rest := splitLabel(p)
	rest = strings.TrimSpace(rest)
	if label == "" {
		// "4 portions": a number and a serving word.
		n, unit := leadingInt(rest)
		if n > 0 && yieldUnits[strings.ToLower(firstWord(unit))] {
			return rest, n, true
		}
		return "", 0, false
	}
	words := strings.Fields(label)
	if len(words) == 2 && prepositionLabels[words[1]] && headingKind(words[0]) == ingredientSection {
		// "Ingredients for 4 servings", "Zutaten für 4 Personen": the
		// list's heading says whom it feeds.
		words = words[1:]
	}
	if len(words) == 0 || len(words) > 2 || !yieldLabels[words[0]] {
		return "", 0, false
	}
	n, unit := leadingInt(rest)
	if n <= 0 {
		return "", 0, false
	}
	// "5 (small) servings": an aside before the unit.
	if strings.HasPrefix(unit, "(") {
		if end := strings.IndexByte(unit, ')'); end > 0 {
			unit = strings.TrimSpace(unit[end+1:])
		}
	}
	if len(strings.Fields(unit)) > 3 {
		return "", 0, false
	}
	// "Pour 4 personnes" is a yield, "Pour 2 cups milk" a step: after a
	// preposition the number must count people.
	if prepositionLabels[words[0]] && !yieldUnits[strings.ToLower(firstWord(unit))] {
		return "", 0, false
	}
	if unit == "" && (words[0] == "serves" || words[0] == "servings" || words[0] == "serving") {
		return rest + " servings", n, true
	}
	return rest, n, true
}

// leadingInt is the whole number a string starts with and what follows.
func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && i < 6 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s
	}
	n, _ := strconv.Atoi(s[:i])
	rest := s[i:]
	// A range "4-6" counts its first number.
	if len(rest) > 1 && (rest[0] == '-') {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		rest = rest[j:]
	}
	return n, strings.TrimSpace(rest)
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[0], ".,:;")
	}
	return ""
}
