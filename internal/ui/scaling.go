package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// scaling is how many servings a page shows a recipe for. It comes from
// ?servings= so that a scaled recipe page, its cook mode and its printout
// agree without the script and can be shared as a link.
type scaling struct {
	Servings, BaseServings int
	// Factor is "×1½" when the amounts differ from the recipe as written,
	// else empty.
	Factor string
	// Query is "?servings=6" for links that must keep the scale; empty
	// when the recipe is as written. (Templates write the link text
	// themselves, since html/template would escape a whole query string.)
	Query string
}

// scalingFor reads ?servings= against the recipe's own servings (1 when it
// gives none). Anything out of range or unreadable means "as written".
func scalingFor(r *http.Request, rec *recipe.Recipe) scaling {
	base := 1
	if rec.Servings != nil && *rec.Servings > 0 {
		base = *rec.Servings
	}
	s := scaling{Servings: base, BaseServings: base}
	if n, err := strconv.Atoi(r.URL.Query().Get("servings")); err == nil && n >= 1 && n <= maxScaledServings {
		s.Servings = n
	}
	s.Factor = scaleFactorText(s.Servings, base)
	if s.Servings != base {
		s.Query = "?servings=" + strconv.Itoa(s.Servings)
	}
	return s
}

func (s scaling) factor() float64 { return float64(s.Servings) / float64(s.BaseServings) }

// ingredientView is one ingredient line as shown for the servings asked
// for. The amounts as written travel in data attributes, with both
// numbers of every word that changes with the amount, so the script can
// rescale in place without asking the server and without rules of its
// own for plurals.
type ingredientView struct {
	Qty, QtyMax         string
	BaseQty, BaseQtyMax string
	UnitOne, UnitMany   string
	Unit                string
	// Counted marks an amount of whole things (no unit), which is
	// rounded to halves or quarters and whose name takes the number.
	Counted           bool
	NameOne, NameMany string
	Name              string
	// Alt is an alternate measure written in parentheses after the
	// amount ("400 g (14 oz) canned tomatoes"), shown there again.
	Alt *noteView
	// Note is the rest of the note with its amounts scaled, as plain
	// text; NoteParts is the same with the amounts marked up for the
	// script.
	Note      string
	NoteParts []noteView
}

// noteView is a piece of a note: text, or an amount (BaseQty set).
type noteView struct {
	Text                string
	Qty, QtyMax         string
	BaseQty, BaseQtyMax string
	UnitOne, UnitMany   string
	Unit                string
}

func viewIngredient(ing recipe.Ingredient, factor float64) ingredientView {
	v := ingredientView{Name: ing.Name, UnitOne: ing.Unit, UnitMany: pluralUnit(ing.Unit)}
	v.Unit = v.UnitOne
	if ing.Quantity != nil {
		v.Counted = ing.Unit == ""
		a := scaleAmount(ing.Quantity, ing.QuantityMax, factor, v.Counted)
		v.Qty, v.QtyMax, v.BaseQty, v.BaseQtyMax = a.qty, a.qtyMax, a.baseQty, a.baseQtyMax
		if a.many {
			v.Unit = v.UnitMany
		}
		if v.Counted {
			v.NameOne, v.NameMany = recipe.CountedNames(ing.Name)
			v.Name = v.NameOne
			if a.many {
				v.Name = v.NameMany
			}
		}
	}
	parts := recipe.NoteAmounts(ing.Note)
	if len(parts) > 0 && isAlternate(ing, parts[0]) {
		alt := scaleNotePart(parts[0], factor)
		v.Alt = &alt
		parts = parts[1:]
		if len(parts) > 0 {
			// The ", " that joined the alternate to the rest of the note.
			parts[0].Text = strings.TrimPrefix(parts[0].Text, ", ")
		}
	}
	var note strings.Builder
	for _, p := range parts {
		n := scaleNotePart(p, factor)
		if n.Text == "" {
			continue
		}
		note.WriteString(n.Text)
		v.NoteParts = append(v.NoteParts, n)
	}
	v.Note = note.String()
	return v
}

// isAlternate tells whether the note's first amount was written in
// parentheses before the name, as an alternate measure: "400 g (14 oz)
// canned tomatoes", not "2 onions (about 300 g)".
func isAlternate(ing recipe.Ingredient, p recipe.NotePart) bool {
	if p.Quantity == nil || ing.Quantity == nil || ing.Name == "" {
		return false
	}
	at := strings.Index(ing.Original, "("+p.Text+")")
	return at >= 0 && at < strings.Index(ing.Original, ing.Name)
}

// scaleNotePart writes a piece of a note for the servings asked for.
func scaleNotePart(p recipe.NotePart, factor float64) noteView {
	n := noteView{Text: p.Text}
	if p.Quantity == nil {
		return n
	}
	a := scaleAmount(p.Quantity, p.QuantityMax, factor, false)
	n.Qty, n.QtyMax, n.BaseQty, n.BaseQtyMax = a.qty, a.qtyMax, a.baseQty, a.baseQtyMax
	n.UnitOne, n.UnitMany = p.Unit, pluralUnit(p.Unit)
	n.Unit = n.UnitOne
	if a.many {
		n.Unit = n.UnitMany
	}
	n.Text = n.Qty
	if n.QtyMax != "" {
		n.Text += "–" + n.QtyMax
	}
	n.Text += " " + n.Unit
	return n
}

// scaledAmount is an amount (or range) multiplied out and written, with
// the amounts as written for the script.
type scaledAmount struct {
	qty, qtyMax, baseQty, baseQtyMax string
	// many says whether the words after it take the plural: the larger
	// end is above one.
	many bool
}

func scaleAmount(q, qmax *float64, factor float64, counted bool) scaledAmount {
	round := func(x float64) float64 { return x }
	if counted {
		round = recipe.RoundCount
	}
	top := round(*q * factor)
	a := scaledAmount{qty: recipe.FormatQuantity(top), baseQty: strconv.FormatFloat(*q, 'f', -1, 64)}
	if qmax != nil {
		top = round(*qmax * factor)
		a.baseQtyMax = strconv.FormatFloat(*qmax, 'f', -1, 64)
		a.qtyMax = recipe.FormatQuantity(top)
	}
	a.many = top > 1
	return a
}

// pluralUnit gives the plural of a countable unit; abbreviations stay.
func pluralUnit(unit string) string {
	switch unit {
	case "", "g", "kg", "mg", "ml", "l", "dl", "cl", "oz", "lb", "fl oz", "tbsp", "tsp", "cm", "in":
		return unit
	case "pinch", "dash", "bunch":
		return unit + "es"
	case "inch":
		return "inches"
	}
	return unit + "s"
}
