package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Audit log actions of the admin console.
const (
	AuditUserDisable   = "user.disable"
	AuditUserEnable    = "user.enable"
	AuditUserRole      = "user.role"
	AuditSessionsReset = "user.sessions_reset"
	AuditFlagSet       = "flag.set"
)

// WithFlags gives the API the feature-flag evaluator the admin console
// shows and invalidates.
func (a *API) WithFlags(e *flags.Evaluator) *API {
	a.flags = e
	return a
}

// audit appends an admin action; a failure to write is logged, not
// returned: the change it describes has already happened.
func (a *API) audit(r *http.Request, actor *auth.User, action, target, details string) {
	e := store.AuditEntry{ActorID: actor.ID, Action: action, Target: target, IP: account.ClientOf(r).IP, Details: details}
	if err := a.store.Audit(r.Context(), e); err != nil {
		a.log.WarnContext(r.Context(), "append audit log", "action", action, "err", err)
	}
}

// adminUserView is an account as the admin console sees it.
type adminUserView struct {
	userView
	Disabled   bool       `json:"disabled"`
	DisabledAt *time.Time `json:"disabled_at"`
}

func viewAdminUser(u *auth.User) adminUserView {
	return adminUserView{userView: viewUser(u), Disabled: u.DisabledAt != nil, DisabledAt: u.DisabledAt}
}

type adminUserList struct {
	Items      []adminUserView `json:"items"`
	NextCursor string          `json:"next_cursor"`
}

const adminUserPage = 50

func (a *API) adminSearchUsers(w http.ResponseWriter, r *http.Request) {
	if a.requireAdmin(w, r) == nil {
		return
	}
	q, after := r.URL.Query().Get("q"), r.URL.Query().Get("after")
	var errs validate.Errors
	if len(q) > 200 {
		errs = append(errs, validate.FieldError{Field: "q", Message: "is longer than 200 characters"})
	}
	if len(after) > 200 {
		errs = append(errs, validate.FieldError{Field: "after", Message: "is longer than 200 characters"})
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	users, err := a.store.SearchUsers(r.Context(), strings.TrimSpace(q), adminUserPage, after)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := adminUserList{Items: []adminUserView{}}
	for _, u := range users {
		out.Items = append(out.Items, viewAdminUser(u))
	}
	if len(users) == adminUserPage {
		out.NextCursor = users[len(users)-1].Username
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}

// adminTarget loads the user named by {id}, answering 404 if there is none.
func (a *API) adminTarget(w http.ResponseWriter, r *http.Request) *auth.User {
	u, err := a.store.UserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return nil
	}
	return u
}

func conflict(w http.ResponseWriter, r *http.Request, detail string) {
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, detail))
}

func (a *API) adminSetDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor := a.requireAdmin(w, r)
		if actor == nil {
			return
		}
		target := a.adminTarget(w, r)
		if target == nil {
			return
		}
		if disabled && target.ID == actor.ID {
			conflict(w, r, "You cannot disable your own account.")
			return
		}
		if err := a.store.SetUserDisabled(r.Context(), target.ID, disabled); err != nil {
			a.fail(w, r, err)
			return
		}
		// Disabling ends the sessions; tokens stop working (the store
		// ignores disabled accounts).
		action := AuditUserEnable
		if disabled {
			action = AuditUserDisable
		}
		a.audit(r, actor, action, "user:"+target.ID, target.Username)
		a.writeAdminUser(w, r, target.ID)
	}
}

func (a *API) writeAdminUser(w http.ResponseWriter, r *http.Request, id string) {
	u, err := a.store.UserByID(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, viewAdminUser(u))
}

type roleRequest struct {
	Role string `json:"role"`
}

func (a *API) adminSetRole(w http.ResponseWriter, r *http.Request) {
	actor := a.requireAdmin(w, r)
	if actor == nil {
		return
	}
	var req roleRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	role := auth.Role(req.Role)
	if role != auth.RoleUser && role != auth.RoleAdmin {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "role", Message: "must be user or admin"}}))
		return
	}
	target := a.adminTarget(w, r)
	if target == nil {
		return
	}
	if target.ID == actor.ID && role != auth.RoleAdmin {
		conflict(w, r, "You cannot remove your own admin role; ask another admin.")
		return
	}
	if err := a.store.SetRole(r.Context(), target.ID, role); err != nil {
		a.fail(w, r, err)
		return
	}
	a.audit(r, actor, AuditUserRole, "user:"+target.ID, fmt.Sprintf("%s: %s -> %s", target.Username, target.Role, role))
	a.writeAdminUser(w, r, target.ID)
}

