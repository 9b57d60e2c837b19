package auth

import (
	"context"
	"errors"

	"github.com/reccollection/reccollection/internal/config"
)

// Errors of RequireAdmin, most fundamental first. Handlers map them to
// answers: ErrSignInRequired is 401, the others 403.
var (
	ErrSignInRequired = errors.New("sign in first")
	ErrAdminOnly      = errors.New("only administrators may do this")
	// ErrMFAEnrolRequired: an admin without a second factor, outside
	// development.
	ErrMFAEnrolRequired = errors.New("enrol a second factor (TOTP) before using admin functions")
	// ErrMFAVerifyRequired: an admin whose current session or token has
	// not proved the second factor, outside development.
	ErrMFAVerifyRequired = errors.New("verify your second factor in this session before using admin functions")
)

// MFAVerified reports whether the credential of the request (its bearer
// token, else its session) has proved the second factor.
func MFAVerified(ctx context.Context) bool {
	if t := TokenFrom(ctx); t != nil {
		return t.MFAVerifiedAt != nil
	}
	if s := SessionFrom(ctx); s != nil {
		return s.MFAVerifiedAt != nil
	}
	return false
}

// MFAPending reports whether the caller has a second factor that the
// request's credential has not proved yet: such a caller may only verify
// or sign out.
func MFAPending(ctx context.Context) bool {
	u := UserFrom(ctx)
	return u != nil && u.MFAEnabled && !MFAVerified(ctx)
}

// RequireAdmin is the gate of every admin function. The caller must be an
// admin; in staging and production the admin must also have enrolled a
// second factor and proved it with the current session or token. In
// development the second factor is not required, so a fresh checkout's
// admin can work without an authenticator app.
func RequireAdmin(ctx context.Context, env config.Env) error {
	u := UserFrom(ctx)
	switch {
	case u == nil:
		return ErrSignInRequired
	case !u.IsAdmin():
		return ErrAdminOnly
	case env == config.Development:
		return nil
	case !u.MFAEnabled:
		return ErrMFAEnrolRequired
	case !MFAVerified(ctx):
		return ErrMFAVerifyRequired
	}
	return nil
}
