package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// The admin console: one page, GET /admin, with the system status, user
// search, feature flags and the audit log; each action is a form post
// behind the same gate (requireAdmin) that redirects back with a flash.
// The work itself is package admin's, shared with the JSON API.

// adminView is what the console page shows.
type adminView struct {
	Status admin.Status
	// Users: the search and its results.
	Query        string
	Users        []*auth.User
	UsersMessage string // a refused action, such as disabling oneself
	Self         string // the admin's own id
	// Flags: every declared flag; Form holds the errors of a flag form
	// just posted (FormKey names its flag).
	Flags   []flagRow
	FormKey string
	Form    flagForm
	// Audit: a page of the log, newest first.
	Audit      []store.AuditEntry
	Before     int64
	NextBefore int64
}

type flagRow struct {
	admin.FlagState
	// The override as the form shows it; the lists as usernames.
	Enabled bool
	Rollout string
	Allow   string
	Deny    string
	// Errors and Summary of this flag's form, just posted.
	Errors  map[string]string
	Summary []formError
}

type flagForm struct {
	Enabled bool
	Rollout string
	Allow   string
	Deny    string
	accountForm
}

var flagLabels = map[string]string{"enabled": "Enabled", "rollout": "Rollout", "allow": "Always on for", "deny": "Always off for"}

// adminPage renders the console with status; v may carry a refused
// action or a flag form's errors.
func (u *UI) adminPage(w http.ResponseWriter, r *http.Request, status int, me *auth.User, v adminView) {
	ctx := r.Context()
	svc := u.admin()
	v.Status = svc.SystemStatus(ctx)
	v.Self = me.ID
	q := r.URL.Query()
	if v.Query == "" {
		v.Query = strings.TrimSpace(q.Get("q"))
	}
	if len(v.Query) > 200 {
		v.Query = v.Query[:200]
	}
	var err error
	if v.Users, err = u.store.SearchUsers(ctx, v.Query, 50, ""); err != nil {
		u.serverError(w, r, err)
		return
	}
	states, err := svc.Flags(ctx)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	names := map[string]string{} // user id -> username, for the flags' lists
	username := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := id
		if usr, err := u.store.UserByID(ctx, id); err == nil {
			n = usr.Username
		}
		names[id] = n
		return n
	}
	usernames := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = username(id)
		}
		return strings.Join(out, ", ")
	}
	for _, st := range states {
		row := flagRow{FlagState: st, Enabled: st.Default, Rollout: "100"}
		if o := st.Override; o != nil {
			row.Enabled, row.Rollout = o.Enabled, strconv.Itoa(o.RolloutPercent)
			row.Allow, row.Deny = usernames(o.AllowUsers), usernames(o.DenyUsers)
		}
		if st.Key == v.FormKey {
			row.Enabled, row.Rollout, row.Allow, row.Deny = v.Form.Enabled, v.Form.Rollout, v.Form.Allow, v.Form.Deny
			row.Errors, row.Summary = v.Form.Errors, v.Form.Summary
		}
		v.Flags = append(v.Flags, row)
	}
	if b := q.Get("before"); b != "" {
		if n, err := strconv.ParseInt(b, 10, 64); err == nil && n > 0 {
			v.Before = n
		}
	}
	entries, next, err := svc.AuditLog(ctx, v.Before)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.NextBefore, v.Audit = next, entries
	w.Header().Set("Cache-Control", "no-store")
	title := "Admin console"
	if status != http.StatusOK {
		title = "Please check · " + title
	}
	u.render(w, r, status, "admin", &page{Title: title, Data: v})
}

// admin returns the console's shared operations.
func (u *UI) admin() *admin.Service {
	var cache admin.FlagCache
	if c, ok := u.flags.(admin.FlagCache); ok && c != nil {
		cache = c
	}
	return admin.New(u.store, cache, string(u.env), u.log).WithStatusSources(u.status)
}

// adminConsole is GET /admin.
func (u *UI) adminConsole(w http.ResponseWriter, r *http.Request) {
	me := u.requireAdmin(w, r)
	if me == nil {
		return
	}
	u.adminPage(w, r, http.StatusOK, me, adminView{})
}

// adminForm starts an admin form post: the gate first, then the form.
func (u *UI) adminForm(w http.ResponseWriter, r *http.Request) (*auth.User, bool) {
	return u.gatedForm(w, r, u.requireAdmin)
}

// usersPath is the console's user section, keeping the search.
func usersPath(q string) string {
	p := "/admin"
	if q = strings.TrimSpace(q); q != "" {
		p += "?q=" + url.QueryEscape(q)
	}
	return p + "#users-heading"
}

