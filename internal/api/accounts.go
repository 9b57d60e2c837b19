package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
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
}

func viewUser(u *auth.User) userView {
	return userView{u.ID, u.Username, u.Email, u.DisplayName, u.Bio, u.AvatarURL, u.Role, u.CreatedAt, u.UpdatedAt, u.LastLoginAt}
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
	reg := auth.Registration{Username: req.Username, Email: req.Email, Password: req.Password, DisplayName: req.DisplayName}
	if errs := reg.Normalize(); len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	hash, err := auth.HashPassword(reg.Password)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u := &auth.User{Username: reg.Username, Email: reg.Email, DisplayName: reg.DisplayName, PasswordHash: hash, Role: auth.RoleUser}
	if err := a.store.CreateUser(r.Context(), u); err != nil {
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
	req.TokenName = validate.Text(&errs, "token_name", req.TokenName, 0, 100, false)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}

	u, err := a.store.UserByLogin(r.Context(), login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.fail(w, r, err)
		return
	}
	// Throttle by account id, so a username and an email share one budget;
	// attempts on unknown logins are throttled by what was typed.
	ipKey, acctKey := "ip:"+clientIP(r), "login:"+login
	if u != nil {
		acctKey = accountKey(u)
	}
	if !checkThrottle(w, r, a.ipLimit, ipKey) || !checkThrottle(w, r, a.accountLimit, acctKey) {
		return
	}
	if u == nil {
		auth.BurnPasswordCheck(req.Password)
	}
	if u == nil || auth.CheckPassword(u.PasswordHash, req.Password) != nil {
		a.ipLimit.Fail(ipKey)
		a.accountLimit.Fail(acctKey)
		a.log.InfoContext(r.Context(), "login failed", "ip", clientIP(r))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnauthorized, "Wrong username, email or password."))
		return
	}
	a.accountLimit.Reset(acctKey)

	// The token first: if it cannot be issued, no session is left behind.
	name := req.TokenName
	if name == "" {
		name = "login " + time.Now().UTC().Format("2006-01-02 15:04")
	}
	exp := time.Now().UTC().Add(loginTokenLifetime)
	secret, tok, err := a.issueToken(r, &auth.APIToken{UserID: u.ID, Name: name, Source: auth.TokenFromLogin, ExpiresAt: &exp})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.store.TouchLogin(r.Context(), u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.startSession(w, r, u); err != nil {
		a.fail(w, r, err)
		return
	}
	fresh, err := a.store.UserByID(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, loginResponse{User: viewUser(fresh), Token: secret, TokenID: tok.ID, TokenExpiresAt: tok.ExpiresAt})
}

// startSession signs the browser in with a new session cookie.
func (a *API) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	secret := auth.NewSecret()
	now := time.Now().UTC()
	ua := r.UserAgent()
	if len(ua) > 200 {
		ua = ua[:200]
	}
	err := a.store.CreateSession(r.Context(), auth.Session{
		ID: auth.HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(auth.SessionLifetime), UserAgent: ua, IP: clientIP(r),
	})
	if err != nil {
		return err
	}
	auth.SetSessionCookie(w, secret, a.secureCookies)
	return nil
}

// errTooManyTokens answers a request for one personal token too many.
var errTooManyTokens = httpx.NewProblem(http.StatusConflict,
	"You have the maximum of "+strconv.Itoa(maxTokensPerUser)+" API tokens; revoke one first.")