func (a *API) adminResetSessions(w http.ResponseWriter, r *http.Request) {
	actor := a.requireAdmin(w, r)
	if actor == nil {
		return
	}
	target := a.adminTarget(w, r)
	if target == nil {
		return
	}
	if err := a.store.DeleteUserSessions(r.Context(), target.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	a.audit(r, actor, AuditSessionsReset, "user:"+target.ID, target.Username)
	w.WriteHeader(http.StatusNoContent)
}

// flagView is a declared flag with this environment's override, if any.
type flagView struct {
	Key         string        `json:"key"`
	Description string        `json:"description"`
	Default     bool          `json:"default"`
	Owner       string        `json:"owner"`
	Environment string        `json:"environment"`
	Override    *overrideView `json:"override"`
}

type overrideView struct {
	Enabled        bool      `json:"enabled"`
	RolloutPercent int       `json:"rollout_percent"`
	Allow          []string  `json:"allow"`
	Deny           []string  `json:"deny"`
	UpdatedAt      time.Time `json:"updated_at"`
	UpdatedBy      string    `json:"updated_by"`
}

type flagList struct {
	Items []flagView `json:"items"`
}

func viewOverride(o flags.Override) *overrideView {
	v := &overrideView{Enabled: o.Enabled, RolloutPercent: o.RolloutPercent, Allow: o.AllowUsers, Deny: o.DenyUsers,
		UpdatedAt: o.UpdatedAt, UpdatedBy: o.UpdatedBy}
	if v.Allow == nil {
		v.Allow = []string{}
	}
	if v.Deny == nil {
		v.Deny = []string{}
	}
	return v
}

// flagEnv is the environment whose overrides the console shows and sets.
func (a *API) flagEnv() string {
	if a.flags != nil {
		return a.flags.Environment()
	}
	return string(a.env)
}

func (a *API) adminFlags(w http.ResponseWriter, r *http.Request) {
	if a.requireAdmin(w, r) == nil {
		return
	}
	overrides, err := a.store.FlagOverrides(r.Context(), a.flagEnv())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	byKey := map[string]flags.Override{}
	for _, o := range overrides {
		byKey[o.Key] = o
	}
	out := flagList{Items: []flagView{}}
	for _, f := range flags.All() {
		v := flagView{Key: f.Key, Description: f.Description, Default: f.Default, Owner: f.Owner, Environment: a.flagEnv()}
		if o, ok := byKey[f.Key]; ok {
			v.Override = viewOverride(o)
		}
		out.Items = append(out.Items, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}

type flagRequest struct {
	Enabled        *bool    `json:"enabled"`
	RolloutPercent *int     `json:"rollout_percent"`
	Allow          []string `json:"allow"`
	Deny           []string `json:"deny"`
}

func (a *API) adminSetFlag(w http.ResponseWriter, r *http.Request) {
	actor := a.requireAdmin(w, r)
	if actor == nil {
		return
	}
	f, ok := flags.Lookup(r.PathValue("key"))
	if !ok {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound, "No such feature flag."))
		return
	}
	var req flagRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	if req.Enabled == nil {
		errs = append(errs, validate.FieldError{Field: "enabled", Message: "is required"})
	}
	percent := 100
	if req.RolloutPercent != nil {
		percent = *req.RolloutPercent
		if percent < 0 || percent > 100 {
			errs = append(errs, validate.FieldError{Field: "rollout_percent", Message: "must be between 0 and 100"})
		}
	}
	for field, list := range map[string][]string{"allow": req.Allow, "deny": req.Deny} {
		if len(list) > 1000 {
			errs = append(errs, validate.FieldError{Field: field, Message: "holds more than 1000 users"})
		}
		for _, id := range list {
			if id == "" || len(id) > 64 {
				errs = append(errs, validate.FieldError{Field: field, Message: "holds an invalid user id"})
				break
			}
		}
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	o := flags.Override{Environment: a.flagEnv(), Key: f.Key, Enabled: *req.Enabled, RolloutPercent: percent,
		AllowUsers: req.Allow, DenyUsers: req.Deny, UpdatedBy: actor.Username}
	if err := a.store.SetFlagOverride(r.Context(), &o); err != nil {
		if errors.Is(err, flags.ErrInvalid) {
			httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "allow", Message: err.Error()}}))
			return
		}
		a.fail(w, r, err)
		return
	}
	if a.flags != nil {
		a.flags.Invalidate()
	}
	a.audit(r, actor, AuditFlagSet, "flag:"+f.Key, a.flagEnv()+": "+o.Summary())
	v := flagView{Key: f.Key, Description: f.Description, Default: f.Default, Owner: f.Owner, Environment: a.flagEnv(), Override: viewOverride(o)}
	httpx.WriteJSON(w, r, http.StatusOK, v)
}

type auditList struct {
	Items      []store.AuditEntry `json:"items"`
	NextBefore int64              `json:"next_before"`
}

const auditPage = 50

func (a *API) adminAudit(w http.ResponseWriter, r *http.Request) {
	if a.requireAdmin(w, r) == nil {
		return
	}
	var before int64
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "before", Message: "must be a positive entry id"}}))
			return
		}
		before = n
	}
	entries, err := a.store.AuditLog(r.Context(), auditPage, before)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := auditList{Items: entries}
	if len(entries) == auditPage {
		out.NextBefore = entries[len(entries)-1].ID
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}