// adminUserAction wraps the per-user posts: load the target, act, and
// redirect with flash, or show the refusal.
func (u *UI) adminUserAction(act func(r *http.Request, svc *admin.Service, me, target *auth.User, ip string) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me, ok := u.adminForm(w, r)
		if !ok {
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
		q := r.PostForm.Get("q")
		flash, err := act(r, u.admin(), me, target, account.ClientOf(r).IP)
		var msg string
		switch {
		case err == nil:
			u.redirect(w, r, usersPath(q), flash)
			return
		case errors.Is(err, admin.ErrSelfDisable):
			msg = admin.SelfDisableMessage
		case errors.Is(err, admin.ErrSelfDemote):
			msg = admin.SelfDemoteMessage
		case errors.Is(err, errBadRole):
			msg = "Choose the role user or admin."
		default:
			u.serverError(w, r, err)
			return
		}
		u.adminPage(w, r, http.StatusConflict, me, adminView{Query: strings.TrimSpace(q), UsersMessage: msg})
	}
}

var errBadRole = errors.New("role must be user or admin")

func (u *UI) adminSetDisabled(disabled bool) http.HandlerFunc {
	return u.adminUserAction(func(r *http.Request, svc *admin.Service, me, target *auth.User, ip string) (string, error) {
		flash := "user-enabled"
		if disabled {
			flash = "user-disabled"
		}
		_, err := svc.SetDisabled(r.Context(), me, target, disabled, ip)
		return flash, err
	})
}

func (u *UI) adminSetRole() http.HandlerFunc {
	return u.adminUserAction(func(r *http.Request, svc *admin.Service, me, target *auth.User, ip string) (string, error) {
		role := auth.Role(r.PostForm.Get("role"))
		if role != auth.RoleUser && role != auth.RoleAdmin {
			return "", errBadRole
		}
		return "role-changed", svc.SetRole(r.Context(), me, target, role, ip)
	})
}

// adminResetSessions is the older form of adminRevoke, kept for its
// route; it now ends tokens too.
func (u *UI) adminResetSessions() http.HandlerFunc {
	return u.adminUserAction(func(r *http.Request, svc *admin.Service, me, target *auth.User, ip string) (string, error) {
		_, err := svc.ResetSessions(r.Context(), me, target, ip)
		return "sessions-reset", err
	})
}

// adminRevoke ends every session and API token of the user.
func (u *UI) adminRevoke() http.HandlerFunc {
	return u.adminUserAction(func(r *http.Request, svc *admin.Service, me, target *auth.User, ip string) (string, error) {
		_, err := svc.Revoke(r.Context(), me, target, ip)
		return "user-revoked", err
	})
}

// adminSetFlag is the form of one flag: enabled, rollout percentage and
// the allow and deny lists as usernames.
func (u *UI) adminSetFlag(w http.ResponseWriter, r *http.Request) {
	me, ok := u.adminForm(w, r)
	if !ok {
		return
	}
	f, found := flags.Lookup(r.PathValue("key"))
	if !found {
		u.notFound(w, r)
		return
	}
	ctx := r.Context()
	pf := r.PostForm
	form := flagForm{Enabled: pf.Get("enabled") == "on", Rollout: strings.TrimSpace(pf.Get("rollout")),
		Allow: pf.Get("allow"), Deny: pf.Get("deny")}
	var errs validate.Errors
	percent := 100
	if form.Rollout != "" {
		n, err := strconv.Atoi(form.Rollout)
		if err != nil || n < 0 || n > 100 {
			errs.Add("rollout", "must be a whole number from 0 to 100")
		} else {
			percent = n
		}
	}
	ids := func(field, text string) []string {
		names := splitList(text)
		if len(names) > 1000 {
			errs.Add(field, "names more than 1000 users")
			return nil
		}
		var out, unknown []string
		for _, name := range names {
			usr, err := u.store.UserByUsername(ctx, name)
			if err != nil {
				unknown = append(unknown, name)
				continue
			}
			out = append(out, usr.ID)
		}
		if len(unknown) > 0 {
			errs.Add(field, "names no user called %s", strings.Join(unknown, ", "))
		}
		return out
	}
	allow, deny := ids("allow", form.Allow), ids("deny", form.Deny)
	if len(errs) == 0 {
		for _, id := range allow {
			for _, d := range deny {
				if id == d {
					errs.Add("deny", "also names a user on the always-on list")
				}
			}
		}
	}
	if len(errs) == 0 {
		_, err := u.admin().SetFlag(ctx, me, f, admin.FlagChange{Enabled: form.Enabled, RolloutPercent: percent, Allow: allow, Deny: deny},
			account.ClientOf(r).IP)
		switch {
		case err == nil:
			u.redirect(w, r, "/admin#flag-"+f.Key, "flag-saved")
			return
		case errors.Is(err, flags.ErrInvalid):
			errs.Add("allow", "%s", err.Error())
		default:
			u.serverError(w, r, err)
			return
		}
	}
	form.setErrors(errs, flagLabels)
	// The fields' ids carry the flag's key; so must the summary's links.
	for i := range form.Summary {
		form.Summary[i].Field = fmt.Sprintf("flag-%s-%s", f.Key, form.Summary[i].Field)
	}
	u.adminPage(w, r, http.StatusUnprocessableEntity, me, adminView{FormKey: f.Key, Form: form})
}
