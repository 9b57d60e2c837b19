package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Collections: a person's named, ordered lists of recipes. Reads answer
// what the caller may see (a hidden collection is a 404, as a missing
// one; a recipe the caller may not read is left out of the list and its
// count); writes are the owner's (someone else's collection they may see
// is a 403).

// collectionRequest is the body of POST /api/v1/collections and PATCH
// /api/v1/collections/{id}; on PATCH a field left out keeps its value.
type collectionRequest struct {
	Name        *string            `json:"name"`
	Description *string            `json:"description"`
	Visibility  *recipe.Visibility `json:"visibility"`
}

// merge is the input req makes of c (nil for a new collection).
func (req *collectionRequest) merge(c *collection.Collection) collection.Input {
	var in collection.Input
	if c != nil {
		in = collection.Input{Name: c.Name, Description: c.Description, Visibility: c.Visibility}
	}
	if req.Name != nil {
		in.Name = *req.Name
	}
	if req.Description != nil {
		in.Description = *req.Description
	}
	if req.Visibility != nil {
		in.Visibility = *req.Visibility
	}
	return in
}

type collectionList struct {
	Items []*collection.Collection `json:"items"`
}

// itemRequest is the body of POST /api/v1/collections/{id}/recipes.
type itemRequest struct {
	RecipeID *string `json:"recipe_id"`
}

// positionRequest is the body of PATCH
// /api/v1/collections/{id}/recipes/{recipeID}.
type positionRequest struct {
	Position *int `json:"position"`
}

// itemPlace answers an add or a move: where the recipe now is.
type itemPlace struct {
	RecipeID string `json:"recipe_id"`
	Position int    `json:"position"`
}

