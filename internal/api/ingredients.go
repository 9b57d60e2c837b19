package api

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// parseRequest is the body of POST /api/v1/ingredients/parse.
type parseRequest struct {
	Lines []string `json:"lines"`
}

// parseResponse gives each line's parse in the order sent.
type parseResponse struct {
	Ingredients []recipe.Ingredient `json:"ingredients"`
}

// parseIngredients answers how the server would read ingredient lines if
// they were saved now, so an editor can show what it understood before
// the recipe is submitted. It is recipe.ParseIngredient itself, under the
// limits recipe.Input.Normalize applies to a saved recipe: a list the
// server would refuse to save is refused here too, with the same fields'
// messages. It needs a signed-in caller (the editor is for signed-in
// people) and nothing from the database.
func (a *API) parseIngredients(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	var req parseRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	switch {
	case req.Lines == nil:
		errs.Add("lines", "is required")
	case len(req.Lines) > recipe.MaxIngredients:
		errs.Add("lines", "must have at most %d items (got %d)", recipe.MaxIngredients, len(req.Lines))
	default:
		for i, line := range req.Lines {
			if n := utf8.RuneCountInString(line); n > recipe.MaxIngredientLine {
				errs.Add(fmt.Sprintf("lines[%d]", i), "must be at most %d characters (got %d)", recipe.MaxIngredientLine, n)
			}
		}
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	out := parseResponse{Ingredients: make([]recipe.Ingredient, len(req.Lines))}
	for i, line := range req.Lines {
		out.Ingredients[i] = recipe.ParseIngredient(line)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}
