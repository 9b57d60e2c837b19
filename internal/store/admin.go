package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
)

// SetUserDisabled disables or re-enables an account. Disabling also
// revokes every session and API token for good (RevokeCredentials, in the
// same transaction), so re-enabling lets nothing old back in: the user
// signs in afresh. What was revoked is returned (zero when enabling).
func (s *Store) SetUserDisabled(ctx context.Context, userID string, disabled bool) (Revoked, error) {
	if !validID(userID) {
		return Revoked{}, ErrNotFound
	}
	var at any
	if disabled {
		at = s.now().UTC()
	}
	var out Revoked
	err := s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?", at, s.now().UTC(), userID)
		if err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if err := mustAffect(res, "user "+userID); err != nil {
			return err
		}
		if disabled {
			out, err = revokeIn(ctx, tx, userID)
		}
		return err
	})
	return out, err
}

// SearchUsers lists accounts whose username, email or display name
// contains q (case-insensitive), ordered by username, after the username
// after; at most limit.
func (s *Store) SearchUsers(ctx context.Context, q string, limit int, after string) ([]*auth.User, error) {
	if limit <= 0 || limit > MaxListLimit {
		limit = 50
	}
	if !storable(q) || !storable(after) {
		return []*auth.User{}, nil
	}
	// LIKE wildcards typed by the admin are taken literally.
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
	rows, err := s.read().QueryContext(ctx, "SELECT "+userColumns+` FROM users
		WHERE (username LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\' OR lower(display_name) LIKE ? ESCAPE '\')
		AND username > ? ORDER BY username LIMIT ?`, pattern, pattern, pattern, after, limit)
	if err != nil {
		return nil, fmt.Errorf("search users: %w", err)
	}
	defer rows.Close()
	out := []*auth.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("search users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AuditEntry is one line of the audit log: who did what to what, when and
// from where.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	ActorID string    `json:"actor_id"` // "" for events without a signed-in actor
	Action  string    `json:"action"`   // e.g. "user.disable", "login.failed", "flag.set"
	Target  string    `json:"target"`
	IP      string    `json:"ip"`
	Details string    `json:"details"`
	// ActorName and TargetName are the usernames of the actor and of a
	// "user:<id>" target, read with the entry ("" when there is none or
	// the account is gone), so that a page of the log costs one query.
	ActorName  string `json:"actor_username,omitempty"`
	TargetName string `json:"target_username,omitempty"`
}

// Audit appends an entry; the log is never updated or deleted by the app.
//
// Inside Idempotent the entry is written once the transaction has ended,
// committed or not, and a failure to write it is logged: an entry records
// an attempt, which happened either way (a refused sign-in rolls the
// transaction back but must stay recorded), and on SQLite a write on
// another connection would wait for the transaction's lock.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if s.afterTx(ctx, func(ctx context.Context) {
		if err := s.audit(ctx, e); err != nil {
			slog.WarnContext(ctx, "append audit log", "action", e.Action, "err", err)
		}
	}) {
		return nil
	}
	return s.audit(ctx, e)
}

func (s *Store) audit(ctx context.Context, e AuditEntry) error {
	var actor any
	if e.ActorID != "" {
		actor = e.ActorID
	}
	_, err := s.read().ExecContext(ctx, "INSERT INTO audit_log (at, actor_id, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)",
		s.now().UTC().Truncate(time.Microsecond), actor, e.Action, e.Target, e.IP, e.Details)
	if err != nil {
		return fmt.Errorf("append audit log: %w", err)
	}
	return nil
}

// AuditLog lists entries newest first, older than the entry before (0 for
// the newest page).
func (s *Store) AuditLog(ctx context.Context, limit int, before int64) ([]AuditEntry, error) {
	if limit <= 0 || limit > MaxListLimit {
		limit = 50
	}
	// The target's user id is the text after "user:"; the CASE keeps the
	// cast to uuid away from other targets (flag keys, usernames typed
	// at a failed sign-in) on PostgreSQL, where ids are uuids.
	targetID := "CASE WHEN l.target LIKE 'user:%' THEN substr(l.target, 6) END"
	if s.d.name() == "postgres" {
		targetID = "CASE WHEN l.target ~ '^user:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN substr(l.target, 6)::uuid END"
	}
	q := `SELECT l.id, l.at, l.actor_id, l.action, l.target, l.ip, l.details, a.username, t.username
		FROM audit_log l
		LEFT JOIN users a ON a.id = l.actor_id
		LEFT JOIN users t ON t.id = ` + targetID
	args := []any{}
	if before > 0 {
		q += " WHERE l.id < ?"
		args = append(args, before)
	}
	q += " ORDER BY l.id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var actor, actorName, targetName sql.NullString
		if err := rows.Scan(&e.ID, &e.At, &actor, &e.Action, &e.Target, &e.IP, &e.Details, &actorName, &targetName); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		e.ActorID, e.ActorName, e.TargetName = actor.String, actorName.String, targetName.String
		out = append(out, e)
	}
	return out, rows.Err()
}
