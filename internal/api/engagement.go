package api

import (
	"context"
	"net/http"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Likes, saves and ratings. PUT sets a mark and DELETE removes it, each
// idempotent by nature (a second PUT is the same like), so they need no
// Idempotency-Key. Every answer is the recipe's counts with the caller's
// marks as they stand after the change.

type markSetter func(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error)

// mark is PUT (on) or DELETE of /api/v1/recipes/{id}/like or /save.
func (a *API) mark(set func(*store.Store) markSetter, on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if requireUser(w, r) == nil {
			return
		}
		e, err := set(a.store)(r.Context(), viewerOf(r), r.PathValue("id"), on)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		writeEngagement(w, r, e)
	}
}

func likeSetter(s *store.Store) markSetter { return s.SetLike }
func saveSetter(s *store.Store) markSetter { return s.SetSave }

// ratingRequest is the body of PUT /api/v1/recipes/{id}/rating.
type ratingRequest struct {
	Stars *int `json:"stars"`
}

// rate is PUT /api/v1/recipes/{id}/rating. The body is checked before the
// recipe is looked up, so a bad one is the same 400 or 422 whatever the
// recipe.
func (a *API) rate(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	var req ratingRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if req.Stars == nil || !recipe.ValidStars(*req.Stars) {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "stars", Message: store.StarsMessage}}))
		return
	}
	a.setRating(w, r, *req.Stars)
}

// unrate is DELETE /api/v1/recipes/{id}/rating.
func (a *API) unrate(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	a.setRating(w, r, 0)
}

func (a *API) setRating(w http.ResponseWriter, r *http.Request, stars int) {
	e, err := a.store.Rate(r.Context(), viewerOf(r), r.PathValue("id"), stars)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeEngagement(w, r, e)
}

func writeEngagement(w http.ResponseWriter, r *http.Request, e *recipe.Engagement) {
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, e)
}

// recipeForCaller is a recipe as a signed-in caller gets it: with their
// own like, save and rating.
type recipeForCaller struct {
	*recipe.Recipe
	recipe.Mine
}

// savedRecipes is GET /api/v1/me/saved: the caller's saved recipes, with
// every filter, sort and cursor of the recipe list.
func (a *API) savedRecipes(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	a.list(w, r, u.ID)
}
