package recipe

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuantity bounds what counts as an amount. Anything larger is far more
// likely a product number or a typo than a measure, so it stays in the name.
const maxQuantity = 100000

// ParseIngredient splits one free-text ingredient line into amount, unit,
// name and note. It never fails: whatever it cannot make sense of ends up in
// Name, and Original always keeps the line as typed (trimmed).
//
// Every step scans forward over the line at most a constant number of times,
// so the cost is linear in its length whatever the input.
func ParseIngredient(line string) Ingredient {
	in := Ingredient{Original: strings.TrimSpace(line)}
	body, notes := splitNotes(stripMarkers(in.Original))

	pos := 0
	q, qmax, ranged, end, st := amountAt(body, skipSpace(body, 0))
	switch st {
	case numOK:
		in.Quantity = &q
		if ranged {
			in.QuantityMax = &qmax
		}
		pos = end
	case numNone:
		if end, ok := articleAt(body); ok {
			one := 1.0
			in.Quantity = &one
			pos = end
		}
	}

	if in.Quantity != nil {
		if u, next := unitAt(body, pos); u != "" {
			in.Unit, pos = u, next
		} else if pos < len(body) && body[pos] == '-' {
			// "2-layer cake": the hyphen only tied the number to the word.
			pos++
		}
	}

	words := fieldsAt(body, pos)
	if n := trailingNote(words); n > 0 {
		tail := words[len(words)-n:]
		notes = append(notes, note{at: tail[0].at, text: joinWords(tail)})
		words = words[:len(words)-n]
	}
	in.Name = joinWords(words)

	// Notes come from parentheses, comma-separated tails and trailing phrases;
	// sorting by position keeps them in the order the author wrote them.
	slices.SortStableFunc(notes, func(a, b note) int { return cmp.Compare(a.at, b.at) })
	texts := make([]string, 0, len(notes))
	for _, n := range notes {
		if n.text != "" {
			texts = append(texts, n.text)
		}
	}
	in.Note = strings.Join(texts, ", ")
	return in
}

// FormatQuantity writes an amount the way cooks do: whole numbers plain,
// common fractions as vulgar-fraction glyphs ("1½", "⅔"), anything else with
// at most two decimals. A positive amount never reads "0": one too small
// for two decimals gets three ("0.004", what a tenfold scale-down of a
// pinch gives), and one too small for three reads "<0.001".
//
// static/app.js formatQuantity rescales quantities in the browser by the
// same rule; testdata/format_quantity.json holds the expected outputs both
// are tested against.
func FormatQuantity(q float64) string {
	switch {
	case math.IsNaN(q) || math.IsInf(q, 0):
		// Validation refuses such amounts; shown as nothing, as the
		// script shows an amount it cannot read.
		return ""
	case q == 0:
		// Also catches -0, which would otherwise print as "-0".
		return "0"
	case q < 0:
		return "-" + FormatQuantity(-q)
	}

	whole := math.Floor(q)
	frac := q - whole
	best, bestD, nextD := 0, math.Inf(1), math.Inf(1)
	for i, f := range commonFractions {
		d := math.Abs(frac - f.value)
		switch {
		case d < bestD:
			best, bestD, nextD = i, d, bestD
		case d < nextD:
			nextD = d
		}
	}
	// ⅓ and ⅜ (and ⅝ and ⅔) are only 1/24 apart, so a value 0.02 from one is
	// almost as close to the other; printing either glyph would be a guess.
	// Requiring the winner to be twice as close as the runner-up only bites
	// in those two gaps, and keeps an amount like 1.35 exact.
	const tolerance = 0.02 + 1e-9
	if bestD <= tolerance && nextD >= 2*bestD {
		f := commonFractions[best]
		switch {
		case f.glyph == "":
			if n := whole + f.value; n > 0 {
				return strconv.FormatFloat(n, 'f', 0, 64)
			}
			// A tiny positive amount must not read as "0"; fall through to
			// decimals.
		case whole == 0:
			return f.glyph
		default:
			return strconv.FormatFloat(whole, 'f', 0, 64) + f.glyph
		}
	}
	for _, places := range []int{2, 3} {
		if s := decimals(q, places); s != "0" {
			return s
		}
	}
	return "<0.001"
}

