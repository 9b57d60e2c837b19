package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenPrefix marks RecCollection API tokens so that secret scanners and
// people can recognise a leaked one.
const TokenPrefix = "recc_"

// NewSecret returns 32 random bytes, URL-safe encoded: the value of a
// session cookie or, with TokenPrefix, an API token.
func NewSecret() string {
	b := make([]byte, 32)
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewAPIToken returns a new bearer token.
func NewAPIToken() string { return TokenPrefix + NewSecret() }

// HashSecret is how sessions and tokens are stored: a database leak does not
// hand out live credentials. SHA-256 is enough because the secrets are
// random 256-bit values, not passwords.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
