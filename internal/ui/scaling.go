package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
)

// scaling is how many servings a page shows a recipe for, and in which
// measures. Servings come from ?servings= and the measures from ?units=
// (or the reader's preference, unitsFor), so that a scaled, converted
// recipe page, its cook mode and its printout agree without the script
// and can be shared as a link.
type scaling struct {
	Servings, BaseServings int
	// Factor is "×1½" when the amounts differ from the recipe as written,
	// else empty.
	Factor string
	// Units is the measures amounts and temperatures are shown in;
	// UnitsAsked is ?units= when the address gave one, kept on links.
	Units      recipe.UnitSystem
	UnitsAsked recipe.UnitSystem
	// Query is "?servings=6&units=us" for links that must keep this view;
	// empty when the address asks for nothing.
	Query string
}

// Scaling is the scaling itself, for templates: reading .Servings of a
// view that embeds scaling costs text/template an allocating search at
// every lookup, this method does not (see the "ingredient" template).
func (s scaling) Scaling() scaling { return s }

// scalingFor reads ?servings= against the recipe's own servings (1 when it
// gives none). Anything out of range or unreadable means "as written".
func scalingFor(r *http.Request, rec *recipe.Recipe, user *auth.User) scaling {
	base := 1
	if rec.Servings != nil && *rec.Servings > 0 {
		base = *rec.Servings
	}
	s := scaling{Servings: base, BaseServings: base}
	if n, err := strconv.Atoi(r.URL.Query().Get("servings")); err == nil && n >= 1 && n <= maxScaledServings {
		s.Servings = n
	}
	s.Factor = scaleFactorText(s.Servings, base)
	s.Units, s.UnitsAsked = unitsFor(r, user)
	s.Query = s.keep()
	return s
}