// decimals writes q rounded to places decimals without trailing zeros.
func decimals(q float64, places int) string {
	s := strconv.FormatFloat(q, 'f', places, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// commonFractions are the fractions FormatQuantity may print, with 0 and 1
// included so values just off a whole number round to it.
var commonFractions = []struct {
	value float64
	glyph string
}{
	{0, ""},
	{1.0 / 8, "⅛"},
	{1.0 / 4, "¼"},
	{1.0 / 3, "⅓"},
	{3.0 / 8, "⅜"},
	{1.0 / 2, "½"},
	{5.0 / 8, "⅝"},
	{2.0 / 3, "⅔"},
	{3.0 / 4, "¾"},
	{7.0 / 8, "⅞"},
	{1, ""},
}

// FormatIngredient builds a display line from the parsed fields, such as
// "1½ cup flour, sifted" or "2–3 clove garlic". Original is not used, so a
// scaled copy of an ingredient displays its new amount.
func FormatIngredient(in Ingredient) string {
	parts := make([]string, 0, 3)
	if in.Quantity != nil {
		q := FormatQuantity(*in.Quantity)
		if in.QuantityMax != nil {
			q += "–" + FormatQuantity(*in.QuantityMax)
		}
		parts = append(parts, q)
	}
	if in.Unit != "" {
		parts = append(parts, in.Unit)
	}
	if in.Name != "" {
		parts = append(parts, in.Name)
	}
	s := strings.Join(parts, " ")
	switch {
	case in.Note == "":
		return s
	case s == "":
		return in.Note
	default:
		return s + ", " + in.Note
	}
}

// note is one piece of an ingredient's note and where it started in the
// line, so pieces found by different passes can be put back in order.
type note struct {
	at   int
	text string
}

// stripMarkers drops list bullets and a leading "1." or "2)" that come with
// lines pasted from web pages and documents.
func stripMarkers(s string) string {
	numbered := false
	for {
		r, n := utf8.DecodeRuneInString(s)
		if n > 0 && strings.ContainsRune("-*•◦▪‣·–—", r) {
			s = strings.TrimLeftFunc(s[n:], unicode.IsSpace)
			continue
		}
		// Only with a space after it: "1.5 cups" is an amount, not an item
		// number.
		if d := digitsEnd(s, 0); !numbered && d > 0 && d <= 3 && d+1 < len(s) &&
			(s[d] == '.' || s[d] == ')') && isSpaceAt(s, d+1) {
			s = strings.TrimLeftFunc(s[d+1:], unicode.IsSpace)
			numbered = true
			continue
		}
		return s
	}
}

// splitNotes separates the text that carries amount, unit and name (the part
// before the first comma, parentheses blanked out) from the notes: every
// parenthesised group and every further comma-separated piece. Blanking with
// spaces rather than deleting keeps byte offsets in body equal to those in s.
func splitNotes(s string) (body string, notes []note) {
	b := []byte(s)
	depth, open, segStart, bodyEnd := 0, 0, 0, -1
	endSegment := func(end int) {
		if bodyEnd < 0 {
			bodyEnd = end
			return
		}
		notes = append(notes, note{at: segStart, text: clean(string(b[segStart:end]))})
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(':
			if depth == 0 {
				open = i
			}
			depth++
			b[i] = ' '
		case c == ')':
			b[i] = ' '
			if depth == 0 {
				continue // a stray closer carries nothing
			}
			depth--
			if depth == 0 {
				notes = append(notes, note{at: open, text: clean(s[open+1 : i])})
			}
		case depth > 0:
			b[i] = ' '
		case c == ',' && !(i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1])):
			// A comma between digits is a decimal ("0,5 l") or thousands
			// separator, not the start of a note.
			b[i] = ' '
			endSegment(i)
			segStart = i + 1
		}
	}
	if depth > 0 {
		// An unclosed parenthesis runs to the end of the line.
		notes = append(notes, note{at: open, text: clean(s[open+1:])})
	}
	endSegment(len(b))
	return string(b[:bodyEnd]), notes
}

type numStatus int

const (
	numNone numStatus = iota // no number here
	numOK                    // a usable amount
	numBad                   // looks like a number but is no sensible amount
)