// issueToken creates tok with a new secret. Login tokens make room by
// pruning the oldest login tokens, so signing in never fails on a limit;
// personal tokens are capped separately and refused over the cap.
func (a *API) issueToken(r *http.Request, tok *auth.APIToken) (string, *auth.APIToken, error) {
	ctx := r.Context()
	if err := a.store.PruneAPITokens(ctx, tok.UserID, maxTokensPerUser-1); err != nil {
		return "", nil, err
	}
	if tok.Source == auth.TokenFromUser {
		n, err := a.store.CountAPITokens(ctx, tok.UserID, auth.TokenFromUser)
		if err != nil {
			return "", nil, err
		}
		if n >= maxTokensPerUser {
			return "", nil, errTooManyTokens
		}
	}
	secret := auth.NewAPIToken()
	tok.Hash = auth.HashSecret(secret)
	if err := a.store.CreateAPIToken(ctx, tok); err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// accountKey is the throttle key of an account.
func accountKey(u *auth.User) string { return "account:" + u.ID }

// checkThrottle answers 429 with Retry-After (whole seconds, rounded up)
// and returns false when key is over its limit.
func checkThrottle(w http.ResponseWriter, r *http.Request, t *auth.Throttle, key string) bool {
	ok, wait := t.Check(key)
	if ok {
		return true
	}
	secs := strconv.Itoa(int((wait + time.Second - 1) / time.Second))
	w.Header().Set("Retry-After", secs)
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusTooManyRequests,
		"Too many failed attempts. Try again in "+secs+" seconds."))
	return false
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
	auth.ClearSessionCookie(w, a.secureCookies)
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
	var errs validate.Errors
	name := validate.Text(&errs, "name", req.Name, 1, 100, false)
	validate.IntRange(&errs, "expires_in_days", req.ExpiresInDays, 1, 3650)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	var exp *time.Time
	if req.ExpiresInDays != nil {
		t := time.Now().UTC().Add(time.Duration(*req.ExpiresInDays) * 24 * time.Hour)
		exp = &t
	}
	secret, tok, err := a.issueToken(r, &auth.APIToken{UserID: u.ID, Name: name, Source: auth.TokenFromUser, ExpiresAt: exp})
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
	httpx.WriteJSON(w, r, http.StatusOK, viewUser(u))
}

type updateMeRequest struct {
	DisplayName *string `json:"display_name"`
	Bio         *string `json:"bio"`
	Email       *string `json:"email"`
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
	var errs validate.Errors
	if req.DisplayName != nil {
		u.DisplayName = validate.Text(&errs, "display_name", *req.DisplayName, 1, auth.MaxDisplayName, false)
	}
	if req.Bio != nil {
		u.Bio = validate.Text(&errs, "bio", *req.Bio, 0, auth.MaxBio, true)
	}
	if req.Email != nil {
		u.Email = auth.NormalizeEmail(&errs, "email", *req.Email)
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	if err := a.store.UpdateUserProfile(r.Context(), u); err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, viewUser(u))
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword replaces the password, signs out every session and
// revokes every login token (a new session replaces the caller's own), so
// that a password change locks out whoever else had access. Tokens created
// on purpose for scripts stay; they are listed and revocable on their own.
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
	var errs validate.Errors
	if req.CurrentPassword == "" {
		errs.Add("current_password", "is required")
	}
	auth.CheckPasswordRules(&errs, "new_password", req.NewPassword, u.Username, u.Email)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return
	}
	acctKey := accountKey(u)
	if !checkThrottle(w, r, a.accountLimit, acctKey) {
		return
	}
	if auth.CheckPassword(u.PasswordHash, req.CurrentPassword) != nil {
		a.accountLimit.Fail(acctKey)
		p := httpx.Invalid(validate.Errors{{Field: "current_password", Message: "is not your current password"}})
		httpx.WriteProblem(w, r, p)
		return
	}
	hash, err := auth.HashPassword(req.NewPassword)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	if err := a.store.SetPassword(ctx, u.ID, hash); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.store.DeleteUserSessions(ctx, u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.store.DeleteLoginTokens(ctx, u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	if auth.SessionFrom(ctx) != nil {
		if err := a.startSession(w, r, u); err != nil {
			a.fail(w, r, err)
			return
		}
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
}

// userProfile is a user's public face; recipe_count counts only what the
// caller could list.
func (a *API) userProfile(w http.ResponseWriter, r *http.Request) {
	u, err := a.store.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	viewer := ""
	if me := auth.UserFrom(r.Context()); me != nil {
		viewer = me.ID
	}
	n, err := a.store.CountVisibleRecipes(r.Context(), u.ID, viewer)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, profileView{u.Username, u.DisplayName, u.Bio, u.AvatarURL, u.CreatedAt, n})
}