// keep is the query that keeps this view (servings and units) on a
// link, after the pairs given in extra ("step", "3"); "" when there is
// nothing to keep. Every such link is built here rather than in
// templates.
func (s scaling) keep(extra ...string) string {
	pairs := extra
	if s.Servings != s.BaseServings {
		pairs = append(pairs, "servings", strconv.Itoa(s.Servings))
	}
	if s.UnitsAsked != "" {
		pairs = append(pairs, "units", string(s.UnitsAsked))
	}
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("&" + url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	if b.Len() == 0 {
		return ""
	}
	return "?" + b.String()[1:]
}

// StepQuery is the query of a cook-mode link to step n keeping the view.
func (s scaling) StepQuery(n int) string { return s.keep("step", strconv.Itoa(n)) }

func (s scaling) factor() float64 { return float64(s.Servings) / float64(s.BaseServings) }

// Steps are the recipe's steps with their temperatures in the units
// shown.
func (s scaling) steps(rec *recipe.Recipe) []string {
	out := make([]string, len(rec.Steps))
	for i, step := range rec.Steps {
		out[i] = recipe.ConvertTemperatures(step, s.Units)
	}
	return out
}

// ingredients are the recipe's ingredients for the servings and units
// shown.
func (s scaling) ingredients(rec *recipe.Recipe) []ingredientView {
	out := make([]ingredientView, 0, len(rec.Ingredients))
	for _, ing := range rec.Ingredients {
		out = append(out, viewIngredient(ing, s.factor(), s.Units))
	}
	return out
}

// ingredientView is one ingredient line as shown for the servings and
// units asked for. The amounts before scaling travel in data attributes,
// with both numbers of every word that changes with the amount, so the
// script can rescale in place without asking the server and without
// rules of its own for plurals. A converted amount carries its amount in
// ml or g and the system and kind (System, Kind), from which the script
// picks the unit as ShowMeasure does.
type ingredientView struct {
	amountView
	// Counted marks an amount of whole things (no unit), which is
	// rounded to halves or quarters and whose name takes the number.
	Counted           bool
	NameOne, NameMany string
	Name              string
	// Alt is an alternate measure written in parentheses after the
	// amount ("400 g (14 oz) canned tomatoes"), shown there again
	// unless the amount is converted (it would repeat it).
	Alt *noteView
	// Note is the rest of the note with its amounts scaled, as plain
	// text; NoteParts is the same with the amounts marked up for the
	// script.
	Note      string
	NoteParts []noteView
}

// amountView is an amount (or range) with its unit, as shown and as the
// script needs it.
type amountView struct {
	Qty, QtyMax         string
	BaseQty, BaseQtyMax string
	UnitOne, UnitMany   string
	Unit                string
	// System and Kind are set on a converted amount ("metric",
	// "volume"); BaseQty is then in ml or g.
	System recipe.UnitSystem
	Kind   string
}

// Amount is the amount itself, for templates: a field promoted from an
// embedded struct costs text/template an allocating search at every
// lookup, this method (promoted to ingredientView and noteView) does not.
func (a amountView) Amount() amountView { return a }

// noteView is a piece of a note: text, or an amount (BaseQty set).
type noteView struct {
	Text string
	amountView
}

func viewIngredient(ing recipe.Ingredient, factor float64, sys recipe.UnitSystem) ingredientView {
	v := ingredientView{Name: ing.Name}
	var many bool
	if ing.Quantity != nil {
		v.Counted = ing.Unit == ""
		v.amountView, many = scaleAmount(ing.Quantity, ing.QuantityMax, ing.Unit, factor, sys, v.Counted)
		if v.Counted {
			v.NameOne, v.NameMany = recipe.CountedNames(ing.Name)
			v.Name = v.NameOne
			if many {
				v.Name = v.NameMany
			}
		}
	} else {
		v.UnitOne, v.UnitMany, v.Unit = ing.Unit, recipe.PluralUnit(ing.Unit), ing.Unit
	}
	parts := recipe.NoteAmounts(ing.Note)
	if len(parts) > 0 && isAlternate(ing, parts[0]) {
		if sys == recipe.AsWritten || !recipe.IsMeasure(ing.Unit) {
			alt := scaleNotePart(parts[0], factor, sys)
			v.Alt = &alt
		}
		parts = parts[1:]
		if len(parts) > 0 {
			// The ", " that joined the alternate to the rest of the note.
			parts[0].Text = strings.TrimPrefix(parts[0].Text, ", ")
		}
	}
	var note strings.Builder
	for _, p := range parts {
		n := scaleNotePart(p, factor, sys)
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

// scaleNotePart writes a piece of a note for the servings and units asked
// for.
func scaleNotePart(p recipe.NotePart, factor float64, sys recipe.UnitSystem) noteView {
	n := noteView{Text: p.Text}
	if p.Quantity == nil {
		return n
	}
	n.amountView, _ = scaleAmount(p.Quantity, p.QuantityMax, p.Unit, factor, sys, false)
	n.Text = n.Qty
	if n.QtyMax != "" {
		n.Text += "–" + n.QtyMax
	}
	n.Text += " " + n.Unit
	return n
}

// scaleAmount multiplies out an amount (or range) of unit and writes it in
// sys, with what the script needs to do the same; many says whether the
// words after it take the plural (the larger end is above one).
func scaleAmount(q, qmax *float64, unit string, factor float64, sys recipe.UnitSystem, counted bool) (amountView, bool) {
	base, baseMax := *q, *q
	if qmax != nil {
		baseMax = *qmax
	}
	a := amountView{UnitOne: unit, UnitMany: recipe.PluralUnit(unit)}
	var qty, top float64
	shown := unit
	switch conv, ok := recipe.ConversionFor(unit, sys); {
	case counted:
		qty, top = recipe.RoundCount(base*factor), recipe.RoundCount(baseMax*factor)
	case ok:
		base, baseMax = base*conv.Base, baseMax*conv.Base
		a.System, a.Kind = sys, conv.Kind
		qty, top, shown = recipe.ShowMeasure(sys, conv.Kind, base*factor, baseMax*factor)
		a.UnitOne, a.UnitMany = shown, recipe.PluralUnit(shown)
	case factor != 1:
		qty, top = recipe.ShowAsWritten(unit, base*factor, baseMax*factor)
	default:
		qty, top = base, baseMax
	}
	a.Qty, a.BaseQty = recipe.FormatAmount(shown, qty), strconv.FormatFloat(base, 'f', -1, 64)
	if qmax != nil {
		a.QtyMax, a.BaseQtyMax = recipe.FormatAmount(shown, top), strconv.FormatFloat(baseMax, 'f', -1, 64)
	}
	many := top > 1
	a.Unit = a.UnitOne
	if many {
		a.Unit = a.UnitMany
	}
	return a, many
}