// amountAt reads an amount or a range of amounts ("2-3", "1/2 - 1",
// "2 to 3") at s[i].
func amountAt(s string, i int) (q, qmax float64, ranged bool, end int, st numStatus) {
	q, end, st = numberAt(s, i)
	if st != numOK {
		return 0, 0, false, i, st
	}
	if end < len(s) && s[end] == '%' {
		// "2% milk" names a kind of milk, not an amount.
		return 0, 0, false, i, numNone
	}
	j := skipSpace(s, end)
	k := rangeSepEnd(s, j, j > end)
	if k < 0 {
		return q, 0, false, end, numOK
	}
	m, mEnd, mst := numberAt(s, skipSpace(s, k))
	switch mst {
	case numNone:
		return q, 0, false, end, numOK
	case numBad:
		return 0, 0, false, i, numBad
	}
	switch {
	case m == q:
		return q, 0, false, mEnd, numOK
	case m > 0 && m < 1 && m < q && q == math.Trunc(q):
		// "1-1/2 cups" is the old typewriter spelling of 1½, not a range
		// running backwards.
		if v := q + m; v <= maxQuantity {
			return v, 0, false, mEnd, numOK
		}
		return 0, 0, false, i, numBad
	case m < q:
		q, m = m, q
	}
	return q, m, true, mEnd, numOK
}

// rangeSepEnd returns where the separator of a range starting at s[j] ends,
// or -1. "to" must stand alone as a word so "2 tomatoes" is no range.
func rangeSepEnd(s string, j int, spaced bool) int {
	for _, dash := range []string{"-", "–", "—"} {
		if strings.HasPrefix(s[j:], dash) {
			return j + len(dash)
		}
	}
	if spaced && j+2 < len(s) && strings.EqualFold(s[j:j+2], "to") && isSpaceAt(s, j+2) {
		return j + 2
	}
	return -1
}

// numberAt reads one amount at s[i]: an integer or decimal, a fraction
// ("1/2", "1⁄2"), a mixed number ("1 1/2", "1½", "1 ½") or a lone vulgar
// fraction.
func numberAt(s string, i int) (float64, int, numStatus) {
	if f, n := vulgarAt(s, i); n > 0 {
		return f, i + n, numOK
	}
	end, text, integer := decimalAt(s, i)
	if end == i {
		return 0, i, numNone
	}
	whole, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, end, numBad
	}
	if !integer {
		return checked(whole, end)
	}
	if den, e, ok := denominatorAt(s, end); ok {
		return ratio(whole, den, e)
	}
	if f, n := vulgarAt(s, end); n > 0 {
		return checked(whole+f, end+n)
	}
	if j := skipSpace(s, end); j > end {
		if f, n := vulgarAt(s, j); n > 0 {
			return checked(whole+f, j+n)
		}
		if ne := digitsEnd(s, j); ne > j {
			if den, e, ok := denominatorAt(s, ne); ok {
				num, err := strconv.ParseFloat(s[j:ne], 64)
				if err != nil {
					return 0, e, numBad
				}
				f, e, st := ratio(num, den, e)
				if st != numOK {
					return 0, e, st
				}
				return checked(whole+f, e)
			}
		}
	}
	return checked(whole, end)
}

func ratio(num float64, den string, end int) (float64, int, numStatus) {
	d, err := strconv.ParseFloat(den, 64)
	if err != nil || d == 0 {
		return 0, end, numBad
	}
	return checked(num/d, end)
}

func checked(v float64, end int) (float64, int, numStatus) {
	if math.IsNaN(v) || v < 0 || v > maxQuantity {
		return 0, end, numBad
	}
	return v, end, numOK
}

// decimalAt reads digits at s[i] with an optional "1,500" thousands grouping
// and a decimal part after "." or "," (European "0,5"). It returns the number
// in a form strconv understands and whether it had no decimal part.
func decimalAt(s string, i int) (end int, text string, integer bool) {
	j := digitsEnd(s, i)
	var b strings.Builder
	b.WriteString(s[i:j])
	// Exactly three digits after a comma behind a short, non-zero leading
	// group reads as thousands: "1,500 g" is far likelier than 1.5 g.
	if n := j - i; n > 0 && n <= 3 && s[i] != '0' {
		for j+4 <= len(s) && s[j] == ',' && digitsEnd(s, j+1) == j+4 {
			b.WriteString(s[j+1 : j+4])
			j += 4
		}
	}
	if j < len(s) && (s[j] == '.' || s[j] == ',') {
		if k := digitsEnd(s, j+1); k > j+1 {
			b.WriteByte('.')
			b.WriteString(s[j+1 : k])
			return k, b.String(), false
		}
	}
	return j, b.String(), true
}

// denominatorAt reads "/2" (also with the fraction or division slash) at s[i].
func denominatorAt(s string, i int) (den string, end int, ok bool) {
	for _, slash := range []string{"/", "⁄", "∕"} {
		if strings.HasPrefix(s[i:], slash) {
			j := i + len(slash)
			if k := digitsEnd(s, j); k > j {
				return s[j:k], k, true
			}
			return "", i, false
		}
	}
	return "", i, false
}

