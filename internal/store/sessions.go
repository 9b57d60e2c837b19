package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
)

// CreateSession stores a new session; sess.ID is the hash of the cookie.
func (s *Store) CreateSession(ctx context.Context, sess auth.Session) error {
	_, err := s.joined(ctx).ExecContext(ctx,
		`INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, user_agent, ip, mfa_verified_at, epoch)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sess.ID, sess.UserID, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt, sess.UserAgent, sess.IP, nullTime(sess.MFAVerifiedAt), sess.Epoch)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// UserBySession returns the live session with the given hash and its user.
// A session lives until it expires, is deleted, or its user is disabled or
// has had their credentials revoked since it began (its epoch is stale).
func (s *Store) UserBySession(ctx context.Context, hash string) (*auth.Session, *auth.User, error) {
	var sess auth.Session
	var mfa sql.NullTime
	var mfaOn bool
	u, err := scanUser(s.read().QueryRowContext(ctx,
		`SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.ip, s.mfa_verified_at, s.epoch,
		        `+mfaEnabledColumn+`, `+prefixed("u.", userColumns)+`
		 FROM sessions s JOIN users u ON u.id = s.user_id
		 WHERE s.id = ? AND s.expires_at > ? AND u.disabled_at IS NULL AND s.epoch = u.credentials_epoch`, hash, s.now().UTC()),
		&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &sess.UserAgent, &sess.IP, &mfa, &sess.Epoch, &mfaOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	sess.MFAVerifiedAt = timePtr(mfa)
	u.MFAEnabled = mfaOn
	return &sess, u, nil
}

// mfaEnabledColumn is selected with a credential's user, so the
// authentication middleware learns without another query whether the
// account has a confirmed second factor (auth.User.MFAEnabled).
const mfaEnabledColumn = "EXISTS (SELECT 1 FROM user_totp m WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL)"

// ExtendSession slides a session's expiry forward.
func (s *Store) ExtendSession(ctx context.Context, hash string, seen, expires time.Time) error {
	_, err := s.read().ExecContext(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", seen, expires, hash)
	if err != nil {
		return fmt.Errorf("extend session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.read().ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user. Revocation that must
// also end tokens and last goes through RevokeCredentials.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := s.read().ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and reports how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := s.read().ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", s.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a token; t.Hash must be set, ID and CreatedAt are filled.
func (s *Store) CreateAPIToken(ctx context.Context, t *auth.APIToken) error {
	t.ID = newID()
	t.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	if t.Source == "" {
		t.Source = auth.TokenFromUser
	}
	_, err := s.joined(ctx).ExecContext(ctx,
		"INSERT INTO api_tokens (id, user_id, name, source, token_hash, created_at, expires_at, mfa_verified_at, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		t.ID, t.UserID, t.Name, t.Source, t.Hash, t.CreatedAt, nullTime(t.ExpiresAt), nullTime(t.MFAVerifiedAt), t.Epoch)
	if err != nil {
		return fmt.Errorf("create API token: %w", err)
	}
	return nil
}

// UserByAPIToken returns the user owning a live token with the given hash
// and records its use. Like a session, a token lives only while its epoch
// is its user's.
func (s *Store) UserByAPIToken(ctx context.Context, hash string) (*auth.APIToken, *auth.User, error) {
	now := s.now().UTC()
	var t auth.APIToken
	var used, exp, mfa sql.NullTime
	var mfaOn bool
	u, err := scanUser(s.read().QueryRowContext(ctx,
		`SELECT t.id, t.name, t.source, t.created_at, t.last_used_at, t.expires_at, t.mfa_verified_at, t.epoch, `+mfaEnabledColumn+`,
		        `+prefixed("u.", userColumns)+`
		 FROM api_tokens t JOIN users u ON u.id = t.user_id
		 WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled_at IS NULL
		   AND t.epoch = u.credentials_epoch`, hash, now),
		&t.ID, &t.Name, &t.Source, &t.CreatedAt, &used, &exp, &mfa, &t.Epoch, &mfaOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load API token: %w", err)
	}
	t.UserID, t.Hash = u.ID, hash
	t.LastUsedAt, t.ExpiresAt, t.MFAVerifiedAt = timePtr(used), timePtr(exp), timePtr(mfa)
	u.MFAEnabled = mfaOn
	// Record use at most once a minute per token: a busy API client must
	// not turn every read into a write.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := s.read().ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, t.ID); err != nil {
			return nil, nil, fmt.Errorf("record API token use: %w", err)
		}
	}
	return &t, u, nil
}

// APITokens lists a user's tokens, oldest first.
func (s *Store) APITokens(ctx context.Context, userID string) ([]auth.APIToken, error) {
	rows, err := s.read().QueryContext(ctx,
		"SELECT id, name, source, created_at, last_used_at, expires_at FROM api_tokens WHERE user_id = ? ORDER BY created_at, id", userID)
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.APIToken{}
	for rows.Next() {
		var t auth.APIToken
		var used, exp sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Source, &t.CreatedAt, &used, &exp); err != nil {
			return nil, fmt.Errorf("list API tokens: %w", err)
		}
		t.UserID, t.LastUsedAt, t.ExpiresAt = userID, timePtr(used), timePtr(exp)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes one of a user's tokens; another user's token is
// reported as not found.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, tokenID string) error {
	if !validID(tokenID) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke API token: %w", err)
	}
	return mustAffect(res, "API token "+tokenID)
}

// CountAPITokens counts a user's tokens of one source, to enforce a limit.
func (s *Store) CountAPITokens(ctx context.Context, userID, source string) (int, error) {
	var n int
	err := s.joined(ctx).QueryRowContext(ctx, "SELECT count(*) FROM api_tokens WHERE user_id = ? AND source = ?", userID, source).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count API tokens: %w", err)
	}
	return n, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// PruneAPITokens deletes a user's expired tokens and then, while more than
// keep login tokens remain, the oldest of them, so repeated sign-ins cannot
// fill the table. Tokens created on purpose are never pruned.
func (s *Store) PruneAPITokens(ctx context.Context, userID string, keep int) error {
	q := s.joined(ctx)
	if _, err := q.ExecContext(ctx, "DELETE FROM api_tokens WHERE user_id = ? AND expires_at <= ?", userID, s.now().UTC()); err != nil {
		return fmt.Errorf("prune expired API tokens: %w", err)
	}
	n, err := s.CountAPITokens(ctx, userID, auth.TokenFromLogin)
	if err != nil || n <= keep {
		return err
	}
	_, err = q.ExecContext(ctx, `DELETE FROM api_tokens WHERE id IN (
		SELECT id FROM api_tokens WHERE user_id = ? AND source = ? ORDER BY created_at, id LIMIT ?)`,
		userID, auth.TokenFromLogin, n-keep)
	if err != nil {
		return fmt.Errorf("prune oldest login tokens: %w", err)
	}
	return nil
}
