package auth

import (
	"context"
	"errors"
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

// Credential is what a request authenticated with: a bearer token or a
// browser session; at most one is set (a bearer token wins), none for an
// anonymous request. Rules that depend on how the caller signed in (which
// new credentials inherit the second factor, who gets a new session after
// a password change) read it, so the API and the pages cannot differ.
type Credential struct {
	Session *Session
	Token   *APIToken
}

// CredentialFrom returns the credential the request of ctx came with.
func CredentialFrom(ctx context.Context) Credential {
	return Credential{Session: SessionFrom(ctx), Token: TokenFrom(ctx)}
}

// MFAVerified reports whether the credential has proved the second factor:
// the token's verification when there is one, else the session's.
func (c Credential) MFAVerified() bool {
	switch {
	case c.Token != nil:
		return c.Token.MFAVerifiedAt != nil
	case c.Session != nil:
		return c.Session.MFAVerifiedAt != nil
	}
	return false
}

// MFAVerified reports whether the credential of the request has proved
// the second factor.
func MFAVerified(ctx context.Context) bool { return CredentialFrom(ctx).MFAVerified() }

// MFAPending reports whether the caller has a second factor that the
// request's credential has not proved yet: such a caller may only verify
// or sign out.
func MFAPending(ctx context.Context) bool {
	u := UserFrom(ctx)
	return u != nil && u.MFAEnabled && !MFAVerified(ctx)
}

// RequireAdmin is the gate of every admin function. The caller must be an
// admin; where secondFactor is required (staging and production, see
// config.Env.AdminNeedsSecondFactor) the admin must also have enrolled a
// second factor and proved it with the current session or token.
func RequireAdmin(ctx context.Context, secondFactor bool) error {
	u := UserFrom(ctx)
	switch {
	case u == nil:
		return ErrSignInRequired
	case !u.IsAdmin():
		return ErrAdminOnly
	case !secondFactor:
		return nil
	case !u.MFAEnabled:
		return ErrMFAEnrolRequired
	case !MFAVerified(ctx):
		return ErrMFAVerifyRequired
	}
	return nil
}
