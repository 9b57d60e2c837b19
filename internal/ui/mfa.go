package ui

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/validate"
)

// VerifyPath is the page that asks for the second factor after the
// password. Until a session of an account with TOTP has passed it, the
// app sends every other page here (SecondFactorRequired).
const VerifyPath = "/login/verify"

// SecondFactorRequired sends a browser whose session has not proved the
// account's second factor to the verify page, and back afterwards.
func SecondFactorRequired(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, VerifyPath+"?next="+urlQueryEscape(returnPath(r)), http.StatusSeeOther)
}

var mfaLabels = map[string]string{
	"code":             "Authentication code",
	"recovery_code":    "Recovery code",
	"mfa_password":     "Current password",
	"mfa_code":         "Code from your app",
	"mfa_disable_code": "Authentication code or recovery code",
}

func (u *UI) verifyForm(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	next := localPath(r.URL.Query().Get("next"))
	if !me.MFAEnabled || auth.MFAVerified(r.Context()) {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "verify", &page{Title: "Two-factor authentication", Data: accountForm{Next: next}})
}

func (u *UI) verify(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f := accountForm{Next: localPath(r.PostForm.Get("next"))}
	if !me.MFAEnabled || auth.MFAVerified(ctx) {
		http.Redirect(w, r, f.Next, http.StatusSeeOther)
		return
	}
	field, code := "code", strings.TrimSpace(r.PostForm.Get("code"))
	if rc := strings.TrimSpace(r.PostForm.Get("recovery_code")); code == "" && rc != "" {
		field, code = "recovery_code", rc
	}
	status := http.StatusUnprocessableEntity
	if code == "" || len(code) > 32 {
		f.setErrors(validate.Errors{{Field: field, Message: "is required: enter the 6-digit code from your app"}}, mfaLabels)
	} else {
		err := u.mfa.Verify(ctx, me, nil, code)
		wait, throttled := tooMany(w, err, "wrong codes")
		switch {
		case err == nil:
			if err := u.mfa.MarkVerified(ctx, auth.SessionFrom(ctx), nil); err != nil {
				u.serverError(w, r, err)
				return
			}
			u.mfa.Audit(ctx, me, account.AuditMFAVerify, me, account.ClientOf(r), "session")
			u.redirect(w, r, f.Next, "signed-in")
			return
		case errors.Is(err, account.ErrBadCode):
			f.setErrors(validate.Errors{{Field: field, Message: "is not valid; codes change every 30 seconds and each works once"}}, mfaLabels)
		case throttled:
			f.Message, status = wait, http.StatusTooManyRequests
		case errors.Is(err, account.ErrNoSecondFactor):
			http.Redirect(w, r, f.Next, http.StatusSeeOther)
			return
		default:
			u.serverError(w, r, err)
			return
		}
		u.mfa.Audit(ctx, me, account.AuditMFAVerifyFailed, me, account.ClientOf(r), "session")
	}
	u.render(w, r, status, "verify", &page{Title: "Please check the code · Two-factor authentication", Data: f})
}

// mfaView is the "Two-factor authentication" card of the settings page.
type mfaView struct {
	Status account.Status
	// Set right after a password-checked start: shown once.
	QRCode template.URL // data: URL of the PNG
	Secret string
	// Set right after confirming: shown once.
	RecoveryCodes []string
	Form          accountForm // errors of whichever MFA form was posted
}

// mfaCard loads the card's status into v.
func (u *UI) mfaCard(ctx context.Context, me *auth.User, v *mfaView) error {
	st, err := u.mfa.Status(ctx, me)
	v.Status = st
	return err
}

