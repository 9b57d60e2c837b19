package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

type homeView struct {
	Tab     string // "mine" or "everyone"; "" on the visitors' landing page
	Items   []*recipe.Summary
	NextURL string
}

// home is the landing page for visitors and the kitchen table for people
// signed in: their own recipes, or everyone's newest.
func (u *UI) home(w http.ResponseWriter, r *http.Request) {
	me := auth.UserFrom(r.Context())
	q := r.URL.Query()
	lq := store.ListQuery{Limit: 12, Cursor: q.Get("cursor")}
	v := homeView{}
	if me != nil {
		lq.ViewerID = me.ID
		v.Tab = "mine"
		if q.Get("tab") == "everyone" {
			v.Tab = "everyone"
			lq.Visibility = recipe.Public
		} else {
			lq.AuthorID = me.ID
		}
	}
	res, _, err := u.list(r, lq)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Items = res.Items
	if res.NextCursor != "" && me != nil {
		v.NextURL = "/?tab=" + v.Tab + "&cursor=" + urlQueryEscape(res.NextCursor)
	}
	if me == nil {
		u.render(w, r, http.StatusOK, "landing", &page{Title: "Your recipes, kept and shared",
			Description: "RecCollection keeps your recipes, finds them again and shares the ones you love.", Data: v})
		return
	}
	u.render(w, r, http.StatusOK, "home", &page{Title: "Your kitchen", Data: v})
}

func (u *UI) about(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "about", &page{Title: "About"})
}

type profileView struct {
	Profile *auth.User
	Count   int
	Items   []*recipe.Summary
	NextURL string
	IsMe    bool
}

func (u *UI) profile(w http.ResponseWriter, r *http.Request) {
	who, err := u.store.UserByUsername(r.Context(), r.PathValue("username"))
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	viewer := ""
	if me := auth.UserFrom(r.Context()); me != nil {
		viewer = me.ID
	}
	n, err := u.store.CountVisibleRecipes(r.Context(), who.ID, viewer)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	res, _, err := u.list(r, store.ListQuery{ViewerID: viewer, AuthorID: who.ID, Limit: 24, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := profileView{Profile: who, Count: n, Items: res.Items, IsMe: viewer == who.ID}
	if res.NextCursor != "" {
		v.NextURL = "/u/" + who.Username + "?cursor=" + urlQueryEscape(res.NextCursor)
	}
	u.render(w, r, http.StatusOK, "profile", &page{Title: who.DisplayName + " (@" + who.Username + ")",
		Description: "Recipes by " + who.DisplayName + " on RecCollection.", Data: v})
}

// accountForm is the register and login forms as typed; passwords are
// never sent back.
type accountForm struct {
	Username    string
	Email       string
	DisplayName string
	Login       string
	Next        string
	Errors      map[string]string
	Summary     []formError
	Message     string // a form-level error, such as wrong credentials
}

func (f *accountForm) setErrors(errs validate.Errors, labels map[string]string) {
	f.Errors = map[string]string{}
	for _, e := range errs {
		if _, dup := f.Errors[e.Field]; dup {
			continue
		}
		f.Errors[e.Field] = e.Message
		f.Summary = append(f.Summary, formError{Field: e.Field, Label: labels[e.Field], Message: e.Message})
	}
}

var accountLabels = map[string]string{
	"username": "Username", "email": "Email", "display_name": "Display name", "password": "Password",
	"login": "Username or email", "current_password": "Current password", "new_password": "New password", "bio": "About you",
	"name": "Token name", "expires_in_days": "Expires after",
}

func (u *UI) registerForm(w http.ResponseWriter, r *http.Request) {
	if auth.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "register", &page{Title: "Create your account", Data: accountForm{}})
}

func (u *UI) register(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	f := accountForm{Username: r.PostForm.Get("username"), Email: r.PostForm.Get("email"), DisplayName: r.PostForm.Get("display_name")}
	usr, err := u.accounts.Register(r.Context(), auth.Registration{Username: f.Username, Email: f.Email,
		Password: r.PostForm.Get("password"), DisplayName: f.DisplayName})
	var ve *validate.Error
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		f.setErrors(ve.Fields, accountLabels)
	case errors.As(err, &ce):
		f.setErrors(validate.Errors{{Field: ce.Field, Message: "is already taken"}}, accountLabels)
	case err != nil:
		u.serverError(w, r, err)
		return
	default:
		if err := u.signIn(w, r, usr); err != nil {
			u.serverError(w, r, err)
			return
		}
		u.redirect(w, r, "/", "welcome")
		return
	}
	u.render(w, r, http.StatusUnprocessableEntity, "register", &page{Title: "Please check the form · Create your account", Data: f})
}

