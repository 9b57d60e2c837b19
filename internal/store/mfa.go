package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TOTP is a user's second-factor state.
type TOTP struct {
	SecretSealed string
	CreatedAt    time.Time
	EnabledAt    *time.Time // nil while enrolment awaits its first code
	LastUsedStep int64
}

// StartTOTP stores a new, not yet enabled secret, replacing any pending
// or enabled one (re-enrolment) and its recovery codes.
func (s *Store) StartTOTP(ctx context.Context, userID, sealed string) error {
	return s.inTx(ctx, func(tx conn) error {
		for _, q := range []string{"DELETE FROM user_totp WHERE user_id = ?", "DELETE FROM user_recovery_codes WHERE user_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return fmt.Errorf("reset second factor: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO user_totp (user_id, secret_sealed, created_at) VALUES (?, ?, ?)",
			userID, sealed, s.now().UTC())
		if err != nil {
			return fmt.Errorf("store TOTP secret: %w", err)
		}
		return nil
	})
}

// UserTOTP returns a user's second-factor state, or ErrNotFound.
func (s *Store) UserTOTP(ctx context.Context, userID string) (*TOTP, error) {
	var t TOTP
	var enabled sql.NullTime
	err := s.read().QueryRowContext(ctx,
		"SELECT secret_sealed, created_at, enabled_at, last_used_step FROM user_totp WHERE user_id = ?", userID).
		Scan(&t.SecretSealed, &t.CreatedAt, &enabled, &t.LastUsedStep)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load TOTP: %w", err)
	}
	t.EnabledAt = timePtr(enabled)
	return &t, nil
}

// UseTOTPStep records that the code of step was used, only if no later or
// equal step was used before: the compare-and-set makes a code single-use
// even when two replicas check it at the same moment. It reports whether
// the step was accepted.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := s.read().ExecContext(ctx,
		"UPDATE user_totp SET last_used_step = ? WHERE user_id = ? AND last_used_step < ?", step, userID, step)
	if err != nil {
		return false, fmt.Errorf("record TOTP use: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EnableTOTP turns a pending secret on and stores the recovery codes'
// hashes, in one transaction.
func (s *Store) EnableTOTP(ctx context.Context, userID string, codeHashes []string) error {
	return s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, "UPDATE user_totp SET enabled_at = ? WHERE user_id = ? AND enabled_at IS NULL", s.now().UTC(), userID)
		if err != nil {
			return fmt.Errorf("enable TOTP: %w", err)
		}
		if err := mustAffect(res, "TOTP of "+userID); err != nil {
			return err
		}
		rows := make([][]any, len(codeHashes))
		for i, h := range codeHashes {
			rows[i] = []any{userID, h}
		}
		if err := insertRows(ctx, tx, "user_recovery_codes", "user_id, code_hash", rows); err != nil {
			return fmt.Errorf("store recovery codes: %w", err)
		}
		return nil
	})
}

// DisableTOTP removes the second factor and its recovery codes.
func (s *Store) DisableTOTP(ctx context.Context, userID string) error {
	return s.inTx(ctx, func(tx conn) error {
		for _, q := range []string{"DELETE FROM user_recovery_codes WHERE user_id = ?", "DELETE FROM user_totp WHERE user_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return fmt.Errorf("disable second factor: %w", err)
			}
		}
		return nil
	})
}

// UseRecoveryCode spends one unused recovery code; it reports false when
// the code is unknown or already used. Like UseTOTPStep it is a single
// conditional update, so a code cannot be spent twice in a race.
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string) (bool, error) {
	res, err := s.read().ExecContext(ctx,
		"UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
		s.now().UTC(), userID, codeHash)
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.read().QueryRowContext(ctx, "SELECT count(*) FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return n, nil
}

// MarkSessionMFA records that a session proved the second factor now.
func (s *Store) MarkSessionMFA(ctx context.Context, sessionHash string) error {
	res, err := s.read().ExecContext(ctx, "UPDATE sessions SET mfa_verified_at = ? WHERE id = ?", s.now().UTC(), sessionHash)
	if err != nil {
		return fmt.Errorf("mark session verified: %w", err)
	}
	return mustAffect(res, "session")
}

// MarkTokenMFA records that an API token proved the second factor now.
func (s *Store) MarkTokenMFA(ctx context.Context, tokenID string) error {
	if !validID(tokenID) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "UPDATE api_tokens SET mfa_verified_at = ? WHERE id = ?", s.now().UTC(), tokenID)
	if err != nil {
		return fmt.Errorf("mark token verified: %w", err)
	}
	return mustAffect(res, "API token")
}
