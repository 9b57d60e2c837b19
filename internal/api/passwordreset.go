package api

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/httpx"
)

// WithPasswordResets enables "forgot password"; without it both routes
// answer 503.
func (a *API) WithPasswordResets(p *account.PasswordResets) *API {
	a.resets = p
	return a
}

type passwordResetRequest struct {
	Email string `json:"email"`
}

// requestPasswordReset answers 202 whether or not the address belongs to
// an account, so it cannot be used to find out who has one.
func (a *API) requestPasswordReset(w http.ResponseWriter, r *http.Request) {
	var req passwordResetRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if a.resetsUnavailable(w, r) {
		return
	}
	if err := a.resets.Request(r.Context(), req.Email); err != nil {
		a.resetFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusAccepted, map[string]string{
		"message": "If an account has that address, a link to reset its password is on its way. It works for one hour.",
	})
}

type passwordResetConfirm struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

// confirmPasswordReset sets the new password; every session and API
// token of the account ends, so the client signs in again.
func (a *API) confirmPasswordReset(w http.ResponseWriter, r *http.Request) {
	var req passwordResetConfirm
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if a.resetsUnavailable(w, r) {
		return
	}
	if err := a.resets.Confirm(r.Context(), req.Token, req.NewPassword); err != nil {
		a.resetFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) resetsUnavailable(w http.ResponseWriter, r *http.Request) bool {
	if a.resets != nil && a.resets.Available() {
		return false
	}
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, account.ErrResetUnavailable.Error()+"; ask an administrator."))
	return true
}

func (a *API) resetFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, account.ErrResetToken) {
		p := httpx.NewProblem(http.StatusBadRequest, "This password reset link is invalid, used or expired. Ask for a new one.")
		httpx.WriteProblem(w, r, p)
		return
	}
	a.fail(w, r, err)
}