func (u *UI) signIn(w http.ResponseWriter, r *http.Request, usr *auth.User) error {
	secret, err := u.accounts.StartSession(r.Context(), usr, account.ClientOf(r))
	if err != nil {
		return err
	}
	authhttp.SetSessionCookie(w, secret, u.secureCookies)
	// This browser now knows the password: its later sign-ins count
	// against its own budget, not the one strangers share.
	u.accounts.RememberDevice(w, r, usr, u.secureCookies)
	return nil
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if auth.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "login", &page{Title: "Log in", Data: accountForm{Next: next}})
}

func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	f := accountForm{Login: r.PostForm.Get("login"), Next: localPath(r.PostForm.Get("next"))}
	var errs validate.Errors
	login := strings.ToLower(validate.Text(&errs, "login", f.Login, 1, auth.MaxEmail, false))
	password := r.PostForm.Get("password")
	if password == "" {
		errs.Add("password", "is required")
	}
	status := http.StatusUnprocessableEntity
	if len(errs) > 0 {
		f.setErrors(errs, accountLabels)
	} else {
		usr, err := u.accounts.Authenticate(r.Context(), login, password, account.ClientOf(r))
		wait, throttled := tooMany(w, err, "failed attempts")
		switch {
		case errors.Is(err, account.ErrBadCredentials):
			f.Message, status = "That username or email and password do not match. Check them and try again.", http.StatusUnauthorized
		case throttled:
			f.Message, status = wait, http.StatusTooManyRequests
		case err != nil:
			u.serverError(w, r, err)
			return
		default:
			if err := u.signIn(w, r, usr); err != nil {
				u.serverError(w, r, err)
				return
			}
			// With a second factor the session starts unverified: the
			// code comes next, then the page the visitor wanted.
			if on, err := u.mfa.Enabled(r.Context(), usr); err != nil {
				u.serverError(w, r, err)
				return
			} else if on {
				http.Redirect(w, r, VerifyPath+"?next="+urlQueryEscape(f.Next), http.StatusSeeOther)
				return
			}
			u.redirect(w, r, f.Next, "signed-in")
			return
		}
	}
	u.render(w, r, status, "login", &page{Title: "Log in", Data: f})
}

// tooMany, for a throttle's refusal (account.ThrottledError), sets
// Retry-After and says how long to wait; what names the refused tries.
// throttled is false for any other error.
func tooMany(w http.ResponseWriter, err error, what string) (message string, throttled bool) {
	var te *account.ThrottledError
	if !errors.As(err, &te) {
		return "", false
	}
	w.Header().Set("Retry-After", strconv.Itoa(te.Seconds()))
	return "Too many " + what + ". Wait " + waitText(te.RetryAfter) + " and try again.", true
}

func waitText(d time.Duration) string {
	if m := int(d.Round(time.Minute) / time.Minute); m > 1 {
		return strconv.Itoa(m) + " minutes"
	}
	return "a minute"
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	if err := u.accounts.EndSession(r.Context(), auth.SessionFrom(r.Context())); err != nil {
		u.serverError(w, r, err)
		return
	}
	authhttp.ClearSessionCookie(w, u.secureCookies)
	u.redirect(w, r, "/", "signed-out")
}

type settingsView struct {
	Profile      accountForm
	Bio          string
	Password     accountForm
	Tokens       []auth.APIToken
	TokenForm    accountForm
	NewToken     string
	NewTokenName string
	MFA          mfaView
}

