package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// userView is a user as its owner sees it.
type userView struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	Email       string     `json:"email"`
	DisplayName string     `json:"display_name"`
	Bio         string     `json:"bio"`
	AvatarURL   string     `json:"avatar_url"`
	Role        auth.Role  `json:"role"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
	// UnitSystem is the measures recipe pages show: "original", "metric",
	// "us", or "" (the browser's language decides).
	UnitSystem string `json:"unit_system"`
}

func viewUser(u *auth.User) userView {
	return userView{u.ID, u.Username, u.Email, u.DisplayName, u.Bio, u.AvatarURL, u.Role, u.CreatedAt, u.UpdatedAt, u.LastLoginAt, u.UnitSystem}
}

type registerRequest struct {
	Username    string `json:"username"`
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
}

func (a *API) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	u, err := a.accounts.Register(r.Context(), auth.Registration{Username: req.Username, Email: req.Email, Password: req.Password, DisplayName: req.DisplayName})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.startSession(w, r, u); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/me")
	httpx.WriteJSON(w, r, http.StatusCreated, map[string]any{"user": viewUser(u)})
}

type loginRequest struct {
	Login     string `json:"login"`
	Password  string `json:"password"`
	TokenName string `json:"token_name"`
}

type loginResponse struct {
	User           userView   `json:"user"`
	Token          string     `json:"token"`
	TokenID        string     `json:"token_id"`
	TokenExpiresAt *time.Time `json:"token_expires_at"`
	// MFARequired: the account has a second factor, so the token and the
	// session work only after POST /api/v1/me/mfa/verify.
	MFARequired bool `json:"mfa_required"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	login := strings.ToLower(validate.Text(&errs, "login", req.Login, 1, auth.MaxEmail, false))
	if req.Password == "" {
		errs.Add("password", "is required")
	} else if len(req.Password) > 4*auth.MaxPassword {
		errs.Add("password", "is too long")
	}
	req.TokenName = validate.Text(&errs, "token_name", req.TokenName, 0, account.MaxTokenName, false)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}

	u, err := a.accounts.Authenticate(r.Context(), login, req.Password, account.ClientOf(r))
	if err != nil {
		if errors.Is(err, account.ErrBadCredentials) {
			a.log.InfoContext(r.Context(), "login failed", "ip", account.ClientOf(r).IP)
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnauthorized, "Wrong username, email or password."))
			return
		}
		a.fail(w, r, err)
		return
	}
	// The token first: if it cannot be issued, no session is left behind.
	secret, tok, err := a.accounts.IssueLoginToken(r.Context(), u, req.TokenName)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.startSession(w, r, u); err != nil {
		a.fail(w, r, err)
		return
	}
	mfaOn := false
	if a.mfa != nil {
		if mfaOn, err = a.mfa.Enabled(r.Context(), u); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	httpx.WriteJSON(w, r, http.StatusOK, loginResponse{User: viewUser(u), Token: secret, TokenID: tok.ID, TokenExpiresAt: tok.ExpiresAt, MFARequired: mfaOn})
}

// startSession signs the browser in with a new session cookie.
func (a *API) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	secret, err := a.accounts.StartSession(r.Context(), u, account.ClientOf(r))
	if err != nil {
		return err
	}
	authhttp.SetSessionCookie(w, secret, a.secureCookies)
	// The device cookie: a browser (or a client keeping cookies) that
	// sends it back is throttled on its own budget, not the account's
	// shared one for unknown devices.
	a.accounts.RememberDevice(w, r, u, a.secureCookies)
	return nil
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s := auth.SessionFrom(ctx); s != nil {
		if err := a.store.DeleteSession(ctx, s.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	if t := auth.TokenFrom(ctx); t != nil {
		if err := a.store.DeleteAPIToken(ctx, t.UserID, t.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			a.fail(w, r, err)
			return
		}
	}
	authhttp.ClearSessionCookie(w, a.secureCookies)
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	toks, err := a.store.APITokens(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, map[string]any{"items": toks})
}

type createTokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req createTokenRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	secret, tok, err := a.accounts.CreateToken(r.Context(), u, auth.CredentialFrom(r.Context()),
		account.TokenRequest{Name: req.Name, ExpiresInDays: req.ExpiresInDays})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusCreated, struct {
		*auth.APIToken
		Token string `json:"token"`
	}{tok, secret})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	if err := a.store.DeleteAPIToken(r.Context(), u.ID, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	pending, err := a.pendingEmail(r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, viewMe(u, pending))
}

type updateMeRequest struct {
	DisplayName *string `json:"display_name"`
	Bio         *string `json:"bio"`
	Email       *string `json:"email"`
	UnitSystem  *string `json:"unit_system"`
}

func (a *API) updateMe(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req updateMeRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	// A new email is not applied but asked for: the answer shows the
	// address unchanged and the new one as pending_email.
	next, pending, err := a.accounts.UpdateProfile(r.Context(), u,
		account.ProfileChange{DisplayName: req.DisplayName, Bio: req.Bio, Email: req.Email, UnitSystem: req.UnitSystem}, a.emails, account.ClientOf(r))
	if err == nil && pending == nil {
		pending, err = a.pendingEmail(r, u)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, viewMe(next, pending))
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req changePasswordRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	// Every session and token ends; a browser gets a new session.
	secret, err := a.accounts.ChangePassword(r.Context(), u, req.CurrentPassword, req.NewPassword, account.ClientOf(r), auth.CredentialFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if secret != "" {
		authhttp.SetSessionCookie(w, secret, a.secureCookies)
	}
	w.WriteHeader(http.StatusNoContent)
}

type profileView struct {
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Bio         string    `json:"bio"`
	AvatarURL   string    `json:"avatar_url"`
	CreatedAt   time.Time `json:"created_at"`
	RecipeCount int       `json:"recipe_count"`
	profileFollows
}

// userProfile is a user's public face; recipe_count counts only what the
// caller could list, and the follow counts come in the same statement
// (store.ProfileStats).
func (a *API) userProfile(w http.ResponseWriter, r *http.Request) {
	u, err := a.store.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	viewer := ""
	me := auth.UserFrom(r.Context())
	if me != nil {
		viewer = me.ID
		w.Header().Set("Cache-Control", "private, no-store")
	}
	st, err := a.store.ProfileStats(r.Context(), u.ID, viewer)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, profileView{u.Username, u.DisplayName, u.Bio, u.AvatarURL, u.CreatedAt,
		st.Recipes, newProfileFollows(st, me)})
}