var vulgarFractions = map[rune]float64{
	'¼': 1.0 / 4, '½': 1.0 / 2, '¾': 3.0 / 4,
	'⅐': 1.0 / 7, '⅑': 1.0 / 9, '⅒': 1.0 / 10,
	'⅓': 1.0 / 3, '⅔': 2.0 / 3,
	'⅕': 1.0 / 5, '⅖': 2.0 / 5, '⅗': 3.0 / 5, '⅘': 4.0 / 5,
	'⅙': 1.0 / 6, '⅚': 5.0 / 6,
	'⅛': 1.0 / 8, '⅜': 3.0 / 8, '⅝': 5.0 / 8, '⅞': 7.0 / 8,
}

func vulgarAt(s string, i int) (float64, int) {
	r, n := utf8.DecodeRuneInString(s[i:])
	if f, ok := vulgarFractions[r]; ok {
		return f, n
	}
	return 0, 0
}

// articleAt recognises "a" or "an" as an amount of one ("an onion", "a pinch
// of salt"), but not in vague phrases such as "a few" or "a little".
func articleAt(s string) (end int, ok bool) {
	words := firstWords(s, 2)
	if len(words) < 2 {
		return 0, false
	}
	a := words[0]
	if !strings.EqualFold(a.text, "a") && !strings.EqualFold(a.text, "an") {
		return 0, false
	}
	if vague[strings.ToLower(words[1].text)] {
		return 0, false
	}
	return a.at + len(a.text), true
}

var vague = map[string]bool{
	"few": true, "little": true, "bit": true, "couple": true, "lot": true,
	"lots": true, "good": true, "generous": true, "heaping": true,
	"heaped": true, "scant": true, "dozen": true, "half": true,
}

// unitAt reads a unit right after an amount ending at s[i], attached ("200g",
// "1-inch") or after spaces, and returns its canonical form and where the
// name starts. A following "of" ("2 cups of milk") is skipped.
func unitAt(s string, i int) (unit string, next int) {
	j := i
	if j < len(s) && s[j] == '-' {
		j++
	} else {
		j = skipSpace(s, j)
	}
	w, end := lettersAt(s, j)
	if w == "" {
		return "", i
	}
	unit = lookupUnit(w)
	if strings.EqualFold(w, "fl") || strings.EqualFold(w, "fluid") {
		k := end
		if k < len(s) && s[k] == '.' {
			k++
		}
		if w2, e2 := lettersAt(s, skipSpace(s, k)); w2 != "" && lookupUnit(w2) == "oz" {
			unit, end = "fl oz", e2
		}
	}
	if unit == "" {
		return "", i
	}
	if end < len(s) && s[end] == '.' {
		end++
	}
	// The unit must be a whole word: "3 T-bone steaks" has no tablespoon.
	if end < len(s) && !isSpaceAt(s, end) {
		return "", i
	}
	next = skipSpace(s, end)
	if w, e := lettersAt(s, next); strings.EqualFold(w, "of") && e < len(s) && isSpaceAt(s, e) {
		if k := skipSpace(s, e); k < len(s) {
			next = k
		}
	}
	// "6 cloves" on its own is the spice; count words need something to count.
	if next >= len(s) && countUnits[unit] {
		return "", i
	}
	return unit, next
}

// lookupUnit maps a spelling to its canonical unit. Only a lone "T" and "t"
// are case-sensitive, following the old cookbook convention.
func lookupUnit(w string) string {
	switch w {
	case "T":
		return "tbsp"
	case "t":
		return "tsp"
	}
	return unitAliases[strings.ToLower(w)]
}

