package recipe

import "strings"

// NotePart is a piece of an ingredient's note: plain text, or an amount
// with its unit that scales with the recipe (Quantity set). Text always
// holds the piece as written.
type NotePart struct {
	Text        string
	Quantity    *float64
	QuantityMax *float64
	Unit        string
}

// noteLeads may stand before an amount in a note: "about 400 g".
var noteLeads = map[string]bool{
	"about": true, "approx": true, "approx.": true, "approximately": true,
	"around": true, "roughly": true, "or": true, "plus": true,
}

// lengthUnits describe a size ("a 20 cm tin"), which does not grow with
// the number of servings.
var lengthUnits = map[string]bool{"cm": true, "inch": true}

// NoteAmounts finds the amounts in an ingredient's note, so scaling can
// change them too: the alternate measure of "400 g (14 oz) canned
// tomatoes" (parsed with the note "14 oz"), or "about 200 g" in "2
// onions, about 200 g". Only an amount with a unit at the start of a
// comma-separated piece (after "about" and the like) counts; a number
// elsewhere ("cut into 2 pieces", "15 cm tin") is a description, not
// something to multiply. Joining every part's Text gives the note back.
func NoteAmounts(note string) []NotePart {
	var parts []NotePart
	text := func(s string) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Quantity == nil {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, NotePart{Text: s})
	}
	for i, piece := range strings.Split(note, ", ") {
		if i > 0 {
			text(", ")
		}
		pos := skipSpace(piece, 0)
		if ws := firstWords(piece, 1); len(ws) == 1 && noteLeads[strings.ToLower(ws[0].text)] {
			pos = skipSpace(piece, ws[0].at+len(ws[0].text))
		}
		q, qmax, ranged, end, st := amountAt(piece, pos)
		if st != numOK {
			text(piece)
			continue
		}
		unit, next := unitAt(piece, end)
		if unit == "" || lengthUnits[unit] {
			text(piece)
			continue
		}
		// next is where the following word starts; the amount ends with
		// the unit, before the spaces and any "of".
		stop := strings.TrimRight(piece[:next], " \t")
		if low := strings.ToLower(stop); strings.HasSuffix(low, " of") && len(stop) > end+3 {
			stop = strings.TrimRight(stop[:len(stop)-3], " \t")
		}
		text(piece[:pos])
		p := NotePart{Text: stop[pos:], Quantity: &q, Unit: unit}
		if ranged {
			p.QuantityMax = &qmax
		}
		parts = append(parts, p)
		text(piece[len(stop):])
	}
	return parts
}
