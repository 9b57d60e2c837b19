// Package authhttp is authentication over HTTP: the middleware that
// resolves a request's bearer token or session cookie into the user in its
// context, and the session cookie itself. It is kept apart from package
// auth so that the store, which uses auth's types, does not depend on HTTP.
package authhttp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
)

// Credentials is what the middleware needs from the store.
type Credentials interface {
	UserBySession(ctx context.Context, hash string) (*auth.Session, *auth.User, error)
	UserByAPIToken(ctx context.Context, hash string) (*auth.APIToken, *auth.User, error)
	ExtendSession(ctx context.Context, hash string, seen, expires time.Time) error
}

// ErrNoCredentials is what Credentials return for an unknown secret.
var ErrNoCredentials = errors.New("no such credentials")

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "recc_session"

// Authenticate resolves the caller from an "Authorization: Bearer" token or
// the session cookie. A bearer token that is wrong is refused with 401
// (an API client must learn its token is bad); a stale cookie is simply
// ignored and cleared (a browser falls back to browsing anonymously).
// Credentials that cannot be checked at all (the database is unreachable)
// are neither: the request is answered 503 with Retry-After.
func Authenticate(creds Credentials, isNotFound func(error) bool, secureCookies bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			token = strings.TrimSpace(token)
			if !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 200 {
				unauthorized(w, r, "Use the header 'Authorization: Bearer <token>'.")
				return
			}
			tok, u, err := creds.UserByAPIToken(ctx, auth.HashSecret(token))
			if err != nil {
				if !isNotFound(err) {
					slog.WarnContext(ctx, "look up API token", "err", err)
					httpx.WriteUnavailable(w, r)
					return
				}
				unauthorized(w, r, "The bearer token is invalid, expired or revoked.")
				return
			}
			ctx = auth.WithCredentials(ctx, u, nil, tok)
			httpx.SetLogUser(ctx, u.ID)
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && len(c.Value) <= 200 {
			hash := auth.HashSecret(c.Value)
			sess, u, err := creds.UserBySession(ctx, hash)
			switch {
			case err == nil:
				now := time.Now().UTC()
				if now.Sub(sess.LastSeenAt) > auth.SessionRefresh {
					expires, renew := sess.ExpiresAt, now.Add(auth.SessionLifetime)
					if renew.Sub(expires) >= auth.SessionCookieRefresh {
						expires = renew
					}
					if err := creds.ExtendSession(ctx, hash, now, expires); err != nil {
						slog.WarnContext(ctx, "extend session", "err", err)
					} else if expires.Equal(renew) {
						setSessionCookie(w, c.Value, expires.Sub(now), secureCookies)
					}
				}
				ctx = auth.WithCredentials(ctx, u, sess, nil)
				httpx.SetLogUser(ctx, u.ID)
			case isNotFound(err):
				ClearSessionCookie(w, secureCookies)
			default:
				// The session could not be checked (the database is down
				// or restarting). Answering as if anonymous would sign the
				// user out in all but name — a form post would be sent to
				// the login page — so the request waits for the database
				// like every other: 503 with Retry-After, cookie kept.
				slog.WarnContext(ctx, "look up session", "err", err)
				httpx.WriteUnavailable(w, r)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func unauthorized(w http.ResponseWriter, r *http.Request, detail string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="reccollection"`)
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnauthorized, detail))
}

// SetSessionCookie gives the browser its session. HttpOnly keeps it from
// scripts; SameSite=Lax keeps it off cross-site form posts; Secure keeps it
// off plain HTTP everywhere but a developer's machine.
func SetSessionCookie(w http.ResponseWriter, value string, secure bool) {
	setSessionCookie(w, value, auth.SessionLifetime, secure)
}

func setSessionCookie(w http.ResponseWriter, value string, lifetime time.Duration, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    value,
		Path:     "/",
		MaxAge:   int(lifetime / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie removes the session cookie from the browser.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	})
}
