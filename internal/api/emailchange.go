package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithEmailChanges enables changing the email address; without it (or
// without email on the server) asking for a change answers 503.
func (a *API) WithEmailChanges(e *account.EmailChanges) *API {
	a.emails = e
	return a
}

// meView is the owner's own account with the address waiting for
// confirmation, if any (null otherwise).
type meView struct {
	userView
	PendingEmail *string `json:"pending_email"`
}

func viewMe(u *auth.User, pending *store.EmailChange) meView {
	v := meView{userView: viewUser(u)}
	if pending != nil {
		v.PendingEmail = &pending.NewEmail
	}
	return v
}

// pendingEmail loads u's pending change for the answer; nil without one.
func (a *API) pendingEmail(r *http.Request, u *auth.User) (*store.EmailChange, error) {
	if a.emails == nil {
		return nil, nil
	}
	return a.emails.Pending(r.Context(), u)
}

// resendEmailChange sends the pending change's confirmation again, with
// a new link (the earlier one stops working).
func (a *API) resendEmailChange(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	ch, err := a.emails.Resend(r.Context(), u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusAccepted, viewMe(u, ch))
}

// cancelEmailChange drops the pending change; its link stops working.
func (a *API) cancelEmailChange(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	if err := a.emails.Cancel(r.Context(), u, account.ClientOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type emailChangeConfirm struct {
	Token string `json:"token"`
}

// confirmEmailChange applies the change the emailed token stands for. It
// needs no sign-in: the token, sent to the new address, is the proof.
func (a *API) confirmEmailChange(w http.ResponseWriter, r *http.Request) {
	var req emailChangeConfirm
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	done, err := a.emails.Confirm(r.Context(), req.Token, account.ClientOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, map[string]string{"email": done.NewEmail})
}

// emailChangeProblem is the answer to the email change's own errors; nil
// for any other error.
func emailChangeProblem(w http.ResponseWriter, err error) *httpx.Problem {
	var le *account.EmailChangeLimitError
	switch {
	case errors.As(err, &le):
		w.Header().Set("Retry-After", strconv.Itoa(le.Minutes()*60))
		return httpx.NewProblem(http.StatusTooManyRequests,
			"Too many confirmation emails asked for. Try again in "+strconv.Itoa(le.Minutes())+" minutes.")
	case errors.Is(err, account.ErrEmailChangeUnavailable):
		return httpx.NewProblem(http.StatusServiceUnavailable, account.ErrEmailChangeUnavailable.Error()+"; ask an administrator.")
	case errors.Is(err, account.ErrEmailChangeToken):
		return httpx.NewProblem(http.StatusBadRequest, "This email confirmation link is invalid, used, replaced by a newer one or expired. Ask for a new one in your settings.")
	case errors.Is(err, account.ErrEmailTaken):
		p := httpx.NewProblem(http.StatusConflict, "That address now belongs to another account; your email address was not changed.")
		p.Errors = validate.Errors{{Field: "email", Message: "is already taken"}}
		return p
	case errors.Is(err, account.ErrNoEmailChange):
		return httpx.NewProblem(http.StatusConflict, "There is no email address change waiting for confirmation.")
	}
	return nil
}
