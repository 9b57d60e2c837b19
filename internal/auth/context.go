package auth

import "context"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	tokenKey
)

// WithCredentials returns ctx carrying the signed-in user and the session
// or token that proved it (either may be nil). The authentication
// middleware (package authhttp) is its caller; everything else reads.
func WithCredentials(ctx context.Context, u *User, s *Session, t *APIToken) context.Context {
	ctx = context.WithValue(ctx, userKey, u)
	if s != nil {
		ctx = context.WithValue(ctx, sessionKey, s)
	}
	if t != nil {
		ctx = context.WithValue(ctx, tokenKey, t)
	}
	return ctx
}

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
