package ui

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/validate"
)

// deleteAccountView is the page that asks a person to confirm deleting
// their account.
type deleteAccountView struct {
	Username string
	NeedCode bool
	Form     accountForm
}

var deleteAccountLabels = map[string]string{"password": "Password", "code": "Code"}

// confirmDeleteAccount is GET /settings/delete: what goes, and the
// password (and code) that confirm it.
func (u *UI) confirmDeleteAccount(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	u.deleteAccountPage(w, r, http.StatusOK, me, accountForm{})
}

func (u *UI) deleteAccountPage(w http.ResponseWriter, r *http.Request, status int, me *auth.User, f accountForm) {
	v := deleteAccountView{Username: me.Username, Form: f}
	if u.mfa != nil {
		on, err := u.mfa.Enabled(r.Context(), me)
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		v.NeedCode = on
	}
	u.render(w, r, status, "account_delete", &page{Title: "Delete your account", Data: v})
}

// deleteAccount is POST /settings/delete. On success the session is
// gone with the account, so the cookie is cleared and the visitor lands
// on the home page with a message saying so.
func (u *UI) deleteAccount(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	req := account.DeleteRequest{Password: r.PostForm.Get("password"), Code: r.PostForm.Get("code")}
	_, err := u.accounts.DeleteAccount(r.Context(), u.mfa, me, req, account.ClientOf(r))
	var f accountForm
	var ve *validate.Error
	wait, throttled := tooMany(w, err, "attempts")
	switch {
	case err == nil:
		authhttp.ClearSessionCookie(w, u.secureCookies)
		u.redirect(w, r, "/", "account-deleted")
		return
	case throttled:
		f.Message = wait
		u.deleteAccountPage(w, r, http.StatusTooManyRequests, me, f)
		return
	case errors.Is(err, account.ErrBadCode):
		f.setErrors(validate.Errors{{Field: "code", Message: "is not valid; codes change every 30 seconds and each works once"}}, deleteAccountLabels)
	case account.IsLastAdmin(err):
		f.Message = account.LastAdminMessage
		u.deleteAccountPage(w, r, http.StatusConflict, me, f)
		return
	case errors.As(err, &ve):
		f.setErrors(ve.Fields, deleteAccountLabels)
	default:
		u.serverError(w, r, err)
		return
	}
	u.deleteAccountPage(w, r, http.StatusUnprocessableEntity, me, f)
}
