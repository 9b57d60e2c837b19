package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CreatePasswordReset stores the hash of a new reset token for a user.
// Older unused tokens of the user stay valid until they expire: a user who
// asks twice may follow either message.
func (s *Store) CreatePasswordReset(ctx context.Context, userID, hash string, created, expires time.Time) error {
	if !validID(userID) {
		return ErrNotFound
	}
	_, err := s.read().ExecContext(ctx,
		"INSERT INTO password_resets (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		hash, userID, created.UTC(), expires.UTC())
	if err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	return nil
}

// DeletePasswordReset removes a token whose message could not be sent, so
// a link nobody received never works.
func (s *Store) DeletePasswordReset(ctx context.Context, hash string) error {
	if _, err := s.read().ExecContext(ctx, "DELETE FROM password_resets WHERE id = ?", hash); err != nil {
		return fmt.Errorf("delete password reset: %w", err)
	}
	return nil
}

// PasswordResetUser returns the id of the user a reset token belongs to
// while it is unused, unexpired at now and its user not disabled;
// otherwise ErrNotFound.
func (s *Store) PasswordResetUser(ctx context.Context, hash string, now time.Time) (string, error) {
	if !storable(hash) {
		return "", ErrNotFound
	}
	var userID string
	err := s.read().QueryRowContext(ctx,
		`SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
		 WHERE r.id = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.disabled_at IS NULL`,
		hash, now.UTC()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("load password reset: %w", err)
	}
	return userID, nil
}

// ResetPassword spends a reset token and sets the user's new password
// hash in one transaction, which also ends every session and API token
// (as SetPassword does) and spends every other reset token of the user:
// whoever held the old password, a credential made with it, or an older
// link loses access. A token that is unknown, used, expired at now, or
// whose user is disabled is ErrNotFound, and nothing changes.
func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (userID string, rev Revoked, err error) {
	if !storable(hash) {
		return "", Revoked{}, ErrNotFound
	}
	now = now.UTC()
	err = s.inTx(ctx, func(tx conn) error {
		// The conditional update claims the token: of two confirmations
		// racing with one token, only one finds it unused.
		err := tx.QueryRowContext(ctx,
			`UPDATE password_resets SET used_at = ?
			 WHERE id = ? AND used_at IS NULL AND expires_at > ?
			   AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL)
			 RETURNING user_id`, now, hash, now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("spend password reset: %w", err)
		}
		if _, err := tx.ExecContext(ctx,
			"UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now, userID); err != nil {
			return fmt.Errorf("spend other password resets: %w", err)
		}
		rev, err = setPasswordIn(ctx, tx, userID, passwordHash, now)
		return err
	})
	return userID, rev, err
}

// DeleteStalePasswordResets removes tokens that expired before cutoff.
func (s *Store) DeleteStalePasswordResets(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.read().ExecContext(ctx, "DELETE FROM password_resets WHERE expires_at < ?", cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete stale password resets: %w", err)
	}
	return res.RowsAffected()
}
