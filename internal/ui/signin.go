package ui

// Registering, signing in and out.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

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
	next := localPath(r.URL.Query().Get("next"))
	if auth.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "register", &page{Title: "Create your account", Data: accountForm{Next: next}})
}

func (u *UI) register(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	// next is where the visitor was going when asked to sign in (an
	// invitation link, say): a new account goes on there.
	f := accountForm{Username: r.PostForm.Get("username"), Email: r.PostForm.Get("email"), DisplayName: r.PostForm.Get("display_name"),
		Next: localPath(r.PostForm.Get("next"))}
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
		u.redirect(w, r, f.Next, "welcome")
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
