package ui

import (
	"net/http"
	"strconv"

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