func (u *UI) startMFA(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	v := settingsView{}
	err := u.accounts.CheckPassword(me, "mfa_password", r.PostForm.Get("password"))
	var ve *validate.Error
	wait, throttled := tooMany(w, err, "failed attempts")
	switch {
	case errors.As(err, &ve):
		v.MFA.Form.setErrors(ve.Fields, mfaLabels)
	case throttled:
		v.MFA.Form.Message = wait
	case err != nil:
		u.serverError(w, r, err)
		return
	default:
		e, err := u.mfa.Start(r.Context(), me)
		if errors.Is(err, account.ErrAlreadyEnabled) {
			v.MFA.Form.Message = "Two-factor authentication is already on. Turn it off first to move it to a new device."
			break
		}
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		// The secret is shown once, on this answer; never cached.
		v.MFA.QRCode = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRCode))
		v.MFA.Secret = e.Secret
		w.Header().Set("Cache-Control", "no-store")
		u.settingsPage(w, r, http.StatusOK, me, v)
		return
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

func (u *UI) confirmMFA(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := settingsView{}
	code := strings.TrimSpace(r.PostForm.Get("code"))
	codes, err := u.mfa.Confirm(ctx, me, code)
	wait, throttled := tooMany(w, err, "wrong codes")
	switch {
	case err == nil:
		u.mfa.Audit(ctx, me, account.AuditMFAEnrol, me, account.ClientOf(r), "")
		if err := u.mfa.MarkVerified(ctx, auth.SessionFrom(ctx), nil); err != nil {
			u.serverError(w, r, err)
			return
		}
		v.MFA.RecoveryCodes = codes
		w.Header().Set("Cache-Control", "no-store")
		u.settingsPage(w, r, http.StatusOK, me, v)
		return
	case errors.Is(err, account.ErrBadCode):
		v.MFA.Form.setErrors(validate.Errors{{Field: "mfa_code", Message: "is not valid; check your app's clock and type the code it shows now"}}, mfaLabels)
	case throttled:
		v.MFA.Form.Message = wait
	case errors.Is(err, account.ErrNoSecondFactor):
		v.MFA.Form.Message = "No set-up is waiting for a code. Start again with your password."
	default:
		u.serverError(w, r, err)
		return
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

func (u *UI) disableMFA(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := settingsView{}
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if code == "" {
		v.MFA.Form.setErrors(validate.Errors{{Field: "mfa_disable_code", Message: "is required"}}, mfaLabels)
	} else {
		err := u.mfa.Disable(ctx, me, code)
		wait, throttled := tooMany(w, err, "wrong codes")
		switch {
		case err == nil:
			u.mfa.Audit(ctx, me, account.AuditMFADisable, me, account.ClientOf(r), "")
			u.redirect(w, r, "/settings", "mfa-disabled")
			return
		case errors.Is(err, account.ErrBadCode):
			v.MFA.Form.setErrors(validate.Errors{{Field: "mfa_disable_code", Message: "is not valid; codes change every 30 seconds and each works once"}}, mfaLabels)
		case throttled:
			v.MFA.Form.Message = wait
		case errors.Is(err, account.ErrNoSecondFactor):
			u.redirect(w, r, "/settings", "")
			return
		default:
			u.serverError(w, r, err)
			return
		}
	}
	u.settingsPage(w, r, http.StatusUnprocessableEntity, me, v)
}

// requireAdmin applies auth.RequireAdmin to a page: anonymous visitors go
// to log in; others who may not pass get a page saying why and what to do.
func (u *UI) requireAdmin(w http.ResponseWriter, r *http.Request) *auth.User {
	me := u.requireUser(w, r)
	if me == nil {
		return nil
	}
	err := auth.RequireAdmin(r.Context(), u.env.AdminNeedsSecondFactor())
	if err == nil {
		return me
	}
	reason := "admin"
	switch {
	case errors.Is(err, auth.ErrMFAEnrolRequired):
		reason = "enrol"
	case errors.Is(err, auth.ErrMFAVerifyRequired):
		reason = "verify"
	}
	u.render(w, r, http.StatusForbidden, "admin_refused", &page{Title: "Admin access needs more", Data: reason})
	return nil
}
