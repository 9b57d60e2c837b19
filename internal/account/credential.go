package account

import (
	"net/http"

	"github.com/reccollection/reccollection/internal/auth"
)

// Credential is what a request authenticated with: a bearer token or a
// browser session; at most one is set (a bearer token wins), none for an
// anonymous request. Rules that depend on how the caller signed in (which
// new credentials inherit the second factor, who gets a new session after
// a password change) read it, so the API and the pages cannot differ.
type Credential struct {
	Session *auth.Session
	Token   *auth.APIToken
}

// CredentialOf returns the credential r was authenticated with.
func CredentialOf(r *http.Request) Credential {
	ctx := r.Context()
	return Credential{Session: auth.SessionFrom(ctx), Token: auth.TokenFrom(ctx)}
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
