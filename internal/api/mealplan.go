package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// The meal plan: the caller's household's entries by day and slot. Every
// member reads and changes it; its slots are the owners' to name.

// failPlan maps meal plan errors to answers; the rest go to
// failHousehold.
func (a *API) failPlan(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrDayFull) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"That day already has "+strconv.Itoa(planner.MaxEntriesPerDay)+" entries, the most a day may have."))
		return
	}
	a.failHousehold(w, r, err)
}

// mealPlan is GET /api/v1/meal-plan?from=&to=: by default the week
// (Monday to Sunday) of today.
func (a *API) mealPlan(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if from == "" && to == "" {
		monday := planner.WeekOf(a.invitations.Now().UTC())
		from, to = monday.Format(planner.DayLayout), monday.AddDate(0, 0, 6).Format(planner.DayLayout)
	}
	p, err := a.store.MealPlan(r.Context(), u.ID, from, to, a.invitations.Now())
	if err != nil {
		a.failPlan(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, p)
}

// entryRequest is the body of POST /api/v1/meal-plan/entries.
type entryRequest struct {
	Day      *string `json:"day"`
	Slot     *string `json:"slot"`
	RecipeID *string `json:"recipe_id"`
	Title    *string `json:"title"`
	Servings *int    `json:"servings"`
	Note     *string `json:"note"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// addEntry is POST /api/v1/meal-plan/entries.
func (a *API) addEntry(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req entryRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	e, err := a.store.AddPlanEntry(r.Context(), u.ID, planner.EntryInput{Day: deref(req.Day), Slot: deref(req.Slot),
		RecipeID: deref(req.RecipeID), Title: deref(req.Title), Servings: req.Servings, Note: deref(req.Note)}, a.invitations.Now())
	if err != nil {
		a.failPlan(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/meal-plan/entries/"+e.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, e)
}

// entryPatch is the body of PATCH /api/v1/meal-plan/entries/{id}: the
// fields sent change, the others stay. servings 0 plans the recipe as
// written again.
type entryPatch struct {
	Day      *string `json:"day"`
	Slot     *string `json:"slot"`
	Servings *int    `json:"servings"`
	Note     *string `json:"note"`
	Cooked   *bool   `json:"cooked"`
}

// changeEntry is PATCH /api/v1/meal-plan/entries/{id}: move it (to the end
// of another day's or slot's entries), change its servings or note, or
// mark it cooked or not.
func (a *API) changeEntry(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req entryPatch
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	ch := planner.EntryChange{Day: req.Day, Slot: req.Slot, Servings: req.Servings, Note: req.Note, Cooked: req.Cooked}
	if req.Servings != nil && *req.Servings == 0 {
		ch.Servings, ch.ClearServings = nil, true
	}
	e, err := a.store.ChangePlanEntry(r.Context(), u.ID, r.PathValue("id"), ch, a.invitations.Now())
	if err != nil {
		a.failPlan(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, e)
}

// copyRequest is the body of POST /api/v1/meal-plan/entries/{id}/copy.
type copyRequest struct {
	Day  *string `json:"day"`
	Slot *string `json:"slot"`
}

// copyEntry is POST /api/v1/meal-plan/entries/{id}/copy: the entry again
// on another day or slot (or the same), not cooked.
func (a *API) copyEntry(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req copyRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	e, err := a.store.CopyPlanEntry(r.Context(), u.ID, r.PathValue("id"), deref(req.Day), deref(req.Slot), a.invitations.Now())
	if err != nil {
		a.failPlan(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/meal-plan/entries/"+e.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, e)
}

// deleteEntry is DELETE /api/v1/meal-plan/entries/{id}.
func (a *API) deleteEntry(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.DeletePlanEntry(r.Context(), u.ID, r.PathValue("id"), a.invitations.Now()); err != nil {
		a.failPlan(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// slotsRequest is the body of PUT /api/v1/households/current/slots.
type slotsRequest struct {
	Slots []string `json:"slots"`
}

// setSlots is PUT /api/v1/households/current/slots (owners).
func (a *API) setSlots(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req slotsRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	slots := planner.NormalizeSlots(&errs, "slots", req.Slots)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	h, err := a.store.SetMealSlots(r.Context(), u.ID, slots, a.invitations.Now())
	if err != nil {
		a.failPlan(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, h)
}

// calendarFeed answers a new calendar address: the only time its token
// is shown.
type calendarFeed struct {
	URL string `json:"url"`
}

// newCalendar is POST /api/v1/meal-plan/calendar: a new secret address of
// the household's iCalendar feed; an earlier one stops working.
func (a *API) newCalendar(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	token := auth.NewSecret()
	if err := a.store.SetCalendarToken(r.Context(), u.ID, auth.HashSecret(token), a.invitations.Now()); err != nil {
		a.failPlan(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusCreated, calendarFeed{URL: a.invitations.CalendarURL(token)})
}

// revokeCalendar is DELETE /api/v1/meal-plan/calendar: the feed's address
// stops working.
func (a *API) revokeCalendar(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.SetCalendarToken(r.Context(), u.ID, "", a.invitations.Now()); err != nil {
		a.failPlan(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
