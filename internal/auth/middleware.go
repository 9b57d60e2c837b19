package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/httpx"
)

// Credentials is what the middleware needs from the store.
type Credentials interface {
	UserBySession(ctx context.Context, hash string) (*Session, *User, error)
	UserByAPIToken(ctx context.Context, hash string) (*APIToken, *User, error)
	ExtendSession(ctx context.Context, hash string, seen, expires time.Time) error
}

// ErrNoCredentials is what Credentials return for an unknown secret.
var ErrNoCredentials = errors.New("no such credentials")

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "recc_session"

// Session lifetime: a month of inactivity signs a browser out. Last-seen
// is written at most once per SessionRefresh, so ordinary browsing does
// not write to the database on every request. The expiry (in the database
// and the cookie's Max-Age alike) moves forward with such a write once it
// would gain at least SessionCookieRefresh: the cookie is then sent again,
// so a browser in use never reaches the Max-Age it was given at sign-in,
// and it is re-sent at most daily.
const (
	SessionLifetime      = 30 * 24 * time.Hour
	SessionRefresh       = time.Hour
	SessionCookieRefresh = 24 * time.Hour
)

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	tokenKey
)

// UserFrom returns the signed-in user, or nil for an anonymous request.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// TokenFrom returns the API token the request was authenticated with, if any.
func TokenFrom(ctx context.Context) *APIToken {
	t, _ := ctx.Value(tokenKey).(*APIToken)
	return t
}

// SessionFrom returns the browser session the request came with, if any.
func SessionFrom(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey).(*Session)
	return s
}

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
			tok, u, err := creds.UserByAPIToken(ctx, HashSecret(token))
			if err != nil {
				if !isNotFound(err) {
					slog.WarnContext(ctx, "look up API token", "err", err)
					httpx.WriteUnavailable(w, r)
					return
				}
				unauthorized(w, r, "The bearer token is invalid, expired or revoked.")
				return
			}
			ctx = context.WithValue(ctx, userKey, u)
			ctx = context.WithValue(ctx, tokenKey, tok)
			httpx.SetLogUser(ctx, u.ID)
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && len(c.Value) <= 200 {
			hash := HashSecret(c.Value)
			sess, u, err := creds.UserBySession(ctx, hash)
			switch {
			case err == nil:
				now := time.Now().UTC()
				if now.Sub(sess.LastSeenAt) > SessionRefresh {
					expires, renew := sess.ExpiresAt, now.Add(SessionLifetime)
					if renew.Sub(expires) >= SessionCookieRefresh {
						expires = renew
					}
					if err := creds.ExtendSession(ctx, hash, now, expires); err != nil {
						slog.WarnContext(ctx, "extend session", "err", err)
					} else if expires.Equal(renew) {
						setSessionCookie(w, c.Value, expires.Sub(now), secureCookies)
					}
				}
				ctx = context.WithValue(ctx, userKey, u)
				ctx = context.WithValue(ctx, sessionKey, sess)
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
	setSessionCookie(w, value, SessionLifetime, secure)
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