var unitAliases = func() map[string]string {
	m := make(map[string]string)
	for canon, aliases := range map[string][]string{
		"cup":     {"c", "cup", "cups"},
		"tbsp":    {"tbsp", "tbsps", "tbs", "tbl", "tbls", "tblsp", "tablespoon", "tablespoons"},
		"tsp":     {"tsp", "tsps", "teaspoon", "teaspoons"},
		"g":       {"g", "gr", "gram", "grams", "gramme", "grammes"},
		"kg":      {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"},
		"mg":      {"mg", "milligram", "milligrams", "milligramme", "milligrammes"},
		"ml":      {"ml", "mls", "milliliter", "milliliters", "millilitre", "millilitres"},
		"l":       {"l", "ltr", "liter", "liters", "litre", "litres"},
		"dl":      {"dl", "deciliter", "deciliters", "decilitre", "decilitres"},
		"cl":      {"cl", "centiliter", "centiliters", "centilitre", "centilitres"},
		"oz":      {"oz", "ozs", "ounce", "ounces"},
		"lb":      {"lb", "lbs", "pound", "pounds"},
		"fl oz":   {"floz"},
		"pint":    {"pint", "pints", "pt", "pts"},
		"quart":   {"quart", "quarts", "qt", "qts"},
		"gallon":  {"gallon", "gallons", "gal", "gals"},
		"pinch":   {"pinch", "pinches"},
		"dash":    {"dash", "dashes"},
		"clove":   {"clove", "cloves"},
		"can":     {"can", "cans", "tin", "tins"},
		"package": {"package", "packages", "pkg", "pkgs", "pack", "packs", "packet", "packets"},
		"stick":   {"stick", "sticks"},
		"slice":   {"slice", "slices"},
		"piece":   {"piece", "pieces", "pc", "pcs"},
		"bunch":   {"bunch", "bunches"},
		"sprig":   {"sprig", "sprigs"},
		"handful": {"handful", "handfuls"},
		"head":    {"head", "heads"},
		"stalk":   {"stalk", "stalks"},
		"sheet":   {"sheet", "sheets"},
		"jar":     {"jar", "jars"},
		"bottle":  {"bottle", "bottles"},
		"cm":      {"cm", "cms", "centimeter", "centimeters", "centimetre", "centimetres"},
		"inch":    {"inch", "inches", "in"},
	} {
		for _, a := range aliases {
			m[a] = canon
		}
	}
	return m
}()

// countUnits are units that are also ordinary nouns; they only count as a
// unit when a name follows.
var countUnits = map[string]bool{
	"pinch": true, "dash": true, "clove": true, "can": true, "package": true,
	"stick": true, "slice": true, "piece": true, "bunch": true, "sprig": true,
	"handful": true, "head": true, "stalk": true, "sheet": true, "jar": true,
	"bottle": true,
}

// trailingPhrases are ways of ending a line that describe how much or what
// for rather than what; they belong in the note ("salt to taste").
var trailingPhrases = [][]string{
	{"to", "taste"}, {"or", "to", "taste"},
	{"as", "needed"}, {"or", "as", "needed"}, {"as", "required"},
	{"if", "needed"}, {"if", "desired"}, {"optional"},
	{"to", "serve"}, {"for", "serving"},
	{"to", "garnish"}, {"for", "garnish"}, {"for", "garnishing"},
	{"for", "decoration"}, {"for", "frying"}, {"for", "greasing"},
	{"for", "dusting"}, {"for", "brushing"},
}

// trailingNote returns how many of the last words form a note: "plus more …"
// or "plus extra …" to the end, else the longest matching trailing phrase.
// Something must remain for the name.
func trailingNote(words []word) int {
	for k := 1; k+1 < len(words); k++ {
		if strings.EqualFold(words[k].text, "plus") {
			if next := strings.ToLower(words[k+1].text); next == "more" || next == "extra" {
				return len(words) - k
			}
		}
	}
	best := 0
	for _, p := range trailingPhrases {
		if len(p) <= best || len(p) >= len(words) {
			continue
		}
		tail := words[len(words)-len(p):]
		match := true
		for i, w := range p {
			if !strings.EqualFold(strings.TrimRight(tail[i].text, ".!"), w) {
				match = false
				break
			}
		}
		if match {
			best = len(p)
		}
	}
	return best
}

// word is a whitespace-separated word and its byte offset in the line.
type word struct {
	text string
	at   int
}

// fieldsAt splits s[from:] into words, keeping their offsets in s.
func fieldsAt(s string, from int) []word {
	var words []word
	start := -1
	for i, r := range s[from:] {
		i += from
		if unicode.IsSpace(r) {
			if start >= 0 {
				words = append(words, word{text: s[start:i], at: start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, word{text: s[start:], at: start})
	}
	return words
}

// firstWords is fieldsAt stopping after n words, so looking at the start of a
// long line stays cheap.
func firstWords(s string, n int) []word {
	var words []word
	i := 0
	for len(words) < n {
		i = skipSpace(s, i)
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && !isSpaceAt(s, j) {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
		}
		words = append(words, word{text: s[i:j], at: i})
		i = j
	}
	return words
}

func joinWords(words []word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
	}
	return b.String()
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func lettersAt(s string, i int) (string, int) {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += n
	}
	return s[i:j], j
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
