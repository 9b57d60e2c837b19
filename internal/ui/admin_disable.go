package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// adminDisableView is the confirmation asked before disabling an account.
type adminDisableView struct {
	Target *auth.User
	Query  string // the console's user search, kept for the way back
	Back   string
}

// adminConfirmDisable asks before disabling: disabling signs a person out
// everywhere, so the console's "Disable" is a link to this page, whose
// button posts. It works without JavaScript, like the recipe's delete.
// An admin's own account is refused here as the post refuses it.
func (u *UI) adminConfirmDisable(w http.ResponseWriter, r *http.Request) {
	me := u.requireAdmin(w, r)
	if me == nil {
		return
	}
	target, err := u.store.UserByID(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if target.ID == me.ID {
		u.adminPage(w, r, http.StatusConflict, me, adminView{Query: q, UsersMessage: admin.SelfDisableMessage})
		return
	}
	if target.DisabledAt != nil {
		http.Redirect(w, r, usersPath(q), http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "admin_disable", &page{Title: "Disable " + target.Username + "?",
		Data: adminDisableView{Target: target, Query: q, Back: usersPath(q)}})
}
