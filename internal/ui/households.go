package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// The household page (/household): who plans and shops together, and
// for its owners the invitations. The invitation page
// (/household/join/{token}) shows who invites the holder of a link where,
// with Join and Decline. Both are the signed-in person's own, never
// cached or kept for anyone else; with the meal-planner flag off for
// them they are not found.

// SetInvitations enables households; without it their pages are 404.
func (u *UI) SetInvitations(s *invitations.Service) { u.invitations = s }

// householdView is the household page's data.
type householdView struct {
	*planner.Household
	MeID string
	// Created is the invitation link just made, shown once.
	Created *copyLinkView
	// EmailAvailable says whether this server can send email; Email is
	// the address typed into a refused form.
	EmailAvailable bool
	Email          string
	// Errors are the messages of the form just sent, by input id.
	Errors         map[string]string
	MaxMembers     int
	MaxInvitations int
	Full           bool
}

// plannerUser is the signed-in person with the meal-planner flag on, or
// nil after answering: the sign-in page, or 404 with the flag off.
func (u *UI) plannerUser(w http.ResponseWriter, r *http.Request) *auth.User {
	me := u.requireUser(w, r)
	if me == nil {
		return nil
	}
	if u.invitations == nil || !u.flagOn(r, flags.MealPlanner) {
		u.notFound(w, r)
		return nil
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return me
}

// plannerForm is plannerUser for a form post, with the form parsed.
func (u *UI) plannerForm(w http.ResponseWriter, r *http.Request) *auth.User {
	me := u.plannerUser(w, r)
	if me == nil {
		return nil
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return nil
	}
	return me
}

// householdPage is GET /household.
func (u *UI) householdPage(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	u.showHousehold(w, r, me, http.StatusOK, nil)
}

// showHousehold draws the household page with status; fill, when not
// nil, adds what the form just sent left to show.
func (u *UI) showHousehold(w http.ResponseWriter, r *http.Request, me *auth.User, status int, fill func(*householdView)) {
	h, err := u.store.Household(r.Context(), me.ID, u.invitations.Now())
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := &householdView{Household: h, MeID: me.ID, EmailAvailable: u.invitations.EmailAvailable(),
		MaxMembers: planner.MaxMembers, MaxInvitations: planner.MaxPendingInvitations, Full: len(h.Members) >= planner.MaxMembers}
	if fill != nil {
		fill(v)
	}
	u.render(w, r, status, "household", &page{Title: h.Name, Data: v})
}

// householdFailed answers a refused household form: the page again with
// the message by the form (id is its input or its section), or the error
// page for what no form can fix.
func (u *UI) householdFailed(w http.ResponseWriter, r *http.Request, me *auth.User, err error, id string, fill func(*householdView)) {
	status := http.StatusConflict
	var msg string
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		status, msg = http.StatusUnprocessableEntity, ve.Fields[0].Message
	case errors.Is(err, store.ErrNotHouseholdOwner):
		status, msg = http.StatusForbidden, "Only the household's owners can do this."
	case errors.Is(err, store.ErrHouseholdFull):
		msg = fmt.Sprintf("The household has %d members, the most it may have.", planner.MaxMembers)
	case errors.Is(err, store.ErrTooManyInvitations):
		msg = fmt.Sprintf("The household has %d pending invitations, the most it may have: withdraw one first.", planner.MaxPendingInvitations)
	case errors.Is(err, store.ErrSoleMember):
		msg = "You are the only member, so there is nothing to leave. To join another household, open its invitation link."
	case errors.Is(err, store.ErrLastOwner):
		msg = "A household needs at least one owner: make someone else an owner first."
	case errors.Is(err, store.ErrRemoveSelf):
		msg = "To take yourself out, leave the household."
	case errors.Is(err, invitations.ErrEmailUnavailable):
		status, msg = http.StatusServiceUnavailable, "This server cannot send email. Make an invitation link and send it yourself."
	case errors.Is(err, store.ErrNotFound):
		// A member or an invitation gone meanwhile (a second click):
		// the page shows how things are now.
		u.redirect(w, r, "/household", "")
		return
	default:
		u.serverError(w, r, err)
		return
	}
	u.showHousehold(w, r, me, status, func(v *householdView) {
		if fill != nil {
			fill(v)
		}
		v.Errors = map[string]string{id: msg}
	})
}

// renameHousehold is POST /household.
func (u *UI) renameHousehold(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	var errs validate.Errors
	name := planner.NormalizeName(&errs, r.PostForm.Get("name"))
	err := errs.Err()
	if err == nil {
		_, err = u.store.RenameHousehold(r.Context(), me.ID, name, u.invitations.Now())
	}
	if err != nil {
		u.householdFailed(w, r, me, err, "household-name", nil)
		return
	}
	u.redirect(w, r, "/household", "household-renamed")
}

