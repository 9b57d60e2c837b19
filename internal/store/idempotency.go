package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// IdempotencyTTL is how long the answer to a keyed request is kept: a
// client may retry with the same Idempotency-Key for this long.
const IdempotencyTTL = 24 * time.Hour

// Errors Idempotent reports for a key that cannot be used now.
var (
	// ErrIdempotencyKeyReused: the key was used before for another request.
	ErrIdempotencyKeyReused = errors.New("idempotency key was used for a different request")
	// ErrIdempotencyKeyInFlight: a request with the key is still running.
	ErrIdempotencyKeyInFlight = errors.New("a request with this idempotency key is still in progress")
)

// IdempotencyRequest names one keyed request: keys belong to a user, and
// the fingerprint (a hash of method, path and body) tells a true retry
// from another request that reuses the key.
type IdempotencyRequest struct {
	UserID      string
	Key         string
	Fingerprint string
}

// IdempotentResponse is the answer kept for a key and replayed to retries.
type IdempotentResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// txKey marks a context that carries s's open transaction (a conn), which
// inTx joins instead of beginning its own.
type txKey struct{ s *Store }

// Idempotent runs write at most once per user and key within
// IdempotencyTTL. write receives a context in which the store's writes
// join one transaction; the response it returns is recorded in that same
// transaction, so the write and its record commit together or not at all,
// and a crash or lost connection can never leave a created row without
// the record that makes a retry find it.
//
// A retry with the same fingerprint gets the recorded response and
// replayed = true, and write does not run; the same key with another
// fingerprint is ErrIdempotencyKeyReused. On PostgreSQL a request arriving
// while another with its key is still running gets
// ErrIdempotencyKeyInFlight at once rather than waiting (a transaction
// advisory lock); SQLite runs one writing transaction at a time, so there
// the second simply waits and then replays.
//
// When write returns a nil response (the request failed: a validation
// error, say) or an error, the transaction rolls back and nothing is
// recorded, so the key stays free for a corrected request.
//
// Every store write that write makes must go through inTx (as the recipe
// writes do): a write on another connection would wait for this
// transaction's lock on SQLite.
func (s *Store) Idempotent(ctx context.Context, req IdempotencyRequest,
	write func(ctx context.Context) (*IdempotentResponse, error)) (resp *IdempotentResponse, replayed bool, err error) {
	if _, nested := ctx.Value(txKey{s}).(conn); nested {
		return nil, false, errors.New("idempotent requests do not nest")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		if ctx.Err() == nil {
			err = &unavailableError{err: err}
		}
		return nil, false, fmt.Errorf("begin transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	c := conn{q: tx, d: s.d}
	if s.d.name() == "postgres" {
		var locked bool
		if err := c.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock(?)", idempotencyLockID(req)).Scan(&locked); err != nil {
			return nil, false, fmt.Errorf("lock idempotency key: %w", err)
		}
		if !locked {
			return nil, false, ErrIdempotencyKeyInFlight
		}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	// An expired record no longer binds the key: it is removed here, in the
	// same transaction, so the key can be recorded anew.
	if _, err := c.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at <= ?",
		req.UserID, req.Key, now.Add(-IdempotencyTTL)); err != nil {
		return nil, false, fmt.Errorf("expire idempotency key: %w", err)
	}
	var prev IdempotentResponse
	var fingerprint string
	err = c.QueryRowContext(ctx, `SELECT fingerprint, status, content_type, location, body
		FROM idempotency_keys WHERE user_id = ? AND key = ?`, req.UserID, req.Key).
		Scan(&fingerprint, &prev.Status, &prev.ContentType, &prev.Location, &prev.Body)
	switch {
	case err == nil:
		if fingerprint != req.Fingerprint {
			return nil, false, ErrIdempotencyKeyReused
		}
		return &prev, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, false, fmt.Errorf("look up idempotency key: %w", err)
	}

	resp, err = write(context.WithValue(ctx, txKey{s}, c))
	if err != nil || resp == nil {
		return resp, false, err
	}
	if resp.Body == nil {
		resp.Body = []byte{}
	}
	if _, err := c.ExecContext(ctx, `INSERT INTO idempotency_keys
		(user_id, key, fingerprint, status, content_type, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		req.UserID, req.Key, req.Fingerprint, resp.Status, resp.ContentType, resp.Location, resp.Body, now); err != nil {
		return nil, false, fmt.Errorf("record idempotency key: %w", err)
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("commit: %w", err)
	}
	return resp, false, nil
}

// idempotencyLockID maps a user's key to a PostgreSQL advisory lock id. A
// collision between two keys would only make one of them wait for a 409
// retry, never mix their answers (the record is found by user and key).
func idempotencyLockID(req IdempotencyRequest) int64 {
	h := sha256.Sum256([]byte("idempotency\x00" + req.UserID + "\x00" + req.Key))
	return int64(binary.BigEndian.Uint64(h[:8]))
}

// DeleteExpiredIdempotencyKeys removes records older than IdempotencyTTL
// and reports how many went. Expired records are already ignored, so this
// only bounds the table's size.
func (s *Store) DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error) {
	res, err := s.read().ExecContext(ctx, "DELETE FROM idempotency_keys WHERE created_at <= ?",
		s.now().UTC().Add(-IdempotencyTTL))
	if err != nil {
		return 0, fmt.Errorf("delete expired idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
