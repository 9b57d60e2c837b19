package ui

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/validate"
)

// SetPasswordResets enables the "forgot password" pages; without it they
// say that email is not configured.
func (u *UI) SetPasswordResets(p *account.PasswordResets) { u.resets = p }

// resetForm is the data of both password reset pages.
type resetForm struct {
	Email       string
	Token       string
	Sent        bool // the request was taken: the same page for every address
	Unavailable bool // no email on this server
	Invalid     bool // the link is unknown, used or expired
	Errors      map[string]string
	Summary     []formError
}

func (u *UI) resetsAvailable() bool { return u.resets != nil && u.resets.Available() }

func (u *UI) forgotForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "forgot", &page{Title: "Forgot your password?", Data: resetForm{Unavailable: !u.resetsAvailable()}})
}

// forgot answers every well-formed address with the same page.
func (u *UI) forgot(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	f := resetForm{Email: r.PostForm.Get("email")}
	if !u.resetsAvailable() {
		f.Unavailable = true
		u.render(w, r, http.StatusServiceUnavailable, "forgot", &page{Title: "Forgot your password?", Data: f})
		return
	}
	err := u.resets.Request(r.Context(), f.Email)
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		f.setErrors(ve.Fields)
		u.render(w, r, http.StatusUnprocessableEntity, "forgot", &page{Title: "Forgot your password?", Data: f})
		return
	case err != nil:
		u.serverError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "forgot", &page{Title: "Check your email", Data: resetForm{Sent: true}})
}

// keepTokenPrivate: the link's page has the token in its URL. It must not
// travel on as a Referer, even to this site's own pages (whose URLs end up
// in proxies' logs), nor stay in a shared computer's cache.
func keepTokenPrivate(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

func (u *UI) resetForm(w http.ResponseWriter, r *http.Request) {
	keepTokenPrivate(w)
	token := r.PathValue("token")
	if !u.resetsAvailable() {
		u.render(w, r, http.StatusServiceUnavailable, "password_reset", &page{Title: "Choose a new password", Data: resetForm{Unavailable: true}})
		return
	}
	if err := u.resets.Check(r.Context(), token); err != nil {
		u.resetTokenError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "password_reset", &page{Title: "Choose a new password", Data: resetForm{Token: token}})
}

func (u *UI) reset(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	keepTokenPrivate(w)
	token := r.PathValue("token")
	if !u.resetsAvailable() {
		u.render(w, r, http.StatusServiceUnavailable, "password_reset", &page{Title: "Choose a new password", Data: resetForm{Unavailable: true}})
		return
	}
	err := u.resets.Confirm(r.Context(), token, r.PostForm.Get("new_password"))
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		f := resetForm{Token: token}
		f.setErrors(ve.Fields)
		u.render(w, r, http.StatusUnprocessableEntity, "password_reset", &page{Title: "Choose a new password", Data: f})
	case err != nil:
		u.resetTokenError(w, r, err)
	default:
		u.redirect(w, r, "/login", "password-reset")
	}
}

func (u *UI) resetTokenError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, account.ErrResetToken) {
		u.render(w, r, http.StatusBadRequest, "password_reset", &page{Title: "This link does not work", Data: resetForm{Invalid: true}})
		return
	}
	u.serverError(w, r, err)
}

func (f *resetForm) setErrors(errs validate.Errors) {
	f.Errors = map[string]string{}
	for _, e := range errs {
		if _, dup := f.Errors[e.Field]; dup {
			continue
		}
		f.Errors[e.Field] = e.Message
		f.Summary = append(f.Summary, formError{Field: e.Field, Label: accountLabels[e.Field], Message: e.Message})
	}
}