// inviteToHousehold is POST /household/invitations: with an address the
// invitation is emailed, without one the page shows the new link once
// (it is not stored, so a redirect could not carry it).
func (u *UI) inviteToHousehold(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	if r.PostForm.Has("email") {
		to := r.PostForm.Get("email")
		if err := u.invitations.SendByEmail(r.Context(), me.ID, to); err != nil {
			u.householdFailed(w, r, me, err, "invite-email", func(v *householdView) { v.Email = to })
			return
		}
		u.redirect(w, r, "/household#invitations", "invitation-sent")
		return
	}
	c, err := u.invitations.CreateLink(r.Context(), me.ID)
	if err != nil {
		u.householdFailed(w, r, me, err, "invitations", nil)
		return
	}
	u.showHousehold(w, r, me, http.StatusOK, func(v *householdView) {
		v.Created = &copyLinkView{ID: "invitation-link", Label: "Invitation link (shown once)", URL: c.URL, New: true}
	})
}

// withdrawInvitation is POST /household/invitations/{id}/withdraw.
func (u *UI) withdrawInvitation(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	err := u.store.RevokeHouseholdInvitation(r.Context(), me.ID, r.PathValue("id"), u.invitations.Now())
	if err != nil {
		u.householdFailed(w, r, me, err, "invitations", nil)
		return
	}
	u.redirect(w, r, "/household#invitations", "invitation-withdrawn")
}

// setMemberRole is POST /household/members/{userID}/role.
func (u *UI) setMemberRole(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	role := planner.Role(r.PostForm.Get("role"))
	var err error
	if !planner.ValidRole(role) {
		err = &validate.Error{Fields: validate.Errors{{Field: "role", Message: "Choose owner or member."}}}
	} else {
		_, err = u.store.SetHouseholdRole(r.Context(), me.ID, r.PathValue("userID"), role, u.invitations.Now())
	}
	if err != nil {
		u.householdFailed(w, r, me, err, "members", nil)
		return
	}
	u.redirect(w, r, "/household#members", "role-changed")
}

// removeMember is POST /household/members/{userID}/remove.
func (u *UI) removeMember(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	if _, err := u.store.RemoveHouseholdMember(r.Context(), me.ID, r.PathValue("userID"), u.invitations.Now()); err != nil {
		u.householdFailed(w, r, me, err, "members", nil)
		return
	}
	u.redirect(w, r, "/household#members", "member-removed")
}

// leaveHousehold is POST /household/leave.
func (u *UI) leaveHousehold(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	if err := u.store.LeaveHousehold(r.Context(), me.ID, u.invitations.Now()); err != nil {
		u.householdFailed(w, r, me, err, "members", nil)
		return
	}
	u.redirect(w, r, "/household", "household-left")
}

// invitationView is the invitation page's data: the offer with where
// Join and Decline post, or Problem when the link opens nothing.
type invitationView struct {
	*planner.Offer
	Path    string
	Problem string
}

// invitationPage is GET /household/join/{token}. Its address holds the
// token, so it sends no Referer and is never indexed.
func (u *UI) invitationPage(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	token := r.PathValue("token")
	o, err := u.invitations.Open(r.Context(), me.ID, token)
	if u.invitationFailed(w, r, err) {
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	v := invitationView{Offer: o, Path: invitations.PathPrefix + url.PathEscape(token)}
	u.render(w, r, http.StatusOK, "household_join", &page{Title: "Join " + o.Household, Data: v, NoIndex: true})
}

// invitationFailed answers err of an invitation link (false when nil):
// the invitation page with what went wrong for a spent link or a full
// household, the error page for anything else.
func (u *UI) invitationFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var status int
	var v invitationView
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		status, v.Problem = http.StatusNotFound, "This invitation is not valid: it was used, withdrawn or has expired. Ask whoever sent it for a new one."
	case errors.Is(err, store.ErrHouseholdFull):
		status, v.Problem = http.StatusConflict, fmt.Sprintf("This household already has %d members, the most it may have. The invitation still works if someone leaves before it expires.", planner.MaxMembers)
	default:
		u.serverError(w, r, err)
		return true
	}
	u.render(w, r, status, "household_join", &page{Title: "Invitation", Data: v, NoIndex: true})
	return true
}

// acceptInvitation is POST /household/join/{token}.
func (u *UI) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	_, err := u.invitations.Accept(r.Context(), me.ID, r.PathValue("token"))
	if u.invitationFailed(w, r, err) {
		return
	}
	u.redirect(w, r, "/household", "household-joined")
}

// declineInvitation is POST /household/join/{token}/decline.
func (u *UI) declineInvitation(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	if u.invitationFailed(w, r, u.invitations.Decline(r.Context(), r.PathValue("token"))) {
		return
	}
	u.redirect(w, r, "/household", "invitation-declined")
}
