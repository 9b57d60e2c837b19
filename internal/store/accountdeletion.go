package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Deleting an account. Almost everything a person made hangs off their
// users row or off their recipes with ON DELETE CASCADE (sessions, tokens,
// second factor, recipes and their parts, photos, likes, saves, ratings,
// imports, and what later tables add), so deleting the row deletes it in
// the same transaction, including other people's rows on those recipes
// (their likes and comments). What a cascade cannot reach is done here
// by hand, in that transaction:
//
//   - the audit log keeps its rows (it is the operators' record of what
//     happened) but forgets who: rows by or about the account lose the
//     actor, the target, the address and the details;
//   - feature-flag allow and deny lists lose the account's id and name,
//     and an override it last changed no longer names it;
//   - the job queue's rows that carry the account's id, name or address
//     (an email waiting to go out, a finished one kept for the queue's
//     retention) are deleted;
//   - the account's household is deleted if nobody else is in it, or
//     given an owner if it loses its last one (households.go).
//
// The blobs of photos, data exports and uploaded archives cannot join a
// database transaction: their keys are read before the rows go and handed
// to OnBlobsFreed after the commit, and a blob a crash leaves behind has
// no row, so the photos' orphan sweep, the exports' expiry sweep or the
// archive imports' sweep deletes it.

// ErrLastAdmin refuses the deletion of the only enabled administrator,
// which would leave the instance without anyone to run it.
var ErrLastAdmin = errors.New("the only administrator cannot delete their account")

// DeletedAccount is what an account's deletion removed, for the audit
// log: counts, never names.
type DeletedAccount struct {
	Recipes int64
	Photos  int
}

// DeleteAccount deletes user id and everything of theirs (see above). A
// missing user is ErrNotFound; the last enabled administrator,
// ErrLastAdmin.
func (s *Store) DeleteAccount(ctx context.Context, id string) (*DeletedAccount, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	var keys []string
	var out DeletedAccount
	err := s.inTx(ctx, func(tx conn) error {
		var username, email, role string
		var disabled sql.NullTime
		err := tx.QueryRowContext(ctx, "SELECT username, email, role, disabled_at FROM users WHERE id = ?", id).
			Scan(&username, &email, &role, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("look up account %s: %w", id, err)
		}
		if role == "admin" && !disabled.Valid {
			var others int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?", id).
				Scan(&others); err != nil {
				return fmt.Errorf("count administrators: %w", err)
			}
			if others == 0 {
				return ErrLastAdmin
			}
		}
		if keys, err = photoKeysWhere(ctx, tx, "owner_id = ? OR recipe_id IN (SELECT id FROM recipes WHERE author_id = ?)", id, id); err != nil {
			return err
		}
		exports, err := exportKeysOf(ctx, tx, id)
		if err != nil {
			return err
		}
		keys = append(keys, exports...)
		archives, err := archiveKeysOf(ctx, tx, id)
		if err != nil {
			return err
		}
		keys = append(keys, archives...)
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM photos WHERE owner_id = ? OR recipe_id IN (SELECT id FROM recipes WHERE author_id = ?)", id, id).
			Scan(&out.Photos); err != nil {
			return fmt.Errorf("count photos: %w", err)
		}
		if err := forgetInAuditLog(ctx, tx, id); err != nil {
			return err
		}
		if err := forgetInFlags(ctx, tx, id, username); err != nil {
			return err
		}
		if err := forgetInQueue(ctx, tx, s.d, id, username, email); err != nil {
			return err
		}
		if err := s.leaveOnDeletion(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM recipes WHERE author_id = ?", id)
		if err != nil {
			return fmt.Errorf("delete recipes of %s: %w", id, err)
		}
		if out.Recipes, err = res.RowsAffected(); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("delete account %s: %w", id, err)
		}
		return mustAffect(res, "user "+id)
	})
	if err != nil {
		return nil, err
	}
	s.freed(keys)
	return &out, nil
}

// forgetInAuditLog keeps the rows by or about user id, without the user.
func forgetInAuditLog(ctx context.Context, tx conn, id string) error {
	_, err := tx.ExecContext(ctx, "UPDATE audit_log SET actor_id = NULL, target = 'user:deleted', ip = '', details = ''"+
		" WHERE actor_id = ? OR target = ?", id, "user:"+id)
	if err != nil {
		return fmt.Errorf("forget account %s in the audit log: %w", id, err)
	}
	return nil
}

// forgetInFlags takes the user out of every flag override's lists, which
// hold ids (and, as typed by an operator, possibly names).
func forgetInFlags(ctx context.Context, tx conn, id, username string) error {
	rows, err := tx.QueryContext(ctx, "SELECT "+flagColumns+" FROM feature_flags")
	if err != nil {
		return fmt.Errorf("read flag overrides: %w", err)
	}
	type change struct{ env, key, allow, deny, by string }
	var changes []change
	for rows.Next() {
		o, err := scanFlagOverride(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("read flag overrides: %w", err)
		}
		gone := func(u string) bool { return u == id || u == username }
		allow, deny := slices.DeleteFunc(slices.Clone(o.AllowUsers), gone), slices.DeleteFunc(slices.Clone(o.DenyUsers), gone)
		by := o.UpdatedBy
		if gone(by) {
			by = "deleted account"
		}
		if len(allow) == len(o.AllowUsers) && len(deny) == len(o.DenyUsers) && by == o.UpdatedBy {
			continue
		}
		a, err := jsonList(allow)
		if err != nil {
			rows.Close()
			return err
		}
		d, err := jsonList(deny)
		if err != nil {
			rows.Close()
			return err
		}
		changes = append(changes, change{o.Environment, o.Key, a, d, by})
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read flag overrides: %w", err)
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, "UPDATE feature_flags SET allow_users = ?, deny_users = ?, updated_by = ? WHERE environment = ? AND key = ?",
			c.allow, c.deny, c.by, c.env, c.key); err != nil {
			return fmt.Errorf("update flag override %s: %w", c.key, err)
		}
	}
	return nil
}

// forgetInQueue deletes the job queue's rows whose arguments carry the
// user's id, or their name or address as a whole JSON string. A job
// running at this moment keeps its row until it ends; it finds no
// account and does nothing (every job that takes a user looks them up
// first).
func forgetInQueue(ctx context.Context, tx conn, d dialect, id, username, email string) error {
	args := "json(args)" // river's SQLite driver keeps SQLite's binary JSON
	if d.name() == "postgres" {
		args = "args::text" // jsonb
	}
	var conds []string
	var vals []any
	for _, s := range []string{id, jsonString(username), jsonString(email)} {
		conds = append(conds, args+` LIKE ? ESCAPE '\'`)
		vals = append(vals, "%"+likeEscape(s)+"%")
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM river_job WHERE state <> 'running' AND ("+strings.Join(conds, " OR ")+")", vals...)
	if err != nil {
		return fmt.Errorf("forget account %s in the job queue: %w", id, err)
	}
	return nil
}

// jsonString is s as a JSON string, quotes included. Names and
// addresses are validated to need no escaping in JSON.
func jsonString(s string) string { return `"` + s + `"` }

// likeEscape escapes LIKE's wildcards (and the escape character) in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
