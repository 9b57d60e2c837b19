package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Revoked says what a revocation ended.
type Revoked struct {
	Sessions int64 // browser sessions deleted
	Tokens   int64 // API tokens deleted, sign-in and personal alike
	// Epoch is the user's credentials epoch afterwards: a session or token
	// counts only while it carries this epoch (auth.User.CredentialsEpoch).
	Epoch int64
}

// RevokeCredentials ends every session and API token of a user for good.
// The rows are deleted and the user's credentials epoch raised in one
// transaction, so a credential that a sign-in in flight issues with the
// epoch it read before this (having checked the password that was valid
// then) is born revoked. An unknown user is ErrNotFound.
func (s *Store) RevokeCredentials(ctx context.Context, userID string) (Revoked, error) {
	if !validID(userID) {
		return Revoked{}, ErrNotFound
	}
	var out Revoked
	err := s.inTx(ctx, func(tx conn) error {
		var err error
		out, err = revokeIn(ctx, tx, userID)
		return err
	})
	return out, err
}

// revokeIn is RevokeCredentials inside the caller's transaction.
func revokeIn(ctx context.Context, tx conn, userID string) (Revoked, error) {
	var out Revoked
	err := tx.QueryRowContext(ctx,
		"UPDATE users SET credentials_epoch = credentials_epoch + 1 WHERE id = ? RETURNING credentials_epoch", userID).Scan(&out.Epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return out, ErrNotFound
	}
	if err != nil {
		return out, fmt.Errorf("raise credentials epoch: %w", err)
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return out, fmt.Errorf("end sessions: %w", err)
	}
	if out.Sessions, err = res.RowsAffected(); err != nil {
		return out, fmt.Errorf("end sessions: %w", err)
	}
	res, err = tx.ExecContext(ctx, "DELETE FROM api_tokens WHERE user_id = ?", userID)
	if err != nil {
		return out, fmt.Errorf("revoke API tokens: %w", err)
	}
	if out.Tokens, err = res.RowsAffected(); err != nil {
		return out, fmt.Errorf("revoke API tokens: %w", err)
	}
	return out, nil
}
