package ui

// A user's settings: profile, password and API tokens.

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

type settingsView struct {
	Profile      accountForm
	Email        emailView
	Bio          string
	Password     accountForm
	Tokens       []auth.APIToken
	TokenForm    accountForm
	NewToken     string
	NewTokenName string
	MFA          mfaView
	// Units is the saved choice of measures ("" follows the browser).
	Units       string
	UnitChoices []option
	// Avatar is the avatar card, shown when a photo service is set.
	Avatar avatarCard
}

func (u *UI) settingsPage(w http.ResponseWriter, r *http.Request, status int, me *auth.User, v settingsView) {
	toks, err := u.store.APITokens(r.Context(), me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Tokens = toks
	if err := u.fillAvatarCard(r, me, &v.Avatar); err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Units, v.UnitChoices = me.UnitSystem, unitChoices
	if err := u.mfaCard(r.Context(), me, &v.MFA); err != nil {
		u.serverError(w, r, err)
		return
	}
	if v.Profile.Errors == nil {
		v.Profile = accountForm{DisplayName: me.DisplayName}
		v.Bio = me.Bio
	}
	if err := u.emailCard(r.Context(), me, &v.Email); err != nil {
		u.serverError(w, r, err)
		return
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
	displayName, bio := f.Get("display_name"), f.Get("bio")
	_, _, err := u.accounts.UpdateProfile(r.Context(), me, account.ProfileChange{DisplayName: &displayName, Bio: &bio}, u.emails, account.ClientOf(r))
	var ve *validate.Error
	v := settingsView{Profile: accountForm{DisplayName: displayName}, Bio: bio}
	switch {
	case err == nil:
		u.redirect(w, r, "/settings", "profile-saved")
		return
	case errors.As(err, &ve):
		v.Profile.setErrors(ve.Fields, accountLabels)
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
