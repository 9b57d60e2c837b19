package account

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/validate"
)

// Limits of personal API tokens.
const (
	MaxTokenName = 100  // characters of a token's name, personal or sign-in
	MaxTokenDays = 3650 // the longest expiry a token may be given
)

// TokenRequest is a personal API token as asked for, from the API's JSON
// or the settings form.
type TokenRequest struct {
	Name string
	// ExpiresInDays is nil for a token that does not expire.
	ExpiresInDays *int
	// badDays: the form's expiry was not a whole number.
	badDays bool
}

// TokenRequestFromForm reads the settings form's fields, where the expiry
// is text and empty means none.
func TokenRequestFromForm(name, expiresInDays string) TokenRequest {
	req := TokenRequest{Name: name}
	if d := strings.TrimSpace(expiresInDays); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			req.badDays = true
		} else {
			req.ExpiresInDays = &n
		}
	}
	return req
}

// expiryMessage is the one complaint about an expiry, whether the form's
// text was no number or the number is out of range.
var expiryMessage = "must be a whole number of days from 1 to " + strconv.Itoa(MaxTokenDays)

// Validate reports every problem with req and returns the trimmed name.
func (req TokenRequest) Validate() (string, validate.Errors) {
	var errs validate.Errors
	name := validate.Text(&errs, "name", req.Name, 1, MaxTokenName, false)
	if req.badDays || req.ExpiresInDays != nil && (*req.ExpiresInDays < 1 || *req.ExpiresInDays > MaxTokenDays) {
		errs.Add("expires_in_days", "%s", expiryMessage)
	}
	return name, errs
}

// CreateToken validates req and issues a personal API token for u, made
// through the credential by. A token made by a credential that has proved
// the second factor starts verified, so a script needs no code; one made
// by an unverified credential must verify itself (POST
// /api/v1/me/mfa/verify) if the account has a second factor. Invalid
// input is a *validate.Error; a full set of tokens ErrTooManyTokens.
func (s *Service) CreateToken(ctx context.Context, u *auth.User, by auth.Credential, req TokenRequest) (string, *auth.APIToken, error) {
	name, errs := req.Validate()
	if len(errs) > 0 {
		return "", nil, errs.Err()
	}
	now := time.Now().UTC()
	tok := &auth.APIToken{Name: name, Source: auth.TokenFromUser}
	if req.ExpiresInDays != nil {
		exp := now.Add(time.Duration(*req.ExpiresInDays) * 24 * time.Hour)
		tok.ExpiresAt = &exp
	}
	if by.MFAVerified() {
		tok.MFAVerifiedAt = &now
	}
	secret, err := s.issueToken(ctx, u, tok)
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}