func (u *UI) settingsPage(w http.ResponseWriter, r *http.Request, status int, me *auth.User, v settingsView) {
	toks, err := u.store.APITokens(r.Context(), me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Tokens = toks
	if err := u.mfaCard(r.Context(), me, &v.MFA); err != nil {
		u.serverError(w, r, err)
		return
	}
	if v.Profile.Errors == nil {
		v.Profile = accountForm{DisplayName: me.DisplayName, Email: me.Email}
		v.Bio = me.Bio
	}
	u.render(w, r, status, "settings", &page{Title: "Settings", Data: v})
}

func (u *UI) settings(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	u.settingsPage(w, r, http.StatusOK, me, settingsView{})
}

func (u *UI) saveProfile(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	displayName, bio, email := f.Get("display_name"), f.Get("bio"), f.Get("email")
	_, err := u.accounts.UpdateProfile(r.Context(), me, account.ProfileChange{DisplayName: &displayName, Bio: &bio, Email: &email})
	var ve *validate.Error
	var ce *store.ConflictError
	v := settingsView{Profile: accountForm{DisplayName: displayName, Email: email}, Bio: bio}
	switch {
	case err == nil:
		u.redirect(w, r, "/settings", "profile-saved")
		return
	case errors.As(err, &ve):
		v.Profile.setErrors(ve.Fields, accountLabels)
	case errors.As(err, &ce):
		v.Profile.setErrors(validate.Errors{{Field: ce.Field, Message: "is already taken"}}, accountLabels)
	default:
		u.serverError(w, r, err)
		return
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

func (u *UI) changePassword(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	secret, err := u.accounts.ChangePassword(r.Context(), me, r.PostForm.Get("current_password"), r.PostForm.Get("new_password"),
		account.ClientOf(r), auth.CredentialFrom(r.Context()))
	var ve *validate.Error
	var te *account.ThrottledError
	v := settingsView{}
	switch {
	case errors.As(err, &ve):
		v.Password.setErrors(ve.Fields, accountLabels)
	case errors.As(err, &te):
		v.Password.Message = "Too many failed attempts. Wait " + waitText(te.RetryAfter) + " and try again."
	case err != nil:
		u.serverError(w, r, err)
		return
	default:
		// Every session and token ended, this one too; the browser has a
		// new session in its place.
		if secret != "" {
			authhttp.SetSessionCookie(w, secret, u.secureCookies)
		}
		u.redirect(w, r, "/settings", "password-changed")
		return
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

func (u *UI) createToken(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	name := r.PostForm.Get("name")
	secret, tok, err := u.accounts.CreateToken(r.Context(), me, auth.CredentialFrom(r.Context()),
		account.TokenRequestFromForm(name, r.PostForm.Get("expires_in_days")))
	var ve *validate.Error
	v := settingsView{TokenForm: accountForm{Login: name}}
	switch {
	case err == nil:
		// Shown once, on this page; never stored in clear.
		v = settingsView{NewToken: secret, NewTokenName: tok.Name}
		w.Header().Set("Cache-Control", "no-store")
		u.settingsPage(w, r, http.StatusOK, me, v)
		return
	case errors.As(err, &ve):
		v.TokenForm.setErrors(ve.Fields, accountLabels)
	case errors.Is(err, account.ErrTooManyTokens):
		v.TokenForm.setErrors(validate.Errors{{Field: "name", Message: err.Error()}}, accountLabels)
	default:
		u.serverError(w, r, err)
		return
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

func (u *UI) revokeToken(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	err := u.store.DeleteAPIToken(r.Context(), me.ID, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/settings", "token-revoked")
}

// list loads a page of recipes; a cursor that no longer fits (the sort
// changed, the link is old) falls back to the first page, reported by
// expired.
func (u *UI) list(r *http.Request, lq store.ListQuery) (res *store.Page, expired bool, err error) {
	res, err = u.store.ListRecipes(r.Context(), lq)
	if errors.Is(err, store.ErrBadCursor) {
		lq.Cursor = ""
		res, err = u.store.ListRecipes(r.Context(), lq)
		expired = true
	}
	return res, expired, err
}

// signedInForm is the start of every signed-in form post: the user (or a
// redirect to log in) and the parsed, size-bounded form (or an error page).
func (u *UI) signedInForm(w http.ResponseWriter, r *http.Request) (*auth.User, bool) {
	return u.gatedForm(w, r, u.requireUser)
}

// gatedForm passes gate (which answers when it refuses), then parses the
// form, bounded in size.
func (u *UI) gatedForm(w http.ResponseWriter, r *http.Request, gate func(http.ResponseWriter, *http.Request) *auth.User) (*auth.User, bool) {
	me := gate(w, r)
	if me == nil {
		return nil, false
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return nil, false
	}
	return me, true
}
