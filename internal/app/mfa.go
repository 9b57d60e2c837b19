package app

import (
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/api"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/ui"
)

// secondFactorGate stops a signed-in user whose account has a second
// factor, until the session or token of the request has proved it: API
// requests get 401 naming the verify endpoint, pages are sent to the
// verify page. Only the verify routes, signing in or out, static files
// and the admin API (whose own gate answers 403 with the same advice) pass.
func secondFactorGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !auth.MFAPending(r.Context()) || secondFactorExempt(r) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.SecondFactorRequired(w, r)
			return
		}
		ui.SecondFactorRequired(w, r)
	})
}

func secondFactorExempt(r *http.Request) bool {
	p := r.URL.Path
	switch p {
	case api.VerifyPath, "/api/v1/auth/logout", "/api/v1/auth/login", "/api/v1/openapi.json",
		ui.VerifyPath, "/logout", "/login", "/favicon.ico":
		return true
	}
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/api/v1/admin/")
}

// MFA exposes the second-factor service (for `reccollection user
// mfa-reset` and tests).
func (a *App) MFA() *account.MFA { return a.mfa }
