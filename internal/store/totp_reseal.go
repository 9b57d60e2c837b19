package store

import (
	"context"
	"fmt"
)

// SealedTOTP is one stored TOTP secret as sealed, for re-encryption after
// the secret key is rotated.
type SealedTOTP struct {
	UserID string
	Sealed string
}

// SealedTOTPSecrets lists every stored TOTP secret, pending ones included,
// in user id order.
func (s *Store) SealedTOTPSecrets(ctx context.Context) ([]SealedTOTP, error) {
	rows, err := s.read().QueryContext(ctx, "SELECT user_id, secret_sealed FROM user_totp ORDER BY user_id")
	if err != nil {
		return nil, fmt.Errorf("list TOTP secrets: %w", err)
	}
	defer rows.Close()
	var out []SealedTOTP
	for rows.Next() {
		var t SealedTOTP
		if err := rows.Scan(&t.UserID, &t.Sealed); err != nil {
			return nil, fmt.Errorf("list TOTP secrets: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ReplaceTOTPSecret stores resealed in place of old, only if the stored
// value is still old: a user who re-enrolled meanwhile keeps the new
// secret. It reports whether the row changed.
func (s *Store) ReplaceTOTPSecret(ctx context.Context, userID, old, resealed string) (bool, error) {
	res, err := s.read().ExecContext(ctx,
		"UPDATE user_totp SET secret_sealed = ? WHERE user_id = ? AND secret_sealed = ?", resealed, userID, old)
	if err != nil {
		return false, fmt.Errorf("reseal TOTP secret: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