type itemList struct {
	Items      []collection.Item `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

// failCollection answers the collection errors of the store, and any
// other as fail does.
func (a *API) failCollection(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotOwner):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, "Only the collection's owner can change it."))
	case errors.Is(err, store.ErrTooManyCollections):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"You have the maximum of "+strconv.Itoa(collection.MaxPerUser)+" collections; delete one first."))
	case errors.Is(err, store.ErrCollectionFull):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"This collection holds the maximum of "+strconv.Itoa(collection.MaxRecipes)+" recipes; remove one first."))
	case errors.Is(err, store.ErrBadCursor):
		p := httpx.NewProblem(http.StatusBadRequest, "The cursor is invalid; start again without it.")
		p.Errors = validate.Errors{{Field: "cursor", Message: "is invalid"}}
		httpx.WriteProblem(w, r, p)
	default:
		a.fail(w, r, err)
	}
}

// privateAnswer keeps an answer out of shared caches unless it is a
// public collection read by a visitor, the same for everyone.
func privateAnswer(w http.ResponseWriter, r *http.Request, c *collection.Collection) {
	if auth.UserFrom(r.Context()) != nil || c == nil || c.Visibility != collection.Public {
		w.Header().Set("Cache-Control", "private, no-store")
	}
}

// myCollections is GET /api/v1/collections: all of the caller's
// collections, by name (at most collection.MaxPerUser, so one page).
func (a *API) myCollections(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	list, err := a.store.CollectionsOf(r.Context(), u.ID, u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	privateAnswer(w, r, nil)
	httpx.WriteJSON(w, r, http.StatusOK, collectionList{Items: list})
}

// userCollections is GET /api/v1/users/{username}/collections: the
// public ones (all of them for the user themselves).
func (a *API) userCollections(w http.ResponseWriter, r *http.Request) {
	who, err := a.store.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	viewer := viewerOf(r).UserID
	list, err := a.store.CollectionsOf(r.Context(), who.ID, viewer)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if viewer != "" {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	httpx.WriteJSON(w, r, http.StatusOK, collectionList{Items: list})
}

// createCollection is POST /api/v1/collections.
func (a *API) createCollection(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req collectionRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	c, err := a.store.CreateCollection(r.Context(), u.ID, req.merge(nil))
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/collections/"+c.ID)
	privateAnswer(w, r, c)
	httpx.WriteJSON(w, r, http.StatusCreated, c)
}

// getCollection is GET /api/v1/collections/{id}.
func (a *API) getCollection(w http.ResponseWriter, r *http.Request) {
	c, err := a.store.Collection(r.Context(), viewerOf(r).UserID, r.PathValue("id"))
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	privateAnswer(w, r, c)
	httpx.WriteJSON(w, r, http.StatusOK, c)
}

// patchCollection is PATCH /api/v1/collections/{id}: the fields sent
// replace the stored ones, and the result is validated whole.
func (a *API) patchCollection(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req collectionRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	id := r.PathValue("id")
	c, err := a.store.Collection(r.Context(), u.ID, id)
	if err == nil && c.Owner.ID != u.ID {
		err = store.ErrNotOwner
	}
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	c, err = a.store.UpdateCollection(r.Context(), u.ID, id, req.merge(c))
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	privateAnswer(w, r, c)
	httpx.WriteJSON(w, r, http.StatusOK, c)
}

// deleteCollection is DELETE /api/v1/collections/{id}.
func (a *API) deleteCollection(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	if err := a.store.DeleteCollection(r.Context(), u.ID, r.PathValue("id")); err != nil {
		a.failCollection(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// collectionRecipes is GET /api/v1/collections/{id}/recipes: a page of
// the recipes the caller may read, in the collection's order.
func (a *API) collectionRecipes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	for key, vals := range q {
		switch {
		case key != "limit" && key != "cursor":
			errs.Add(key, "is not a parameter of this list")
		case len(vals) > 1:
			errs.Add(key, "must be given once")
		}
	}
	limit := store.DefaultListLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxListLimit {
			errs.Add("limit", "must be a whole number from 1 to %d", store.MaxListLimit)
		}
		limit = n
	}
	if len(errs) > 0 {
		p := httpx.NewProblem(http.StatusBadRequest, "Some query parameters are invalid; see errors.")
		p.Errors = errs
		httpx.WriteProblem(w, r, p)
		return
	}
	c, page, err := a.store.CollectionPage(r.Context(), viewerOf(r).UserID, r.PathValue("id"), q.Get("cursor"), limit)
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	privateAnswer(w, r, c)
	httpx.WriteJSON(w, r, http.StatusOK, itemList{Items: page.Items, NextCursor: page.NextCursor})
}

// addToCollection is POST /api/v1/collections/{id}/recipes: 201 when
// the recipe was added at the end, 200 when it was already there.
func (a *API) addToCollection(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	var req itemRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if req.RecipeID == nil || *req.RecipeID == "" {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "recipe_id", Message: "is required"}}))
		return
	}
	id := r.PathValue("id")
	pos, added, err := a.store.AddToCollection(r.Context(), viewerOf(r), id, *req.RecipeID)
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	status := http.StatusOK
	if added {
		status = http.StatusCreated
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, status, itemPlace{RecipeID: *req.RecipeID, Position: pos})
}

// moveInCollection is PATCH /api/v1/collections/{id}/recipes/{recipeID}
// with the position to take (from 1; past the end means last).
func (a *API) moveInCollection(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	var req positionRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if req.Position == nil || *req.Position < 1 || *req.Position > collection.MaxRecipes {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "position",
			Message: "must be a whole number from 1 to " + strconv.Itoa(collection.MaxRecipes)}}))
		return
	}
	recipeID := r.PathValue("recipeID")
	pos, err := a.store.MoveInCollection(r.Context(), viewerOf(r), r.PathValue("id"), recipeID, store.Move{To: *req.Position})
	if err != nil {
		a.failCollection(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, itemPlace{RecipeID: recipeID, Position: pos})
}

// removeFromCollection is DELETE
// /api/v1/collections/{id}/recipes/{recipeID}: 204 whether or not the
// recipe was there, so the answer says nothing about a hidden recipe.
func (a *API) removeFromCollection(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	if err := a.store.RemoveFromCollection(r.Context(), viewerOf(r), r.PathValue("id"), r.PathValue("recipeID")); err != nil {
		a.failCollection(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
