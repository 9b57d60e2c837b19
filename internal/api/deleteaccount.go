package api

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/httpx"
)

// deleteAccountRequest is the body of DELETE /api/v1/me: the password
// again and, for an account with a second factor, a current code.
type deleteAccountRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// deleteMe is DELETE /api/v1/me: the caller's account and everything of
// theirs, at once and for good (account.DeleteAccount). The answer is
// 204; the credential used is gone with the account, and a browser's
// session cookie is cleared.
func (a *API) deleteMe(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req deleteAccountRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	_, err := a.accounts.DeleteAccount(r.Context(), a.mfa, u, account.DeleteRequest{Password: req.Password, Code: req.Code}, account.ClientOf(r))
	switch {
	case err == nil:
		authhttp.ClearSessionCookie(w, a.secureCookies)
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, account.ErrBadCode):
		a.mfaFail(w, r, err)
	case account.IsLastAdmin(err):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, account.LastAdminMessage))
	default:
		a.fail(w, r, err)
	}
}
