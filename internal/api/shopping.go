package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
)

// Shopping lists: the caller's household's lists. Every member reads and
// changes them; each change is one line's (add, tick, file under an
// aisle), merged on the server, so two members at work on one list
// never undo each other. A list's version counts its changes: GET
// answers with it as the ETag, so a client polling with If-None-Match
// gets 304 until something changed.

// failShopping maps the lists' errors to answers; the rest go to
// failHousehold.
func (a *API) failShopping(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrTooManyLists):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, planner.TooManyListsMessage))
	case errors.Is(err, store.ErrListFull):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, planner.ListFullMessage))
	default:
		a.failHousehold(w, r, err)
	}
}

// shoppingLists answers GET /api/v1/shopping-lists.
type shoppingLists struct {
	Items []planner.ListSummary `json:"items"`
	// Aisles are the aisles lines may be filed under, in shop order.
	Aisles []planner.Aisle `json:"aisles"`
}

// listShoppingLists is GET /api/v1/shopping-lists: newest first.
func (a *API) listShoppingLists(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	lists, err := a.store.ShoppingLists(r.Context(), u.ID, a.invitations.Now())
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, shoppingLists{Items: lists, Aisles: planner.Aisles})
}

// listRequest is the body of POST and PATCH /api/v1/shopping-lists.
type listRequest struct {
	Name *string `json:"name"`
}

// createShoppingList is POST /api/v1/shopping-lists.
func (a *API) createShoppingList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req listRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	l, err := a.store.CreateShoppingList(r.Context(), u.ID, deref(req.Name), a.invitations.Now())
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/shopping-lists/"+l.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, l)
}

// listETag is the validator of a list at version v.
func listETag(v int64) string { return `"v` + strconv.FormatInt(v, 10) + `"` }

// shoppingList is GET /api/v1/shopping-lists/{id}: the list with its
// lines, unticked first, by aisle. If-None-Match with the ETag it last
// gave answers 304 while nothing changed, after one indexed read.
func (a *API) shoppingList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	id := r.PathValue("id")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		v, err := a.store.ShoppingListVersion(r.Context(), u.ID, id)
		if err != nil {
			a.failShopping(w, r, err)
			return
		}
		// Not a plain comparison: the gzip middleware gives a compressed
		// answer a tag of its own ("v7-gzip"), which is what a browser
		// sends back once the list is long enough to be compressed, and a
		// proxy may weaken the tag (W/"v7").
		if httpx.ETagMatches(inm, listETag(v)) {
			w.Header().Set("ETag", listETag(v))
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	l, err := a.store.ShoppingList(r.Context(), u.ID, id)
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.Header().Set("ETag", listETag(l.Version))
	httpx.WriteJSON(w, r, http.StatusOK, l)
}

// renameShoppingList is PATCH /api/v1/shopping-lists/{id}.
func (a *API) renameShoppingList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req listRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	l, err := a.store.RenameShoppingList(r.Context(), u.ID, r.PathValue("id"), deref(req.Name), a.invitations.Now())
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, l)
}

// deleteShoppingList is DELETE /api/v1/shopping-lists/{id}.
func (a *API) deleteShoppingList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.DeleteShoppingList(r.Context(), u.ID, r.PathValue("id"), a.invitations.Now()); err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// itemAddRequest is the body of POST /api/v1/shopping-lists/{id}/items:
// a line as typed ("500 g butter").
type itemAddRequest struct {
	Text *string `json:"text"`
}

// addShoppingItem is POST /api/v1/shopping-lists/{id}/items.
func (a *API) addShoppingItem(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req itemAddRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	res, err := a.store.AddShoppingItem(r.Context(), u.ID, r.PathValue("id"), deref(req.Text), a.invitations.Now())
	a.answerAdd(w, r, res, err)
}

func (a *API) answerAdd(w http.ResponseWriter, r *http.Request, res *planner.AddResult, err error) {
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.Header().Set("ETag", listETag(res.List.Version))
	httpx.WriteJSON(w, r, http.StatusOK, res)
}

// recipesAddRequest is the body of POST
// /api/v1/shopping-lists/{id}/recipes.
type recipesAddRequest struct {
	Recipes []struct {
		RecipeID *string `json:"recipe_id"`
		Servings *int    `json:"servings"`
	} `json:"recipes"`
	IncludeStaples bool `json:"include_staples"`
}

// addRecipesToList is POST /api/v1/shopping-lists/{id}/recipes: each
// recipe's ingredients scaled to its servings (as written when absent).
func (a *API) addRecipesToList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req recipesAddRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var want []store.RecipeToShop
	for _, one := range req.Recipes {
		want = append(want, store.RecipeToShop{RecipeID: deref(one.RecipeID), Servings: one.Servings})
	}
	res, err := a.store.AddRecipesToList(r.Context(), u.ID, r.PathValue("id"), want, req.IncludeStaples, a.invitations.Now())
	a.answerAdd(w, r, res, err)
}

// planAddRequest is the body of POST
// /api/v1/shopping-lists/{id}/meal-plan: the days of the plan to shop
// for, by default this week.
type planAddRequest struct {
	From           *string `json:"from"`
	To             *string `json:"to"`
	IncludeStaples bool    `json:"include_staples"`
}

// addPlanToList is POST /api/v1/shopping-lists/{id}/meal-plan.
func (a *API) addPlanToList(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req planAddRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	from, to := deref(req.From), deref(req.To)
	if from == "" && to == "" {
		monday := planner.WeekOf(a.invitations.Now().UTC())
		from, to = monday.Format(planner.DayLayout), monday.AddDate(0, 0, 6).Format(planner.DayLayout)
	}
	res, err := a.store.AddPlanToList(r.Context(), u.ID, r.PathValue("id"), from, to, req.IncludeStaples, a.invitations.Now())
	a.answerAdd(w, r, res, err)
}

// itemPatch is the body of PATCH
// /api/v1/shopping-lists/{id}/items/{itemID}.
type itemPatch struct {
	Checked *bool   `json:"checked"`
	Aisle   *string `json:"aisle"`
}

// changeShoppingItem is PATCH /api/v1/shopping-lists/{id}/items/{itemID}:
// tick or untick it (sending the same twice does no harm), or file it
// under another aisle (remembered for the household). It answers with
// the whole list.
func (a *API) changeShoppingItem(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req itemPatch
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	l, err := a.store.ChangeShoppingItem(r.Context(), u.ID, r.PathValue("id"), r.PathValue("itemID"),
		store.ItemChange{Checked: req.Checked, Aisle: req.Aisle}, a.invitations.Now())
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.Header().Set("ETag", listETag(l.Version))
	httpx.WriteJSON(w, r, http.StatusOK, l)
}

// deleteShoppingItem is DELETE /api/v1/shopping-lists/{id}/items/{itemID}.
func (a *API) deleteShoppingItem(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.DeleteShoppingItem(r.Context(), u.ID, r.PathValue("id"), r.PathValue("itemID"), a.invitations.Now()); err != nil {
		a.failShopping(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// clearedLines answers POST /api/v1/shopping-lists/{id}/clear-checked.
type clearedLines struct {
	Removed int `json:"removed"`
}

// clearChecked is POST /api/v1/shopping-lists/{id}/clear-checked.
func (a *API) clearChecked(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	n, err := a.store.ClearCheckedItems(r.Context(), u.ID, r.PathValue("id"), a.invitations.Now())
	if err != nil {
		a.failShopping(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, clearedLines{Removed: n})
}
