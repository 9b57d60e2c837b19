package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/reccollection/reccollection/internal/auth"
)

// userInsertColumns are written by CreateUser; credentials_epoch and
// unit_system start at their columns' defaults (0, ”), so creating a user needs nothing newer than the
// columns an older schema has.
const userInsertColumns = "id, username, email, display_name, bio, avatar_url, role, password_hash, created_at, updated_at, last_login_at, disabled_at"

const userColumns = userInsertColumns + ", credentials_epoch, unit_system"

// scanUser reads userColumns, after any columns the query selects first
// (scanned into before).
func scanUser(row interface{ Scan(...any) error }, before ...any) (*auth.User, error) {
	var u auth.User
	var last, disabled sql.NullTime
	dest := append(before, &u.ID, &u.Username, &u.Email, &u.DisplayName, &u.Bio, &u.AvatarURL,
		&u.Role, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt, &last, &disabled, &u.CredentialsEpoch, &u.UnitSystem)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.LastLoginAt, u.DisabledAt = timePtr(last), timePtr(disabled)
	return &u, nil
}

// validID accepts only the canonical form of a UUID (lower-case, hyphens),
// the one the store hands out: other spellings the uuid package accepts
// ("{…}", "urn:uuid:…", upper case) would otherwise name the same row
// under another URL on PostgreSQL and nothing on SQLite.
func validID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}

// storable reports whether s can be a database value: PostgreSQL text
// cannot hold a NUL character, so a lookup by such a string finds nothing
// rather than failing.
func storable(s string) bool { return !strings.ContainsRune(s, 0) }

// newID returns a time-ordered random UUID (v7): unguessable enough for an
// unlisted recipe's URL, and index-friendly because new rows append.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// CreateUser inserts u, filling its ID and timestamps. Username and email
// must already be normalised (lower case); a clash is a *ConflictError.
func (s *Store) CreateUser(ctx context.Context, u *auth.User) error {
	return s.createUser(ctx, u, s.now())
}

// CreateUserJoined is CreateUser for an account that joined at joined
// rather than now: demo data, whose recipes were "added" days ago by people
// who must have joined before them.
func (s *Store) CreateUserJoined(ctx context.Context, u *auth.User, joined time.Time) error {
	return s.createUser(ctx, u, joined)
}

func (s *Store) createUser(ctx context.Context, u *auth.User, at time.Time) error {
	now := at.UTC().Truncate(time.Microsecond)
	u.ID = newID()
	u.CreatedAt, u.UpdatedAt = now, now
	if u.Role == "" {
		u.Role = auth.RoleUser
	}
	_, err := s.joined(ctx).ExecContext(ctx,
		"INSERT INTO users ("+userInsertColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Username, u.Email, u.DisplayName, u.Bio, u.AvatarURL, string(u.Role), u.PasswordHash,
		now, now, nil, nil)
	if err != nil {
		if s.d.isUniqueViolation(err) {
			return &ConflictError{Field: s.whichUserFieldTaken(ctx, u)}
		}
		return fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return nil
}

// whichUserFieldTaken names the clashing field without parsing
// engine-specific error text.
//
// It looks outside any transaction ctx carries: on PostgreSQL the unique
// violation has aborted it, and the clashing row is committed anyway (an
// insert that clashed with an uncommitted one would have waited for it).
func (s *Store) whichUserFieldTaken(ctx context.Context, u *auth.User) string {
	if _, err := s.UserByUsername(context.WithValue(ctx, txKey{s}, nil), u.Username); err == nil {
		return "username"
	}
	return "email"
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id string) (*auth.User, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	return s.userWhere(ctx, "id = ?", id)
}

// UserByUsername finds a user by username (case-insensitive).
func (s *Store) UserByUsername(ctx context.Context, username string) (*auth.User, error) {
	return s.userWhere(ctx, "username = ?", strings.ToLower(username))
}

// UserByLogin finds a user by username or email, as typed at sign-in.
func (s *Store) UserByLogin(ctx context.Context, login string) (*auth.User, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if strings.Contains(login, "@") {
		return s.userWhere(ctx, "email = ?", login)
	}
	return s.userWhere(ctx, "username = ?", login)
}

func (s *Store) userWhere(ctx context.Context, cond string, arg string) (*auth.User, error) {
	if !storable(arg) {
		return nil, ErrNotFound
	}
	// Joined: a sign-in inside Idempotent reads back the user it has
	// just touched (last_login_at).
	u, err := scanUser(s.joined(ctx).QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	return u, nil
}

// UpdateUserProfile saves the editable profile fields of u. The email
// address is not one of them: it changes only through a confirmed
// EmailChange (ApplyEmailChange).
func (s *Store) UpdateUserProfile(ctx context.Context, u *auth.User) error {
	u.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	res, err := s.read().ExecContext(ctx,
		"UPDATE users SET display_name = ?, bio = ?, avatar_url = ?, unit_system = ?, updated_at = ? WHERE id = ?",
		u.DisplayName, u.Bio, u.AvatarURL, u.UnitSystem, u.UpdatedAt, u.ID)
	if err != nil {
		return fmt.Errorf("update profile: %w", err)
	}
	return mustAffect(res, "user "+u.ID)
}

// SetPassword replaces a user's password hash and, in the same
// transaction, revokes every session and API token (RevokeCredentials):
// whoever held the old password, or a credential made with it, loses
// access. The caller issues the changer a new session with the returned
// epoch.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) (Revoked, error) {
	if !validID(userID) {
		return Revoked{}, ErrNotFound
	}
	var out Revoked
	err := s.inTx(ctx, func(tx conn) (err error) {
		out, err = setPasswordIn(ctx, tx, userID, hash, s.now())
		return err
	})
	return out, err
}

// setPasswordIn sets a user's password hash inside tx and revokes every
// credential issued before it, in the same transaction.
func setPasswordIn(ctx context.Context, tx conn, userID, hash string, now time.Time) (Revoked, error) {
	res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now.UTC(), userID)
	if err != nil {
		return Revoked{}, fmt.Errorf("set password: %w", err)
	}
	if err := mustAffect(res, "user "+userID); err != nil {
		return Revoked{}, err
	}
	return revokeIn(ctx, tx, userID)
}

// SetUnitSystem saves the measures a user reads recipes in ("" for none
// chosen); the caller has validated the value.
func (s *Store) SetUnitSystem(ctx context.Context, userID, system string) error {
	if !validID(userID) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "UPDATE users SET unit_system = ?, updated_at = ? WHERE id = ?",
		system, s.now().UTC(), userID)
	if err != nil {
		return fmt.Errorf("set unit system: %w", err)
	}
	return mustAffect(res, "user "+userID)
}

// SetRole changes a user's role.
func (s *Store) SetRole(ctx context.Context, userID string, role auth.Role) error {
	res, err := s.read().ExecContext(ctx, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?",
		string(role), s.now().UTC(), userID)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	return mustAffect(res, "user "+userID)
}

// TouchLogin records a successful sign-in.
func (s *Store) TouchLogin(ctx context.Context, userID string) error {
	_, err := s.joined(ctx).ExecContext(ctx, "UPDATE users SET last_login_at = ? WHERE id = ?", s.now().UTC(), userID)
	if err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	return nil
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.read().QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s: %w", what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
