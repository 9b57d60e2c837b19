package api

import (
	"net/http"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/validate"
)

// suggestionAnswer is the answer of POST /api/v1/recipes/suggestions.
type suggestionAnswer struct {
	ai.Suggestion
	// Source names the generator: "offline" (the built-in one).
	Source string `json:"source"`
}

// suggest proposes a title, a description and tags for a recipe being
// written, from its ingredients and steps. The body is a recipe body as
// POST /api/v1/recipes takes it, checked by the same limits; the title
// may still be empty (that is what a suggestion is for). Nothing is saved
// and nothing leaves the server.
func (a *API) suggest(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	var req recipeRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	in := req.toInput()
	var errs validate.Errors
	for _, e := range in.Normalize() {
		if e.Field == "title" && in.Title == "" {
			continue
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		a.fail(w, r, errs.Err())
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, suggestionAnswer{Suggestion: ai.Offline{}.Suggest(in), Source: "offline"})
}
