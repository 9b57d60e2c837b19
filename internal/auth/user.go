// Package auth owns accounts: users and roles, password hashing, session
// and API token secrets, registration rules, login throttling and the
// authorization rules every handler asks.
package auth

import "time"

// Role of a user.
type Role string

const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// User is an account. PasswordHash never leaves the server: it has no JSON
// name and the API encodes users through its own view type.
type User struct {
	ID           string
	Username     string
	Email        string
	DisplayName  string
	Bio          string
	AvatarURL    string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  *time.Time
	// DisabledAt is set when an admin disabled the account: it can neither
	// sign in nor use existing sessions or tokens.
	DisabledAt *time.Time
	// MFAEnabled says the account has a confirmed second factor (TOTP). It
	// is filled where a request's credential is looked up (UserBySession,
	// UserByAPIToken), which is what the authentication gates read.
	MFAEnabled bool
	// CredentialsEpoch rises with every revocation (disable, reset,
	// password change). Sessions and tokens carry the epoch they were
	// issued in and count only while it is still the user's; credentials
	// issued for u carry u's epoch as it was read.
	CredentialsEpoch int64
	// UnitSystem is the measures the user reads recipes in: "original",
	// "metric", "us", or "" when never chosen (recipe.ParseUnitSystem
	// reads it; auth does not depend on recipe).
	UnitSystem string
}

// IsAdmin reports whether u holds the admin role. A nil user is anonymous.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// Session is a browser sign-in, found by the hash of its cookie value.
type Session struct {
	ID         string // SHA-256 hex of the cookie value
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
	// MFAVerifiedAt is when this session last proved the second factor;
	// nil if it has not.
	MFAVerifiedAt *time.Time
	// Epoch is the user's CredentialsEpoch when the session began.
	Epoch int64
}

// Where an API token came from.
const (
	TokenFromUser  = "user"  // created on purpose; never pruned
	TokenFromLogin = "login" // issued with a sign-in; the oldest are pruned to make room
)

// APIToken is a bearer credential for API clients. Only its hash is stored;
// the secret is shown once, when created.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"-"`
	Name       string     `json:"name"`
	Source     string     `json:"source"` // TokenFromUser or TokenFromLogin
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	// MFAVerifiedAt is when this token last proved the second factor (or
	// was created by a credential that had); nil if it has not.
	MFAVerifiedAt *time.Time `json:"-"`
	// Epoch is the user's CredentialsEpoch when the token was issued.
	Epoch int64 `json:"-"`
}
