package api

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithMFA gives the API the second-factor service and the environment
// whose rules the admin gate applies (auth.RequireAdmin).
func (a *API) WithMFA(m *account.MFA, env config.Env) *API {
	a.mfa, a.env = m, env
	return a
}

// VerifyPath is where a caller whose credential has not proved the second
// factor is sent; the middleware lets only it (and sign-out) through.
const VerifyPath = "/api/v1/me/mfa/verify"

// SecondFactorRequired is the 401 answer for a request whose user has a
// second factor that the session or token has not proved yet.
func SecondFactorRequired(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="reccollection"`)
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnauthorized,
		"This account uses two-factor authentication: POST a current code (or a recovery code) to "+VerifyPath+" first."))
}

type mfaStatusView struct {
	Enabled           bool       `json:"enabled"`
	Pending           bool       `json:"pending"`
	EnabledAt         *time.Time `json:"enabled_at"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
	Verified          bool       `json:"verified"`
}

func (a *API) mfaStatus(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	st, err := a.mfa.Status(r.Context(), u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, mfaStatusView{st.Enabled, st.Pending, st.EnabledAt, st.RecoveryCodesLeft, auth.MFAVerified(r.Context())})
}

type startTOTPRequest struct {
	Password string `json:"password"`
}

type totpEnrolmentView struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
	QRPNG      string `json:"qr_png"` // base64 (standard, padded)
}

func (a *API) startTOTP(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req startTOTPRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if err := a.accounts.CheckPassword(u, "password", req.Password); err != nil {
		a.fail(w, r, err)
		return
	}
	e, err := a.mfa.Start(r.Context(), u)
	if err != nil {
		a.mfaFail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusCreated, totpEnrolmentView{e.Secret, e.URL, base64.StdEncoding.EncodeToString(e.QRCode)})
}

type codeRequest struct {
	Code string `json:"code"`
}

// decodeCode reads {"code": "..."}; an empty code is a 422 on field code.
func decodeCode(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req codeRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return "", false
	}
	var errs validate.Errors
	code := validate.Text(&errs, "code", req.Code, 1, 32, false)
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return "", false
	}
	return code, true
}

type recoveryCodesView struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

func (a *API) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	code, ok := decodeCode(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	codes, err := a.mfa.Confirm(ctx, u, code)
	if err != nil {
		a.mfaFail(w, r, err)
		return
	}
	a.mfa.Audit(ctx, u, account.AuditMFAEnrol, u, account.ClientOf(r), "")
	// The code just proved the second factor for this credential too.
	if err := a.mfa.MarkVerified(ctx, auth.SessionFrom(ctx), auth.TokenFrom(ctx)); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, recoveryCodesView{codes})
}

func (a *API) verifyMFA(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	code, ok := decodeCode(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := a.mfa.Verify(ctx, u, nil, code); err != nil {
		if isCodeFailure(err) {
			a.mfa.Audit(ctx, u, account.AuditMFAVerifyFailed, u, account.ClientOf(r), credentialKind(ctx))
		}
		a.mfaFail(w, r, err)
		return
	}
	if err := a.mfa.MarkVerified(ctx, auth.SessionFrom(ctx), auth.TokenFrom(ctx)); err != nil {
		a.fail(w, r, err)
		return
	}
	a.mfa.Audit(ctx, u, account.AuditMFAVerify, u, account.ClientOf(r), credentialKind(ctx))
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) disableTOTP(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	code, ok := decodeCode(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := a.mfa.Disable(ctx, u, code); err != nil {
		a.mfaFail(w, r, err)
		return
	}
	a.mfa.Audit(ctx, u, account.AuditMFADisable, u, account.ClientOf(r), "")
	w.WriteHeader(http.StatusNoContent)
}

func isCodeFailure(err error) bool {
	var te *account.ThrottledError
	return errors.Is(err, account.ErrBadCode) || errors.As(err, &te)
}

func credentialKind(ctx context.Context) string {
	if auth.TokenFrom(ctx) != nil {
		return "token"
	}
	return "session"
}

// mfaFail maps the second factor's errors: a wrong code is 422 on code,
// no (or no pending) enrolment and an enrolment already on are 409.
func (a *API) mfaFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, account.ErrBadCode):
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "code", Message: "is not valid; codes change every 30 seconds and each works once"}}))
	case errors.Is(err, account.ErrNoSecondFactor):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"No second factor is set up (or no enrolment is waiting for its first code). Start with POST /api/v1/me/mfa/totp."))
	case errors.Is(err, account.ErrAlreadyEnabled):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"Two-factor authentication is already on. Turn it off (DELETE /api/v1/me/mfa/totp) before enrolling a new device."))
	default:
		a.fail(w, r, err)
	}
}

// requireAdmin applies auth.RequireAdmin and answers refusals: 401 for an
// anonymous caller, else 403 saying what to do.
func (a *API) requireAdmin(w http.ResponseWriter, r *http.Request) *auth.User {
	err := auth.RequireAdmin(r.Context(), a.env.AdminNeedsSecondFactor())
	switch {
	case err == nil:
		return auth.UserFrom(r.Context())
	case errors.Is(err, auth.ErrSignInRequired):
		requireUser(w, r)
	case errors.Is(err, auth.ErrMFAEnrolRequired):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden,
			"Admin functions need a second factor: enrol your second factor (POST /api/v1/me/mfa/totp, or Settings → Two-factor authentication), then verify it in this session."))
	case errors.Is(err, auth.ErrMFAVerifyRequired):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden,
			"Admin functions need a verified second factor: verify your second factor in this session with POST "+VerifyPath+"."))
	default:
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, "Only administrators may do this."))
	}
	return nil
}

func (a *API) adminStatus(w http.ResponseWriter, r *http.Request) {
	if a.requireAdmin(w, r) == nil {
		return
	}
	v := a.admin().SystemStatus(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, v)
}

// adminStatusView is the answer of GET /api/v1/admin/status, and
// queueStatusView its queue.
type (
	adminStatusView = admin.Status
	queueStatusView = admin.QueueStatus
)
