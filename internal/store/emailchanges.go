package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EmailChange is a requested, not yet confirmed, new email address.
type EmailChange struct {
	ID        string
	UserID    string
	NewEmail  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AppliedEmailChange is what confirming a change did.
type AppliedEmailChange struct {
	UserID   string
	OldEmail string
	NewEmail string
}

const emailChangeColumns = "id, user_id, new_email, created_at, expires_at"

func scanEmailChange(row interface{ Scan(...any) error }) (*EmailChange, error) {
	var c EmailChange
	if err := row.Scan(&c.ID, &c.UserID, &c.NewEmail, &c.CreatedAt, &c.ExpiresAt); err != nil {
		return nil, err
	}
	c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), c.ExpiresAt.UTC()
	return &c, nil
}

// RequestEmailChange records that userID asked to change their address to
// newEmail, replacing any change they asked for before (whose link stops
// working), and returns the new pending change.
func (s *Store) RequestEmailChange(ctx context.Context, userID, newEmail string, now, expires time.Time) (*EmailChange, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	c := &EmailChange{ID: newID(), UserID: userID, NewEmail: newEmail,
		CreatedAt: now.UTC().Truncate(time.Microsecond), ExpiresAt: expires.UTC().Truncate(time.Microsecond)}
	err := s.inTx(ctx, func(tx conn) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM email_changes WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("replace email change: %w", err)
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO email_changes (id, user_id, new_email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			c.ID, c.UserID, c.NewEmail, c.CreatedAt, c.ExpiresAt); err != nil {
			return fmt.Errorf("create email change: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// PendingEmailChange returns userID's change that has not expired at now,
// or ErrNotFound.
func (s *Store) PendingEmailChange(ctx context.Context, userID string, now time.Time) (*EmailChange, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	return s.emailChangeWhere(ctx, "user_id = ? AND expires_at > ?", userID, now.UTC())
}

// EmailChangeByID returns the change id while it is pending at now, or
// ErrNotFound (replaced, cancelled, confirmed or expired).
func (s *Store) EmailChangeByID(ctx context.Context, id string, now time.Time) (*EmailChange, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	return s.emailChangeWhere(ctx, "id = ? AND expires_at > ?", id, now.UTC())
}

// EmailChangeByToken returns the change whose emailed token hashes to hash
// while it is unexpired at now and its user not disabled, or ErrNotFound.
func (s *Store) EmailChangeByToken(ctx context.Context, hash string, now time.Time) (*EmailChange, error) {
	if !storable(hash) {
		return nil, ErrNotFound
	}
	return s.emailChangeWhere(ctx,
		"token_hash = ? AND expires_at > ? AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL)", hash, now.UTC())
}

func (s *Store) emailChangeWhere(ctx context.Context, cond string, args ...any) (*EmailChange, error) {
	c, err := scanEmailChange(s.read().QueryRowContext(ctx, "SELECT "+emailChangeColumns+" FROM email_changes WHERE "+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load email change: %w", err)
	}
	return c, nil
}

// SetEmailChangeToken gives the pending change id the hash of a newly sent
// token (a resend replaces the earlier one, whose link stops working) and
// a new expiry; ErrNotFound if the change is no longer pending at now.
func (s *Store) SetEmailChangeToken(ctx context.Context, id, hash string, now, expires time.Time) error {
	if !validID(id) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx,
		"UPDATE email_changes SET token_hash = ?, expires_at = ? WHERE id = ? AND expires_at > ?",
		hash, expires.UTC(), id, now.UTC())
	if err != nil {
		return fmt.Errorf("set email change token: %w", err)
	}
	return mustAffect(res, "email change "+id)
}

// ClearEmailChangeToken forgets a token whose message could not be sent,
// so a link nobody received never works. A newer token stays.
func (s *Store) ClearEmailChangeToken(ctx context.Context, hash string) error {
	if _, err := s.read().ExecContext(ctx, "UPDATE email_changes SET token_hash = NULL WHERE token_hash = ?", hash); err != nil {
		return fmt.Errorf("clear email change token: %w", err)
	}
	return nil
}

// CancelEmailChange removes userID's pending change; false if there was none.
func (s *Store) CancelEmailChange(ctx context.Context, userID string) (bool, error) {
	if !validID(userID) {
		return false, nil
	}
	res, err := s.read().ExecContext(ctx, "DELETE FROM email_changes WHERE user_id = ?", userID)
	if err != nil {
		return false, fmt.Errorf("cancel email change: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ApplyEmailChange spends the token that hashes to hash and sets its
// user's email to the new address, in one transaction that also spends
// the user's unused password reset links (they went to the old address,
// whose holder no longer speaks for the account). A token that is
// unknown, used, expired at now or whose user is disabled is ErrNotFound.
// A new address another account took meanwhile is a *ConflictError on
// "email"; the change is then dropped, as it can never succeed.
func (s *Store) ApplyEmailChange(ctx context.Context, hash string, now time.Time) (*AppliedEmailChange, error) {
	if !storable(hash) {
		return nil, ErrNotFound
	}
	now = now.UTC()
	var out AppliedEmailChange
	err := s.inTx(ctx, func(tx conn) error {
		// Deleting claims the token: of two confirmations racing with
		// one token, only one finds the row.
		err := tx.QueryRowContext(ctx,
			`DELETE FROM email_changes
			 WHERE token_hash = ? AND expires_at > ?
			   AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL)
			 RETURNING user_id, new_email`, hash, now).Scan(&out.UserID, &out.NewEmail)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("spend email change: %w", err)
		}
		if err := tx.QueryRowContext(ctx, "SELECT email FROM users WHERE id = ?", out.UserID).Scan(&out.OldEmail); err != nil {
			return fmt.Errorf("load user email: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET email = ?, updated_at = ? WHERE id = ?",
			out.NewEmail, now, out.UserID); err != nil {
			return s.conflict(err, "email")
		}
		if _, err := tx.ExecContext(ctx,
			"UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now, out.UserID); err != nil {
			return fmt.Errorf("spend password resets: %w", err)
		}
		return nil
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		if _, derr := s.read().ExecContext(ctx, "DELETE FROM email_changes WHERE token_hash = ?", hash); derr != nil {
			return nil, fmt.Errorf("drop email change to a taken address: %w", derr)
		}
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteStaleEmailChanges removes changes that expired before cutoff.
func (s *Store) DeleteStaleEmailChanges(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.read().ExecContext(ctx, "DELETE FROM email_changes WHERE expires_at < ?", cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete stale email changes: %w", err)
	}
	return res.RowsAffected()
}
