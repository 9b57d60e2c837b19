package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Audit log actions of the admin console.
// They live in package admin, which the web pages share.
const (
	AuditUserDisable   = admin.AuditUserDisable
	AuditUserEnable    = admin.AuditUserEnable
	AuditUserRole      = admin.AuditUserRole
	AuditSessionsReset = admin.AuditSessionsReset
	AuditUserRevoke    = admin.AuditUserRevoke
	AuditFlagSet       = admin.AuditFlagSet
)

// WithFlags gives the API the feature-flag evaluator the admin console
// shows and invalidates.
func (a *API) WithFlags(e *flags.Evaluator) *API {
	a.flags = e
	return a
}

// WithStatusSources gives the admin status what it checks besides the
// database (storage, job queue).
func (a *API) WithStatusSources(src *admin.StatusSources) *API {
	a.status = src
	return a
}

// admin returns the console's shared operations.
func (a *API) admin() *admin.Service {
	var cache admin.FlagCache
	if a.flags != nil {
		cache = a.flags
	}
	return admin.New(a.store, cache, string(a.env), a.log).WithStatusSources(a.status)
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
		// Disabling revokes every session and token for good: after
		// enabling, the user signs in afresh.
		_, err := a.admin().SetDisabled(r.Context(), actor, target, disabled, account.ClientOf(r).IP)
		if err != nil {
			a.fail(w, r, err)
			return
		}
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
	err := a.admin().SetRole(r.Context(), actor, target, role, account.ClientOf(r).IP)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeAdminUser(w, r, target.ID)
}

// adminResetSessions is the older route of adminRevoke: the same effect,
// its own audit action, and no body.
func (a *API) adminResetSessions(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.revokeTarget(w, r, (*admin.Service).ResetSessions); ok {
		w.WriteHeader(http.StatusNoContent)
	}
}

// revokedView says what a revocation ended.
type revokedView struct {
	SessionsRevoked int64 `json:"sessions_revoked"`
	TokensRevoked   int64 `json:"tokens_revoked"`
}

// adminRevoke ends every session and API token of a user.
func (a *API) adminRevoke(w http.ResponseWriter, r *http.Request) {
	if rev, ok := a.revokeTarget(w, r, (*admin.Service).Revoke); ok {
		w.Header().Set("Cache-Control", "no-store")
		httpx.WriteJSON(w, r, http.StatusOK, revokedView{rev.Sessions, rev.Tokens})
	}
}

// revokeTarget runs a revocation on the path's user, answering refusals
// and failures itself (ok is false then).
func (a *API) revokeTarget(w http.ResponseWriter, r *http.Request,
	revoke func(*admin.Service, context.Context, *auth.User, *auth.User, string) (store.Revoked, error)) (rev store.Revoked, ok bool) {
	actor := a.requireAdmin(w, r)
	if actor == nil {
		return rev, false
	}
	target := a.adminTarget(w, r)
	if target == nil {
		return rev, false
	}
	rev, err := revoke(a.admin(), r.Context(), actor, target, account.ClientOf(r).IP)
	if err != nil {
		a.fail(w, r, err)
		return rev, false
	}
	return rev, true
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

func (a *API) adminFlags(w http.ResponseWriter, r *http.Request) {
	if a.requireAdmin(w, r) == nil {
		return
	}
	states, err := a.admin().Flags(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := flagList{Items: []flagView{}}
	for _, f := range states {
		v := flagView{Key: f.Key, Description: f.Description, Default: f.Default, Owner: f.Owner, Environment: f.Environment}
		if f.Override != nil {
			v.Override = viewOverride(*f.Override)
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
	o, err := a.admin().SetFlag(r.Context(), actor, f, admin.FlagChange{Enabled: *req.Enabled, RolloutPercent: percent,
		Allow: req.Allow, Deny: req.Deny}, account.ClientOf(r).IP)
	if err != nil {
		if errors.Is(err, flags.ErrInvalid) {
			httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "allow", Message: err.Error()}}))
			return
		}
		a.fail(w, r, err)
		return
	}
	v := flagView{Key: f.Key, Description: f.Description, Default: f.Default, Owner: f.Owner, Environment: o.Environment, Override: viewOverride(o)}
	httpx.WriteJSON(w, r, http.StatusOK, v)
}

type auditList struct {
	Items      []store.AuditEntry `json:"items"`
	NextBefore int64              `json:"next_before"`
}

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
	entries, next, err := a.admin().AuditLog(r.Context(), before)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := auditList{Items: entries, NextBefore: next}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}
