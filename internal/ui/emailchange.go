package ui

// Changing one's email address: asked for in settings, applied from the
// link emailed to the new address (account.EmailChanges).

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// SetEmailChanges enables changing the email address; without it the
// settings page says that email is not configured.
func (u *UI) SetEmailChanges(e *account.EmailChanges) { u.emails = e }

// emailView is the settings page's email card.
type emailView struct {
	Current        string
	Pending        string    // the address waiting for confirmation, or ""
	PendingExpires time.Time // when its link stops working
	Unavailable    bool      // no email on this server
	Form           accountForm
}

func (u *UI) emailCard(ctx context.Context, me *auth.User, v *emailView) error {
	v.Current = me.Email
	if !u.emails.Available() {
		v.Unavailable = true
		return nil
	}
	ch, err := u.emails.Pending(ctx, me)
	if err != nil || ch == nil {
		return err
	}
	v.Pending, v.PendingExpires = ch.NewEmail, ch.ExpiresAt
	return nil
}

func (u *UI) requestEmailChange(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	email := r.PostForm.Get("email")
	_, err := u.emails.Request(r.Context(), me, email, account.ClientOf(r))
	if err == nil {
		u.redirect(w, r, "/settings", "email-requested")
		return
	}
	u.emailChangeFailed(w, r, me, email, err)
}

func (u *UI) resendEmailChange(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	_, err := u.emails.Resend(r.Context(), me)
	if err == nil {
		u.redirect(w, r, "/settings", "email-resent")
		return
	}
	u.emailChangeFailed(w, r, me, "", err)
}

func (u *UI) cancelEmailChange(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	if err := u.emails.Cancel(r.Context(), me, account.ClientOf(r)); err != nil {
		u.emailChangeFailed(w, r, me, "", err)
		return
	}
	u.redirect(w, r, "/settings", "email-cancelled")
}

// emailChangeFailed shows the settings page with why the email card's
// request was refused, keeping what was typed.
func (u *UI) emailChangeFailed(w http.ResponseWriter, r *http.Request, me *auth.User, email string, err error) {
	v := settingsView{Email: emailView{Form: accountForm{Email: email}}}
	status := http.StatusUnprocessableEntity
	var ve *validate.Error
	var ce *store.ConflictError
	var le *account.EmailChangeLimitError
	switch {
	case errors.As(err, &ve):
		v.Email.Form.setErrors(ve.Fields, accountLabels)
	case errors.As(err, &ce):
		v.Email.Form.setErrors(validate.Errors{{Field: "email", Message: "is already taken"}}, accountLabels)
	case errors.As(err, &le):
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(le.Minutes()*60))
		v.Email.Form.Message = "Too many confirmation emails asked for. Wait " + waitText(le.RetryAfter) + " and try again."
	case errors.Is(err, account.ErrNoEmailChange):
		status = http.StatusConflict
		v.Email.Form.Message = "There is no change of address waiting for confirmation any more."
	case errors.Is(err, account.ErrEmailChangeUnavailable):
		status = http.StatusServiceUnavailable
	default:
		u.serverError(w, r, err)
		return
	}
	u.settingsPage(w, r, status, me, v)
}

// emailChangePage is the page the emailed link opens.
type emailChangePage struct {
	Token       string
	Username    string
	NewEmail    string
	Done        bool // the change is applied
	Invalid     bool // the link is unknown, used, replaced or expired
	Taken       bool // another account has the address by now
	Unavailable bool
}

// emailChangeForm shows what the link would change and a button: only
// the POST applies it, so a mail scanner that fetches links cannot
// confirm a change by accident.
func (u *UI) emailChangeForm(w http.ResponseWriter, r *http.Request) {
	keepTokenPrivate(w)
	token := r.PathValue("token")
	v, err := u.emails.Check(r.Context(), token)
	if err != nil {
		u.emailChangeError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "email_change", &page{Title: "Confirm your new email address",
		Data: emailChangePage{Token: token, Username: v.Username, NewEmail: v.NewEmail}})
}

func (u *UI) confirmEmailChange(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	keepTokenPrivate(w)
	done, err := u.emails.Confirm(r.Context(), r.PathValue("token"), account.ClientOf(r))
	if err != nil {
		u.emailChangeError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "email_change", &page{Title: "Email address changed",
		Data: emailChangePage{Done: true, NewEmail: done.NewEmail}})
}

func (u *UI) emailChangeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, account.ErrEmailChangeToken):
		u.render(w, r, http.StatusBadRequest, "email_change", &page{Title: "This link does not work", Data: emailChangePage{Invalid: true}})
	case errors.Is(err, account.ErrEmailTaken):
		u.render(w, r, http.StatusConflict, "email_change", &page{Title: "That address is taken", Data: emailChangePage{Taken: true}})
	case errors.Is(err, account.ErrEmailChangeUnavailable):
		u.render(w, r, http.StatusServiceUnavailable, "email_change", &page{Title: "Confirm your new email address", Data: emailChangePage{Unavailable: true}})
	default:
		u.serverError(w, r, err)
	}
}
