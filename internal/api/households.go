package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Households: the caller's household ("current": everyone is in exactly
// one, made for them when first asked for), its members and invitations.
// Every answer is the caller's own, so none is cacheable by anyone else.

// WithInvitations sets the household invitation service; without it the
// household routes are not found.
func (a *API) WithInvitations(s *invitations.Service) *API {
	a.invitations = s
	return a
}

// plannerFor answers whether the caller may use households at all: a
// signed-in user (else 401) with the meal-planner flag on (else 404).
func (a *API) plannerFor(w http.ResponseWriter, r *http.Request) *auth.User {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if a.invitations == nil || a.flags == nil || !a.flags.Enabled(r.Context(), flags.MealPlanner, u.ID) {
		notFound(w, r)
		return nil
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return u
}

// failHousehold maps household errors to answers; the rest go to fail.
func (a *API) failHousehold(w http.ResponseWriter, r *http.Request, err error) {
	var p *httpx.Problem
	switch {
	case errors.Is(err, store.ErrNotHouseholdOwner):
		p = httpx.NewProblem(http.StatusForbidden, "Only the household's owners can do this.")
	case errors.Is(err, store.ErrHouseholdFull):
		p = httpx.NewProblem(http.StatusConflict, "The household has the most members it may have ("+strconv.Itoa(planner.MaxMembers)+").")
	case errors.Is(err, store.ErrTooManyInvitations):
		p = httpx.NewProblem(http.StatusConflict, "The household has the most pending invitations it may have ("+
			strconv.Itoa(planner.MaxPendingInvitations)+"); withdraw one first.")
	case errors.Is(err, store.ErrSoleMember):
		p = httpx.NewProblem(http.StatusConflict, "You are the only member of this household, so there is nothing to leave. To join another household, accept its invitation.")
	case errors.Is(err, store.ErrLastOwner):
		p = httpx.NewProblem(http.StatusConflict, "A household needs at least one owner; make someone else an owner first.")
	case errors.Is(err, store.ErrRemoveSelf):
		p = httpx.NewProblem(http.StatusConflict, "To remove yourself, leave the household.")
	case errors.Is(err, invitations.ErrEmailUnavailable):
		p = httpx.NewProblem(http.StatusServiceUnavailable, "This server cannot send email; create an invitation link and send it yourself.")
	default:
		a.fail(w, r, err)
		return
	}
	httpx.WriteProblem(w, r, p)
}

// invitationGone answers a token that opens nothing.
func invitationGone(w http.ResponseWriter, r *http.Request) {
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound,
		"This invitation is not valid: it was used, withdrawn or has expired. Ask for a new one."))
}

// myHousehold is GET /api/v1/households/current.
func (a *API) myHousehold(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	h, err := a.store.Household(r.Context(), u.ID, a.invitations.Now())
	if err != nil {
		a.failHousehold(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, h)
}

// householdRequest is the body of PATCH /api/v1/households/current.
type householdRequest struct {
	Name *string `json:"name"`
}

// renameHousehold is PATCH /api/v1/households/current.
func (a *API) renameHousehold(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req householdRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	var name string
	if req.Name == nil {
		errs.Add("name", "is required")
	} else {
		name = planner.NormalizeName(&errs, *req.Name)
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	h, err := a.store.RenameHousehold(r.Context(), u.ID, name, a.invitations.Now())
	if err != nil {
		a.failHousehold(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, h)
}

// invitationRequest is the body of POST
// /api/v1/households/current/invitations: an address to send the
// invitation to, or nothing for a link to hand out.
type invitationRequest struct {
	Email *string `json:"email"`
}

// invitationQueued answers an invitation sent by email.
type invitationQueued struct {
	Status string `json:"status"`
	Email  string `json:"email"`
}

// invite is POST /api/v1/households/current/invitations: 201 with the
// link (the only time its token is shown), or 202 when it goes by email.
func (a *API) invite(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req invitationRequest
	if r.ContentLength != 0 {
		if p := httpx.DecodeJSON(r, &req); p != nil {
			httpx.WriteProblem(w, r, p)
			return
		}
	}
	if req.Email != nil {
		if err := a.invitations.SendByEmail(r.Context(), u.ID, *req.Email); err != nil {
			a.failHousehold(w, r, err)
			return
		}
		httpx.WriteJSON(w, r, http.StatusAccepted, invitationQueued{Status: "queued", Email: strings.TrimSpace(*req.Email)})
		return
	}
	c, err := a.invitations.CreateLink(r.Context(), u.ID)
	if err != nil {
		a.failHousehold(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusCreated, c)
}

// withdrawInvitation is DELETE /api/v1/households/current/invitations/{id}.
func (a *API) withdrawInvitation(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.RevokeHouseholdInvitation(r.Context(), u.ID, r.PathValue("id"), a.invitations.Now()); err != nil {
		a.failHousehold(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// leaveHousehold is POST /api/v1/households/current/leave.
func (a *API) leaveHousehold(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	if err := a.store.LeaveHousehold(r.Context(), u.ID, a.invitations.Now()); err != nil {
		a.failHousehold(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// removeMember is DELETE /api/v1/households/current/members/{userID}.
func (a *API) removeMember(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	h, err := a.store.RemoveHouseholdMember(r.Context(), u.ID, r.PathValue("userID"), a.invitations.Now())
	if err != nil {
		a.failHousehold(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, h)
}

// memberRoleRequest is the body of PATCH
// /api/v1/households/current/members/{userID}.
type memberRoleRequest struct {
	Role *planner.Role `json:"role"`
}

// setMemberRole is PATCH /api/v1/households/current/members/{userID}.
func (a *API) setMemberRole(w http.ResponseWriter, r *http.Request) {
	u := a.plannerFor(w, r)
	if u == nil {
		return
	}
	var req memberRoleRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	switch {
	case req.Role == nil:
		errs.Add("role", "is required")
	case !planner.ValidRole(*req.Role):
		errs.Add("role", "must be owner or member")
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	h, err := a.store.SetHouseholdRole(r.Context(), u.ID, r.PathValue("userID"), *req.Role, a.invitations.Now())
	if err != nil {
		a.failHousehold(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, h)
}

// answerInvitation answers what an invitation route got: v (nil: no
// content), the spent-link 404 for a not-found, or the error.
func (a *API) answerInvitation(w http.ResponseWriter, r *http.Request, v any, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		invitationGone(w, r)
	case err != nil:
		a.failHousehold(w, r, err)
	case v == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		httpx.WriteJSON(w, r, http.StatusOK, v)
	}
}

// openInvitation is GET /api/v1/households/invitations/{token}: who
// invites the caller where, before they answer.
func (a *API) openInvitation(w http.ResponseWriter, r *http.Request) {
	if u := a.plannerFor(w, r); u != nil {
		o, err := a.invitations.Open(r.Context(), u.ID, r.PathValue("token"))
		a.answerInvitation(w, r, o, err)
	}
}

// acceptInvitation is POST /api/v1/households/invitations/{token}/accept:
// the household the caller is now in.
func (a *API) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	if u := a.plannerFor(w, r); u != nil {
		h, err := a.invitations.Accept(r.Context(), u.ID, r.PathValue("token"))
		a.answerInvitation(w, r, h, err)
	}
}

// declineInvitation is POST
// /api/v1/households/invitations/{token}/decline.
func (a *API) declineInvitation(w http.ResponseWriter, r *http.Request) {
	if a.plannerFor(w, r) != nil {
		a.answerInvitation(w, r, nil, a.invitations.Decline(r.Context(), r.PathValue("token")))
	}
}
